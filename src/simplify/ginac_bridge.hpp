#pragma once
// The bridge between the IR and GiNaC for the scalar world: elementwise
// subexpressions become GiNaC expressions over real symbols (one per "atom",
// a maximal non-elementwise subexpression such as x, X*w or sum(u)), and come
// back as IR with a deterministic order of terms and factors (GiNaC's own
// printed order is not stable between runs).
//
// The language's functions that GiNaC lacks (sigmoid, relu, step, heaviside,
// softplus, sign, leaky_relu, max, min) are GiNaC functions defined in
// ginac_bridge.cpp with their derivatives, so the derivative of every
// elementwise function is GiNaC's diff of f(t) for a fresh symbol t.
#include <ginac/ginac.h>

#include <utility>
#include <vector>

#include "mcalc/ir.hpp"

namespace mcalc {
namespace gx {

/// True for the nodes the bridge translates (the rest are atoms): numbers,
/// + - unary-, .* ./ .^, scalar ^, scaling and / by a scalar, and calls of
/// elementwise functions.
bool is_elementwise(const Expr& e);

/// f applied to GiNaC arguments (f elementwise).
GiNaC::ex apply_fn(Fn f, const std::vector<GiNaC::ex>& args);

/// sign(x) as the GiNaC function of the language (abs'(t) = sign(t) away from 0).
GiNaC::ex sign_of(const GiNaC::ex& x);

class Bridge {
 public:
  /// e as a GiNaC expression; atoms become real symbols.
  GiNaC::ex to(const Expr& e);
  /// A fresh symbol standing for the IR node `e` (used for f(t) with t := u).
  GiNaC::ex bind(const Expr& e);
  /// The IR form of x with shape `want` (a scalar result is broadcast).
  /// Returns nullptr when x contains something the IR cannot express.
  Expr from(const GiNaC::ex& x, const Shape& want);

 private:
  Expr from_rec(const GiNaC::ex& x);
  Shape shape_of(const GiNaC::ex& x);
  GiNaC::ex atom(const Expr& e);
  std::vector<std::pair<Expr, GiNaC::realsymbol>> atoms_;
};

}  // namespace gx
}  // namespace mcalc
