#pragma once
/// \file
/// Simplification of IR expressions to the form a textbook prints.
///
/// Rewrite rules are grouped by head node (src/simplify/rules_<head>.cpp); each
/// rule is one line with the identity it applies. Structural matrices (eye,
/// ones, zeros, diag, unit) are never materialised. Scalar and elementwise
/// subexpressions are normalised through GiNaC and given a deterministic order
/// of factors and terms. Shared subexpressions stay shared (memoised per node),
/// and a node no rule changes is returned as is.
#include "mcalc/ir.hpp"

namespace mcalc {

/// The simplified form of `e` (same shape, same value wherever `e` is defined).
Expr simplify(const Expr& e);

/// Number of nodes of `e` counted as a tree, where an intermediate variable
/// counts as 1 (it prints by name). Used to compare candidate forms.
std::size_t expr_size(const Expr& e);

}  // namespace mcalc
