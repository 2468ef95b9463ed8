// --check: the comparison with central finite differences accepts right closed
// forms in every layout and rejects wrong ones (and the command exits with 1).
#include <catch2/catch.hpp>

#include <sstream>

#include "driver/check.hpp"
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

TEST_CASE("check accepts right closed forms in every layout and op", "[driver][check]") {
  const std::string let = "x: vector(n); A: matrix(n); X: matrix(m, n); y: vector(m)";
  Case q = analyse_case(let, "x'*A*x", "x");
  Bindings pt = driver::random_point(q.prog, {q.f, q.wrt}, 3);
  CHECK(driver::check_derivative(QueryOp::Diff, q.f, q.wrt, Layout::Numerator, closed("x'*(A + A')"), pt).passed);
  CHECK(driver::check_derivative(QueryOp::Diff, q.f, q.wrt, Layout::Denominator, closed("(A + A')*x"), pt).passed);
  CHECK(driver::check_derivative(QueryOp::Grad, q.f, q.wrt, Layout::Numerator, closed("(A + A')*x"), pt).passed);
  CHECK(driver::check_derivative(QueryOp::Hessian, q.f, q.wrt, Layout::Numerator, closed("A + A'"), pt).passed);

  // A scalar by a matrix: numerator layout has the shape of X', a gradient the shape of X.
  Case m = analyse_case(let, "y'*X*x", "X");
  Bindings pm = driver::random_point(m.prog, {m.f, m.wrt}, 5);
  CHECK(driver::check_derivative(QueryOp::Diff, m.f, m.wrt, Layout::Numerator, closed("x*y'"), pm).passed);
  CHECK(driver::check_derivative(QueryOp::Grad, m.f, m.wrt, Layout::Numerator, closed("y*x'"), pm).passed);

  // A vector by a vector: the Jacobian itself.
  Case j = analyse_case(let, "X*x", "x");
  Bindings pj = driver::random_point(j.prog, {j.f, j.wrt}, 7);
  auto r = driver::check_derivative(QueryOp::Diff, j.f, j.wrt, Layout::Numerator, closed("X"), pj);
  CHECK(r.passed);
  CHECK(r.max_rel_error < 1e-8);
  CHECK_FALSE(r.trivial);
}

TEST_CASE("check rejects wrong closed forms", "[driver][check]") {
  const std::string let = "x: vector(n); A: matrix(n); X: matrix(m, n); y: vector(m)";
  Case q = analyse_case(let, "x'*A*x", "x");
  Bindings pt = driver::random_point(q.prog, {q.f, q.wrt}, 3);
  auto wrong = driver::check_derivative(QueryOp::Grad, q.f, q.wrt, Layout::Numerator, closed("2*A*x"), pt);
  CHECK_FALSE(wrong.passed);  // A is not symmetric at a random point
  CHECK(wrong.max_rel_error > 1e-3);
  CHECK_FALSE(driver::check_derivative(QueryOp::Hessian, q.f, q.wrt, Layout::Numerator, closed("2*A"), pt).passed);
  Case m = analyse_case(let, "y'*X*x", "X");
  Bindings pm = driver::random_point(m.prog, {m.f, m.wrt}, 5);
  // The gradient's shape given where the numerator layout's transpose is expected.
  CHECK_FALSE(driver::check_derivative(QueryOp::Diff, m.f, m.wrt, Layout::Denominator, closed("x*y'"), pm).passed);
}

TEST_CASE("a derivative checked at --at values reports them", "[driver][check]") {
  driver::Request r;
  r.verb = driver::Verb::Diff;
  r.input = "sin(x^2)";
  r.let = "x: scalar";
  r.wrt = "x";
  r.at = "x = 0.7";
  r.check = true;
  r.format = mcalc::driver::Format::Json;
  std::ostringstream out, err;
  CHECK(driver::run(r, out, err) == driver::Ok);
  CHECK(out.str().find("\"where\": \"at the given values\"") != std::string::npos);
  CHECK(out.str().find("\"passed\": true") != std::string::npos);
}
