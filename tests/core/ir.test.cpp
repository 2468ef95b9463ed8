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

TEST_CASE("releasing a very deep expression does not overflow the stack", "[ir]") {
  auto x = ir::var("x", Shape::scalar());
  Expr e = x;
  for (int k = 0; k < 2000000; ++k) e = ir::neg(e);
  CHECK(e->kind == Kind::Neg);
  e.reset();  // would recurse 2e6 levels with the default destructor
  CHECK(x.use_count() == 1);
}

TEST_CASE("rebuild keeps the node and checks operand shapes", "[ir]") {
  Dim n = Dim::sym("n");
  auto x = ir::var("x", Shape::vector(n)), y = ir::var("y", Shape::vector(n));
  auto s = ir::add(x, x);
  CHECK(ir::equal(ir::rebuild(s, {x, y}), ir::add(x, y)));
  CHECK_THROWS_AS(ir::rebuild(s, {x, ir::var("b", Shape::scalar())}), InternalError);
}
