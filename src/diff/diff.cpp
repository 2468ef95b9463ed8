// The public front of the differentiator: layouts, checks and errors, and the
// choice of mode (reverse for a scalar f, forward Jacobians for a vector f,
// Hessian = Jacobian of the gradient).
#include "mcalc/diff.hpp"

#include <cmath>

#include "diff/internal.hpp"
#include "mcalc/limits.hpp"
#include "mcalc/topo.hpp"
#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace {

void check_wrt(const Expr& wrt) {
  if (wrt->kind != Kind::Var)
    throw UserError(Msg::WrtNotVariable, wrt->loc, {wrt->kind == Kind::Var ? wrt->name : dx::describe(wrt)});
}

/// The derivative of A^k is a sum of k terms (Σ_i (Aᵀ)^i G (Aᵀ)^(k-1-i)):
/// refused, before any work, beyond limits::max_power_terms.
void check_power_terms(const Expr& f) {
  auto check = [](const Expr& e) {
    if (e->kind == Kind::Pow && !e->args[0]->is_scalar() && e->args[1]->kind == Kind::Num &&
        std::fabs(e->args[1]->num) > static_cast<double>(limits::max_power_terms))
      throw UserError(Msg::NotDifferentiable, e->loc,
                      {dx::describe(e), "the derivative of a matrix power A^k has k terms, and the limit is " +
                                            std::to_string(limits::max_power_terms)});
  };
  check(f);
  for (const Node* n : ir::topo_order(f).order)
    for (const auto& a : n->args) check(a);
}

void check_scalar(const char* op, const Expr& f) {
  if (!f->is_scalar()) throw UserError(Msg::NotScalar, f->loc, {op, f->shape.str()});
}

/// Every subexpression of `d` equal to the definition of an intermediate
/// variable of f is replaced by the variable, so results read in the
/// variables' names (yhat - y rather than sigmoid(z3) - y) and stay small.
Expr use_names(const Expr& d, const Expr& f) {
  std::vector<std::pair<Expr, Expr>> names;
  const ir::Topo t = ir::topo_order(f);
  for (const Expr& e : ir::exprs_of(t, {f}))
    if (e->kind == Kind::Var && !e->args.empty() && !e->args[0]->args.empty()) names.push_back({e->args[0], e});
  return ir::name_forms(d, names, simp::rebuild);
}

/// Runs `body`; a user error raised without a location (in a node the
/// differentiator built, such as a node of the gradient inside a Hessian) is
/// located at f, the user's expression it came from.
template <class F>
Expr located_at(const Expr& f, F&& body) {
  try {
    return body();
  } catch (const UserError& e) {
    if (e.loc().valid() || !f->loc.valid()) throw;
    UserError located = e;
    located.locate(f->loc);
    throw located;
  }
}

Expr derivative_of(const Expr& f, const Expr& wrt, Layout layout, Trace* trace) {
  check_wrt(wrt);
  check_power_terms(f);
  Expr d;
  if (f->is_scalar()) {
    // d f/d x (numerator) = (∇f)ᵀ: a row for a vector x, the shape of Xᵀ for a matrix X.
    Expr g = dx::reverse_gradient(f, wrt, trace);
    d = layout == Layout::Numerator ? simp::transpose(g) : g;
  } else if (wrt->is_scalar()) {
    // d f/d z for a scalar z: the tangent, shape of f (a column for a vector f
    // in numerator layout, as every Jacobian with one column per entry of z).
    Expr t = dx::forward_tangent(f, wrt, trace);
    if (f->shape.is_row()) t = simp::transpose(t);
    d = layout == Layout::Numerator ? t : simp::transpose(t);
  } else if (by_vec(QueryOp::Diff, f->shape, wrt->shape)) {
    // A matrix f, or any f by a matrix: d vec(f)/d vec(wrt)ᵀ (numerator, Magnus & Neudecker);
    // denominator layout: its transpose.
    Expr j = dx::forward_vec_jacobian(f, wrt);
    d = layout == Layout::Numerator ? j : simp::transpose(j);
  } else {
    // d f/d x (numerator) = J, len(f) x len(x); denominator layout: Jᵀ.
    Expr j = dx::forward_jacobian(f, wrt, trace);
    d = layout == Layout::Numerator ? j : simp::transpose(j);
  }
  if (trace) trace->steps.push_back({Trace::Step::Kind::Result, f, 0, {}, d});
  return simplify(use_names(simplify(use_names(d, f)), f));
}

Expr gradient_of(const Expr& f, const Expr& wrt, Trace* trace) {
  check_wrt(wrt);
  check_power_terms(f);
  check_scalar("grad", f);
  Expr g = dx::reverse_gradient(f, wrt, trace);
  if (trace) trace->steps.push_back({Trace::Step::Kind::Result, f, 0, {}, g});
  return simplify(use_names(simplify(use_names(g, f)), f));
}

Expr hessian_of(const Expr& f, const Expr& wrt, Trace* trace) {
  check_wrt(wrt);
  check_power_terms(f);
  check_scalar("hessian", f);
  // H = J(∇f): the Jacobian of the gradient (a derivative by a scalar for a scalar wrt); by a
  // matrix W, d vec(∇f)/d vec(W)ᵀ, (mn) x (mn).
  Expr g = simplify(use_names(dx::reverse_gradient(f, wrt), f));
  Expr h = wrt->is_scalar()              ? dx::forward_tangent(g, wrt, trace)
           : by_vec(QueryOp::Hessian, f->shape, wrt->shape) ? dx::forward_vec_jacobian(g, wrt)
                                         : dx::forward_jacobian(g, wrt, trace);
  if (trace) trace->steps.push_back({Trace::Step::Kind::Result, g, 0, {}, h});
  return simplify(use_names(simplify(use_names(h, f)), f));
}

}  // namespace

Expr derivative(const Expr& f, const Expr& wrt, Layout layout, Trace* trace) {
  return located_at(f, [&] { return derivative_of(f, wrt, layout, trace); });
}

Expr gradient(const Expr& f, const Expr& wrt, Trace* trace) {
  return located_at(f, [&] { return gradient_of(f, wrt, trace); });
}

Expr hessian(const Expr& f, const Expr& wrt, Trace* trace) {
  return located_at(f, [&] { return hessian_of(f, wrt, trace); });
}

Expr differentiate(QueryOp op, const Expr& f, const Expr& wrt, Layout layout) {
  switch (op) {
    case QueryOp::Diff: return derivative(f, wrt, layout);
    case QueryOp::Grad: return gradient(f, wrt);
    case QueryOp::Hessian: return hessian(f, wrt);
  }
  MCALC_UNREACHABLE("unknown query");
}

bool by_vec(QueryOp op, const Shape& f, const Shape& wrt) {
  const bool matrix_wrt = !wrt.cols.is_one();
  switch (op) {
    case QueryOp::Diff: return !f.is_scalar() && !wrt.is_scalar() && (matrix_wrt || !f.is_vector_like());
    case QueryOp::Grad: return false;
    case QueryOp::Hessian: return matrix_wrt;
  }
  MCALC_UNREACHABLE("unknown query");
}

std::vector<Expr> step_conditions(const Expr& d) {
  std::vector<Expr> out;
  for (const Node* n : ir::topo_order(d).order) {
    if (n->kind != Kind::Call || n->fn != Fn::Step) continue;
    bool known = false;
    for (const auto& u : out) known = known || ir::equal(u, n->args[0]);
    if (!known) out.push_back(n->args[0]);
  }
  return out;
}

}  // namespace mcalc
