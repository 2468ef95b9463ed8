// Reductions and vector functions: sum, mean, norm2, norm1, dot, logsumexp, softmax.
#include <catch2/catch.hpp>

#include "diff/common.hpp"

using namespace dtest;

TEST_CASE("sum reduction: d sum(u)/du = ones(n)'", "[diff][reduction]") {
  auto x = vec("x"), w = vec("w"), X = mat("X", m, n);
  expect_diff(fn(Fn::Sum, x), x, "ones(n)'", {{x}});
  expect_diff(fn(Fn::Sum, x), x, "ones(n)", {{x}}, Layout::Denominator);
  expect_diff(fn(Fn::Sum, ir::hadamard(w, x)), w, "x'", {{w}, {x}});
  expect_grad(fn(Fn::Sum, X), X, "ones(m, n)", {{X}});
  expect_grad(fn(Fn::Sum, fn(Fn::Exp, x)), x, "exp(x)", {{x}});
}

TEST_CASE("mean, norms and dot", "[diff][reduction]") {
  auto x = vec("x"), w = vec("w"), X = mat("X", m, n);
  expect_grad(fn(Fn::Mean, x), x, "ones(n)/n", {{x}});
  expect_grad(fn(Fn::Mean, X), X, "ones(m, n)/(m*n)", {{X}});
  expect_grad(fn(Fn::Norm2, x), x, "x/norm2(x)", {{x}});
  expect_grad(ir::pow(fn(Fn::Norm2, x), num(2)), x, "2*x", {{x}});
  expect_grad(fn(Fn::Norm2, X), X, "X/norm2(X)", {{X}});
  expect_grad(fn(Fn::Norm1, x), x, "sign(x)", {{x}});
  expect_grad(ir::dot(w, x), w, "x", {{w}, {x}});
  expect_grad(ir::dot(x, x), x, "2*x", {{x}});
  expect_diff(ir::dot(w, x), x, "w'", {{w}, {x}});
}

TEST_CASE("logsumexp and softmax", "[diff][reduction]") {
  auto x = vec("x"), W = mat("W", m, n);
  expect_grad(fn(Fn::Logsumexp, x), x, "softmax(x)", {{x}});
  expect_diff(fn(Fn::Softmax, x), x, "diag(softmax(x)) - softmax(x)*softmax(x)'", {{x}});
  // Through a matrix: J = (diag(s) - s s') W.
  expect_diff(fn(Fn::Softmax, ir::mul(W, x)), x, "(diag(softmax(W*x)) - softmax(W*x)*softmax(W*x)')*W", {{W}, {x}});
  // Cross-entropy of a softmax: grad = softmax(z) - y for one-hot-like y summing to 1.
  auto y = vec("y");
  auto ce = ir::neg(fn(Fn::Sum, ir::hadamard(y, fn(Fn::Log, fn(Fn::Softmax, x)))));
  expect_grad(ce, x, "sum(y)*softmax(x) - y", {{x}, {y}});
}
