// Numerator and denominator layouts: every shape case, transposed in the
// denominator layout; grad has the shape of wrt whatever the layout.
#include <catch2/catch.hpp>

#include "diff/common.hpp"

using namespace dtest;

TEST_CASE("numerator layout: rows follow f, columns follow x", "[diff][layout]") {
  auto x = vec("x"), w = vec("w"), W = mat("W", m, n), X = mat("X", m, n), a = sc("a");
  Expr f = ir::mul(W, x);  // m-vector
  CHECK(derivative(f, x)->shape == Shape::matrix(m, n));
  CHECK(derivative(f, x, Layout::Denominator)->shape == Shape::matrix(n, m));
  Expr s = ir::mul(T(w), x);  // scalar by vector: a row in numerator layout
  CHECK(to_text(derivative(s, w)) == "x'");
  CHECK(to_text(derivative(s, w, Layout::Denominator)) == "x");
  Expr t = fn(Fn::Sum, X);  // scalar by matrix: the shape of X' in numerator layout
  CHECK(derivative(t, X)->shape == Shape::matrix(n, m));
  CHECK(derivative(t, X, Layout::Denominator)->shape == Shape::matrix(m, n));
  CHECK(gradient(t, X)->shape == X->shape);
  Expr v = ir::mul(a, x);  // vector by scalar: a column either way round
  CHECK(to_text(derivative(v, a)) == "x");
  CHECK(to_text(derivative(v, a, Layout::Denominator)) == "x'");
}

TEST_CASE("denominator layout transposes every rule", "[diff][layout]") {
  auto x = vec("x"), w = vec("w"), W = mat("W", m, n), z = sc("z"), b = sc("b");
  expect_diff(ir::mul(W, x), x, "W'", {{W}, {x}}, Layout::Denominator);
  expect_diff(ir::hadamard(w, x), w, "diag(x)", {{w}, {x}}, Layout::Denominator);
  expect_diff(ir::add(x, z), z, "ones(n)'", {{x}, {z}}, Layout::Denominator);
  expect_diff(fn(Fn::Sum, x), x, "ones(n)", {{x}}, Layout::Denominator);
  expect_diff(fn(Fn::Max, num(0), ir::add(ir::mul(T(w), x), b)), w, "step(w'*x + b)*x", {{w}, {x}, {b}},
              Layout::Denominator);
  expect_diff(fn(Fn::Sigmoid, ir::mul(W, x)), x, "", {{W}, {x}}, Layout::Denominator);
  auto A = mat("A"), X = mat("X");
  expect_diff(fn(Fn::Tr, ir::mul(A, X)), X, "A'", {{A}, {X}}, Layout::Denominator);
}

TEST_CASE("grad has the shape of wrt", "[diff][layout]") {
  auto x = vec("x"), W = mat("W", m, n), b = sc("b");
  Expr f = fn(Fn::Sum, fn(Fn::Tanh, ir::add(ir::mul(W, x), b)));
  CHECK(gradient(f, W)->shape == W->shape);
  CHECK(gradient(f, x)->shape == x->shape);
  CHECK(gradient(f, b)->shape == b->shape);
  expect_grad(f, W, "", {{W}, {x}, {b}});
  expect_grad(f, b, "", {{W}, {x}, {b}});
}
