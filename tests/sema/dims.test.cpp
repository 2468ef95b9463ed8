// Unification of dimension variables.
#include <catch2/catch.hpp>

#include "sema/dims.hpp"

using mcalc::sema::Dims;

TEST_CASE("fresh dimensions unify with anything", "[sema][dims]") {
  Dims d;
  int a = d.fresh(false), b = d.fresh(false), n = d.rigid("n");
  CHECK_FALSE(d.unify(a, b));
  CHECK_FALSE(d.unify(b, n));
  CHECK(d.find(a) == d.find(n));
  CHECK(d.kind(a) == Dims::Kind::Rigid);
  CHECK(d.name(a) == "n");
  int c = d.fresh(false);
  CHECK_FALSE(d.unify(d.lit(3), c));
  CHECK(d.value(c) == 3);
}

TEST_CASE("constants unify only when equal", "[sema][dims]") {
  Dims d;
  CHECK_FALSE(d.unify(d.lit(2), d.lit(2)));
  CHECK(d.unify(d.lit(2), d.lit(3)));
  CHECK_FALSE(d.unify(d.rigid("n"), d.rigid("n")));
  CHECK(d.unify(d.rigid("n"), d.rigid("k")));
  // A declared dimension never becomes a literal: the evaluator binds it.
  auto c = d.unify(d.rigid("n"), d.lit(3));
  REQUIRE(c);
  CHECK(d.kind(c->a) == Dims::Kind::Rigid);
  CHECK(d.kind(c->b) == Dims::Kind::Literal);
}

TEST_CASE("the length of an assumed vector is never 1", "[sema][dims]") {
  Dims d;
  int a = d.fresh(true), b = d.fresh(false);
  CHECK(d.unify(a, d.one()));
  CHECK_FALSE(d.unify(b, a));  // b inherits "not one"
  CHECK(d.unify(b, d.one()));
  CHECK_FALSE(d.unify(a, d.lit(4)));
  CHECK(d.value(b) == 4);
  CHECK(d.is_scalar({d.one(), d.lit(1)}));
  CHECK_FALSE(d.is_scalar({d.one(), b}));
}
