// The lecture's forward pass on the 1-2-3-1 network (sigmoid activations,
// cross-entropy loss), built with the ir constructors; intermediate
// variables a1, a2, yhat are evaluated through their definitions.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace mcalc;
using namespace mcalc::test;

namespace {
// The lecture rounds to 4 decimals.
bool rounds_to(double v, double expected) { return std::abs(v - expected) <= 0.5e-4; }
}  // namespace

TEST_CASE("eval: forward pass of the lecture's network", "[eval][lecture]") {
  auto var = [](const char* name, long r, long c) {
    return ir::var(name, Shape::matrix(Dim::lit(r), Dim::lit(c)));
  };
  const Expr x = var("x", 1, 1), W1 = var("W1", 2, 1), b1 = var("b1", 2, 1), W2 = var("W2", 3, 2),
             b2 = var("b2", 3, 1), W3 = var("W3", 1, 3), b3 = var("b3", 1, 1), y = var("y", 1, 1);
  auto sigmoid = [](Expr e) { return ir::call(Fn::Sigmoid, {std::move(e)}); };
  const Expr a1 = ir::var("a1", Shape::vector(Dim::lit(2)), sigmoid(ir::add(ir::mul(W1, x), b1)));
  const Expr a2 = ir::var("a2", Shape::vector(Dim::lit(3)), sigmoid(ir::add(ir::mul(W2, a1), b2)));
  const Expr yhat = ir::var("yhat", Shape::scalar(), sigmoid(ir::add(ir::mul(W3, a2), b3)));
  // L = -(y*log(yhat) + (1 - y)*log(1 - yhat))
  const Expr one = ir::num(1);
  const Expr L = ir::neg(ir::add(ir::mul(y, ir::call(Fn::Log, {yhat})),
                                 ir::mul(ir::sub(one, y), ir::call(Fn::Log, {ir::sub(one, yhat)}))));

  Bindings bs;
  bs.values["x"] = scalar(2.0);
  bs.values["W1"] = col({0.1, 0.1});
  bs.values["b1"] = col({0.1, 0.2});
  bs.values["W2"] = mat({{0.2, 0.1}, {0.3, 0.2}, {0.1, 0.3}});
  bs.values["b2"] = col({0.3, 0.1, 0.2});
  bs.values["W3"] = mat({{0.4, 0.2, 0.6}});
  bs.values["b3"] = scalar(0.5);
  bs.values["y"] = scalar(1.0);

  Evaluator ev(bs);
  Eigen::MatrixXd A1 = ev.evaluate(a1), A2 = ev.evaluate(a2);
  REQUIRE(A1.rows() == 2);
  REQUIRE(A2.rows() == 3);
  CHECK(rounds_to(A1(0), 0.5744));
  CHECK(rounds_to(A1(1), 0.5987));
  CHECK(rounds_to(A2(0), 0.6165));
  CHECK(rounds_to(A2(1), 0.5968));
  CHECK(rounds_to(A2(2), 0.6076));
  CHECK(rounds_to(ev.scalar(yhat), 0.7739));
  CHECK(rounds_to(ev.scalar(L), 0.2563));
  // the exact values, from the closed forms
  CHECK(A1(0) == Approx(1 / (1 + std::exp(-0.3))).epsilon(1e-14));
  CHECK(ev.scalar(L) == Approx(-std::log(ev.scalar(yhat))).epsilon(1e-14));
}
