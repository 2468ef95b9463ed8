// Elementwise binary operators (diagonal Jacobians), scalar broadcasting, and
// every elementwise function: d f(u)/du = diag(f'(u)) with f' from GiNaC.
#include <catch2/catch.hpp>

#include "diff/common.hpp"

using namespace dtest;

TEST_CASE("elementwise binary operators have diagonal Jacobians", "[diff][elementwise]") {
  auto w = vec("w"), x = vec("x");
  // The lecture's table: + - ⊗ ⊘ with respect to w, then with respect to x.
  expect_diff(ir::add(w, x), w, "eye(n)", {{w}, {x}});
  expect_diff(ir::sub(w, x), w, "eye(n)", {{w}, {x}});
  expect_diff(ir::hadamard(w, x), w, "diag(x)", {{w}, {x}});
  expect_diff(ir::elem_div(w, x), w, "diag(1./x)", {{w}, {x, Dist::Positive}});
  expect_diff(ir::add(w, x), x, "eye(n)", {{w}, {x}});
  expect_diff(ir::sub(w, x), x, "-eye(n)", {{w}, {x}});
  expect_diff(ir::hadamard(w, x), x, "diag(w)", {{w}, {x}});
  expect_diff(ir::elem_div(w, x), x, "-diag(w./x.^2)", {{w}, {x, Dist::Positive}});
  // Both operands depend on x.
  expect_diff(ir::hadamard(x, x), x, "2*diag(x)", {{x}});
  expect_diff(ir::elem_pow(x, num(3)), x, "3*diag(x.^2)", {{x}});
  expect_diff(ir::elem_pow(num(2), x), x, "log(2)*diag(2.^x)", {{x}});
  expect_diff(ir::elem_pow(w, x), x, "diag(log(w).*w.^x)", {{w, Dist::Positive}, {x}});
}

TEST_CASE("scalar broadcasting gives a column, not a diagonal", "[diff][elementwise]") {
  auto x = vec("x"), z = sc("z"), a = sc("a");
  expect_diff(ir::add(x, z), z, "ones(n)", {{x}, {z}});
  expect_diff(ir::sub(a, x), a, "ones(n)", {{x}, {a}});
  expect_diff(ir::mul(a, x), a, "x", {{x}, {a}});
  expect_diff(ir::mul(a, x), x, "a*eye(n)", {{x}, {a}});
  expect_diff(ir::hadamard(x, a), a, "x", {{x}, {a}});
  expect_diff(ir::elem_div(x, a), a, "-(x/a^2)", {{x}, {a, Dist::Positive}});
  expect_diff(fn(Fn::Max, a, x), a, "step(a - x)", {{x}, {a}});
  // Gradient of a scalar through a broadcast: sum over the entries.
  expect_grad(fn(Fn::Sum, ir::add(x, z)), z, "n", {{x}, {z}});
}

TEST_CASE("every elementwise function, on a vector and on a scalar", "[diff][elementwise]") {
  auto x = vec("x"), a = sc("a");
  struct Row { Fn f; const char* vec_form; const char* scalar_form; Dist dist; };
  const Row rows[] = {
      {Fn::Sin, "diag(cos(x))", "cos(a)", Dist::Normal},
      {Fn::Cos, "-diag(sin(x))", "-sin(a)", Dist::Normal},
      {Fn::Tan, "diag(tan(x).^2 + 1)", "tan(a)^2 + 1", Dist::Unit01},
      {Fn::Asin, "diag(1./sqrt(1 - x.^2))", "1/sqrt(1 - a^2)", Dist::Unit01},
      {Fn::Acos, "diag(-1./sqrt(1 - x.^2))", "-1/sqrt(1 - a^2)", Dist::Unit01},
      {Fn::Atan, "diag(1./(x.^2 + 1))", "1/(a^2 + 1)", Dist::Normal},
      {Fn::Exp, "diag(exp(x))", "exp(a)", Dist::Normal},
      {Fn::Log, "diag(1./x)", "1/a", Dist::Positive},
      {Fn::Sqrt, "diag(1./(2*sqrt(x)))", "1/(2*sqrt(a))", Dist::Positive},
      {Fn::Abs, "diag(sign(x))", "sign(a)", Dist::Normal},
      {Fn::Sign, "zeros(n, n)", "0", Dist::Normal},
      {Fn::Tanh, "diag(1 - tanh(x).^2)", "1 - tanh(a)^2", Dist::Normal},
      {Fn::Sinh, "diag(cosh(x))", "cosh(a)", Dist::Normal},
      {Fn::Cosh, "diag(sinh(x))", "sinh(a)", Dist::Normal},
      {Fn::Sigmoid, "diag(sigmoid(x).*(1 - sigmoid(x)))", "sigmoid(a)*(1 - sigmoid(a))", Dist::Normal},
      {Fn::Relu, "diag(step(x))", "step(a)", Dist::Normal},
      {Fn::Softplus, "diag(sigmoid(x))", "sigmoid(a)", Dist::Normal},
      {Fn::Step, "zeros(n, n)", "0", Dist::Normal},
      {Fn::Heaviside, "zeros(n, n)", "0", Dist::Normal},
  };
  for (const auto& r : rows) {
    INFO(fn_name(r.f));
    expect_diff(fn(r.f, x), x, r.vec_form, {{x, r.dist}});
    expect_diff(fn(r.f, a), a, r.scalar_form, {{a, r.dist}});
  }
}

TEST_CASE("piecewise functions: max, min, relu, leaky_relu, abs", "[diff][elementwise][piecewise]") {
  auto w = vec("w"), x = vec("x"), a = sc("a"), b = sc("b");
  expect_diff(fn(Fn::Max, num(0), x), x, "diag(step(x))", {{x}});
  expect_diff(fn(Fn::Max, x, num(0)), x, "diag(step(x))", {{x}});
  expect_diff(fn(Fn::Max, w, x), w, "diag(step(w - x))", {{w}, {x}});
  // At a tie the branches share the derivative: ∂/∂b = 1 - ∂/∂a.
  expect_diff(fn(Fn::Max, w, x), x, "diag(1 - step(w - x))", {{w}, {x}});
  expect_diff(fn(Fn::Min, w, x), x, "diag(1 - step(x - w))", {{w}, {x}});
  expect_diff(fn(Fn::Min, w, x), w, "diag(step(x - w))", {{w}, {x}});
  expect_diff(fn(Fn::LeakyRelu, x, num(0.01)), x, "diag(0.99*step(x) + 0.01)", {{x}});
  expect_diff(fn(Fn::LeakyRelu, x, a), a, "x.*(1 - step(x))", {{x}, {a}});
  expect_diff(fn(Fn::Abs, ir::sub(w, x)), w, "diag(sign(w - x))", {{w}, {x}});
  // The derivative of max(0, z) is step(z), and step(...) stays identifiable.
  Expr d = expect_diff(fn(Fn::Max, num(0), ir::add(ir::mul(T(w), x), b)), w, "step(w'*x + b)*x'", {{w}, {x}, {b}});
  auto conds = step_conditions(d);
  REQUIRE(conds.size() == 1);
  CHECK(to_text(conds[0]) == "w'*x + b");
}
