// The finite-difference oracle: central differences of the original
// expression, compared with a closed-form derivative. Used by --check and by
// the derivative tests (tests/diff/harness.hpp), with one step size.
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <set>

#include "mcalc/check.hpp"
#include "mcalc/topo.hpp"

namespace mcalc::check {
namespace {

long dim_size_of(const Dim& d, const Bindings& b) {
  return d.size([&](const std::string& name) {
    auto it = b.dims.find(name);
    MCALC_ASSERT(it != b.dims.end(), "random point without a size for " + name);
    return it->second;
  });
}

/// Entry k of a matrix in column-major order (vec).
double& vec_at(Eigen::MatrixXd& m, Eigen::Index k) { return m.data()[k]; }

constexpr double kEps = std::numeric_limits<double>::epsilon();

}  // namespace

double fd_step(double x) { return std::cbrt(kEps) * std::max(1.0, std::abs(x)); }

/// Richardson's (4 D(h/2) - D(h)) / 3; where 4 D(h/2) overflows (the derivative of 1e308*a is 1e308),
/// the same value as D(h/2) + (D(h/2) - D(h)) / 3; D(h/2) itself where a difference is not finite.
double richardson(double d1, double d2) {
  if (!std::isfinite(d1) || !std::isfinite(d2)) return d2;  // nothing to extrapolate (inf - inf is NaN)
  const double d = (4 * d2 - d1) / 3;
  return std::isfinite(d) ? d : d2 + (d2 - d1) / 3;
}

Eigen::MatrixXd fd_jacobian(const Expr& f, const std::string& var, const Bindings& point, Eigen::MatrixXd* rounding) {
  Bindings b = point;
  const Eigen::MatrixXd x0 = point.values.at(var);
  const Eigen::MatrixXd f0 = evaluate(f, point);
  Eigen::MatrixXd J(f0.size(), x0.size());
  if (rounding) rounding->resize(f0.size(), x0.size());
  for (Eigen::Index k = 0; k < x0.size(); ++k) {
    // D(h) = (f(x + h) - f(x - h)) / 2h = f'(x) + c h^2 + O(h^4); Richardson's (4 D(h/2) - D(h)) / 3 removes
    // the h^2 term, which near the edge of a domain (asin(b) at b = 0.999) exceeds the tolerance.
    const double h = fd_step(x0.data()[k]);
    auto difference = [&](double step, Eigen::MatrixXd& bound) {
      Eigen::MatrixXd xp = x0, xm = x0;
      vec_at(xp, k) += step;
      vec_at(xm, k) -= step;
      b.values[var] = xp;
      Eigen::MatrixXd fp = evaluate(f, b);
      b.values[var] = xm;
      Eigen::MatrixXd fm = evaluate(f, b);
      bound = (kEps * fp.cwiseAbs() + kEps * fm.cwiseAbs()) / (2 * step);  // kEps * |f| first: no overflow
      return Eigen::MatrixXd((fp - fm) / (2 * step));
    };
    Eigen::MatrixXd r1, r2;
    const Eigen::MatrixXd d1 = difference(h, r1), d2 = difference(h / 2, r2);
    Eigen::MatrixXd d(d1.rows(), d1.cols());
    for (Eigen::Index i = 0; i < d.size(); ++i) d.data()[i] = richardson(d1.data()[i], d2.data()[i]);
    J.col(k) = Eigen::Map<Eigen::VectorXd>(d.data(), d.size());
    if (rounding) {
      Eigen::MatrixXd r = (4 * r2 + r1) / 3;
      rounding->col(k) = Eigen::Map<Eigen::VectorXd>(r.data(), r.size());
    }
  }
  return J;
}

Eigen::MatrixXd fd_hessian(const Expr& f, const std::string& var, const Bindings& point, Eigen::MatrixXd* rounding) {
  Bindings b = point;
  const Eigen::MatrixXd x0 = point.values.at(var);
  const Eigen::Index n = x0.size();
  Eigen::MatrixXd H(n, n);
  if (rounding) rounding->resize(n, n);
  // second differences: truncation ~h^2, rounding ~eps/h^2 with h = eps^(1/4)
  auto h_of = [&](Eigen::Index k) { return std::pow(kEps, 0.25) * std::max(1.0, std::abs(x0.data()[k])); };
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index l = 0; l < n; ++l) {
      // ∂²f/∂x_k∂x_l ≈ D(h) = (f(++) - f(+-) - f(-+) + f(--)) / 4 h_k h_l, error O(h^2); Richardson's
      // (4 D(h/2) - D(h)) / 3 removes the h^2 term, which near the edge of a domain (sqrt(u) at small u)
      // exceeds the tolerance.
      auto difference = [&](double scale, double& bound) {
        const double hk = scale * h_of(k), hl = scale * h_of(l);
        auto at = [&](double sk, double sl) {
          Eigen::MatrixXd x = x0;
          vec_at(x, k) += sk * hk;
          vec_at(x, l) += sl * hl;
          b.values[var] = x;
          return evaluate(f, b)(0, 0);
        };
        const double pp = at(1, 1), pm = at(1, -1), mp = at(-1, 1), mm = at(-1, -1);
        bound = (kEps * std::abs(pp) + kEps * std::abs(pm) + kEps * std::abs(mp) + kEps * std::abs(mm)) / (4 * hk * hl);
        return (pp - pm - mp + mm) / (4 * hk * hl);
      };
      double r1 = 0, r2 = 0;
      const double d1 = difference(1, r1), d2 = difference(0.5, r2);
      H(k, l) = richardson(d1, d2);
      if (rounding) (*rounding)(k, l) = (4 * r2 + r1) / 3;
    }
  return H;
}

