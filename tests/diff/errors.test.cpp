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


TEST_CASE("wrt must be a variable: WrtNotVariable", "[diff][errors]") {
  auto x = vec("x");
  auto wrt = ir::located(ir::mul(num(2), x), at(12, 3, "diff(sum(x), 2*x)"));
  UserError e = catch_error([&] { derivative(fn(Fn::Sum, x), wrt); });
  CHECK(e.id() == Msg::WrtNotVariable);
  CHECK(e.loc().col == 12);
}

TEST_CASE("no rule is a located NotDifferentiable, never a silent zero", "[diff][errors]") {
  // The gradient through a Kronecker product has no rule yet: refused at the user's kron.
  auto x = vec("x"), A = mat("A");
  auto kr = ir::located(ir::call(Fn::Kron, {A, ir::mul(x, T(x))}), at(5, 13, "sum(kron(A, x*x'))"));
  UserError e2 = catch_error([&] { gradient(fn(Fn::Sum, kr), x); });
  CHECK(e2.id() == Msg::NotDifferentiable);
  CHECK(e2.loc().col == 5);
  CHECK(e2.text().find("kron") != std::string::npos);
}

TEST_CASE("a function of something that does not depend on wrt has derivative zero of the right shape",
          "[diff][errors]") {
  auto x = vec("x"), w = vec("w"), W = mat("W", m, n);
  CHECK(to_text(derivative(fn(Fn::Sum, w), x)) == "zeros(n)'");
  CHECK(to_text(derivative(w, x)) == "zeros(n, n)");
  CHECK(to_text(gradient(fn(Fn::Sum, w), W)) == "zeros(m, n)");
}
