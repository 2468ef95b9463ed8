// check(QUERY, ANSWER) statements in programs: the verdict per statement, and
// `mcalc run` exits with 1 when one is not correct.
#include <catch2/catch.hpp>

#include <sstream>

#include "mcalc/check.hpp"
#include "mcalc/driver.hpp"

using namespace mcalc;

namespace {
int run_program(const std::string& text, std::string& out, driver::Format format = driver::Format::Text) {
  driver::Request r;
  r.verb = driver::Verb::Run;
  r.input = text;
  r.format = format;
  std::ostringstream o, e;
  int code = driver::run(r, o, e);
  out = o.str() + e.str();
  return code;
}
}  // namespace

TEST_CASE("check statements grade answers in a program", "[check][program]") {
  std::string out;
  CHECK(run_program("x : vector(n); A : matrix(n, n)\ncheck(grad(x'*A*x, x), (A + A')*x)\n", out) == driver::Ok);
  CHECK(out.find("verdict: correct") != std::string::npos);

  CHECK(run_program("x : vector(n); A : matrix(n, n)\ncheck(grad(x'*A*x, x), 2*A*x)\n", out) ==
        driver::CheckFailed);
  CHECK(out.find("verdict: incorrect") != std::string::npos);
  CHECK(out.find("right only for symmetric matrices") != std::string::npos);
  CHECK(out.find("counterexample: at n = 2") != std::string::npos);

  // Intermediate variables of the program may appear in the question and the answer.
  CHECK(run_program("x : scalar\nu = x^2\ny = sin(u)\ncheck(diff(y, x), 2*x*cos(u))\n", out) == driver::Ok);
  CHECK(run_program("x : scalar\nu = x^2\ny = sin(u)\ncheck(diff(y, x), cos(u))\n", out) == driver::CheckFailed);
  CHECK(out.find("missing chain-rule factor") != std::string::npos);

  CHECK(run_program("x : vector(n)\ncheck(diff(x'*x, x), 2*x')\n", out, driver::Format::Json) == driver::Ok);
  CHECK(out.find("\"op\": \"check\"") != std::string::npos);
  CHECK(out.find("\"verdict\": \"correct\"") != std::string::npos);

  // The library call behind the statement.
  Parsed p = parse_program("x : vector(n)\ncheck(grad(x'*x, x), 2*x')\n");
  Program prog = analyse(p);
  const Statement& st = prog.statements.back();
  REQUIRE(st.kind == Statement::Kind::Check);
  check::Result r = check::judge(st.op, st.expr, st.wrt, st.answer);
  CHECK(r.verdict == check::Verdict::CorrectUpToLayout);
}

TEST_CASE("check needs a query as its first argument", "[check][program]") {
  std::string out;
  CHECK(run_program("x : vector(n)\ncheck(x'*x, 2*x')\n", out) == driver::UserFailure);
  CHECK(out.find("the first argument of check must be a query") != std::string::npos);
  CHECK(run_program("x : vector(n)\ncheck(diff(x'*x, x))\n", out) == driver::UserFailure);
  CHECK(out.find("check takes 2 arguments") != std::string::npos);
}