Eigen::MatrixXd as_jacobian(QueryOp op, const Eigen::MatrixXd& d, const Expr& f, const Expr& wrt, Layout layout) {
  if (op == QueryOp::Hessian) return d;
  const Layout l = op == QueryOp::Grad ? Layout::Denominator : layout;
  if (f->is_scalar()) {
    // A scalar's derivative: numerator layout has the shape of x', a gradient
    // (denominator layout) the shape of x; either is one row of the Jacobian.
    Eigen::MatrixXd g = l == Layout::Numerator ? Eigen::MatrixXd(d.transpose()) : d;
    return Eigen::Map<const Eigen::RowVectorXd>(g.data(), g.size());
  }
  // Numerator layout: rows are entries of f. By a scalar, the derivative has
  // the shape of f (its transpose in denominator layout): one column.
  Eigen::MatrixXd j = l == Layout::Numerator ? d : Eigen::MatrixXd(d.transpose());
  if (wrt->is_scalar()) return Eigen::Map<const Eigen::VectorXd>(j.data(), j.size());
  return j;
}

double kink_distance(const Expr& e, const Bindings& b) {
  double best = std::numeric_limits<double>::infinity();
  for (const Node* x : ir::topo_order(e).order) {
    if (x->kind != Kind::Call) continue;
    Expr arg;
    if (fn_has(x->fn, fnflag::Kink))
      arg = x->args[0];
    else if (x->fn == Fn::Max || x->fn == Fn::Min)
      arg = ir::sub(x->args[0], x->args[1]);
    if (!arg) continue;
    bool variable = false;  // a kink of a constant (heaviside(0)) is no kink of the function
    for (const Node* y : ir::topo_order(arg).order) variable = variable || y->kind == Kind::Var;
    if (!variable) continue;
    best = std::min(best, evaluate(arg, b).cwiseAbs().minCoeff());
  }
  return best;
}

