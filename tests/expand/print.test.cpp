// Exact printed expansions of the lecture's examples: entries through the IR
// printer, so the order of terms and factors is the same on every run.
#include <catch2/catch.hpp>

#include "expand/cases.hpp"

using namespace etest;

namespace {

/// The text of expand(op(f, wrt)) at every symbolic dimension = size.
std::string expanded(const std::string& let, const std::string& expr, const std::string& wrt,
                     const std::string& op = "diff", long size = 3) {
  Analysed a = analyse_case(let, expr, wrt);
  mcalc::Sizes s = all_at(a.prog, size);
  GiNaC::matrix m = mcalc::expand(closed_form(op, a.f, a.wrt), s);
  // The printed expansion is the one the cross-check accepts.
  mcalc::CrossCheck c = mcalc::cross_check(m, expected(op, a.f, a.wrt, s));
  INFO(c.summary());
  CHECK(c.passed());
  return mcalc::matrix_text(m);
}

}  // namespace

TEST_CASE("printed expansion: the identity and the elementwise table at n = 3", "[expand][print]") {
  CHECK(expanded("x: vector(n)", "x", "x") ==
        "[ 1, 0, 0 ]\n"
        "[ 0, 1, 0 ]\n"
        "[ 0, 0, 1 ]\n");
  CHECK(expanded("w, x: vector(n)", "w .* x", "w") ==
        "[ x1, 0,  0  ]\n"
        "[ 0,  x2, 0  ]\n"
        "[ 0,  0,  x3 ]\n");
  CHECK(expanded("w, x: vector(n)", "w ./ x", "x", "diff", 2) ==
        "[ -(w1/x1^2), 0          ]\n"
        "[ 0,          -(w2/x2^2) ]\n");
  CHECK(expanded("x: vector(n); z: scalar", "x + z", "z") ==
        "[ 1 ]\n"
        "[ 1 ]\n"
        "[ 1 ]\n");
  CHECK(expanded("x: vector(n)", "sum(x)", "x") == "[ 1, 1, 1 ]\n");
}

TEST_CASE("printed expansion: the chain rule examples", "[expand][print]") {
  CHECK(expanded("x: scalar", "sin(x^2)", "x") == "[ 2*x*cos(x^2) ]\n");
  CHECK(expanded("x: scalar", "[log(x^2); sin(3*x)]", "x") ==
        "[ 2/x        ]\n"
        "[ 3*cos(3*x) ]\n");
  CHECK(expanded("x: vector(n)", "sigmoid(x)", "x", "diff", 2) ==
        "[ sigmoid(x1)*(1 - sigmoid(x1)), 0                             ]\n"
        "[ 0,                             sigmoid(x2)*(1 - sigmoid(x2)) ]\n");
}

TEST_CASE("printed expansion: neuron, MSE and the quadratic form", "[expand][print]") {
  CHECK(expanded("w, x: vector(n); b: scalar", "max(0, w'*x + b)", "b", "diff", 2) ==
        "[ step(w1*x1 + w2*x2 + b) ]\n");
  CHECK(expanded("x: vector(n); A: matrix(n, n)", "x'*A*x", "x", "hessian", 2) ==
        "[ 2*A11,     A12 + A21 ]\n"
        "[ A12 + A21, 2*A22     ]\n");
  CHECK(expanded("x: vector(n); A: matrix(n, n)", "x'*A*x", "x", "grad", 2) ==
        "[ 2*A11*x1 + x2*(A12 + A21) ]\n"
        "[ 2*A22*x2 + x1*(A12 + A21) ]\n");
  CHECK(expanded("A: matrix(n, n)", "det(A)", "A", "grad", 2) ==
        "[ A22,  -A21 ]\n"
        "[ -A12, A11  ]\n");
}

TEST_CASE("printed expansion: LaTeX bmatrix", "[expand][print]") {
  Analysed a = analyse_case("w, x: vector(n)", "w .* x", "w");
  GiNaC::matrix m = mcalc::expand(closed_form("diff", a.f, a.wrt), {{"n", 2}});
  CHECK(mcalc::matrix_latex(m) == "\\begin{bmatrix} x_{1} & 0 \\\\ 0 & x_{2} \\end{bmatrix}");
  CHECK(mcalc::entry_latex(GiNaC::pow(mcalc::entry_symbol(a.wrt, 0, 0), 2)) == "{w_{1}}^{2}");
}
