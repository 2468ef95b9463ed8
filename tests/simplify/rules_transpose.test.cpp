// Rules with head ' , indexing and bracket literals (src/simplify/rules_transpose.cpp).
#include <catch2/catch.hpp>

#include "simplify/common.hpp"

using namespace stest;

TEST_CASE("transpose: s' = s, (A')' = A, I' = I, diag(v)' = diag(v), 0' = 0", "[simplify][transpose]") {
  auto s = sc("s"), W = mat("W", m, n), v = vec("v");
  expect_simplified(T(s), "s");
  expect_simplified(T(T(W)), "W");
  expect_simplified(T(ir::eye(n)), "eye(n)");
  expect_simplified(T(fn(Fn::DiagOf, v)), "diag(v)");
  expect_simplified(T(ir::zeros(W->shape)), "zeros(n, m)");
}
TEST_CASE("transpose: (-A)' = -A', (s*A)' = s*A'", "[simplify][transpose]") {
  auto W = mat("W", m, n), s = sc("s");
  expect_simplified(T(ir::neg(W)), "-W'");
  expect_simplified(T(ir::mul(s, W)), "s*W'");
}
TEST_CASE("transpose: a bracket literal is transposed entry by entry", "[simplify][transpose]") {
  auto a = sc("a"), b = sc("b");
  expect_simplified(T(ir::literal(2, 1, {a, ir::mul(a, b)})), "[a, a*b]");
}
TEST_CASE("transpose: (A*B)' = B'*A' and (A + B)' = A' + B' when no larger", "[simplify][transpose]") {
  auto x = vec("x"), W = mat("W", n, m), A = mat("A");
  auto V = mat("V", m, n);
  expect_simplified(T(ir::mul(T(x), W)), "W'*x");
  expect_simplified(T(ir::mul(W, T(W))), "W*W'");
  expect_simplified(T(ir::add(A, T(A))), "A + A'");
  expect_simplified(T(ir::mul(T(W), x)), "x'*W");
  expect_simplified(T(ir::mul(V, x)), "(V*x)'");  // kept: x'*V' would be larger
}
TEST_CASE("index: into literals and structural matrices", "[simplify][index]") {
  auto a = sc("a"), b = sc("b");
  expect_simplified(ir::index(ir::literal(2, 1, {a, b}), 2), "b");
  expect_simplified(ir::index(ir::literal(2, 2, {a, b, num(3), a}), 2, 1), "3");
  expect_simplified(ir::index(ir::ones(Shape::vector(n)), 2), "1", {}, 2);
  expect_simplified(ir::index(ir::zeros(Shape::vector(n)), 2), "0", {}, 2);
  expect_simplified(ir::index(ir::unit(2, n), 2), "1", {}, 2);
  expect_simplified(ir::index(ir::unit(2, n), 1), "0", {}, 2);
  expect_simplified(ir::index(ir::eye(n), 2, 2), "1", {}, 2);
}
TEST_CASE("index: through -, ', scaling and diag", "[simplify][index]") {
  auto v = vec("v"), A = mat("A"), s = sc("s");
  expect_simplified(ir::index(ir::neg(v), 2), "-v[2]", {}, 2);
  expect_simplified(ir::index(T(A), 1, 2), "A[2, 1]", {}, 2);
  expect_simplified(ir::index(ir::mul(s, v), 2), "s*v[2]", {}, 2);
  expect_simplified(ir::index(fn(Fn::DiagOf, v), 2, 2), "v[2]", {}, 2);
  expect_simplified(ir::index(fn(Fn::DiagOf, v), 1, 2), "0", {}, 2);
}
TEST_CASE("index: through sums and differences", "[simplify][index]") {
  auto v = vec("v"), w = vec("w");
  expect_simplified(ir::index(ir::add(v, w), 2), "v[2] + w[2]", {}, 2);
  expect_simplified(ir::index(ir::sub(v, ir::mul(sc("s"), w)), 2), "v[2] - s*w[2]", {}, 2);
}
TEST_CASE("literal: all zero entries are zeros", "[simplify][literal]") {
  expect_simplified(ir::literal(2, 1, {num(0), ir::sub(num(1), num(1))}), "zeros(2)");
}
