// The answer checker: every verdict and every diagnosis, and the wrong
// answers a weaker checker accepts (random symmetric matrices, n = 1, a loose
// tolerance) rejected.
#include <catch2/catch.hpp>

#include "mcalc/check.hpp"

using namespace mcalc;
using check::Verdict;

namespace {
check::Result grade(const std::string& expr, const std::string& wrt, const std::string& answer,
                    const std::string& let = "", QueryOp op = QueryOp::Diff,
                    check::LayoutChoice layout = check::LayoutChoice::Numerator) {
  check::Options o;
  o.layout = layout;
  check::Result r = check::check_answer({expr, wrt, let, op}, answer, o);
  INFO(expr << " by " << wrt << ", answer " << answer << ": " << check::verdict_name(r.verdict) << "; "
            << r.diagnosis << r.error);
  return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("right answers are correct, by the layer that decided them", "[check][answer]") {
  auto r = grade("sin(x^2)", "x", "2*x*cos(x^2)", "x: scalar");
  CHECK(r.verdict == Verdict::Correct);
  CHECK(r.decided_by == "canonical form");

  r = grade("x'*A*x", "x", "x'*A + x'*A'");
  CHECK(r.verdict == Verdict::Correct);
  CHECK(r.decided_by == "exact expansion at n=2,3,4");

  r = grade("A*x", "x", "A", "A: matrix(m, n); x: vector(n)");
  CHECK(r.verdict == Verdict::Correct);

  r = grade("sigmoid(x)", "x", "exp(-x)/(1 + exp(-x))^2", "x: scalar");
  CHECK(r.verdict == Verdict::Correct);
  CHECK(contains(r.decided_by, "random points at 100 digits"));

  r = grade("x'*A*x", "x", "A + A'", "", QueryOp::Hessian);
  CHECK(r.verdict == Verdict::Correct);
  r = grade("x'*x", "x", "x + x", "", QueryOp::Grad);
  CHECK(r.verdict == Verdict::Correct);
  CHECK(check::exit_code(r.verdict, check::LayoutChoice::Numerator) == 0);
}

TEST_CASE("kink arguments equal as polynomials are one atom; a wrong piecewise answer is still rejected",
          "[check][answer]") {
  // step((w + v)'*x) and step(w'*x + v'*x) expand to the same argument: the exact layer decides.
  auto r = grade("max(0, w'*x + v'*x)", "w", "step((w + v)'*x)*x'", "w, v, x: vector(n)");
  CHECK(r.verdict == Verdict::Correct);
  CHECK(r.decided_by == "exact expansion at n=2,3,4");
  // A polynomial in step(...) that is not zero is left to the points, which see it differ.
  r = grade("max(0, w'*x + v'*x)", "w", "step(w'*x)*x'", "w, v, x: vector(n)");
  CHECK(r.verdict == Verdict::Incorrect);
  REQUIRE(r.counterexample);
}

TEST_CASE("the wrong answers weak checkers accept are rejected", "[check][answer]") {
  // accepted by a checker that tests with random symmetric matrices
  auto r = grade("x'*A*x", "x", "2*A*x", "", QueryOp::Grad);
  CHECK(r.verdict == Verdict::Incorrect);
  CHECK(contains(r.diagnosis, "right only for symmetric matrices"));
  REQUIRE(r.counterexample);
  CHECK(r.counterexample->sizes.at("n") >= 2);
  CHECK(r.counterexample->values.size() == 2);
  CHECK(r.counterexample->expected != r.counterexample->answer);
  CHECK(check::exit_code(r.verdict, check::LayoutChoice::Numerator) == 1);

  // accepted by a checker that tests at n = 1
  r = grade("x'*x", "x", "2*sum(x)*ones(n)'", "x: vector(n)");
  CHECK(r.verdict == Verdict::Incorrect);
  CHECK(contains(r.diagnosis, "right only at n = 1"));

  // accepted by a checker with a tolerance of 1e-6
  r = grade("x'*x", "x", "2*x' + 1e-9*x'", "x: vector(n)");
  CHECK(r.verdict == Verdict::Incorrect);
  REQUIRE(r.counterexample);
  CHECK(r.counterexample->expected != r.counterexample->answer);
  // ... and its transcendental cousins, decided by the numeric layer
  CHECK(grade("sigmoid(x)", "x", "exp(-x)/(1 + exp(-x))^2 + 1e-30", "x: scalar").verdict == Verdict::Incorrect);
  CHECK(grade("sin(x)", "x", "cos(x)*(1 + 1e-12)", "x: scalar").verdict == Verdict::Incorrect);
  CHECK(grade("exp(x)", "x", "exp(x + 1e-15)", "x: vector(n)").verdict == Verdict::WrongShape);
  CHECK(grade("sum(exp(x))", "x", "exp(x + 1e-15)'", "x: vector(n)").verdict == Verdict::Incorrect);
}

TEST_CASE("an answer in the other layout is correct up to layout", "[check][answer]") {
  auto r = grade("A*x", "x", "A'", "A: matrix(n, n)");
  CHECK(r.verdict == Verdict::CorrectUpToLayout);
  CHECK(contains(r.diagnosis, "transposed"));
  CHECK(check::exit_code(r.verdict, check::LayoutChoice::Numerator) == 1);
  CHECK(check::exit_code(r.verdict, check::LayoutChoice::Any) == 0);

  r = grade("x'*A*x", "x", "(A + A')*x");
  CHECK(r.verdict == Verdict::CorrectUpToLayout);
  r = grade("x'*A*x", "x", "(A + A')*x", "", QueryOp::Diff, check::LayoutChoice::Denominator);
  CHECK(r.verdict == Verdict::Correct);
  r = grade("x'*A*x", "x", "(A + A')*x", "", QueryOp::Diff, check::LayoutChoice::Any);
  CHECK(r.verdict == Verdict::CorrectUpToLayout);
  // With --layout any, a transposed answer that is also wrong is incorrect, with a counterexample.
  r = grade("x'*A*x", "x", "2*A*x", "", QueryOp::Diff, check::LayoutChoice::Any);
  CHECK(r.verdict == Verdict::Incorrect);
  CHECK(r.counterexample);
}

TEST_CASE("wrong shapes name both shapes and what went wrong", "[check][answer]") {
  auto r = grade("x.*x", "x", "2*x'");
  CHECK(r.verdict == Verdict::WrongShape);
  CHECK(r.expected_shape == "matrix(n, n)");
  CHECK(r.answer_shape == "vector(n)'");
  CHECK(contains(r.diagnosis, "diag(2*x)"));

  r = grade("x'*x", "x", "diag(2*x)");  // diag(x) where x' is due
  CHECK(r.verdict == Verdict::WrongShape);
  CHECK(contains(r.diagnosis, "diag(v) where 2*x' is due"));

  r = grade("sum(x)", "x", "eye(n)");  // eye where ones' is due
  CHECK(r.verdict == Verdict::WrongShape);
  CHECK(contains(r.diagnosis, "eye where ones(n)' is due"));

  r = grade("x'*x", "x", "2*x'", "", QueryOp::Grad);
  CHECK(r.verdict == Verdict::CorrectUpToLayout);
  r = grade("x'*x", "x", "x'", "", QueryOp::Grad);
  CHECK(r.verdict == Verdict::WrongShape);
  CHECK(contains(r.diagnosis, "factor 2"));
  CHECK(grade("x'*x", "x", "2").verdict == Verdict::WrongShape);
}

TEST_CASE("each diagnosis is given when proved", "[check][answer]") {
  CHECK(contains(grade("sin(x^2)", "x", "-2*x*cos(x^2)", "x: scalar").diagnosis, "sign error"));
  CHECK(contains(grade("x'*x", "x", "x", "", QueryOp::Grad).diagnosis, "the derivative is 2 times the answer"));
  CHECK(contains(grade("x'*x", "x", "4*x", "", QueryOp::Grad).diagnosis, "the derivative is 1/2 times the answer"));
  CHECK(contains(grade("sin(x^2)", "x", "cos(x^2)", "x: scalar").diagnosis, "missing chain-rule factor"));
  CHECK(contains(grade("sin(x.^2)", "x", "diag(cos(x.^2))").diagnosis, "missing chain-rule factor"));
  CHECK(contains(grade("relu(w'*x + b)", "w", "x'", "w, x: vector(n); b: scalar").diagnosis,
                 "step(w'*x + b) is 1"));
  CHECK(contains(grade("x", "x", "ones(n, n)").diagnosis, "ones where eye(n) is due"));
  CHECK(contains(grade("sum(x)*ones(n)", "x", "eye(n)", "x: vector(n)").diagnosis, "eye(n) where ones is due"));
  CHECK(contains(grade("x'*A*x", "x", "2*x'*A").diagnosis, "symmetric"));
  // No diagnosis that is not proved: an answer wrong in two ways gets none.
  auto r = grade("sin(x^2)", "x", "-cos(x^2) + x", "x: scalar");
  CHECK(r.verdict == Verdict::Incorrect);
  CHECK(r.diagnosis.empty());
}

TEST_CASE("piecewise answers are tested on both sides of every kink", "[check][answer]") {
  // right only where w'*x + b > 0 and where it is < 0 respectively
  CHECK(grade("relu(w'*x + b)", "w", "x'", "w, x: vector(n); b: scalar").verdict == Verdict::Incorrect);
  CHECK(grade("relu(w'*x + b)", "w", "0*x'", "w, x: vector(n); b: scalar").verdict == Verdict::Incorrect);
  CHECK(grade("relu(w'*x + b)", "w", "step(w'*x + b)*x'", "w, x: vector(n); b: scalar").verdict ==
        Verdict::Correct);
  CHECK(grade("abs(a)", "a", "sign(a)", "a: scalar").verdict == Verdict::Correct);
  CHECK(grade("abs(a)", "a", "1", "a: scalar").verdict == Verdict::Incorrect);
  CHECK(grade("max(a, b)", "a", "step(a - b)", "a, b: scalar").verdict == Verdict::Correct);
  CHECK(grade("max(a, b)", "a", "step(b - a)", "a, b: scalar").verdict == Verdict::Incorrect);
  // A kink of the answer's own far from the first draws is crossed too, and one
  // that is never crossed leaves no verdict rather than a false "correct".
  CHECK(grade("relu(a)", "a", "step(a) + step(a - 100)", "a: scalar").verdict == Verdict::Incorrect);
  CHECK(grade("relu(a)", "a", "step(a) + step(a - 1e6)", "a: scalar").verdict == Verdict::TooComplex);
}

TEST_CASE("invalid answers and questions are located errors", "[check][answer]") {
  auto r = grade("x'*x", "x", "2*x' +");
  CHECK(r.verdict == Verdict::InvalidAnswer);
  CHECK(contains(r.error, "--answer:1:"));
  CHECK(contains(r.error, "^"));
  r = grade("x'*x", "x", "2*A*x");
  CHECK(r.verdict == Verdict::InvalidAnswer);
  CHECK(contains(r.error, "'A' is not a name of the question"));
  r = grade("x'*x", "x", "x + y");
  CHECK(r.verdict == Verdict::InvalidAnswer);
  r = grade("x'*x", "x", "grad(x'*x, x)");
  CHECK(r.verdict == Verdict::InvalidAnswer);
  CHECK(contains(r.error, "closed form"));
  r = grade("x'*", "x", "2*x'");
  CHECK(r.verdict == Verdict::InvalidQuestion);
  CHECK(contains(r.error, "<expr>:1:"));
  CHECK(check::exit_code(r.verdict, check::LayoutChoice::Any) == 2);
  r = grade("x'*A*x", "x", "2*x'*A", "A: matrix(n, n)", QueryOp::Diff);
  CHECK(r.verdict == Verdict::Incorrect);
}

TEST_CASE("an index past the concrete size makes an answer incorrect, not an error", "[check][answer]") {
  auto r = grade("x[1]^2", "x", "2*x[1]*unit(1, n)'", "x: vector(n)");
  CHECK(r.verdict == Verdict::Correct);
  r = grade("x[1]^2", "x", "2*x[3]*unit(1, n)'", "x: vector(n)");
  CHECK(r.verdict == Verdict::Incorrect);
}

TEST_CASE("the JSON form of a result reads back", "[check][answer]") {
  auto r = grade("x'*A*x", "x", "2*A*x", "", QueryOp::Grad);
  auto j = check::to_json(r);
  CHECK(j["verdict"] == "incorrect");
  check::Result back = check::result_from_json(j);
  CHECK(back.verdict == r.verdict);
  CHECK(back.diagnosis == r.diagnosis);
  REQUIRE(back.counterexample);
  CHECK(back.counterexample->values == r.counterexample->values);
  CHECK(check::to_json(back) == j);
}
