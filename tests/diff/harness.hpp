#pragma once
// Test harness for derivatives: random points at random sizes, central finite
// differences of the ORIGINAL expression, and the checks shared by the diff
// and simplify suites.
//
// Tolerance. With the oracle's step h = eps^(1/3) * max(1, |x_j|) ~ 6e-6
// (mcalc/check.hpp), the central difference has truncation error
// ~ h^2 |f'''|/6 ~ 1e-11 and rounding error ~ eps |f| / h ~ 4e-11 |f| for
// the O(1) values sampled here, so a relative tolerance of 1e-5 (scaled by max(1, max |J|)) leaves a margin of 1e4 over
// the expected error while catching any wrong rule (whose error is O(1)).
// Sample points within 1e-3 of a kink (step, relu, max, min, abs, sign, ...)
// are rejected and redrawn, so the difference never straddles one.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mcalc/check.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/print.hpp"

namespace fdtest {

using mcalc::Expr;
using mcalc::Kind;
using mcalc::Fn;

enum class Dist { Normal, Positive, Spd, Unit01 };

struct In {
  Expr var;
  Dist dist = Dist::Normal;
};

constexpr double kRelTol = 1e-5;

/// Smallest random dimension size (raised by tests that index into vectors).
inline long g_min_size = 1;
struct MinSize {
  explicit MinSize(long v) { g_min_size = v; }
  ~MinSize() { g_min_size = 1; }
};
constexpr double kKinkGap = 1e-3;

inline void collect_dims(const mcalc::Shape& s, std::set<std::string>& out) {
  out.insert(s.rows.symbols().begin(), s.rows.symbols().end());
  out.insert(s.cols.symbols().begin(), s.cols.symbols().end());
}

inline long size_of(const mcalc::Dim& d, const mcalc::Bindings& b) {
  return d.size([&](const std::string& name) { return b.dims.at(name); });
}

/// The smallest distance of any kink argument in e from its kink, at b (the oracle's).
inline double kink_distance(const Expr& e, const mcalc::Bindings& b) { return mcalc::check::kink_distance(e, b); }

/// Random bindings: dimension sizes in [1, 5] (fixed ones kept), values by
/// distribution, redrawn until every kink in `avoid` is at least kKinkGap away.
/// Returns false when no such point was found.
inline bool try_sample(std::mt19937& rng, const std::vector<In>& ins, const std::vector<Expr>& avoid,
                       mcalc::Bindings& out, std::map<std::string, long> fixed = {}) {
  std::set<std::string> dims;
  for (const auto& i : ins) collect_dims(i.var->shape, dims);
  std::set<const mcalc::Node*> seen;  // dimensions used only by constants (zeros(n)) too
  std::function<void(const Expr&)> walk = [&](const Expr& e) {
    if (!seen.insert(e.get()).second) return;
    collect_dims(e->shape, dims);
    dims.insert(e->dim.symbols().begin(), e->dim.symbols().end());
    for (const auto& a : e->args) walk(a);
  };
  for (const auto& e : avoid) walk(e);
  std::uniform_int_distribution<long> size(g_min_size, std::max(5L, g_min_size));
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> pos(0.5, 2.0), u01(0.05, 0.95);
  for (int attempt = 0; attempt < 200; ++attempt) {
    mcalc::Bindings b;
    for (const auto& d : dims) b.dims[d] = fixed.count(d) ? fixed[d] : size(rng);
    for (const auto& i : ins) {
      long r = size_of(i.var->shape.rows, b), c = size_of(i.var->shape.cols, b);
      Eigen::MatrixXd v(r, c);
      for (long k = 0; k < r * c; ++k) {
        double x = i.dist == Dist::Positive ? pos(rng) : i.dist == Dist::Unit01 ? u01(rng) : normal(rng);
        v(k % r, k / r) = x;
      }
      if (i.dist == Dist::Spd) v = v * v.transpose() + Eigen::MatrixXd::Identity(r, r) * static_cast<double>(r);
      b.values[i.var->name] = v;
    }
    bool ok = true;
    for (const auto& e : avoid) ok = ok && kink_distance(e, b) >= kKinkGap;
    if (ok) {
      out = std::move(b);
      return true;
    }
  }
  return false;
}

inline mcalc::Bindings sample(std::mt19937& rng, const std::vector<In>& ins, const std::vector<Expr>& avoid,
                              std::map<std::string, long> fixed = {}) {
  mcalc::Bindings b;
  if (!try_sample(rng, ins, avoid, b, std::move(fixed))) FAIL("could not find a sample point away from the kinks");
  return b;
}

/// Numerator-layout Jacobian of vec(f) with respect to vec(x) by central
/// differences: the oracle that --check and the answer checker use.
inline Eigen::MatrixXd fd_jacobian(const Expr& f, const std::string& x, const mcalc::Bindings& b) {
  return mcalc::check::fd_jacobian(f, x, b);
}

inline std::string show(const Eigen::MatrixXd& m) {
  std::ostringstream os;
  os << m;
  return os.str();
}

inline void expect_close(const Eigen::MatrixXd& got, const Eigen::MatrixXd& want, const std::string& what) {
  INFO(what);
  REQUIRE(got.rows() == want.rows());
  REQUIRE(got.cols() == want.cols());
  double scale = std::max(1.0, want.cwiseAbs().maxCoeff());
  double err = (got - want).cwiseAbs().maxCoeff();
  INFO("symbolic:\n" << show(got) << "\nfinite differences:\n" << show(want));
  CHECK(err <= kRelTol * scale);
}

/// The symbolic derivative's value rearranged as the numerator Jacobian of
/// vec(f) by vec(x): for a scalar f that is vec(gradient)ᵀ.
inline Eigen::MatrixXd as_jacobian(const Eigen::MatrixXd& d, const Expr& f, const Expr& x, mcalc::Layout l) {
  return mcalc::check::as_jacobian(mcalc::QueryOp::Diff, d, f, x, l);
}

/// Checks d = diff(f, x) (already computed) against finite differences of f.
inline void check_numeric(const Expr& f, const Expr& x, const Expr& d, const std::vector<In>& ins,
                          mcalc::Layout l = mcalc::Layout::Numerator, int trials = 4, unsigned seed = 12345) {
  std::mt19937 rng(seed);
  for (int t = 0; t < trials; ++t) {
    mcalc::Bindings b = sample(rng, ins, {f, d});
    Eigen::MatrixXd got = as_jacobian(mcalc::evaluate(d, b), f, x, l);
    expect_close(got, fd_jacobian(f, x->name, b), "d/d" + x->name + " of " + mcalc::to_text(f) + " = " +
                                                    mcalc::to_text(d));
  }
}

/// Checks g = grad(f, x) (shape of x) against finite differences of f.
inline void check_gradient(const Expr& f, const Expr& x, const Expr& g, const std::vector<In>& ins, int trials = 4,
                           unsigned seed = 777) {
  REQUIRE(g->shape == x->shape);
  check_numeric(f, x, g, ins, mcalc::Layout::Denominator, trials, seed);
}

/// Checks h = hessian(f, x) against finite differences of the gradient of f
/// (itself checked against f by check_gradient).
inline void check_hessian(const Expr& f, const Expr& x, const Expr& h, const std::vector<In>& ins, int trials = 4) {
  Expr g = mcalc::gradient(f, x);
  check_gradient(f, x, g, ins, trials);
  std::mt19937 rng(99);
  for (int t = 0; t < trials; ++t) {
    mcalc::Bindings b = sample(rng, ins, {f, g, h});
    Eigen::MatrixXd got = mcalc::evaluate(h, b);
    expect_close(got, fd_jacobian(g, x->name, b), "hessian of " + mcalc::to_text(f) + " = " + mcalc::to_text(h));
  }
}

/// A description of the first pattern a simplified result must not contain
/// (1*A, A + 0, (A')', eye(n)*A, diag(ones(n)), ones(n)'*diag(x), ...), or "".
inline std::string forbidden_pattern(const Expr& e) {
  std::set<const mcalc::Node*> seen;
  std::string found;
  std::function<void(const Expr&)> go = [&](const Expr& x) {
    if (!found.empty() || !seen.insert(x.get()).second) return;
    auto zero = [](const Expr& a) { return a->kind == Kind::Zeros || (a->kind == Kind::Num && a->num == 0); };
    auto one = [](const Expr& a) { return a->kind == Kind::Num && a->num == 1; };
    const auto& a = x->args;
    switch (x->kind) {
      case Kind::Mul:
        if (one(a[0]) || one(a[1])) found = "1*";
        else if (zero(a[0]) || zero(a[1])) found = "0*";
        else if ((a[0]->kind == Kind::Eye || a[1]->kind == Kind::Eye) && !a[0]->is_scalar() && !a[1]->is_scalar())
          found = "eye(n)*A";
        else if (a[0]->kind == Kind::Transpose && a[0]->args[0]->kind == Kind::Ones && a[1]->kind == Kind::Call &&
                 a[1]->fn == Fn::DiagOf)
          found = "ones(n)'*diag(x)";
        break;
      case Kind::Add: case Kind::Sub:
        if (zero(a[0]) || zero(a[1])) found = "+ 0";
        break;
      case Kind::Transpose:
        if (a[0]->kind == Kind::Transpose) found = "(A')'";
        break;
      case Kind::Hadamard:
        if (a[0]->kind == Kind::Ones || a[1]->kind == Kind::Ones) found = "ones.*";
        break;
      case Kind::Call:
        if (x->fn == Fn::DiagOf && a[0]->kind == Kind::Ones) found = "diag(ones(n))";
        break;
      case Kind::Neg:
        if (a[0]->kind == Kind::Neg) found = "--";
        break;
      default:
        break;
    }
    if (x->kind != Kind::Var)
      for (const auto& c : a) go(c);
  };
  go(e);
  if (!found.empty()) return found + " in " + mcalc::to_text(e);
  // The same patterns in the printed text (a literal 1 factor, + 0, ...).
  const std::string text = mcalc::to_text(e);
  static const std::regex patterns[] = {
      std::regex(R"((^|[^0-9A-Za-z_.])1\*)"), std::regex(R"(\*1($|[^0-9.e]))"), std::regex(R"([+-] 0($|[^0-9.]))"),
      std::regex(R"('')"), std::regex(R"(eye\([^)]*\)\*)"), std::regex(R"(diag\(ones\([^)]*\)\))"),
      std::regex(R"(ones\([^)]*\)'\*diag)")};
  for (const auto& p : patterns)
    if (std::regex_search(text, p)) return "forbidden text in " + text;
  return "";
}

}  // namespace fdtest
