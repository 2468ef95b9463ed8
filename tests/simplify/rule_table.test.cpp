// The rule table (include/mcalc/simplify_rules.def): every rule (one identity
// each) has an example here that makes it fire (recorded in a RuleLog), with
// the exact simplified text and equal values before and after at random
// points; every rule of the table is listed in docs/rules.md; recording costs
// nothing when off.
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
      {Rule::add_zero_left, kLet, "zeros(n) + x", "x"},
      {Rule::add_zero_right, kLet, "x + zeros(n)", "x"},
      {Rule::add_const, kLet, "a*(2 + 3)", "5*a"},
      {Rule::add_neg_left, kLet, "-x + y", "y - x"},
      {Rule::add_neg_right, kLet, "x + -y", "x - y"},
      {Rule::add_neg_scaled, kLet, "x + (-2)*y", "x - 2*y"},
      {Rule::add_transpose_order, kLet, "A' + A", "A + A'"},
      {Rule::add_like_terms, kLet, "x + y + x", "2*x + y"},
      {Rule::add_literal, kLet, "[1, 2; 3, 4] + [1, 3; 2, 4]", "[2, 5; 5, 8]"},
      {Rule::add_diag, kLet, "diag(x) + diag(y)", "diag(x + y)"},
      {Rule::add_diag_scaled, kLet, "diag(x) + a*diag(y)", "diag(x + a*y)"},
      {Rule::add_common_factor_left, kLet, "A*x + A*y", "A*(x + y)"},
      {Rule::add_common_factor_right, kLet, "A*x + B*x", "(A + B)*x"},
      {Rule::sub_zero, kLet, "x - zeros(n)", "x"},
      {Rule::sub_from_zero, kLet, "zeros(n) - x", "-x"},
      {Rule::sub_const, kLet, "a*(2 - 3)", "-a"},
      {Rule::sub_self, kLet, "A*x - A*x", "zeros(n)"},
      {Rule::sub_neg_right, kLet, "x - -y", "x + y"},
      {Rule::sub_neg_left, kLet, "-x - y", "-(x + y)"},
      {Rule::sub_neg_scaled, kLet, "x - (-2)*y", "x + 2*y"},
      {Rule::sub_like_terms, kLet, "3*x - x", "2*x"},
      {Rule::sub_literal, kLet, "[1, 2; 3, 4] - [1, 3; 2, 4]", "[0, -1; 1, 0]"},
      {Rule::sub_diag, kLet, "diag(x) - diag(y)", "diag(x - y)"},
      {Rule::sub_diag_scaled, kLet, "diag(x) - a*diag(y)", "diag(x - a*y)"},
      {Rule::sub_common_factor_left, kLet, "A*x - A*y", "A*(x - y)"},
      {Rule::sub_common_factor_right, kLet, "A*x - B*x", "(A - B)*x"},
      {Rule::neg_zero, kLet, "-zeros(n)", "zeros(n)"},
      {Rule::neg_const, kLet, "a*(-(2*3))", "-6*a"},
      {Rule::neg_neg, kLet, "-(-x)", "x"},
      {Rule::neg_scaled, kLet, "-(2*x)", "-2*x"},
      {Rule::neg_sub, kLet, "-(x - y)", "y - x"},
      {Rule::neg_into_mul_right, kLet, "-(A*(x - y))", "A*(y - x)"},
      {Rule::neg_into_mul_left, kLet, "-((x - y)*x')", "(y - x)*x'"},
      {Rule::neg_into_hadamard_right, kLet, "-(exp(x).*(x - y))", "exp(x).*(y - x)"},
      {Rule::neg_into_hadamard_left, kLet, "-((x - y).*exp(x))", "(y - x).*exp(x)"},
      {Rule::neg_into_div, kLet, "-((A - B)/a)", "(B - A)/a"},
      {Rule::neg_into_elemdiv, kLet, "-((x - y)./exp(x))", "(y - x)./exp(x)"},
      {Rule::mul_zero_left, kLet, "zeros(n, n)*x", "zeros(n)"},
      {Rule::mul_zero_right, kLet, "A*zeros(n)", "zeros(n)"},
      {Rule::mul_one_left, kLet, "1*x", "x"},
      {Rule::mul_one_right, kLet, "x*1", "x"},
      {Rule::mul_neg_one_left, kLet, "(-1)*x", "-x"},
      {Rule::mul_neg_one_right, kLet, "x*(-1)", "-x"},
      {Rule::mul_const, kLet, "2*(3*a)", "6*a"},
      {Rule::mul_scalar_sign, kLet, "(-a)*b", "-(a*b)"},
      {Rule::mul_scalar_powers, kLet, "a*a", "a^2"},
      {Rule::mul_scalars, kLet, "b*a", "a*b"},
      {Rule::mul_scalar_assoc, kLet, "a*(b*c)", "a*b*c"},
      {Rule::mul_scalar_quotient_right, kLet, "(a*(b/c))*x", "(a*b/c)*x"},
      {Rule::mul_scalar_quotient_left, kLet, "((b/c)*a)*x", "(a*b/c)*x"},
      {Rule::mul_scalar_first, kLet, "x*a", "a*x"},
      {Rule::mul_scaling_scaling, kLet, "a*(b*x)", "a*b*x"},
      {Rule::mul_scaling_quotient, kLet, "a*(x/b)", "(a/b)*x"},
      {Rule::mul_neg_left, kLet, "(-A)*x", "-(A*x)"},
      {Rule::mul_neg_right, kLet, "A*(-x)", "-(A*x)"},
      {Rule::mul_eye_left, kLet, "eye(n)*x", "x"},
      {Rule::mul_eye_right, kLet, "A*eye(n)", "A"},
      {Rule::mul_scaling_out_left, kLet, "(a*A)*x", "a*A*x"},
      {Rule::mul_scaling_out_right, kLet, "A*(a*x)", "a*A*x"},
      {Rule::mul_quotient_out_left, kLet, "(A/a)*x", "A*x/a"},
      {Rule::mul_quotient_out_right, kLet, "A*(x/a)", "A*x/a"},
      {Rule::mul_num_literal, kLet, "2*[1, 2; 3, 4]", "[2, 4; 6, 8]"},
      {Rule::mul_cancel_diag, kLet, "2*diag(x./(2*y))", "diag(x./y)"},
      {Rule::mul_ones_row_diag, kLet, "ones(n)'*diag(x)", "x'"},
      {Rule::mul_diag_ones, kLet, "diag(x)*ones(n)", "x"},
      {Rule::mul_diag_diag, kLet, "diag(x)*diag(y)", "diag(x.*y)"},
      {Rule::mul_diag_diag_chain_left, kLet, "diag(x)*(diag(y)*A)", "diag(x.*y)*A"},
      {Rule::mul_diag_diag_chain_right, kLet, "(A*diag(x))*diag(y)", "A*diag(x.*y)"},
      {Rule::mul_diag_vec, kLet, "diag(x)*y", "x.*y"},
      {Rule::mul_row_diag, kLet, "y'*diag(x)", "(y.*x)'"},
      {Rule::mul_diag_vec_chain, kLet, "diag(x)*(y*y')", "x.*y*y'"},
      {Rule::mul_diag_distribute_add, kLet, "diag(1./x)*(diag(x) + x*y')", "eye(n) + ones(n)*y'"},
      {Rule::mul_diag_distribute_sub, kLet, "diag(1./x)*(diag(x) - x*y')", "eye(n) - ones(n)*y'"},
      {Rule::mul_powers, kLet, "A^2*A^3", "A^5"},
      {Rule::mul_powers_chain_left, kLet, "A^2*(A^3*B)", "A^5*B"},
      {Rule::mul_powers_chain_right, kLet, "(B*A^2)*A^3", "B*A^5"},
      {Rule::mul_inverse_left, kLet, "inv(A)*A", "eye(n)"},
      {Rule::mul_inverse_right, kLet, "A*inv(A)", "eye(n)"},
      {Rule::mul_inverse_left_transposed, kLet, "inv(A)'*A'", "eye(n)"},
      {Rule::mul_inverse_right_transposed, kLet, "A'*inv(A)'", "eye(n)"},
      {Rule::mul_inverse_left_chain, kLet, "inv(A)*(A*x)", "x"},
      {Rule::mul_inverse_right_chain, kLet, "A*(inv(A)*x)", "x"},
      {Rule::mul_inverse_left_transposed_chain, kLet, "inv(A)'*(A'*x)", "x"},
      {Rule::mul_inverse_right_transposed_chain, kLet, "A'*(inv(A)'*x)", "x"},
      {Rule::mul_chain_inverse_left, kLet, "(x'*inv(A))*A", "x'"},
      {Rule::mul_chain_inverse_right, kLet, "(x'*A)*inv(A)", "x'"},
      {Rule::mul_chain_inverse_left_transposed, kLet, "(x'*inv(A)')*A'", "x'"},
      {Rule::mul_chain_inverse_right_transposed, kLet, "(x'*A')*inv(A)'", "x'"},
      {Rule::mul_inner_order, kLet, "(y'*x)*A*y", "x'*y*A*y"},
      {Rule::mul_sum_quotient, kLet, "x'*(y./x)", "sum(y)"},
      {Rule::mul_unit_row, kLet, "unit(2, n)'*x", "x[2]"},
      {Rule::mul_row_unit, kLet, "(A*x)'*unit(2, n)", "(A*x)[2]"},
      {Rule::div_one, kLet, "x/1", "x"},
      {Rule::div_zero, kLet, "zeros(n)/a", "zeros(n)"},
      {Rule::div_const, kLet, "(6/3)*x", "2*x"},
      {Rule::div_neg, kLet, "(-x)/a", "-(x/a)"},
      {Rule::div_scaling, kLet, "(2*x)/a", "(2/a)*x"},
      {Rule::div_quotient, kLet, "(x/a)/b", "x/(a*b)"},
      {Rule::div_scaled_number, kLet, "(2*a)/3", "(2/3)*a"},
      {Rule::div_softmax, kLet, "exp(x)/sum(exp(x))", "softmax(x)"},
      {Rule::div_softmax_row, kLet, "exp(x)'/sum(exp(x))", "softmax(x)'"},
      {Rule::div_sigmoid, kLet, "exp(a)/(1 + exp(a))", "sigmoid(a)"},
      {Rule::div_sigmoid_slope, kLet, "exp(a)/(1 + exp(a))^2", "sigmoid(a)*(1 - sigmoid(a))"},
      {Rule::dot_zero_left, kLet, "dot(zeros(n), x)", "0"},
      {Rule::dot_zero_right, kLet, "dot(x, zeros(n))", "0"},
      {Rule::hadamard_zero_left, kLet, "zeros(n).*x", "zeros(n)"},
      {Rule::hadamard_zero_right, kLet, "x.*zeros(n)", "zeros(n)"},
      {Rule::hadamard_ones_left, kLet, "ones(n).*x", "x"},
      {Rule::hadamard_ones_right, kLet, "x.*ones(n)", "x"},
      {Rule::hadamard_scalar_left, kLet, "a.*(A*x)", "a*A*x"},
      {Rule::hadamard_scalar_right, kLet, "(A*x).*a", "a*A*x"},
      {Rule::hadamard_neg_left, kLet, "(-(A*x)).*(B*y)", "-(A*x.*(B*y))"},
      {Rule::hadamard_neg_right, kLet, "(A*x).*(-(B*y))", "-(A*x.*(B*y))"},
      {Rule::hadamard_scaling_left, kLet, "(a*(A*x)).*(B*y)", "a*(A*x.*(B*y))"},
      {Rule::hadamard_scaling_right, kLet, "(A*x).*(a*(B*y))", "a*(A*x.*(B*y))"},
      {Rule::hadamard_reciprocal_left, kLet, "(1./x).*x", "ones(n)"},
      {Rule::hadamard_reciprocal_right, kLet, "x.*(1./x)", "ones(n)"},
      {Rule::hadamard_unit_left, kLet, "unit(2, n).*exp(x)", "exp(x)[2]*unit(2, n)"},
      {Rule::hadamard_unit_right, kLet, "exp(x).*unit(2, n)", "exp(x)[2]*unit(2, n)"},
      {Rule::hadamard_step_relu_right, kLet, "(x - max(0, y)).*step(y)", "(x - y).*step(y)"},
      {Rule::hadamard_step_relu_left, kLet, "step(y).*(x - max(0, y))", "step(y).*(x - y)"},
      {Rule::elemdiv_ones, kLet, "x./ones(n)", "x"},
      {Rule::elemdiv_zero, kLet, "zeros(n)./x", "zeros(n)"},
      {Rule::elemdiv_scalar, kLet, "(A*x)./a", "A*x/a"},
      {Rule::elemdiv_ones_over, kLet, "ones(n)./x", "1./x"},
      {Rule::elemdiv_self, kLet, "(A*x)./(A*x)", "ones(n)"},
      {Rule::elemdiv_neg, kLet, "(-(A*x))./(B*y)", "-(A*x./(B*y))"},
      {Rule::elemdiv_scaling, kLet, "(a*(A*x))./(B*y)", "a*(A*x./(B*y))"},
      {Rule::elemdiv_sigmoid, kLet, "y.*exp(x)./(1 + exp(x))", "y.*sigmoid(x)"},
      {Rule::elemdiv_sigmoid_slope, kLet, "y.*exp(x)./(1 + exp(x)).^2", "y.*(sigmoid(x).*(1 - sigmoid(x)))"},
      {Rule::elempow_one, kLet, "(A*x).^1", "A*x"},
      {Rule::elempow_zero, kLet, "(A*x).^0", "ones(n)"},
      {Rule::elempow_scalar, kLet, "a.^2", "a^2"},
      {Rule::pow_one, kLet, "A^1", "A"},
      {Rule::pow_zero, kLet, "a*b^0", "a"},
      {Rule::pow_zero_matrix, kLet, "A^0", "eye(n)"},
      {Rule::pow_const, kLet, "a*2^3", "8*a"},
      {Rule::pow_eye, kLet, "eye(n)^3", "eye(n)"},
      {Rule::pow_pow, kLet, "(A^2)^3", "A^6"},
      {Rule::transpose_scalar, kLet, "a' + b", "a + b"},
      {Rule::transpose_transpose, kLet, "(x')'", "x"},
      {Rule::transpose_eye, kLet, "eye(n)'", "eye(n)"},
      {Rule::transpose_diag, kLet, "diag(x)'", "diag(x)"},
      {Rule::transpose_zeros, kLet, "zeros(m, n)'", "zeros(n, m)"},
      {Rule::transpose_ones, kLet, "ones(m, n)'", "ones(n, m)"},
      {Rule::transpose_ones_row, kLet, "ones(1, n)'", "ones(n)"},
      {Rule::transpose_neg, kLet, "(-x)'", "-x'"},
      {Rule::transpose_scaling, kLet, "(a*x)'", "a*x'"},
      {Rule::transpose_symmetric, kLet, "(X'*X)' + X'*X", "2*X'*X"},
      {Rule::transpose_pow, kLet, "(A^3)'", "A'^3"},
      {Rule::transpose_literal, kLet, "[1, 2; 3, 4]'", "[1, 3; 2, 4]"},
      {Rule::transpose_mul, kLet, "(A*B')'", "B*A'"},
      {Rule::transpose_add, kLet, "(A + B')'", "A' + B"},
      {Rule::transpose_sub, kLet, "(A - B')'", "A' - B"},
      {Rule::transpose_hadamard, kLet, "(A.*B')'", "A'.*B"},
      {Rule::index_literal, kLet, "a*[2, 3][2]", "3*a"},
      {Rule::index_ones, kLet, "a*ones(n)[1]", "a"},
      {Rule::index_zeros, kLet, "a + zeros(n)[1]", "a"},
      {Rule::index_unit, kLet, "a*unit(2, n)[2]", "a"},
      {Rule::index_unit_other, kLet, "a + unit(2, n)[1]", "a"},
      {Rule::index_eye, kLet, "a*eye(n)[2, 2]", "a"},
      {Rule::index_eye_other, kLet, "a + eye(n)[1, 2]", "a"},
      {Rule::index_diag, kLet, "diag(x)[2, 2]", "x[2]"},
      {Rule::index_diag_other, kLet, "a + diag(x)[1, 2]", "a"},
      {Rule::index_neg, kLet, "(-x)[1]", "-x[1]"},
      {Rule::index_add, kLet, "(x + y)[1]", "x[1] + y[1]"},
      {Rule::index_sub, kLet, "(x - y)[1]", "x[1] - y[1]"},
      {Rule::index_transpose, kLet, "(A')[1, 2]", "A[2, 1]"},
      {Rule::index_transpose_row, kLet, "(x')[2]", "x[2]"},
      {Rule::index_scaling, kLet, "(a*x)[1]", "a*x[1]"},
      {Rule::literal_zero, kLet, "[0, 0; 0, 0]", "zeros(2, 2)"},
      {Rule::diag_ones, kLet, "diag(ones(n))", "eye(n)"},
      {Rule::diag_zeros, kLet, "diag(zeros(n))", "zeros(n, n)"},
      {Rule::diag_scaling, kLet, "diag(a*x)", "a*diag(x)"},
      {Rule::diag_neg, kLet, "diag(-x)", "-diag(x)"},
      {Rule::diag_eye, kLet, "diag(eye(n))", "ones(n)"},
      {Rule::diag_diag, kLet, "diag(diag(x))", "x"},
      {Rule::diag_outer, kLet, "diag(x*y')", "x.*y"},
      {Rule::diag_of_scaling, kLet, "diag(a*A)", "a*diag(A)"},
      {Rule::sum_scalar, kLet, "sum(a)", "a"},
      {Rule::sum_ones, kLet, "a*sum(ones(n))", "n*a"},
      {Rule::sum_zeros, kLet, "a + sum(zeros(n))", "a"},
      {Rule::sum_unit, kLet, "a*sum(unit(2, n))", "a"},
      {Rule::sum_scaling, kLet, "sum(a*x)", "a*sum(x)"},
      {Rule::sum_neg, kLet, "sum(-x)", "-sum(x)"},
      {Rule::sum_transpose, kLet, "sum(x')", "sum(x)"},
      {Rule::sum_hadamard_transposes, kLet, "sum(A'.*B')", "sum(A.*B)"},
      {Rule::sum_inner, kLet, "sum(x.*y)", "x'*y"},
      {Rule::sum_trace, kLet, "sum(A.*eye(n))", "tr(A)"},
      {Rule::sum_trace_left, kLet, "sum(eye(n).*A)", "tr(A)"},
      {Rule::sum_diag, kLet, "sum(diag(A*B))", "tr(A*B)"},
      {Rule::mean_scalar, kLet, "mean(a)", "a"},
      {Rule::tr_scalar, kLet, "tr(a)", "a"},
      {Rule::tr_eye, kLet, "a*tr(eye(n))", "n*a"},
      {Rule::tr_zeros, kLet, "a + tr(zeros(n, n))", "a"},
      {Rule::tr_scaling, kLet, "tr(a*A)", "a*tr(A)"},
      {Rule::tr_transpose, kLet, "tr(A')", "tr(A)"},
      {Rule::tr_transpose_pow, kLet, "tr(A'^2)", "tr(A^2)"},
      {Rule::inv_inv, kLet, "inv(inv(A))", "A"},
      {Rule::inv_eye, kLet, "inv(eye(n))*x", "x"},
      {Rule::det_eye, kLet, "a*det(eye(n))", "a"},
      {Rule::vec_vector, kLet, "vec(y)", "y"},
      {Rule::vec_row, kLet, "vec(x')", "x"},
      {Rule::kron_scalar_left, kLet, "kron(a, A)", "a*A"},
      {Rule::kron_scalar_right, kLet, "kron(B, b)", "b*B"},
      {Rule::kron_eye, kLet, "kron(eye(n), eye(m))*vec(X)", "vec(X)"},
      {Rule::kron_mixed_product, kLet, "kron(A, X)*kron(B, X')", "kron(A*B, X*X')"},
      {Rule::transpose_kron, kLet, "kron(A, X)'", "kron(A', X')"},
      {Rule::step_relu, kLet, "step(max(0, a))", "step(a)"},
      {Rule::step_const, kLet, "a*step(2)", "a"},
      {Rule::heaviside_const, kLet, "a*heaviside(0)", "a"},
      {Rule::sign_const, kLet, "a*sign(-3)", "-a"},
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
