// canonical_signs: the same product written with its minus signs in different
// places comes out as one text, and keeps its value.
#include <catch2/catch.hpp>

#include "mcalc/eval.hpp"
#include "mcalc/print.hpp"
#include "simplify/signs.hpp"

using namespace mcalc;

TEST_CASE("canonical signs of differences in products", "[simplify][signs]") {
  Dim n = Dim::sym("n");
  auto x = ir::var("x", Shape::scalar()), y = ir::var("y", Shape::scalar()), yhat = ir::var("yhat", Shape::scalar());
  auto a = ir::var("a1", Shape::vector(n)), one = ir::num(1);
  // x*(yhat - y)*(a1.*(1 - a1)) and x*(y - yhat)*(a1.*(a1 - 1)) and -(x*(y - yhat)*(a1.*(1 - a1)))
  auto f1 = ir::mul(ir::mul(x, ir::sub(yhat, y)), ir::hadamard(a, ir::sub(one, a)));
  auto f2 = ir::mul(ir::mul(x, ir::sub(y, yhat)), ir::hadamard(a, ir::sub(a, one)));
  auto f3 = ir::neg(ir::mul(ir::mul(x, ir::sub(y, yhat)), ir::hadamard(a, ir::sub(one, a))));
  std::string t = to_text(simp::canonical_signs(f1));
  CHECK(t == "x*(yhat - y)*(a1.*(1 - a1))");
  CHECK(to_text(simp::canonical_signs(f2)) == t);
  CHECK(to_text(simp::canonical_signs(f3)) == t);

  Bindings b;
  b.values = {{"x", Eigen::MatrixXd::Constant(1, 1, 2.0)}, {"y", Eigen::MatrixXd::Constant(1, 1, 1.0)},
              {"yhat", Eigen::MatrixXd::Constant(1, 1, 0.25)}, {"a1", Eigen::Vector3d(0.1, 0.5, 0.7)}};
  for (const auto& f : {f1, f2, f3}) CHECK((evaluate(simp::canonical_signs(f), b) - evaluate(f, b)).norm() < 1e-15);

  // An odd number of minus signs with no difference to take it stays in front; a negative factor moves.
  CHECK(to_text(simp::canonical_signs(ir::neg(ir::eye(n)))) == "-eye(n)");
  CHECK(to_text(simp::canonical_signs(ir::mul(ir::num(-2), ir::sub(x, y)))) == "2*(y - x)");
  CHECK(to_text(simp::canonical_signs(ir::neg(ir::mul(ir::div(ir::num(2), y), a)))) == "(-2/y)*a1");
  // A difference that is not inside a product is left alone.
  CHECK(to_text(simp::canonical_signs(ir::sub(yhat, y))) == "yhat - y");
}
