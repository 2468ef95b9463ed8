// The rule table (include/mcalc/simplify_rules.def): every rule has an example
// here that makes it fire (recorded in a RuleLog), with the exact simplified
// text and equal values before and after at random points; every rule of the
// table is listed in docs/rules.md; recording costs nothing when off.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "simplify/common.hpp"
#include "simplify/query.hpp"

using namespace stest;

namespace {
struct Example {
  Rule rule;
  const char* let;
  const char* in;
  const char* want;
};

const char* kLet = "a, b, c: scalar; x, y: vector(n); A, B: matrix(n, n); X: matrix(m, n)";

const std::vector<Example>& examples() {
  static const std::vector<Example> ex = {
      {Rule::add_zero, kLet, "zeros(n) + x", "x"},
      {Rule::add_const, kLet, "a*(2 + 3)", "5*a"},
      {Rule::add_neg, kLet, "x + -y", "x - y"},
      {Rule::add_transpose_order, kLet, "A' + A", "A + A'"},
      {Rule::add_like_terms, kLet, "x + y + x", "2*x + y"},
      {Rule::add_literal, kLet, "[1, 2; 3, 4] + [1, 3; 2, 4]", "[2, 5; 5, 8]"},
      {Rule::add_diag, kLet, "diag(x) + diag(y)", "diag(x + y)"},
      {Rule::add_common_factor, kLet, "A*x + A*y", "A*(x + y)"},
      {Rule::sub_zero, kLet, "x - zeros(n)", "x"},
      {Rule::sub_const, kLet, "a*(2 - 3)", "-a"},
      {Rule::sub_self, kLet, "A*x - A*x", "zeros(n)"},
      {Rule::sub_neg, kLet, "x - -y", "x + y"},
      {Rule::sub_diag, kLet, "diag(x) - diag(y)", "diag(x - y)"},
      {Rule::sub_common_factor, kLet, "A*x - A*y", "A*(x - y)"},
      {Rule::neg_fold, kLet, "-(-x)", "x"},
      {Rule::neg_sub, kLet, "-(x - y)", "y - x"},
      {Rule::mul_zero, kLet, "A*zeros(n)", "zeros(n)"},
      {Rule::mul_one, kLet, "1*x", "x"},
      {Rule::mul_scalars, kLet, "a*2*a", "2*a^2"},
      {Rule::mul_scalar_quotient, kLet, "(a*(b/c))*x", "(a*b/c)*x"},
      {Rule::mul_scalar_first, kLet, "x*a", "a*x"},
      {Rule::mul_neg_out, kLet, "(-A)*x", "-(A*x)"},
      {Rule::mul_eye, kLet, "eye(n)*x", "x"},
      {Rule::mul_scaling_out, kLet, "A*(a*x)", "a*A*x"},
      {Rule::mul_num_literal, kLet, "2*[1, 2; 3, 4]", "[2, 4; 6, 8]"},
      {Rule::mul_cancel_diag, kLet, "2*diag(x./(2*y))", "diag(x./y)"},
      {Rule::mul_inverse, kLet, "inv(A)*(A*x)", "x"},
      {Rule::mul_inner_order, kLet, "(y'*x)*A*y", "x'*y*A*y"},
      {Rule::mul_diag_distribute, kLet, "diag(1./x)*(diag(x) - x*y')", "eye(n) - ones(n)*y'"},
      {Rule::div_softmax, kLet, "exp(x)/sum(exp(x))", "softmax(x)"},
      {Rule::div_sigmoid, kLet, "y.*exp(x)./(1 + exp(x))", "y.*sigmoid(x)"},
      {Rule::hadamard_reciprocal, kLet, "(1./x).*x", "ones(n)"},
      {Rule::hadamard_unit, kLet, "unit(2, n).*exp(x)", "exp(x)[2]*unit(2, n)"},
      {Rule::elemdiv_self, kLet, "(A*x)./(A*x)", "ones(n)"},
      {Rule::mul_ones_diag, kLet, "ones(n)'*diag(x)", "x'"},
      {Rule::mul_diag_diag, kLet, "diag(x)*(diag(y)*A)", "diag(x.*y)*A"},
      {Rule::mul_diag_vec, kLet, "diag(x)*y", "x.*y"},
      {Rule::mul_powers, kLet, "A^2*(A^3*B)", "A^5*B"},
      {Rule::mul_sum_quotient, kLet, "x'*(y./x)", "sum(y)"},
      {Rule::mul_unit_row, kLet, "unit(2, n)'*x", "x[2]"},
      {Rule::div_one, kLet, "x/1", "x"},
      {Rule::div_const, kLet, "(6/3)*x", "2*x"},
      {Rule::div_scaling, kLet, "(2*x)/a", "(2/a)*x"},
      {Rule::dot_zero, kLet, "dot(zeros(n), x)", "0"},
      {Rule::hadamard_zero, kLet, "x.*zeros(n)", "zeros(n)"},
      {Rule::hadamard_ones, kLet, "ones(n).*x", "x"},
      {Rule::hadamard_scalar, kLet, "a.*(A*x)", "a*A*x"},
      {Rule::hadamard_neg_out, kLet, "(-(A*x)).*(B*y)", "-(A*x.*(B*y))"},
      {Rule::hadamard_step_relu, kLet, "(x - max(0, y)).*step(y)", "(x - y).*step(y)"},
      {Rule::elemdiv_simple, kLet, "(A*x)./a", "A*x/a"},
      {Rule::elempow_simple, kLet, "(A*x).^1", "A*x"},
      {Rule::pow_simple, kLet, "A^0", "eye(n)"},
      {Rule::pow_pow, kLet, "(A^2)^3", "A^6"},
      {Rule::transpose_simple, kLet, "(x')'", "x"},
      {Rule::transpose_symmetric, kLet, "(X'*X)' + X'*X", "2*X'*X"},
      {Rule::transpose_out, kLet, "(A^3)'", "A'^3"},
      {Rule::transpose_literal, kLet, "[1, 2; 3, 4]'", "[1, 3; 2, 4]"},
      {Rule::transpose_distribute, kLet, "(A + B')'", "A' + B"},
      {Rule::index_structural, kLet, "a*ones(n)[1]", "a"},
      {Rule::index_distribute, kLet, "(x + y)[1]", "x[1] + y[1]"},
      {Rule::literal_zero, kLet, "[0, 0; 0, 0]", "zeros(2, 2)"},
      {Rule::diag_structural, kLet, "diag(ones(n))", "eye(n)"},
      {Rule::diag_scaling, kLet, "diag(a*x)", "a*diag(x)"},
      {Rule::diag_outer, kLet, "diag(x*y')", "x.*y"},
      {Rule::vec_vector, kLet, "vec(x') + vec(y)", "x + y"},
      {Rule::kron_scalar, kLet, "kron(a, A) + kron(B, b)", "a*A + b*B"},
      {Rule::kron_eye, kLet, "kron(eye(n), eye(m))*vec(X)", "vec(X)"},
      {Rule::kron_mixed_product, kLet, "kron(A, X)*kron(B, X')", "kron(A*B, X*X')"},
      {Rule::transpose_kron, kLet, "kron(A, X)'", "kron(A', X')"},
      {Rule::sum_structural, kLet, "a*sum(ones(n))", "n*a"},
      {Rule::sum_scaling, kLet, "sum(a*x)", "a*sum(x)"},
      {Rule::sum_inner, kLet, "sum(x.*y)", "x'*y"},
      {Rule::sum_trace, kLet, "sum(A.*eye(n))", "tr(A)"},
      {Rule::mean_scalar, kLet, "mean(a)", "a"},
      {Rule::tr_structural, kLet, "tr(a*A)", "a*tr(A)"},
      {Rule::inv_structural, kLet, "inv(inv(A))", "A"},
      {Rule::det_eye, kLet, "a*det(eye(n))", "a"},
      {Rule::step_simple, kLet, "step(max(0, a))", "step(a)"},
  };
  return ex;
}
}  // namespace

