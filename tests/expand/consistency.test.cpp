// The expansion against the Eigen evaluator (an independent implementation of
// every node): at random points, each expanded entry of f and of its closed-form
// derivative has the value mcalc::evaluate gives. And the cross-check's own
// oracle: it rejects wrong derivatives, and says how it decided.
#include <random>

#include <catch2/catch.hpp>

#include "expand/cases.hpp"
#include "mcalc/eval.hpp"

using namespace etest;

namespace {

/// Random values for every input of the program: entries in [0.2, 0.9] (inside
/// every function's domain), square matrices 0.1*R + I (invertible, positive
/// determinant) so that inv, det and logdet are defined.
mcalc::Bindings random_values(const mcalc::Program& p, const mcalc::Sizes& sizes, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0.2, 0.9);
  mcalc::Bindings b;
  b.dims = sizes;
  for (const auto& [name, sym] : p.symbols) {
    if (sym.origin == mcalc::Symbol::Origin::Defined) continue;
    long r = mcalc::concrete_size(sym.shape.rows, sizes), c = mcalc::concrete_size(sym.shape.cols, sizes);
    Eigen::MatrixXd v(r, c);
    for (long i = 0; i < r; ++i)
      for (long j = 0; j < c; ++j) v(i, j) = u(rng);
    if (r == c && r > 1) v = 0.1 * v + Eigen::MatrixXd::Identity(r, r);
    b.values[name] = v;
  }
  return b;
}

/// Entry names (x1, A12, ...) and their values at b.
std::map<std::string, double> by_entry(const mcalc::Program& p, const mcalc::Bindings& b) {
  std::map<std::string, double> out;
  for (const auto& [name, v] : b.values) {
    const mcalc::Symbol* s = p.find(name);
    for (long i = 0; i < v.rows(); ++i)
      for (long j = 0; j < v.cols(); ++j) out[mcalc::entry_name(name, s->shape, i, j)] = v(i, j);
  }
  return out;
}

void expect_same_values(const mcalc::Expr& e, const mcalc::Program& p, const mcalc::Sizes& sizes,
                        const mcalc::Bindings& b) {
  GiNaC::matrix m = mcalc::expand(e, sizes);
  Eigen::MatrixXd want = mcalc::evaluate(e, b);
  auto point = by_entry(p, b);
  INFO(mcalc::to_text(e));
  REQUIRE(static_cast<long>(m.rows()) == want.rows());
  REQUIRE(static_cast<long>(m.cols()) == want.cols());
  for (unsigned i = 0; i < m.rows(); ++i)
    for (unsigned j = 0; j < m.cols(); ++j) {
      double got = mcalc::numeric_value(m(i, j), point);
      bool ok = got == Approx(want(i, j)).epsilon(1e-10).margin(1e-12);
      if (!ok)
        FAIL_CHECK("entry (" << i + 1 << ", " << j + 1 << ") = " << m(i, j) << " is " << got << ", not "
                             << want(i, j));
      CHECK(ok);
    }
}

}  // namespace

TEST_CASE("expansion agrees with the evaluator on every case, for f and its closed form", "[expand][eval]") {
  std::mt19937 rng(2024);
  for (const auto& c : load_cases()) {
    INFO(c.str());
    Analysed a = analyse_case(c);
    mcalc::Expr d = closed_form(c.op, a.f, a.wrt);
    for (long s = 1; s <= (a.prog.dims.empty() ? 1 : 3); ++s) {
      INFO("size " << s);
      mcalc::Sizes sizes = all_at(a.prog, s);
      mcalc::Bindings b = random_values(a.prog, sizes, rng);
      expect_same_values(a.f, a.prog, sizes, b);
      expect_same_values(d, a.prog, sizes, b);
    }
  }
}

TEST_CASE("cross-check rejects a wrong derivative", "[expand][cross]") {
  // d(y'Ax)/dA in numerator layout is x y' (the shape of A'); y x' is the gradient's shape.
  Analysed a = analyse_case("A: matrix(n, n); x, y: vector(n)", "y'*A*x", "A");
  mcalc::Sizes s{{"n", 2}};
  GiNaC::matrix want = mcalc::expanded_jacobian(a.f, a.wrt, s, mcalc::Layout::Numerator);
  auto x = a.prog.find("x")->node, y = a.prog.find("y")->node;
  mcalc::CrossCheck good = mcalc::cross_check(mcalc::expand(mcalc::ir::mul(x, mcalc::ir::transpose(y)), s), want);
  CHECK(good.passed());
  CHECK(good.symbolic == 4);
  mcalc::CrossCheck bad = mcalc::cross_check(mcalc::expand(mcalc::ir::mul(y, mcalc::ir::transpose(x)), s), want);
  CHECK_FALSE(bad.passed());
  CHECK(bad.mismatched == 2);  // the off-diagonal entries x1 y2 and x2 y1 are swapped
  CHECK(bad.symbolic == 2);
  CHECK(bad.how[0][1] == mcalc::EntryCheck::Mismatch);
  REQUIRE(bad.failures.size() == 2);
  CHECK(bad.failures[0].rfind("entry (1, 2): closed form x2*y1, GiNaC x1*y2 (", 0) == 0);
}

