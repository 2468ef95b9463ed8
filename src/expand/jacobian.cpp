// GiNaC's own entry-wise derivatives of an expanded function, arranged in the
// layouts of mcalc::derivative / gradient / hessian (include/mcalc/diff.hpp).
#include <string>
#include <vector>

#include "mcalc/expand.hpp"
#include "mcalc/print.hpp"

namespace mcalc {
namespace {

using GiNaC::ex;
using GiNaC::matrix;

void check_wrt(const Expr& wrt) {
  if (wrt->kind != Kind::Var || !wrt->args.empty())
    throw UserError(Msg::WrtNotVariable, wrt->loc, {wrt->kind == Kind::Var ? wrt->name : to_text(wrt)});
}

void check_scalar(const char* op, const Expr& f) {
  if (!f->is_scalar()) throw UserError(Msg::NotScalar, f->loc, {op, f->shape.str()});
}

/// d with conjugate(t) replaced by t: every entry symbol is real, but GiNaC's
/// rule for abs leaves a held conjugate ((conjugate(x) + x)/(2 abs(x))).
ex real(const ex& d) {
  if (!d.has(GiNaC::conjugate_function(GiNaC::wild(0)))) return d;
  return d.subs(GiNaC::conjugate_function(GiNaC::wild(0)) == GiNaC::wild(0));
}

// f is made real first too: abs(x)^2 is x*conjugate(x) to GiNaC, whose derivative
// would keep a D[0](conjugate)(x) that no substitution of conjugate removes.
ex derivative_of(const ex& f, const GiNaC::symbol& x) { return real(real(f).diff(x)); }

/// `body()`, with an exception of GiNaC's while it differentiates the expansion (0^(c^2) by
/// any entry: a division by zero) the located ExpandUndefined error at f.
template <class Body>
matrix at_f(const Expr& f, Body&& body) {
  try {
    return body();
  } catch (const UserError&) {
    throw;
  } catch (const InternalError&) {
    throw;
  } catch (const std::exception& x) {
    throw UserError(Msg::ExpandUndefined, f->loc, {to_text(f), x.what()});
  }
}

/// The entries of m in order, a row vector read as its column (column-major
/// for a matrix, as vec()).
std::vector<ex> entries(const matrix& m) {
  std::vector<ex> out;
  for (unsigned j = 0; j < m.cols(); ++j)
    for (unsigned i = 0; i < m.rows(); ++i) out.push_back(m(i, j));
  return out;
}

std::vector<GiNaC::symbol> symbols(const Expr& wrt, const Sizes& sizes) {
  matrix x = variable_entries(wrt, sizes);
  std::vector<GiNaC::symbol> out;
  for (const ex& s : entries(x)) out.push_back(GiNaC::ex_to<GiNaC::symbol>(s));
  return out;
}

/// G_ij = ∂f/∂X_ij (the shape of X) for the single entry f.
matrix gradient_of(const ex& f, const Expr& wrt, const Sizes& sizes) {
  matrix x = variable_entries(wrt, sizes);
  matrix g(x.rows(), x.cols());
  for (unsigned i = 0; i < x.rows(); ++i)
    for (unsigned j = 0; j < x.cols(); ++j) g(i, j) = derivative_of(f, GiNaC::ex_to<GiNaC::symbol>(x(i, j)));
  return g;
}

GiNaC::matrix jacobian_of(const Expr& f, const Expr& wrt, const Sizes& sizes, Layout layout) {
  check_wrt(wrt);
  require_sizes(wrt, sizes);
  if (f->is_scalar()) {
    // Numerator layout: (∂f/∂X)ᵀ, a row for a vector x; denominator: the shape of X.
    matrix g = gradient_of(expand(f, sizes)(0, 0), wrt, sizes);
    return layout == Layout::Numerator ? g.transpose() : g;
  }
  if (wrt->is_scalar() && !f->shape.is_vector_like()) {
    // A matrix by a scalar: the shape of f in numerator layout, of fᵀ in denominator (as diff).
    matrix fm = expand(f, sizes);
    const GiNaC::symbol z = symbols(wrt, sizes).front();
    matrix d(fm.rows(), fm.cols());
    for (unsigned i = 0; i < fm.rows(); ++i)
      for (unsigned c = 0; c < fm.cols(); ++c) d(i, c) = derivative_of(fm(i, c), z);
    return layout == Layout::Numerator ? d : d.transpose();
  }
  // J_ij = ∂vec(f)_i/∂vec(x)_j: len(f) x len(x) in numerator layout, Jᵀ in denominator (a matrix
  // f or x by its entries in column-major order, the vec/Kronecker convention).
  std::vector<ex> fs = entries(expand(f, sizes));
  std::vector<GiNaC::symbol> xs = symbols(wrt, sizes);
  matrix j(static_cast<unsigned>(fs.size()), static_cast<unsigned>(xs.size()));
  for (unsigned r = 0; r < fs.size(); ++r)
    for (unsigned c = 0; c < xs.size(); ++c) j(r, c) = derivative_of(fs[r], xs[c]);
  return layout == Layout::Numerator ? j : j.transpose();
}

GiNaC::matrix gradient_entries(const Expr& f, const Expr& wrt, const Sizes& sizes) {
  check_wrt(wrt);
  check_scalar("grad", f);
  require_sizes(wrt, sizes);
  return gradient_of(expand(f, sizes)(0, 0), wrt, sizes);
}

GiNaC::matrix hessian_of(const Expr& f, const Expr& wrt, const Sizes& sizes) {
  check_wrt(wrt);
  check_scalar("hessian", f);
  require_sizes(wrt, sizes);
  // H_ij = ∂²f/∂x_i∂x_j, x = vec(X) for a matrix
  ex fx = expand(f, sizes)(0, 0);
  std::vector<GiNaC::symbol> xs = symbols(wrt, sizes);
  matrix h(static_cast<unsigned>(xs.size()), static_cast<unsigned>(xs.size()));
  for (unsigned i = 0; i < xs.size(); ++i) {
    ex di = derivative_of(fx, xs[i]);
    for (unsigned j = 0; j < xs.size(); ++j) h(i, j) = derivative_of(di, xs[j]);
  }
  return h;
}

}  // namespace

GiNaC::matrix expanded_jacobian(const Expr& f, const Expr& wrt, const Sizes& sizes, Layout layout) {
  return at_f(f, [&] { return jacobian_of(f, wrt, sizes, layout); });
}

GiNaC::matrix expanded_gradient(const Expr& f, const Expr& wrt, const Sizes& sizes) {
  return at_f(f, [&] { return gradient_entries(f, wrt, sizes); });
}

GiNaC::matrix expanded_hessian(const Expr& f, const Expr& wrt, const Sizes& sizes) {
  return at_f(f, [&] { return hessian_of(f, wrt, sizes); });
}

}  // namespace mcalc
