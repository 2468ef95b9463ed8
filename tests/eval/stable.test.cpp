// Stable evaluation (issue: no overflow at |z| = 1000, a finite loss at a
// confident wrong prediction): the stable forms of src/eval/stable.hpp give
// the same values as the plain forms where both are finite, and finite values
// where the plain forms overflow.
#include <catch2/catch.hpp>

#include <cmath>

#include "eval/stable.hpp"
#include "helpers.hpp"

using namespace mcalc;
using namespace mcalc::test;

namespace {
const Dim n = Dim::sym("n");
const Expr z = ir::var("z", Shape::scalar()), y = ir::var("y", Shape::scalar());
const Expr x = ir::var("x", Shape::vector(n));
Expr call(Fn f, Expr a) { return ir::call(f, {std::move(a)}); }
Expr one() { return ir::num(1); }

Bindings at(double zv, double yv = 0) {
  Bindings b;
  b.values["z"] = scalar(zv);
  b.values["y"] = scalar(yv);
  b.values["x"] = col({1000, 999, -3});
  b.dims["n"] = 3;
  return b;
}
double value(const Expr& e, const Bindings& b) { return evaluate(e, b)(0, 0); }
}  // namespace

TEST_CASE("stable forms agree with the plain forms where both are finite", "[eval][stable]") {
  const Expr forms[] = {
      call(Fn::Log, call(Fn::Sigmoid, z)),
      call(Fn::Log, ir::sub(one(), call(Fn::Sigmoid, z))),
      call(Fn::Log, ir::add(one(), call(Fn::Exp, z))),
      call(Fn::Log, ir::add(call(Fn::Exp, z), one())),
  };
  for (double zv : {-3.0, -0.4, 0.0, 0.7, 5.0})
    for (const auto& f : forms) {
      Expr s = eval::stable_forms(f);
      INFO("z = " << zv);
      CHECK(s.get() != f.get());  // rewritten
      CHECK(value(s, at(zv)) == Approx(value(f, at(zv))).epsilon(1e-12));
    }
}

TEST_CASE("log(sigmoid), log(1 - sigmoid), logsumexp and log softmax stay finite at |z| = 1000", "[eval][stable]") {
  CHECK(value(eval::stable_forms(call(Fn::Log, call(Fn::Sigmoid, z))), at(-1000)) == Approx(-1000));
  CHECK(value(eval::stable_forms(call(Fn::Log, ir::sub(one(), call(Fn::Sigmoid, z)))), at(1000)) ==
        Approx(-1000));
  CHECK(value(eval::stable_forms(call(Fn::Log, call(Fn::Sum, call(Fn::Exp, x)))), at(0)) ==
        Approx(1000 + std::log1p(std::exp(-1.0) + std::exp(-1003.0))));
  Eigen::MatrixXd ls = evaluate(eval::stable_forms(call(Fn::Log, call(Fn::Softmax, x))), at(0));
  CHECK(std::isfinite(ls(2, 0)));
  CHECK(ls(2, 0) == Approx(-1003 - std::log1p(std::exp(-1.0))));
}

TEST_CASE("cross-entropy of a confident wrong prediction is finite, through an intermediate variable", "[eval][stable]") {
  // yhat = sigmoid(z); L = -(y log(yhat) + (1 - y) log(1 - yhat)) at z = 1000, y = 0: L = 1000.
  Expr yhat = ir::var("yhat", Shape::scalar(), call(Fn::Sigmoid, z));
  Expr L = ir::neg(ir::add(ir::mul(y, call(Fn::Log, yhat)),
                           ir::mul(ir::sub(one(), y), call(Fn::Log, ir::sub(one(), yhat)))));
  CHECK(value(L, at(1000, 0)) == Approx(1000));
  CHECK(value(L, at(-1000, 1)) == Approx(1000));
  CHECK(value(L, at(0.3, 1)) == Approx(std::log1p(std::exp(-0.3))));
}
