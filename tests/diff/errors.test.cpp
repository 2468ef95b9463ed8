// Located user errors of the differentiator: each catalogue message it raises.
#include <catch2/catch.hpp>

#include "diff/common.hpp"

using namespace dtest;

namespace {
Loc at(int col, int len, const char* text) {
  return Loc{1, col, len, std::make_shared<SourceText>(SourceText{text, "<expr>"})};
}
template <class F>
UserError catch_error(F f) {
  try {
    f();
  } catch (const UserError& e) {
    return e;
  }
  FAIL("expected a UserError");
  throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("grad of a non-scalar: NotScalar at the function", "[diff][errors]") {
  auto x = vec("x");
  auto f = ir::located(fn(Fn::Sin, x), at(6, 6, "grad(sin(x), x)"));
  UserError e = catch_error([&] { gradient(f, x); });
  CHECK(e.id() == Msg::NotScalar);
  CHECK(e.loc().col == 6);
  CHECK(e.text() == "grad needs a scalar, but this is vector(n)");
}

TEST_CASE("a vector by a matrix: TensorResult suggests grad of a scalar", "[diff][errors]") {
  auto x = vec("x"), W = mat("W", m, n);
  auto f = ir::located(ir::mul(W, x), at(6, 3, "diff(W*x, W)"));
  UserError e = catch_error([&] { derivative(f, W); });
  CHECK(e.id() == Msg::TensorResult);
  CHECK(e.loc().col == 6);
  CHECK(e.text() == "diff: the derivative of W*x (vector(m)) with respect to W (matrix(m, n)) is a third-order "
                    "tensor; take grad of a scalar instead");
}

TEST_CASE("wrt must be a variable: WrtNotVariable", "[diff][errors]") {
  auto x = vec("x");
  auto wrt = ir::located(ir::mul(num(2), x), at(12, 3, "diff(sum(x), 2*x)"));
  UserError e = catch_error([&] { derivative(fn(Fn::Sum, x), wrt); });
  CHECK(e.id() == Msg::WrtNotVariable);
  CHECK(e.loc().col == 12);
}

TEST_CASE("no rule is a located NotDifferentiable, never a silent zero", "[diff][errors]") {
  // A Jacobian by a vector through a Hadamard product of a matrix depending on
  // it: (x x') .* A needs the vec/Kronecker form of a third-order tensor.
  auto x = vec("x"), A = mat("A");
  auto had = ir::located(ir::hadamard(ir::mul(x, T(x)), A), at(2, 13, "((x*x').*A)*x"));
  UserError e2 = catch_error([&] { derivative(ir::mul(had, x), x); });
  CHECK(e2.id() == Msg::NotDifferentiable);
  CHECK(e2.loc().col == 2);
  CHECK(e2.text().find("third-order tensor") != std::string::npos);
}

TEST_CASE("a function of something that does not depend on wrt has derivative zero of the right shape",
          "[diff][errors]") {
  auto x = vec("x"), w = vec("w"), W = mat("W", m, n);
  CHECK(to_text(derivative(fn(Fn::Sum, w), x)) == "zeros(n)'");
  CHECK(to_text(derivative(w, x)) == "zeros(n, n)");
  CHECK(to_text(gradient(fn(Fn::Sum, w), W)) == "zeros(m, n)");
}
