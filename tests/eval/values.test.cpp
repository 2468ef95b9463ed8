// --at values and whole programs: parse_values, bind and evaluate through the
// parser and sema.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "helpers.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"

using namespace mcalc;
using namespace mcalc::test;

namespace {
template <class F>
std::string error_text(F&& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.text();
  }
  return "(no error)";
}

const Statement* evaluate_statement(const Program& p, std::size_t k) {
  std::size_t seen = 0;
  for (const auto& s : p.statements)
    if (s.kind == Statement::Kind::Evaluate && seen++ == k) return &s;
  return nullptr;
}
}  // namespace

TEST_CASE("parse_values: definitions of constants", "[eval][values]") {
  auto v = parse_values("x = [1; 2; 3]; A = [1, 2; 3, 4]; b = 0.5");
  REQUIRE(v.size() == 3);
  CHECK(v[0].name == "x");
  CHECK_MAT(v[0].value, col({1, 2, 3}));
  CHECK(v[1].name == "A");
  CHECK_MAT(v[1].value, mat({{1, 2}, {3, 4}}));
  CHECK(v[2].name == "b");
  CHECK_MAT(v[2].value, scalar(0.5));
  CHECK(v[2].loc.line == 1);
  CHECK(v[2].loc.src->origin == "--at");
  // constant expressions, and later values using earlier ones
  auto w = parse_values("a = 2^3 - 1\nv = [a; -a/2; sin(0)]\nu = [1, 2, 3]", "values.mc");
  REQUIRE(w.size() == 3);
  CHECK_MAT(w[0].value, scalar(7));
  CHECK_MAT(w[1].value, col({7, -3.5, 0}));
  CHECK_MAT(w[2].value, mat({{1, 2, 3}}));  // a flat list stays flat until bound
  CHECK(w[1].loc.line == 2);
}

TEST_CASE("parse_values: errors", "[eval][values][errors]") {
  CHECK(error_text([] { parse_values("[1; 2]"); }) == "values are given as definitions such as 'x = [1; 2; 3]'");
  CHECK(error_text([] { parse_values("x = y + 1"); }) == "the value of 'x' must be a constant, but it uses 'y'");
  CHECK(error_text([] { parse_values("x = [1; 2]; z = inv([1, 2; 2, 4])"); }) ==
        "inv needs an invertible matrix, but this one is singular");
  CHECK_THROWS_AS(parse_values("x = [1; 2"), UserError);  // the parser's syntax error
}

TEST_CASE("bind: --let declarations with --at values", "[eval][values]") {
  Parsed let = parse_program("X : matrix(N, n); w : vector(n); b : scalar", "--let");
  Parsed expr = parse_expression("sum(X*w + b)/N");
  Program prog = analyse({&let, &expr});
  Bindings bs = mcalc::bind(prog, parse_values("X = [1, 2; 3, 4; 5, 6]; w = [1, -1]; b = 0.5"));
  CHECK(bs.dims.at("N") == 3);
  CHECK(bs.dims.at("n") == 2);
  CHECK(evaluate(prog.statements.back().expr, bs)(0, 0) == Approx(-0.5));
  CHECK(error_text([&] { mcalc::bind(prog, parse_values("X = [1, 2; 3, 4]; w = [1; 2; 3]")); }) ==
        "dimension 'n' is 2 from 'X' but 3 from 'w'");
  CHECK(error_text([&] { mcalc::bind(prog, parse_values("b = [1; 2]")); }) ==
        "value of 'b' is vector(2), but 'b' is declared scalar");
  CHECK(error_text([&] { mcalc::bind(prog, parse_values("q = 1")); }) ==
        "a value is given for 'q', which is not a name of the program");
  CHECK(error_text([&] { evaluate(prog.statements.back().expr, mcalc::bind(prog, parse_values("b = 1"))); }) ==
        "no value given for 'X'");
}

TEST_CASE("eval: the lecture's network from its program text", "[eval][values][lecture]") {
  const char* text = R"(x : scalar = 2.0;  y : scalar = 1
W1 : matrix(2, 1) = [0.1; 0.1];            b1 : vector(2) = [0.1; 0.2]
W2 : matrix(3, 2) = [0.2, 0.1; 0.3, 0.2; 0.1, 0.3];  b2 : vector(3) = [0.3; 0.1; 0.2]
W3 : matrix(1, 3) = [0.4, 0.2, 0.6];      b3 : scalar = 0.5
a1 = sigmoid(W1*x + b1);  a2 = sigmoid(W2*a1 + b2);  yhat = sigmoid(W3*a2 + b3)
L = -(y*log(yhat) + (1 - y)*log(1 - yhat))
a1
a2
yhat
L
)";
  Parsed parsed = parse_program(text, "network.mc");
  Program prog = analyse(parsed);
  Bindings bs = mcalc::bind(prog, {});
  Evaluator ev(bs);
  auto value = [&](std::size_t k) {
    const Statement* s = evaluate_statement(prog, k);
    REQUIRE(s != nullptr);
    return ev.evaluate(s->expr);
  };
  auto rounds_to = [](double v, double expected) { return std::abs(v - expected) <= 0.5e-4; };
  Eigen::MatrixXd a1 = value(0), a2 = value(1);
  REQUIRE(a1.rows() == 2);
  REQUIRE(a2.rows() == 3);
  CHECK(rounds_to(a1(0), 0.5744));
  CHECK(rounds_to(a1(1), 0.5987));
  CHECK(rounds_to(a2(0), 0.6165));
  CHECK(rounds_to(a2(1), 0.5968));
  CHECK(rounds_to(a2(2), 0.6076));
  CHECK(rounds_to(value(2)(0, 0), 0.7739));
  CHECK(rounds_to(value(3)(0, 0), 0.2563));
  // values given with --at take precedence over the declared ones
  Bindings at = mcalc::bind(prog, parse_values("x = 0"));
  CHECK(evaluate(evaluate_statement(prog, 0)->expr, at)(0, 0) == Approx(1 / (1 + std::exp(-0.1))));
}

TEST_CASE("eval: grammar/examples/network_1_2_3_1.mc", "[eval][values][lecture]") {
  std::ifstream in(MCALC_SOURCE_DIR "/grammar/examples/network_1_2_3_1.mc");
  REQUIRE(in.good());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Parsed parsed = parse_program(text, "network_1_2_3_1.mc");
  Program prog = analyse(parsed);
  Evaluator ev(mcalc::bind(prog, {}));
  auto value = [&](const char* name) {
    const Symbol* s = prog.find(name);
    REQUIRE(s != nullptr);
    REQUIRE(s->origin == Symbol::Origin::Defined);
    return ev.evaluate(s->node);  // an intermediate variable evaluates its definition
  };
  auto rounds_to = [](double v, double expected) { return std::abs(v - expected) <= 0.5e-4; };
  Eigen::MatrixXd a1 = value("a1"), a2 = value("a2");
  REQUIRE(a1.size() == 2);
  REQUIRE(a2.size() == 3);
  CHECK(rounds_to(a1(0), 0.5744));
  CHECK(rounds_to(a1(1), 0.5987));
  CHECK(rounds_to(a2(0), 0.6165));
  CHECK(rounds_to(a2(1), 0.5968));
  CHECK(rounds_to(a2(2), 0.6076));
  CHECK(rounds_to(value("yhat")(0, 0), 0.7739));
  CHECK(rounds_to(value("L")(0, 0), 0.2563));
}
