// Regression tests of the differentiator, each named after what found it and
// what it found (robustness issue: wrong answers at ties of max/min, internal
// errors of the Hessian, crashes, wrong words in messages). Every result is
// checked against finite differences.
#include <catch2/catch.hpp>

#include <cmath>

#include "diff/query.hpp"

using namespace qtest;


TEST_CASE("regression: max(x, x) differentiates like x (ties share the derivative)", "[diff][regression][piecewise]") {
  // Was 2*diag(step(zeros(n))), which is 0.
  CHECK(checked_at_tie("x: vector(n)\ndiff(max(x, x), x)") == "eye(n)");
  CHECK(checked_at_tie("x: vector(n)\ndiff(min(x, x), x)") == "eye(n)");
  CHECK(checked_at_tie("a: scalar\ndiff(max(a, a), a)") == "1");
}

TEST_CASE("regression: grad of max(w'*x, x'*w) is x, not 0", "[diff][regression][piecewise]") {
  CHECK(checked_at_tie("w, x: vector(n)\ngrad(max(w'*x, x'*w), w)") == "x");
}

TEST_CASE("regression: grad of min(a, a) passes the finite-difference check", "[diff][regression][piecewise]") {
  CHECK(checked_at_tie("a: scalar\ngrad(min(a, a), a)") == "1");
}

TEST_CASE("regression: max(0, z) keeps the ReLU convention step(z)", "[diff][regression][piecewise]") {
  CHECK(checked("z: scalar\ndiff(max(0, z), z)") == "step(z)");
  CHECK(checked("x: vector(n)\ndiff(max(x, 2), x)") == "diag(step(x - 2))");
  CHECK(checked("x: vector(n)\ndiff(min(3, x), x)") == "diag(step(3 - x))");
}

TEST_CASE("regression: Hessians whose gradient multiplies a matrix by a vector depending on x",
          "[diff][regression][hessian]") {
  // Were internal errors: the Hessian engine built ill-shaped nodes.
  checked("A: matrix(n, n); x: vector(n)\nhessian(sum(A*exp(x)), x)");
  checked("x: vector(n)\nhessian(sum(exp(x)*x'), x)");
  checked("w, x: vector(n)\nhessian(sum((w.*x)*x'), x)");
}

TEST_CASE("regression: a^1e200 has a Hessian whose constants are not folded into infinity",
          "[diff][regression][hessian]") {
  // Was an internal error: the simplifier folded 1e200*1e200 into a non-finite literal.
  Query q = parse_query("a: scalar\nhessian(a^1e200, a)");
  Expr h = hessian(q.f, q.wrt);
  Bindings b;
  b.values["a"] = Eigen::MatrixXd::Constant(1, 1, 0.5);
  CHECK(evaluate(h, b)(0, 0) == 0);  // 1e400 * 0.5^1e200 underflows to 0
  b.values["a"] = Eigen::MatrixXd::Constant(1, 1, 1.0);
  CHECK(std::isinf(evaluate(h, b)(0, 0)));  // 1e200 * (1e200 - 1) overflows
}

TEST_CASE("regression: (-4)^c is refused with a located error", "[diff][regression]") {
  // Was an internal error in elementwise.cpp: the derivative (-4)^c log(-4) is complex.
  std::string msg = error_of("c: scalar\ndiff((-4)^c, c)", Msg::NotDifferentiable);
  CHECK(msg.find("not a real number") != std::string::npos);
}

TEST_CASE("regression: 1/a^b and (a^a)^-2 differentiate", "[diff][regression]") {
  // Were crashes.
  checked("a, b: scalar\ndiff(1/a^b, a)", Dist::Positive);
  checked("a: scalar\ndiff((a^a)^-2, a)", Dist::Positive);
}

TEST_CASE("regression: tensor-shaped derivatives are answered in vec/Kronecker form", "[diff][regression]") {
  // Were TensorResult errors ("third-order tensor", "fourth-order tensor").
  CHECK(checked("X: matrix(n, n)\ndiff(inv(X), X)", Dist::Spd) == "-kron(inv(X)', inv(X))");
  CHECK(checked("W: matrix(m, n); x: vector(n)\ndiff(W*x, W)") == "kron(x', eye(m))");
  CHECK(checked("x: vector(n)\ndiff(x*x', x)") == "kron(x, eye(n)) + kron(eye(n), x)");
  CHECK(checked("X: matrix(n, n)\nhessian(tr(X*X), X)") == "2*commutation(n, n)");
}

TEST_CASE("regression: a Hessian by a scalar through a matrix is its second derivative", "[diff][regression][hessian]") {
  // Was "with respect to the vector c" for a scalar c.
  checked("A: matrix(n, n); x: vector(n); c: scalar\nhessian(x'*(c*A)*(c*A)*x, c)");
  checked("A: matrix(n, n); c: scalar\nhessian(sum((c*A)*(c*A)), c)");
}

TEST_CASE("regression: tr of a product of 1000 factors A is 1000*A'^999", "[diff][regression][limits]") {
  // Was past the time limit: the simplifier measured candidate forms by walking them, once per comparison,
  // which is quadratic in the length of the product (tree sizes are now kept in the nodes).
  std::string prod = "A";
  for (int k = 1; k < 1000; ++k) prod += "*A";
  Query q = parse_query("A: matrix(n, n)\ngrad(tr(" + prod + "), A)");
  CHECK(to_text(gradient(q.f, q.wrt)) == "1000*A'^999");
}

TEST_CASE("regression: the Hessian of 120 nested sin is its second derivative", "[diff][regression][hessian][limits]") {
  // Was past the time limit (the same quadratic walks, and comparisons of large equal trees).
  std::string f = "a";
  for (int k = 0; k < 120; ++k) f = "sin(" + f + ")";
  Query q = parse_query("a: scalar\nhessian(" + f + ", a)");
  Expr h = hessian(q.f, q.wrt);
  // g_k = sin(g_{k-1}): g_k' = cos(g_{k-1}) g_{k-1}', g_k'' = -sin(g_{k-1}) g_{k-1}'^2 + cos(g_{k-1}) g_{k-1}''
  const double a = 0.7;
  double g = a, d1 = 1, d2 = 0;
  for (int k = 0; k < 120; ++k) {
    const double s = std::sin(g), c = std::cos(g);
    d2 = -s * d1 * d1 + c * d2;
    d1 = c * d1;
    g = s;
  }
  Bindings b;
  b.values["a"] = Eigen::MatrixXd::Constant(1, 1, a);
  CHECK(evaluate(h, b)(0, 0) == Approx(d2).epsilon(1e-12));
}
