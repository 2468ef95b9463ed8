// The driver: normalisation of elementwise subexpressions through GiNaC, the
// choice of the smallest form, sharing, and the presentation pass.
#include <catch2/catch.hpp>

#include <set>

#include "simplify/common.hpp"

using namespace stest;

TEST_CASE("GiNaC: the lecture's cross-entropy derivative collapses to sigmoid(z) - y", "[simplify][ginac]") {
  auto y = sc("y"), z = sc("z");
  auto s = fn(Fn::Sigmoid, z);
  // (-y/s + (1 - y)/(1 - s)) * s*(1 - s)
  auto e = ir::mul(ir::add(ir::neg(ir::div(y, s)), ir::div(ir::sub(num(1), y), ir::sub(num(1), s))),
                   ir::mul(s, ir::sub(num(1), s)));
  expect_simplified(e, "sigmoid(z) - y");
}
TEST_CASE("GiNaC: like terms combine, in vectors too", "[simplify][ginac]") {
  auto w = vec("w"), x = vec("x");
  expect_simplified(ir::add(ir::add(ir::ones(w->shape), w), w), "2*w + ones(n)");
  expect_simplified(ir::sub(ir::hadamard(w, x), ir::hadamard(x, w)), "zeros(n)");
}
TEST_CASE("GiNaC: quotients print as the lecture writes them", "[simplify][ginac]") {
  auto x = sc("x");
  expect_simplified(ir::div(ir::mul(num(2), x), ir::pow(x, num(2))), "2/x", {{"x", Dist::Positive}});
  expect_simplified(ir::mul(ir::pow(x, num(-1)), num(3)), "3/x", {{"x", Dist::Positive}});
}
TEST_CASE("GiNaC: sums in products keep their sign, factored forms are preferred", "[simplify][ginac]") {
  auto x = vec("x");
  auto s = fn(Fn::Sigmoid, x);
  // s - 3 s.^2 + 2 s.^3 = s.*(1 - s).*(1 - 2 s)
  auto e = ir::add(ir::sub(s, ir::mul(num(3), ir::elem_pow(s, num(2)))), ir::mul(num(2), ir::elem_pow(s, num(3))));
  expect_simplified(e, "sigmoid(x).*(1 - sigmoid(x)).*(1 - 2*sigmoid(x))");
  // A sum in a product keeps its sign inside: s.*(1 - s), not -(s.*(s - 1)).
  expect_simplified(ir::mul(num(-1), ir::hadamard(s, ir::sub(s, num(1)))), "sigmoid(x).*(1 - sigmoid(x))");
}
TEST_CASE("GiNaC: decimal coefficients stay decimal", "[simplify][ginac]") {
  auto x = vec("x");
  expect_simplified(ir::add(ir::mul(num(0.99), fn(Fn::Step, x)), num(0.01)), "0.99*step(x) + 0.01");
}
TEST_CASE("an unchanged node is returned as is", "[simplify][driver]") {
  auto w = vec("w"), x = vec("x"), b = sc("b");
  auto e = fn(Fn::Max, num(0), ir::add(ir::mul(T(w), x), b));
  CHECK(simplify(e) == e);
  auto X = mat("X", N, n), y = vec("y", N);
  auto f = ir::mul(ir::div(num(2), ir::dim_size(N)), ir::mul(T(X), ir::sub(ir::mul(X, w), y)));
  Expr s = simplify(f);
  CHECK(to_text(s) == "(2/N)*X'*(X*w - y)");
  CHECK(to_text(simplify(s)) == to_text(s));
}
TEST_CASE("intermediate variables are kept by name and shared subexpressions stay shared", "[simplify][driver]") {
  auto x = vec("x"), W = mat("W");
  auto z = ir::var("z", Shape::vector(n), ir::add(ir::mul(W, x), ir::zeros(x->shape)));
  auto e = ir::add(ir::mul(num(1), z), ir::zeros(x->shape));
  Expr s = simplify(e);
  CHECK(s == z);  // the definition of z is the user's: it is not rewritten
  // A shared node appears once in the result.
  auto u = fn(Fn::Sin, ir::mul(W, x));
  auto big = ir::add(ir::hadamard(u, ir::mul(num(1), u)), fn(Fn::Exp, ir::mul(W, u)));
  Expr r = simplify(big);
  std::set<const Node*> sins;
  std::function<void(const Expr&)> go = [&](const Expr& q) {
    if (q->kind == Kind::Call && q->fn == Fn::Sin) sins.insert(q.get());
    for (const auto& a : q->args) go(a);
  };
  go(r);
  CHECK(sins.size() == 1);
}
