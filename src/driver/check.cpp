#include "driver/check.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <set>

#include "driver/format.hpp"

namespace mcalc::driver {
namespace {

/// Every input variable and symbolic dimension the expressions depend on
/// (looking through intermediate variables to their definitions).
void collect_inputs(const Expr& e, std::set<const Node*>& seen, std::map<std::string, Shape>& vars,
                    std::set<std::string>& dims) {
  if (!seen.insert(e.get()).second) return;
  auto note_dim = [&](const Dim& d) { if (!d.is_const()) dims.insert(d.name()); };
  note_dim(e->shape.rows);
  note_dim(e->shape.cols);
  if (e->kind == Kind::DimSize) note_dim(e->dim);
  if (e->kind == Kind::Var && e->args.empty()) vars.emplace(e->name, e->shape);
  for (const auto& a : e->args) collect_inputs(a, seen, vars, dims);
}

long dim_size_of(const Dim& d, const Bindings& b) {
  if (d.is_const()) return d.value();
  auto it = b.dims.find(d.name());
  MCALC_ASSERT(it != b.dims.end(), "random point without a size for " + d.name());
  return it->second;
}

bool all_finite(const Eigen::MatrixXd& m) { return m.allFinite(); }

/// Row-major-free "vec": entry k of a matrix in column-major order.
double& vec_at(Eigen::MatrixXd& m, Eigen::Index k) { return m.data()[k]; }

}  // namespace

Bindings random_point(const Program& prog, const std::vector<Expr>& roots, unsigned seed) {
  std::set<const Node*> seen;
  std::map<std::string, Shape> vars;
  std::set<std::string> dims;
  for (const auto& r : roots) collect_inputs(r, seen, vars, dims);

  for (int attempt = 0; attempt < 4; ++attempt) {
    Bindings b = mcalc::bind(prog, {});  // declared values, and the dimensions they fix
    std::mt19937 rng(seed + 7919u * static_cast<unsigned>(attempt));
    std::uniform_int_distribution<long> size(2, 4);
    // The first attempts use values of both signs (to meet both sides of kinks);
    // later ones positive values, for inputs of log, sqrt and friends.
    std::uniform_real_distribution<double> val(attempt < 2 ? -1.0 : 0.2, 1.0);
    for (const auto& d : dims)
      if (!b.dims.count(d)) b.dims[d] = size(rng);
    for (const auto& [name, shape] : vars) {
      if (b.values.count(name)) continue;
      long r = dim_size_of(shape.rows, b), c = dim_size_of(shape.cols, b);
      Eigen::MatrixXd m(r, c);
      for (Eigen::Index k = 0; k < m.size(); ++k) vec_at(m, k) = val(rng);
      if (r == c && r > 1) m += 2.0 * Eigen::MatrixXd::Identity(r, c);  // well conditioned, det > 0
      b.values[name] = m;
    }
    bool ok = true;
    for (const auto& root : roots)
      if (root->kind != Kind::Var || !root->args.empty()) ok = ok && all_finite(evaluate(root, b));
    if (ok) return b;
  }
  Bindings b = mcalc::bind(prog, {});
  return b;  // the caller's check reports the non-finite values
}

CheckReport check_derivative(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& closed,
                             const Bindings& point) {
  CheckReport rep;
  const Eigen::MatrixXd x0 = evaluate(wrt, point);
  const Eigen::MatrixXd f0 = evaluate(f, point);
  const Eigen::Index n = x0.size(), m = f0.size();
  Bindings b = point;
  auto f_at = [&](const Eigen::MatrixXd& x) {
    b.values[wrt->name] = x;
    return evaluate(f, b);
  };
  const double eps = std::numeric_limits<double>::epsilon();
  Eigen::MatrixXd c = evaluate(closed, point);
  Eigen::MatrixXd fd, cj;  // both as (entries of f) x (entries of x), or n x n for a Hessian

  if (op == QueryOp::Hessian) {
    rep.tolerance = 1e-4;  // second differences: truncation ~h^2, rounding ~eps/h^2 with h = eps^(1/4)
    fd.resize(n, n);
    for (Eigen::Index k = 0; k < n; ++k)
      for (Eigen::Index l = 0; l < n; ++l) {
        double hk = std::pow(eps, 0.25) * std::max(1.0, std::abs(x0.data()[k]));
        double hl = std::pow(eps, 0.25) * std::max(1.0, std::abs(x0.data()[l]));
        auto at = [&](double sk, double sl) {
          Eigen::MatrixXd x = x0;
          vec_at(x, k) += sk * hk;
          vec_at(x, l) += sl * hl;
          return f_at(x)(0, 0);
        };
        fd(k, l) = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * hk * hl);
      }
    cj = c;
  } else {
    rep.tolerance = 1e-6;  // central differences: truncation ~h^2, rounding ~eps/h with h = eps^(1/3)
    fd.resize(m, n);
    for (Eigen::Index k = 0; k < n; ++k) {
      double h = std::cbrt(eps) * std::max(1.0, std::abs(x0.data()[k]));
      Eigen::MatrixXd xp = x0, xm = x0;
      vec_at(xp, k) += h;
      vec_at(xm, k) -= h;
      Eigen::MatrixXd d = (f_at(xp) - f_at(xm)) / (2 * h);
      for (Eigen::Index i = 0; i < m; ++i) fd(i, k) = d.data()[i];
    }
    cj.resize(m, n);
    const bool matrix_wrt = x0.rows() > 1 && x0.cols() > 1;
    if (op == QueryOp::Grad || matrix_wrt) {
      // A gradient has the shape of x; a numerator-layout derivative by a
      // matrix has the shape of x' (and the denominator layout the shape of x).
      bool as_x = op == QueryOp::Grad || layout == Layout::Denominator;
      Eigen::MatrixXd g = as_x ? c : Eigen::MatrixXd(c.transpose());
      MCALC_ASSERT(m == 1 && g.rows() == x0.rows() && g.cols() == x0.cols(), "gradient shape");
      for (Eigen::Index k = 0; k < n; ++k) cj(0, k) = g.data()[k];
    } else {
      Eigen::MatrixXd j = layout == Layout::Denominator ? Eigen::MatrixXd(c.transpose()) : c;
      MCALC_ASSERT(j.rows() == m && j.cols() == n, "Jacobian shape");
      cj = j;
    }
  }
  double worst = 0;
  bool finite = cj.allFinite() && fd.allFinite();
  for (Eigen::Index i = 0; i < fd.size(); ++i)
    worst = std::max(worst, std::abs(cj.data()[i] - fd.data()[i]) / (1 + std::abs(fd.data()[i])));
  rep.max_rel_error = finite ? worst : std::numeric_limits<double>::infinity();
  rep.passed = finite && worst <= rep.tolerance;
  rep.trivial = finite && fd.isZero(0);
  return rep;
}

}  // namespace mcalc::driver
