// Rules with head .* ./ .^ and ^ (src/simplify/rules_elementwise.cpp).
#include <catch2/catch.hpp>

#include "simplify/common.hpp"

using namespace stest;

TEST_CASE("hadamard: 0.*b = 0, ones.*b = b, s.*B = s*B", "[simplify][hadamard]") {
  auto x = vec("x"), s = sc("s");
  expect_simplified(ir::hadamard(ir::zeros(x->shape), x), "zeros(n)");
  expect_simplified(ir::hadamard(ir::ones(x->shape), x), "x");
  expect_simplified(ir::hadamard(x, ir::ones(x->shape)), "x");
  expect_simplified(ir::hadamard(s, x), "s*x");
}
TEST_CASE("hadamard: signs and scalars leave the product", "[simplify][hadamard]") {
  auto x = vec("x"), y = vec("y"), s = sc("s");
  expect_simplified(ir::hadamard(ir::neg(x), fn(Fn::Sin, y)), "-(x.*sin(y))");
  expect_simplified(ir::hadamard(ir::mul(s, x), fn(Fn::Sin, y)), "s*(x.*sin(y))");
}
TEST_CASE("hadamard: (a - max(0, u)).*step(u) = (a - u).*step(u)", "[simplify][hadamard]") {
  auto y = vec("y"), u = vec("u");
  expect_simplified(ir::hadamard(ir::sub(y, fn(Fn::Max, num(0), u)), fn(Fn::Step, u)), "(y - u).*step(u)");
  expect_simplified(ir::hadamard(fn(Fn::Step, u), ir::sub(fn(Fn::Relu, u), y)), "step(u).*(u - y)");
  // Only entry by entry: inside softmax or a sum, max(0, u) stands for other entries and stays.
  expect_simplified(ir::hadamard(fn(Fn::Softmax, fn(Fn::Max, num(0), u)), fn(Fn::Step, u)),
                    "softmax(max(0, u)).*step(u)");
  expect_simplified(ir::hadamard(ir::mul(fn(Fn::Sum, fn(Fn::Max, num(0), u)), y), fn(Fn::Step, u)),
                    "sum(max(0, u))*(y.*step(u))");
}
TEST_CASE("elem_div: a./ones = a, 0./b = 0, a./s = a/s", "[simplify][elem_div]") {
  auto x = vec("x"), s = sc("s");
  expect_simplified(ir::elem_div(x, ir::ones(x->shape)), "x");
  expect_simplified(ir::elem_div(ir::zeros(x->shape), x), "zeros(n)", {{"x", Dist::Positive}});
  expect_simplified(ir::elem_div(x, s), "x/s", {{"s", Dist::Positive}});
  expect_simplified(ir::elem_div(ir::ones(x->shape), fn(Fn::Exp, x)), "1./exp(x)");
}
TEST_CASE("elem_div: signs and scalars leave the quotient", "[simplify][elem_div]") {
  auto x = vec("x"), y = vec("y"), s = sc("s");
  expect_simplified(ir::elem_div(ir::neg(fn(Fn::Sin, x)), y), "-(sin(x)./y)", {{"y", Dist::Positive}});
  expect_simplified(ir::elem_div(ir::mul(s, fn(Fn::Sin, x)), y), "s*(sin(x)./y)", {{"y", Dist::Positive}});
}
TEST_CASE("elem_pow: a.^1 = a, a.^0 = ones, s.^t = s^t", "[simplify][elem_pow]") {
  auto x = vec("x"), s = sc("s");
  expect_simplified(ir::elem_pow(x, num(1)), "x");
  expect_simplified(ir::elem_pow(x, num(0)), "ones(n)");
  expect_simplified(ir::elem_pow(s, num(3)), "s^3");
}
TEST_CASE("pow: a^1 = a, a^0 = 1, A^0 = I, c1^c2, I^k = I", "[simplify][pow]") {
  auto s = sc("s"), A = mat("A");
  expect_simplified(ir::pow(s, num(1)), "s");
  expect_simplified(ir::pow(s, num(0)), "1");
  expect_simplified(ir::pow(A, num(0)), "eye(n)");
  expect_simplified(ir::pow(num(2), num(3)), "8");
  expect_simplified(ir::pow(ir::eye(n), num(3)), "eye(n)");
}
