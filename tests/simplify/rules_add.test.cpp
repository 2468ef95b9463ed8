// Rules with head + , - and unary - (src/simplify/rules_add.cpp), one test each.
#include <catch2/catch.hpp>

#include "simplify/common.hpp"

using namespace stest;

TEST_CASE("add: 0 + b = b, a + 0 = a", "[simplify][add]") {
  auto x = vec("x"), a = sc("a");
  expect_simplified(ir::add(ir::zeros(x->shape), x), "x");
  expect_simplified(ir::add(x, ir::zeros(x->shape)), "x");
  expect_simplified(ir::add(ir::zeros(x->shape), a), "a*ones(n)");
}
TEST_CASE("add: c1 + c2 is folded", "[simplify][add]") { expect_simplified(ir::add(num(2), num(3)), "5"); }
TEST_CASE("add: -a + b = b - a", "[simplify][add]") {
  expect_simplified(ir::add(ir::neg(vec("x")), vec("y")), "y - x");
}
TEST_CASE("add: a + -b = a - b", "[simplify][add]") {
  expect_simplified(ir::add(vec("x"), ir::neg(vec("y"))), "x - y");
}
TEST_CASE("add: a + (-c)*X = a - c*X", "[simplify][add]") {
  expect_simplified(ir::add(vec("x"), ir::mul(num(-2), vec("y"))), "x - 2*y");
}
TEST_CASE("add: a + a = 2*a", "[simplify][add]") {
  auto W = mat("W", m, n), x = vec("x");
  expect_simplified(ir::add(ir::mul(W, x), ir::mul(W, x)), "2*W*x");
}
TEST_CASE("add: A' + A = A + A'", "[simplify][add]") {
  auto A = mat("A");
  expect_simplified(ir::add(T(A), A), "A + A'");
}
TEST_CASE("add: diag(a) + diag(b) = diag(a + b)", "[simplify][add]") {
  auto x = vec("x"), y = vec("y");
  expect_simplified(ir::add(fn(Fn::DiagOf, x), fn(Fn::DiagOf, y)), "diag(x + y)");
}
TEST_CASE("add: P*Q + P*R = P*(Q + R)", "[simplify][add]") {
  auto A = mat("A"), x = vec("x"), y = vec("y");
  expect_simplified(ir::add(ir::mul(A, x), ir::mul(A, y)), "A*(x + y)");
}
TEST_CASE("add: Q*P + R*P = (Q + R)*P", "[simplify][add]") {
  auto A = mat("A"), B = mat("B"), x = vec("x");
  expect_simplified(ir::add(ir::mul(A, x), ir::mul(B, x)), "(A + B)*x");
}
TEST_CASE("sub: a - 0 = a, 0 - b = -b", "[simplify][sub]") {
  auto x = vec("x");
  expect_simplified(ir::sub(x, ir::zeros(x->shape)), "x");
  expect_simplified(ir::sub(ir::zeros(x->shape), x), "-x");
}
TEST_CASE("sub: c1 - c2 is folded", "[simplify][sub]") { expect_simplified(ir::sub(num(2), num(3)), "-1"); }
TEST_CASE("sub: a - a = 0", "[simplify][sub]") {
  auto X = mat("X", m, n);
  expect_simplified(ir::sub(X, X), "zeros(m, n)");
}
TEST_CASE("sub: a - -b = a + b", "[simplify][sub]") {
  expect_simplified(ir::sub(vec("x"), ir::neg(vec("y"))), "x + y");
}
TEST_CASE("sub: -a - b = -(a + b)", "[simplify][sub]") {
  auto A = mat("A"), B = mat("B");
  expect_simplified(ir::sub(ir::neg(A), B), "-(A + B)");
}
TEST_CASE("sub: a - (-c)*X = a + c*X", "[simplify][sub]") {
  expect_simplified(ir::sub(vec("x"), ir::mul(num(-3), vec("y"))), "x + 3*y");
}
TEST_CASE("sub: diag(a) - s*diag(b) = diag(a - s*b)", "[simplify][sub]") {
  auto x = vec("x"), y = vec("y"), s = sc("s");
  expect_simplified(ir::sub(fn(Fn::DiagOf, x), ir::mul(s, fn(Fn::DiagOf, y))), "diag(x - s*y)");
}
TEST_CASE("sub: P*Q - P*R = P*(Q - R)", "[simplify][sub]") {
  auto W = mat("W", m, n), x = vec("x"), y = vec("y");
  expect_simplified(ir::sub(ir::mul(W, x), ir::mul(W, y)), "W*(x - y)");
}
TEST_CASE("neg: -0 = 0, -(c) = (-c), --a = a", "[simplify][neg]") {
  auto x = vec("x");
  expect_simplified(ir::neg(ir::zeros(x->shape)), "zeros(n)");
  expect_simplified(ir::neg(num(2)), "-2");
  expect_simplified(ir::neg(ir::neg(x)), "x");
}
TEST_CASE("neg: -(a - b) = b - a", "[simplify][neg]") {
  expect_simplified(ir::neg(ir::sub(vec("x"), vec("y"))), "y - x");
}
TEST_CASE("neg: -(c*X) = (-c)*X", "[simplify][neg]") {
  expect_simplified(ir::neg(ir::mul(num(2), mat("A"))), "-2*A");
}
TEST_CASE("neg: the sign goes into a difference inside a product", "[simplify][neg]") {
  auto X = mat("X", N, n), y = vec("y", N), u = vec("u", N), s = sc("s");
  expect_simplified(ir::neg(ir::mul(s, ir::mul(T(X), ir::hadamard(ir::sub(y, u), fn(Fn::Step, u))))),
                    "s*X'*((u - y).*step(u))");
}
