// eye, ones and diag stay structural: products with them never build an
// n x n matrix (at n = 200000 that would be 320 GB; the element limit would
// reject it with TooManyElements, so these checks passing proves it).
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace mcalc;
using namespace mcalc::test;

TEST_CASE("eval: diag(x)*y, eye(n)*v and ones(n)'*v at n = 200000", "[eval][structured]") {
  const long size = 200000;
  const Dim n = Dim::sym("n");
  const Expr x = ir::var("x", Shape::vector(n)), y = ir::var("y", Shape::vector(n)),
             v = ir::var("v", Shape::vector(n));
  Bindings bs;
  bs.values["x"] = Eigen::VectorXd::LinSpaced(size, 1, 2);
  bs.values["y"] = Eigen::VectorXd::LinSpaced(size, -1, 1);
  bs.values["v"] = Eigen::VectorXd::Constant(size, 0.5);
  const Eigen::MatrixXd& X = bs.values["x"];
  const Eigen::MatrixXd& Y = bs.values["y"];

  Evaluator ev(bs);
  CHECK_MAT(ev.evaluate(ir::mul(ir::call(Fn::DiagOf, {x}), y)), X.cwiseProduct(Y));
  CHECK_MAT(ev.evaluate(ir::mul(ir::eye(n), v)), bs.values["v"]);
  CHECK(ev.scalar(ir::mul(ir::transpose(ir::ones(Shape::vector(n))), v)) == Approx(0.5 * size));
  CHECK(ev.scalar(ir::mul(ir::ones(Shape::row(n)), v)) == Approx(0.5 * size));
  // y'*diag(x)*y, x'*eye(n)*x, tr(diag(x)), sum(eye(n)), diag(diag(x))
  CHECK(ev.scalar(ir::mul(ir::mul(ir::transpose(y), ir::call(Fn::DiagOf, {x})), y)) ==
        Approx((Y.array() * X.array() * Y.array()).sum()));
  CHECK(ev.scalar(ir::mul(ir::mul(ir::transpose(x), ir::eye(n)), x)) == Approx(X.squaredNorm()));
  CHECK(ev.scalar(ir::call(Fn::Tr, {ir::call(Fn::DiagOf, {x})})) == Approx(X.sum()));
  CHECK(ev.scalar(ir::call(Fn::Sum, {ir::eye(n)})) == size);
  CHECK_MAT(ev.evaluate(ir::call(Fn::DiagVec, {ir::call(Fn::DiagOf, {x})})), X);
  // (eye(n) + diag(x))*y and (2*eye(n))*(diag(x)*v): sums and products of structured values
  CHECK_MAT(ev.evaluate(ir::mul(ir::add(ir::eye(n), ir::call(Fn::DiagOf, {x})), y)),
            ((X.array() + 1) * Y.array()).matrix());
  CHECK_MAT(ev.evaluate(ir::mul(ir::mul(ir::num(2), ir::eye(n)), ir::mul(ir::call(Fn::DiagOf, {x}), v))), X);
  CHECK_MAT(ev.evaluate(ir::mul(ir::call(Fn::Inv, {ir::call(Fn::DiagOf, {x})}), x)),
            Eigen::MatrixXd::Ones(size, 1));
  CHECK_MAT(ev.evaluate(ir::mul(ir::hadamard(ir::eye(n), ir::call(Fn::DiagOf, {x})), v)), 0.5 * X);
  CHECK(ev.scalar(ir::call(Fn::Logdet, {ir::call(Fn::DiagOf, {x})})) == Approx(X.array().log().sum()));
  // ones(n)*ones(n)' stays a constant matrix; summing it is n^2
  CHECK(ev.scalar(ir::call(Fn::Sum, {ir::mul(ir::ones(Shape::vector(n)), ir::ones(Shape::row(n)))})) ==
        Approx(double(size) * size));

  // Asking for the dense n x n result is refused, not attempted.
  CHECK_THROWS_AS(ev.evaluate(ir::call(Fn::DiagOf, {x})), UserError);
  CHECK_THROWS_AS(ev.evaluate(ir::mul(x, ir::transpose(y))), UserError);
}
