// The finite-difference oracle (--check, the derivative tests): it accepts
// right closed forms in every layout and op and rejects wrong ones (and the
// command exits with 1).
#include <catch2/catch.hpp>

#include <sstream>

#include "mcalc/check.hpp"
#include "mcalc/driver.hpp"

using namespace mcalc;

namespace {
struct Case {
  Program prog;
  Expr f, wrt;
};

Case analyse_case(const std::string& let, const std::string& expr, const std::string& wrt) {
  Parsed l = parse_program(let, "--let"), e = parse_expression(expr), w = parse_expression(wrt, "--wrt");
  Program p = analyse({&l, &e, &w});
  Expr f = p.statements[p.statements.size() - 2].expr, x = p.statements.back().expr;
  return {std::move(p), f, x};
}

/// A closed form written in the names of the cases, analysed under the same declarations.
Expr closed(const std::string& text) {
  Parsed l = parse_program("x: vector(n); A: matrix(n); X: matrix(m, n); y: vector(m)", "--let");
  Parsed e = parse_expression(text);
  Program p = analyse({&l, &e});
  return p.statements.back().expr;
}
}  // namespace

TEST_CASE("check accepts right closed forms in every layout and op", "[check][oracle]") {
  const std::string let = "x: vector(n); A: matrix(n); X: matrix(m, n); y: vector(m)";
  Case q = analyse_case(let, "x'*A*x", "x");
  Bindings pt = check::random_point(q.prog, {q.f, q.wrt}, 3);
  CHECK(check::check_derivative(QueryOp::Diff, q.f, q.wrt, Layout::Numerator, closed("x'*(A + A')"), pt).passed);
  CHECK(check::check_derivative(QueryOp::Diff, q.f, q.wrt, Layout::Denominator, closed("(A + A')*x"), pt).passed);
  CHECK(check::check_derivative(QueryOp::Grad, q.f, q.wrt, Layout::Numerator, closed("(A + A')*x"), pt).passed);
  CHECK(check::check_derivative(QueryOp::Hessian, q.f, q.wrt, Layout::Numerator, closed("A + A'"), pt).passed);

  // A scalar by a matrix: numerator layout has the shape of X', a gradient the shape of X.
  Case m = analyse_case(let, "y'*X*x", "X");
  Bindings pm = check::random_point(m.prog, {m.f, m.wrt}, 5);
  CHECK(check::check_derivative(QueryOp::Diff, m.f, m.wrt, Layout::Numerator, closed("x*y'"), pm).passed);
  CHECK(check::check_derivative(QueryOp::Grad, m.f, m.wrt, Layout::Numerator, closed("y*x'"), pm).passed);

  // A vector by a vector: the Jacobian itself.
  Case j = analyse_case(let, "X*x", "x");
  Bindings pj = check::random_point(j.prog, {j.f, j.wrt}, 7);
  auto r = check::check_derivative(QueryOp::Diff, j.f, j.wrt, Layout::Numerator, closed("X"), pj);
  CHECK(r.passed);
  CHECK(r.max_rel_error < 1e-8);
  CHECK_FALSE(r.trivial);
}

TEST_CASE("check rejects wrong closed forms", "[check][oracle]") {
  const std::string let = "x: vector(n); A: matrix(n); X: matrix(m, n); y: vector(m)";
  Case q = analyse_case(let, "x'*A*x", "x");
  Bindings pt = check::random_point(q.prog, {q.f, q.wrt}, 3);
  auto wrong = check::check_derivative(QueryOp::Grad, q.f, q.wrt, Layout::Numerator, closed("2*A*x"), pt);
  CHECK_FALSE(wrong.passed);  // A is not symmetric at a random point
  CHECK(wrong.max_rel_error > 1e-3);
  CHECK_FALSE(check::check_derivative(QueryOp::Hessian, q.f, q.wrt, Layout::Numerator, closed("2*A"), pt).passed);
  Case m = analyse_case(let, "y'*X*x", "X");
  Bindings pm = check::random_point(m.prog, {m.f, m.wrt}, 5);
  // The gradient's shape given where the numerator layout's transpose is expected.
  CHECK_FALSE(check::check_derivative(QueryOp::Diff, m.f, m.wrt, Layout::Denominator, closed("x*y'"), pm).passed);
}

TEST_CASE("values too large for finite differences make a check that says little, not a failure",
          "[check][oracle]") {
  // Found by the command-line fuzzer: `diff "a + 999999999999999992*x + 1 + c^c" --wrt c --check` FAILED,
  // because at 1e18 a central difference of step 6e-6 rounds to 0.
  const std::string let = "x: vector(n); c: scalar";
  Case big = analyse_case(let, "999999999999999992*x + c^c", "c");
  Bindings pb = check::random_point(big.prog, {big.f, big.wrt}, 11);
  pb.values["c"] = Eigen::MatrixXd::Constant(1, 1, 0.75);
  auto r = check::check_derivative(QueryOp::Diff, big.f, big.wrt, Layout::Numerator, closed("c^c*(log(c) + 1)*ones(n)"), pb);
  CHECK(r.passed);
  CHECK(r.unresolved);
  CHECK(r.resolution > 1e6);
  // Values that differences resolve: the same derivative is checked for real, and a wrong one fails.
  Case small = analyse_case(let, "2*x + c^c", "c");
  Bindings ps = check::random_point(small.prog, {small.f, small.wrt}, 11);
  ps.values["c"] = Eigen::MatrixXd::Constant(1, 1, 0.75);
  auto ok = check::check_derivative(QueryOp::Diff, small.f, small.wrt, Layout::Numerator,
                                    closed("c^c*(log(c) + 1)*ones(n)"), ps);
  CHECK(ok.passed);
  CHECK_FALSE(ok.unresolved);
  CHECK(ok.resolution < 1e-9);
  CHECK_FALSE(check::check_derivative(QueryOp::Diff, small.f, small.wrt, Layout::Numerator,
                                      closed("c^c*log(c)*ones(n)"), ps).passed);
}