TEST_CASE("rule table: every rule fires on its example, with the text and value it promises", "[simplify][rules]") {
  std::set<Rule> covered;
  for (const Example& e : examples()) {
    const SimplifyRuleInfo& info = rule_info(e.rule);
    INFO("rule " << info.id << ": " << info.statement << "\n  example: " << e.in);
    Analysed a = analyse_texts(e.let, {e.in});
    RuleLog log;
    Expr out = simplify(a.exprs[0], &log);
    CHECK(log.has(e.rule));
    expect_simplified(a.exprs[0], e.want, {}, 2);
    covered.insert(e.rule);
  }
  for (const SimplifyRuleInfo& r : simplify_rules()) {
    INFO("rule without an example: " << r.id);
    CHECK(covered.count(r.rule) == 1);
  }
}

TEST_CASE("rule table: the second trace form sum(diag(M)) = tr(M)", "[simplify][rules]") {
  Analysed a = analyse_texts(kLet, {"sum(diag(A*B))"});
  RuleLog log;
  simplify(a.exprs[0], &log);
  CHECK(log.has(Rule::sum_trace));
  expect_simplified(a.exprs[0], "tr(A*B)");
}

TEST_CASE("rule table: ids are unique and docs/rules.md lists each id with its statement", "[simplify][rules][docs]") {
  std::ifstream in(MCALC_SOURCE_DIR "/docs/rules.md");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  std::set<std::string> ids;
  for (const SimplifyRuleInfo& r : simplify_rules()) {
    INFO(r.id);
    CHECK(ids.insert(r.id).second);
    CHECK(rule_info(r.rule).id == r.id);
    CHECK(doc.find(std::string("`") + r.id + "`") != std::string::npos);
    CHECK(doc.find(r.statement) != std::string::npos);
  }
}

TEST_CASE("rule log: off by default, records nothing without a log", "[simplify][rules]") {
  Analysed a = analyse_texts(kLet, {"x + y + x"});
  RuleLog log;
  {
    RuleLogScope none(nullptr);
    simplify(a.exprs[0]);
  }
  CHECK(log.applied.empty());
  simplify(a.exprs[0], &log);
  CHECK(log.has(Rule::add_like_terms));
  CHECK_FALSE(log.has(Rule::pow_pow));
}
