#pragma once
// Numerically stable forms for evaluation. Each rewrite is an identity, so the
// value is unchanged where both forms are finite; the right-hand side stays
// finite where the left overflows or rounds to log(0) (|u| of a few hundred),
// or defined where the left is not (the gradient of det at a singular matrix):
//
//   log(sigmoid(u))      = -softplus(-u)
//   log(1 - sigmoid(u))  = -softplus(u)
//   log(1 + exp(u))      = softplus(u)
//   log(sum(exp(x)))     = logsumexp(x)
//   log(softmax(x))      = x - logsumexp(x)
//   det(S) * ... * inv(S) = adj(S)  (a product's factors, inv(S) or inv(S)'; adj from the SVD)
//
// softplus and logsumexp have stable kernels (max(u, 0) + log1p(exp(-|u|)),
// and the max-shifted sum). An intermediate variable is looked through
// (yhat = sigmoid(z); log(yhat)), so cross-entropy written with the lecture's
// names is stable too.
#include "mcalc/ir.hpp"

namespace mcalc::eval {

Expr stable_forms(const Expr& e);

}  // namespace mcalc::eval
