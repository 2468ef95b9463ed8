#pragma once
// The rule table of the differentiator (internal side): the differential of
// every node kind and function, said once. Every mode takes its rules from
// `differential`; see engine.cpp.
#include <vector>

#include "mcalc/diff.hpp"

namespace mcalc {
namespace dx {

/// dF for the node F = e in the differentials `d` of its operands (d[k] has
/// the shape of e->args[k], or is nullptr when that operand does not vary).
/// Linear in the d[k]; nullptr when no operand varies. Built with the
/// simplifier's rule-applying constructors. Throws NotDifferentiable for a
/// construct without a rule.
Expr differential(const Expr& e, const std::vector<Expr>& d);

}  // namespace dx
}  // namespace mcalc
