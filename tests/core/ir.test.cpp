#include <catch2/catch.hpp>

#include "mcalc/ir.hpp"

using namespace mcalc;

TEST_CASE("ir constructors compute shapes", "[ir]") {
  Dim n = Dim::sym("n"), m = Dim::sym("m");
  auto x = ir::var("x", Shape::vector(n));
  auto w = ir::var("w", Shape::vector(n));
  auto X = ir::var("X", Shape::matrix(m, n));
  auto b = ir::var("b", Shape::scalar());
  CHECK(ir::mul(ir::transpose(w), x)->shape == Shape::scalar());
  CHECK(ir::mul(X, w)->shape == Shape::vector(m));
  CHECK(ir::add(ir::mul(X, w), b)->shape == Shape::vector(m));
  CHECK(ir::call(Fn::DiagOf, {x})->shape == Shape::matrix(n, n));
  CHECK(ir::call(Fn::Sum, {X})->shape == Shape::scalar());
  CHECK(ir::transpose(x)->shape.str() == "vector(n)'");
  CHECK(X->shape.str() == "matrix(m, n)");
  CHECK_THROWS_AS(ir::mul(x, w), InternalError);
  CHECK_THROWS_AS(ir::add(x, X), InternalError);
}

TEST_CASE("ir structural equality ignores locations", "[ir]") {
  auto x = ir::var("x", Shape::vector(Dim::sym("n")));
  auto a = ir::call(Fn::Sin, {ir::hadamard(x, x)});
  auto b = ir::located(ir::call(Fn::Sin, {ir::hadamard(ir::var("x", Shape::vector(Dim::sym("n"))), x)}), Loc{1, 2, 3, nullptr});
  CHECK(ir::equal(a, b));
  CHECK_FALSE(ir::equal(a, ir::call(Fn::Cos, {ir::hadamard(x, x)})));
}