TEST_CASE("cross-check: numeric comparison where GiNaC cannot prove zero", "[expand][cross]") {
  GiNaC::realsymbol t("t");
  GiNaC::matrix a(1, 3), b(1, 3);
  // sign(t) and t/abs(t) are equal away from 0, but not for GiNaC.
  Analysed s = analyse_case("t: scalar", "sign(t)", "t");
  a(0, 0) = mcalc::expand(s.f, {})(0, 0);
  b(0, 0) = s.wrt ? mcalc::expand(mcalc::ir::div(s.wrt, mcalc::ir::call(mcalc::Fn::Abs, {s.wrt})), {})(0, 0) : 0;
  // relu(t)*step(t) and t*step(t): equal everywhere.
  Analysed r = analyse_case("t: scalar", "relu(t)*step(t)", "t");
  Analysed r2 = analyse_case("t: scalar", "t*step(t)", "t");
  a(0, 1) = mcalc::expand(r.f, {})(0, 0);
  b(0, 1) = mcalc::expand(r2.f, {})(0, 0);
  // log of a negative quantity everywhere: never finite, so undecided (not "equal").
  a(0, 2) = GiNaC::log(-1 - t * t);
  b(0, 2) = GiNaC::log(-2 - t * t);
  mcalc::CrossCheck c = mcalc::cross_check(a, b);
  CHECK(c.how[0][0] == mcalc::EntryCheck::Numeric);
  CHECK(c.how[0][1] == mcalc::EntryCheck::Numeric);
  CHECK(c.how[0][2] == mcalc::EntryCheck::Undecided);
  CHECK_FALSE(c.passed());
  CHECK(c.summary().rfind("3 entries: 2 equal at random points, 1 undecided\n"
                          "  entry (1, 3): closed form log(",
                          0) == 0);
  CHECK(c.summary().find("(no point where both are finite)") != std::string::npos);
}

TEST_CASE("cross-check: layouts, gradient and hessian shapes", "[expand][cross]") {
  Analysed a = analyse_case("A: matrix(m, n); x: vector(n)", "A*x", "x");
  mcalc::Sizes s{{"m", 2}, {"n", 3}};
  CHECK(mcalc::expanded_jacobian(a.f, a.wrt, s, mcalc::Layout::Numerator).rows() == 2);
  CHECK(mcalc::expanded_jacobian(a.f, a.wrt, s, mcalc::Layout::Denominator).rows() == 3);
  Analysed g = analyse_case("A: matrix(m, n); x: vector(m)", "x'*A*ones(n)", "A");
  GiNaC::matrix num = mcalc::expanded_jacobian(g.f, g.wrt, s, mcalc::Layout::Numerator);
  GiNaC::matrix grad = mcalc::expanded_gradient(g.f, g.wrt, s);
  CHECK(num.rows() == 3);  // the shape of A'
  CHECK(num.cols() == 2);
  CHECK(grad.rows() == 2);  // the shape of A
  CHECK(grad.cols() == 3);
  Analysed h = analyse_case("x: vector(n)", "sum(x.^3)", "x");
  GiNaC::matrix hm = mcalc::expanded_hessian(h.f, h.wrt, s);
  CHECK(mcalc::matrix_text(hm) ==
        "[ 6*x1, 0,    0    ]\n"
        "[ 0,    6*x2, 0    ]\n"
        "[ 0,    0,    6*x3 ]\n");
  // The same errors as the differentiator.
  CHECK_THROWS_AS(mcalc::expanded_gradient(a.f, a.wrt, s), mcalc::UserError);                 // grad of a vector
  // By a matrix: d vec(f)/d vec(A)', entries of A in column-major order (the vec/Kronecker convention).
  Analysed t = analyse_case("A: matrix(m, n); x: vector(n)", "A*x", "A");
  CHECK(mcalc::matrix_text(mcalc::expanded_jacobian(t.f, t.wrt, s, mcalc::Layout::Numerator)) ==
        "[ x1, 0,  x2, 0,  x3, 0  ]\n"
        "[ 0,  x1, 0,  x2, 0,  x3 ]\n");
  CHECK(mcalc::expanded_jacobian(t.f, t.wrt, s, mcalc::Layout::Denominator).rows() == 6);
  Analysed q = analyse_case("A: matrix(m, n); x: vector(n)", "sum((A*x).^2)", "A");
  GiNaC::matrix hq = mcalc::expanded_hessian(q.f, q.wrt, s);
  CHECK(hq.rows() == 6);
  CHECK(hq.cols() == 6);
}
