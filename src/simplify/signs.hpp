#pragma once
#include "mcalc/ir.hpp"

namespace mcalc::simp {

/// Gives every product its canonical signs. Inside a product (a tree of *,
/// .*, unary minus and numerators of /) a minus sign can sit in front or in
/// any difference factor: x*(yhat - y) = -(x*(y - yhat)). GiNaC picks one by
/// its term order, which depends on addresses and so changes between runs;
/// this pass picks one by the deterministic simp::key instead:
///   each difference a - b in the product is written with key(a) <= key(b),
///   and a minus sign left over flips the first difference (reading left to
///   right) back, or else negates the first number, or else stays in front.
Expr canonical_signs(const Expr& e);

}  // namespace mcalc::simp