TEST_CASE("a derivative checked at --at values reports them", "[check][oracle]") {
  driver::Request r;
  r.verb = driver::Verb::Diff;
  r.input = "sin(x^2)";
  r.let = "x: scalar";
  r.wrt = "x";
  r.at = "x = 0.7";
  r.check = true;
  r.format = driver::Format::Json;
  std::ostringstream out, err;
  CHECK(driver::run(r, out, err) == driver::Ok);
  CHECK(out.str().find("\"where\": \"at the given values\"") != std::string::npos);
  CHECK(out.str().find("\"passed\": true") != std::string::npos);
}

TEST_CASE("a matrix differentiated by a scalar is checked as one column (--check of a*A)", "[check][oracle]") {
  // Found by the command-line fuzzer: `mcalc diff "a*A" --wrt a --check` (any
  // matrix by a scalar) stopped at an internal assertion on the Jacobian's shape.
  const std::string let = "a: scalar; A: matrix(m, n); B: matrix(n, n)";
  Parsed l = parse_program(let, "--let"), e = parse_expression("a*A + a^2*ones(m, n)"),
         w = parse_expression("a", "--wrt");
  Program p = analyse({&l, &e, &w});
  Expr f = p.statements[p.statements.size() - 2].expr, a = p.statements.back().expr;
  Bindings pt = check::random_point(p, {f, a}, 11);
  for (Layout layout : {Layout::Numerator, Layout::Denominator}) {
    Expr d = derivative(f, a, layout);
    auto r = check::check_derivative(QueryOp::Diff, f, a, layout, d, pt);
    CHECK(r.passed);
    CHECK(r.max_rel_error < 1e-8);
    Eigen::MatrixXd j = check::as_jacobian(QueryOp::Diff, evaluate(d, pt), f, a, layout);
    CHECK(j.cols() == 1);
    CHECK(j.rows() == evaluate(f, pt).size());
  }
  // A wrong closed form of the right shape fails instead.
  Parsed l2 = parse_program(let, "--let"), wrong = parse_expression("A");
  Program q = analyse({&l2, &wrong});
  CHECK_FALSE(check::check_derivative(QueryOp::Diff, f, a, Layout::Numerator, q.statements.back().expr, pt).passed);

  for (const char* layout : {"numerator", "denominator"}) {
    driver::Request r;
    r.verb = driver::Verb::Diff;
    r.input = "a*A";
    r.let = "a: scalar; A: matrix(2, 3)";
    r.wrt = "a";
    r.layout = *driver::parse_layout(layout);
    r.check = true;
    std::ostringstream out, err;
    CHECK(driver::run(r, out, err) == driver::Ok);
    CHECK(err.str().empty());
    CHECK(out.str().find("check: passed") != std::string::npos);
  }
}

TEST_CASE("the oracle's differences are accurate to the tolerance the tests use", "[check][oracle]") {
  Parsed l = parse_program("x: vector(n)", "--let"), e = parse_expression("sin(x).*exp(x)"),
         w = parse_expression("x", "--wrt");
  Program p = analyse({&l, &e, &w});
  Expr f = p.statements[p.statements.size() - 2].expr, x = p.statements.back().expr;
  Bindings pt = check::random_point(p, {f, x}, 2);
  Eigen::MatrixXd v = pt.values.at("x");
  Eigen::MatrixXd J = check::fd_jacobian(f, "x", pt);
  REQUIRE(J.rows() == v.size());
  REQUIRE(J.cols() == v.size());
  for (Eigen::Index i = 0; i < v.size(); ++i)
    for (Eigen::Index k = 0; k < v.size(); ++k) {
      double want = i == k ? std::exp(v(i)) * (std::sin(v(i)) + std::cos(v(i))) : 0.0;
      CHECK(std::abs(J(i, k) - want) < 1e-9);
    }
  CHECK(check::fd_step(0.5) == check::fd_step(-1.0));
  CHECK(check::fd_step(10.0) == 10 * check::fd_step(1.0));
}

TEST_CASE("a random point keeps every sub-expression finite, not only f", "[check][oracle]") {
  // Found by the command-line fuzzer: `diff "e*z2*aA^0^cm*xy'" --wrt aA --check` failed with an
  // infinite error. At cm < 0 and |aA| < 1, aA^(0^cm) is aA^inf = 0: f is finite by way of an
  // infinity, and its closed-form derivative (0^cm)*aA^(0^cm)/aA is inf*0. The point must be
  // one where every sub-expression is finite (cm > 0), where the check compares like with like.
  Case q = analyse_case("a: scalar; c: scalar", "a^(0^c)", "a");
  for (unsigned seed = 1; seed <= 20; ++seed) {
    Bindings pt = check::random_point(q.prog, {q.f, q.wrt}, seed);
    CHECK(pt.values.at("c")(0, 0) > 0);
    auto r = check::check_derivative(QueryOp::Diff, q.f, q.wrt, Layout::Numerator, derivative(q.f, q.wrt), pt);
    CHECK(r.passed);
    CHECK(r.max_rel_error < 1e-8);
  }
  // Where no point keeps every sub-expression finite (1/0 is part of f), one where f is finite serves.
  Case z = analyse_case("a: scalar", "a^2 + exp(-1/(0*a))", "a");
  for (unsigned seed = 1; seed <= 20; ++seed) {
    Bindings pz = check::random_point(z.prog, {z.f, z.wrt}, seed);
    CHECK(evaluate(z.f, pz).allFinite());
  }
}
