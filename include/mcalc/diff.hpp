#pragma once
/// \file
/// Symbolic differentiation of typed IR expressions in closed matrix form.
///
/// Layouts (see docs/rules.md):
///  - Numerator layout (default, as the lecture and Parr & Howard): the
///    Jacobian of f with respect to x has one row per entry of f and one column
///    per entry of x. A scalar differentiated by a vector is a row
///    (d(w'x)/dw = x'); a scalar differentiated by a matrix X has the shape of X'.
///  - Denominator layout: every one of these transposed.
/// gradient() always has the shape of wrt; hessian() is n x n.
///
/// Errors (UserError, located at the offending node): Msg::NotDifferentiable for
/// a construct without a rule, Msg::TensorResult when the derivative would be a
/// third-order tensor, Msg::WrtNotVariable when wrt is not an input variable,
/// Msg::NotScalar when grad/hessian is asked of a non-scalar.
#include <vector>

#include "mcalc/ir.hpp"

namespace mcalc {

enum class Layout { Numerator, Denominator };

/// diff(f, x): the derivative of f with respect to the input variable `wrt`
/// (an ir::var node), simplified. Intermediate variables in f are followed
/// through their definitions (law of total derivatives) and kept by name in
/// the result.
Expr derivative(const Expr& f, const Expr& wrt, Layout layout = Layout::Numerator);

/// grad(f, x): the gradient of the scalar f, with the shape of wrt, simplified.
Expr gradient(const Expr& f, const Expr& wrt);

/// hessian(f, x): the n x n matrix of second derivatives of the scalar f with
/// respect to the vector (or scalar) wrt, simplified.
Expr hessian(const Expr& f, const Expr& wrt);

/// The distinct arguments u of the step(u) factors in a derivative, in order of
/// first appearance: the conditions a derivation shows in cases form
/// (0 where u <= 0, the rest where u > 0).
std::vector<Expr> step_conditions(const Expr& derivative);

}  // namespace mcalc
