// Rules with head * (matrix product and scaling), / and dot (src/simplify/rules_mul.cpp).
#include <catch2/catch.hpp>

#include "simplify/common.hpp"

using namespace stest;

TEST_CASE("mul: 0*B = 0, 1*B = B, A*1 = A", "[simplify][mul]") {
  auto W = mat("W", m, n), x = vec("x");
  expect_simplified(ir::mul(ir::zeros(W->shape), x), "zeros(m)");
  expect_simplified(ir::mul(num(1), W), "W");
  expect_simplified(ir::mul(W, num(1)), "W");
  expect_simplified(ir::mul(num(-1), W), "-W");
}
TEST_CASE("mul: scalar factors are flattened, folded and ordered", "[simplify][mul]") {
  auto x = sc("x"), a = sc("a");
  expect_simplified(ir::mul(ir::mul(fn(Fn::Cos, x), num(2)), ir::mul(x, num(3))), "6*x*cos(x)");
  expect_simplified(ir::mul(x, a), "a*x");
  expect_simplified(ir::mul(ir::neg(x), a), "-(a*x)");
}
TEST_CASE("mul: x*x = x^2, x^k*x = x^(k+1)", "[simplify][mul]") {
  auto x = sc("x");
  expect_simplified(ir::mul(x, x), "x^2");
  expect_simplified(ir::mul(ir::pow(x, num(2)), ir::mul(num(3), x)), "3*x^3");
}
TEST_CASE("mul: a*(p/q) = (a*p)/q", "[simplify][mul]") {
  auto x = sc("x"), y = sc("y");
  expect_simplified(ir::mul(x, ir::div(num(2), y)), "2*x/y", {{"y", Dist::Positive}});
}
TEST_CASE("mul: A*s = s*A, s*(t*B) = (s*t)*B, s*(B/t) = (s/t)*B", "[simplify][mul]") {
  auto A = mat("A"), s = sc("s"), t = sc("t");
  expect_simplified(ir::mul(A, s), "s*A");
  expect_simplified(ir::mul(s, ir::mul(t, A)), "s*t*A");
  expect_simplified(ir::mul(num(2), ir::div(A, ir::dim_size(N))), "(2/N)*A");
}
TEST_CASE("mul: (-A)*B = -(A*B), A*(-B) = -(A*B)", "[simplify][mul]") {
  auto A = mat("A"), B = mat("B");
  expect_simplified(ir::mul(ir::neg(A), B), "-(A*B)");
  expect_simplified(ir::mul(A, ir::neg(B)), "-(A*B)");
}
TEST_CASE("mul: I*B = B, A*I = A", "[simplify][mul]") {
  auto W = mat("W", m, n);
  expect_simplified(ir::mul(ir::eye(m), W), "W");
  expect_simplified(ir::mul(W, ir::eye(n)), "W");
}
TEST_CASE("mul: scalars leave matrix products, (s*A)*B = s*A*B", "[simplify][mul]") {
  auto A = mat("A"), B = mat("B"), s = sc("s");
  expect_simplified(ir::mul(ir::mul(s, A), B), "s*A*B");
  expect_simplified(ir::mul(A, ir::mul(s, B)), "s*A*B");
  expect_simplified(ir::mul(ir::div(A, s), B), "A*B/s", {{"s", Dist::Positive}});
  expect_simplified(ir::mul(A, ir::div(B, s)), "A*B/s", {{"s", Dist::Positive}});
}
TEST_CASE("mul: A*A = A^2, A*A^k = A^(k+1)", "[simplify][mul]") {
  auto A = mat("A");
  expect_simplified(ir::mul(A, A), "A^2");
  expect_simplified(ir::mul(A, ir::pow(A, num(2))), "A^3");
  expect_simplified(ir::mul(ir::pow(A, num(2)), A), "A^3");
}
TEST_CASE("mul: ones(n)'*diag(x) = x', diag(x)*ones(n) = x", "[simplify][mul]") {
  auto x = vec("x");
  expect_simplified(ir::mul(T(ir::ones(x->shape)), fn(Fn::DiagOf, x)), "x'");
  expect_simplified(ir::mul(fn(Fn::DiagOf, x), ir::ones(x->shape)), "x");
}
TEST_CASE("mul: diag(a)*diag(b) = diag(a.*b), diag(a)*v = a.*v, v'*diag(a) = (v.*a)'", "[simplify][mul]") {
  auto a = vec("a"), b = vec("b"), v = vec("v");
  expect_simplified(ir::mul(fn(Fn::DiagOf, a), fn(Fn::DiagOf, b)), "diag(a.*b)");
  expect_simplified(ir::mul(fn(Fn::DiagOf, a), v), "a.*v");
  expect_simplified(ir::mul(T(v), fn(Fn::DiagOf, a)), "(v.*a)'");
}
TEST_CASE("mul: unit(i, n)'*v = v[i]", "[simplify][mul]") {
  auto v = vec("v");
  expect_simplified(ir::mul(T(ir::unit(2, n)), v), "v[2]", {}, 2);
}
TEST_CASE("mul: u'*(v./u) = sum(v)", "[simplify][mul]") {
  auto u = vec("u"), v = vec("v");
  expect_simplified(ir::mul(T(u), ir::elem_div(v, u)), "sum(v)", {{"u", Dist::Positive}});
}
TEST_CASE("div: A/1 = A, 0/b = 0, c1/c2 when exact", "[simplify][div]") {
  auto A = mat("A"), s = sc("s");
  expect_simplified(ir::div(A, num(1)), "A");
  expect_simplified(ir::div(ir::zeros(A->shape), s), "zeros(n, n)", {{"s", Dist::Positive}});
  expect_simplified(ir::div(num(6), num(3)), "2");
}
TEST_CASE("div: (-A)/b = -(A/b)", "[simplify][div]") {
  auto A = mat("A"), s = sc("s");
  expect_simplified(ir::div(ir::neg(A), s), "-(A/s)", {{"s", Dist::Positive}});
}
TEST_CASE("div: (s*A)/t = (s/t)*A, (A/s)/t = A/(s*t)", "[simplify][div]") {
  auto A = mat("A"), s = sc("s"), t = sc("t");
  expect_simplified(ir::div(ir::mul(num(2), A), ir::dim_size(N)), "(2/N)*A");
  expect_simplified(ir::div(ir::div(A, s), t), "A/(s*t)", {{"s", Dist::Positive}, {"t", Dist::Positive}});
}
TEST_CASE("div: (c*x)/N = (c/N)*x for a scalar", "[simplify][div]") {
  auto x = sc("x");
  expect_simplified(ir::div(ir::mul(num(2), fn(Fn::Sin, x)), ir::dim_size(N)), "(2/N)*sin(x)");
}
TEST_CASE("dot: a·0 = 0", "[simplify][dot]") {
  auto x = vec("x");
  expect_simplified(ir::dot(x, ir::zeros(x->shape)), "0");
}
