// Rules with head fn(...) (src/simplify/rules_call.cpp).
#include <catch2/catch.hpp>

#include "simplify/common.hpp"

using namespace stest;

TEST_CASE("diag: diag(ones) = I, diag(0) = 0, diag(s*v) = s*diag(v), diag(-v) = -diag(v)", "[simplify][call]") {
  auto v = vec("v"), s = sc("s");
  expect_simplified(fn(Fn::DiagOf, ir::ones(v->shape)), "eye(n)");
  expect_simplified(fn(Fn::DiagOf, ir::zeros(v->shape)), "zeros(n, n)");
  expect_simplified(fn(Fn::DiagOf, ir::mul(s, v)), "s*diag(v)");
  expect_simplified(fn(Fn::DiagOf, ir::neg(v)), "-diag(v)");
}
TEST_CASE("diag of a matrix: diag(I) = ones, diag(diag(v)) = v, diag(u*v') = u.*v, diag(s*A) = s*diag(A)",
          "[simplify][call]") {
  auto u = vec("u"), v = vec("v"), A = mat("A"), s = sc("s");
  expect_simplified(fn(Fn::DiagVec, ir::eye(n)), "ones(n)");
  expect_simplified(fn(Fn::DiagVec, fn(Fn::DiagOf, v)), "v");
  expect_simplified(fn(Fn::DiagVec, ir::mul(u, T(v))), "u.*v");
  expect_simplified(fn(Fn::DiagVec, ir::mul(s, A)), "s*diag(A)");
}
TEST_CASE("sum: sum(s) = s, sum(ones) = size, sum(0) = 0, sum(e_i) = 1", "[simplify][call]") {
  auto s = sc("s");
  expect_simplified(fn(Fn::Sum, s), "s");
  expect_simplified(fn(Fn::Sum, ir::ones(Shape::vector(n))), "n");
  expect_simplified(fn(Fn::Sum, ir::ones(Shape::matrix(m, n))), "m*n");
  expect_simplified(fn(Fn::Sum, ir::zeros(Shape::vector(n))), "0");
  expect_simplified(fn(Fn::Sum, ir::unit(1, n)), "1");
}
TEST_CASE("sum: sum(s*A) = s*sum(A), sum(-A) = -sum(A), sum(A') = sum(A)", "[simplify][call]") {
  auto A = mat("A"), s = sc("s");
  expect_simplified(fn(Fn::Sum, ir::mul(s, A)), "s*sum(A)");
  expect_simplified(fn(Fn::Sum, ir::neg(A)), "-sum(A)");
  expect_simplified(fn(Fn::Sum, T(A)), "sum(A)");
}
TEST_CASE("mean and tr of scalars and structural matrices", "[simplify][call]") {
  auto A = mat("A"), s = sc("s");
  expect_simplified(fn(Fn::Mean, s), "s");
  expect_simplified(fn(Fn::Tr, s), "s");
  expect_simplified(fn(Fn::Tr, ir::eye(n)), "n");
  expect_simplified(fn(Fn::Tr, ir::zeros(A->shape)), "0");
  expect_simplified(fn(Fn::Tr, ir::mul(s, A)), "s*tr(A)");
  expect_simplified(fn(Fn::Tr, T(A)), "tr(A)");
}
TEST_CASE("inv and det: inv(inv(A)) = A, inv(I) = I, det(I) = 1", "[simplify][call]") {
  auto A = mat("A");
  expect_simplified(fn(Fn::Inv, fn(Fn::Inv, A)), "A", {{"A", Dist::Spd}});
  expect_simplified(fn(Fn::Inv, ir::eye(n)), "eye(n)");
  expect_simplified(fn(Fn::Det, ir::eye(n)), "1");
}
TEST_CASE("step(max(0, u)) = step(u); step, heaviside and sign of numbers", "[simplify][call]") {
  auto u = vec("u");
  expect_simplified(fn(Fn::Step, fn(Fn::Max, num(0), u)), "step(u)");
  expect_simplified(fn(Fn::Step, fn(Fn::Relu, u)), "step(u)");
  expect_simplified(fn(Fn::Step, num(2)), "1");
  expect_simplified(fn(Fn::Heaviside, num(0)), "1");
  expect_simplified(fn(Fn::Sign, num(-3)), "-1");
}
