// Hessians: the Jacobian of the gradient, n x n.
#include <catch2/catch.hpp>

#include "diff/common.hpp"

using namespace dtest;

namespace {
Expr expect_hessian(const Expr& f, const Expr& x, const std::string& want, const std::vector<In>& ins) {
  Expr h = hessian(f, x);
  INFO("hessian(" << to_text(f) << ", " << x->name << ") = " << to_text(h));
  if (!want.empty()) CHECK(to_text(h) == want);
  CHECK(h->shape == Shape::matrix(x->shape.rows, x->shape.rows));
  CHECK(fdtest::forbidden_pattern(h) == "");
  fdtest::check_hessian(f, x, h, ins);
  return h;
}
}  // namespace

TEST_CASE("hessian of quadratic forms and reductions", "[diff][hessian]") {
  auto x = vec("x"), A = mat("A"), b = vec("b"), W = mat("W", m, n), y = vec("y", m);
  expect_hessian(ir::mul(ir::mul(T(x), A), x), x, "A + A'", {{x}, {A}});
  expect_hessian(ir::add(ir::mul(T(b), x), num(3)), x, "zeros(n, n)", {{x}, {b}});
  expect_hessian(ir::dot(x, x), x, "2*eye(n)", {{x}});
  expect_hessian(ir::pow(fn(Fn::Norm2, ir::sub(ir::mul(W, x), y)), num(2)), x, "2*W'*W", {{x}, {W}, {y}});
  expect_hessian(fn(Fn::Logsumexp, x), x, "diag(softmax(x)) - softmax(x)*softmax(x)'", {{x}});
  expect_hessian(fn(Fn::Sum, fn(Fn::Exp, x)), x, "diag(exp(x))", {{x}});
  expect_hessian(fn(Fn::Sum, fn(Fn::Sigmoid, x)), x, "", {{x}});
}

TEST_CASE("hessian with respect to a scalar is its second derivative", "[diff][hessian]") {
  auto a = sc("a");
  Expr h = hessian(fn(Fn::Sin, ir::pow(a, num(2))), a);
  CHECK(h->is_scalar());
  fdtest::check_hessian(fn(Fn::Sin, ir::pow(a, num(2))), a, h, {{a}});
}

TEST_CASE("hessian of a non-scalar is a located error; by a matrix it is d vec(grad)/d vec(X)'", "[diff][hessian][errors]") {
  auto x = vec("x"), X = mat("X");
  CHECK_THROWS_MATCHES(hessian(x, x), UserError, Catch::Predicate<UserError>([](const UserError& e) {
                         return e.id() == Msg::NotScalar;
                       }));
  CHECK(to_text(hessian(fn(Fn::Tr, X), X)) == "zeros(n*n, n*n)");
  Expr f = fn(Fn::Tr, ir::mul(T(X), X));  // tr(X'X): ∇ = 2X, H = 2 I
  Expr h = hessian(f, X);
  CHECK(to_text(h) == "2*eye(n*n)");
  fdtest::check_hessian(f, X, h, {{X}});
}