Bindings random_point(const Program& prog, const std::vector<Expr>& roots, unsigned seed) {
  // Every input variable and symbolic dimension the roots depend on.
  std::map<std::string, Shape> vars;
  std::set<std::string> dims;
  auto note_dim = [&](const Dim& d) { dims.insert(d.symbols().begin(), d.symbols().end()); };
  for (const Node* e : ir::topo_order(roots).order) {
    note_dim(e->shape.rows);
    note_dim(e->shape.cols);
    if (e->kind == Kind::DimSize) note_dim(e->dim);
    if (e->kind == Kind::Var && e->args.empty()) vars.emplace(e->name, e->shape);
  }
  // A point is good when every sub-expression of the roots is finite there, not only the roots:
  // aA^(0^cm) is 0 at cm < 0, |aA| < 1 by way of an infinity, and no derivative is defined there.
  // Next best, a point where the roots are finite; failing that, the last one drawn.
  const ir::Topo topo = ir::topo_order(roots);
  std::vector<Expr> computed;
  for (const Expr& e : ir::exprs_of(topo, roots))
    if (e->kind != Kind::Var || !e->args.empty()) computed.push_back(e);
  std::vector<bool> is_root(computed.size());
  for (std::size_t k = 0; k < computed.size(); ++k)
    for (const auto& root : roots) is_root[k] = is_root[k] || computed[k] == root;
  std::optional<Plan> plan;  // none when every root is an input (diff(x, x))
  if (!computed.empty()) plan.emplace(computed);
  std::optional<Bindings> roots_finite;
  Bindings last;
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
    if (plan) plan->run(b);
    bool all = true, at_roots = true;
    for (std::size_t k = 0; k < computed.size(); ++k) {
      const bool finite = plan->value(k).allFinite();
      all = all && finite;
      at_roots = at_roots && (finite || !is_root[k]);
    }
    if (all) return b;
    if (at_roots && !roots_finite) roots_finite = b;
    last = std::move(b);
  }
  if (roots_finite) return *roots_finite;
  // No point where every root is finite (log(b) + log(-b)): the last one drawn, with a value for every
  // input, so that the caller's check reports the non-finite values.
  return last;
}

FdReport check_derivative(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& closed,
                          const Bindings& point) {
  FdReport rep;
  Eigen::MatrixXd fd, cj, rounding;
  if (op == QueryOp::Hessian) {
    rep.tolerance = 1e-4;  // second differences: error ~sqrt(eps)
    fd = fd_hessian(f, wrt->name, point, &rounding);
  } else {
    rep.tolerance = 1e-6;  // central differences: error ~eps^(2/3)
    fd = fd_jacobian(f, wrt->name, point, &rounding);
  }
  cj = as_jacobian(op, evaluate(closed, point), f, wrt, layout);
  MCALC_ASSERT(cj.rows() == fd.rows() && cj.cols() == fd.cols(), "closed form and differences of different sizes");
  // An entry agrees when it is within the tolerance, beyond what rounding
  // in the differences can account for. Where f's values are so large that
  // rounding alone exceeds the tolerance (1e18*x + c^c by c), the differences
  // cannot tell a right derivative from a wrong one: the check passes nothing
  // it has seen fail, and says that it says little.
  double worst = 0, excess = 0;
  bool finite = true;
  for (Eigen::Index i = 0; i < fd.size(); ++i) {
    if (!std::isfinite(cj.data()[i]) || !std::isfinite(fd.data()[i])) {
      // Beyond double precision (the Hessian of 1e308*a^2 is 2e308): equal infinities agree and
      // resolve nothing; anything else non-finite is a failure.
      if (cj.data()[i] == fd.data()[i]) rep.resolution = std::numeric_limits<double>::infinity();
      else finite = false;
      continue;
    }
    const double scale = 1 + std::abs(fd.data()[i]), error = std::abs(cj.data()[i] - fd.data()[i]) / scale;
    const double noise = rounding.data()[i] / scale;
    worst = std::max(worst, error);
    excess = std::max(excess, error - 4 * noise);  // f itself may be a few units in the last place off
    rep.resolution = std::max(rep.resolution, noise);
  }
  rep.max_rel_error = finite ? worst : std::numeric_limits<double>::infinity();
  rep.unresolved = finite && rep.resolution > rep.tolerance;
  rep.passed = finite && (worst <= rep.tolerance || (rep.unresolved && excess <= rep.tolerance));
  rep.trivial = finite && fd.isZero(0);
  return rep;
}

}  // namespace mcalc::check
