#pragma once
// Internal interface of the simplifier: rule-applying constructors, one per
// head node. Each takes already simplified operands and returns the simplest
// node it knows for the combination (the plain node when no rule applies).
// The differentiator builds its results with these, so that zeros, ones and
// identities never enter a derivative in the first place.
#include <string>
#include <vector>

#include "mcalc/ir.hpp"
#include "mcalc/simplify.hpp"

namespace mcalc {
namespace simp {

// ---- the record of applied rules (off unless a RuleLogScope is alive) -----
extern thread_local RuleLog* active_log;
void note(Rule r);
/// `result`, noting that rule `r` produced it: every rule line is
/// `return fire(Rule::id, result);`, one identity per rule.
inline Expr fire(Rule r, Expr result) {
  if (active_log) note(r);
  return result;
}

// ---- predicates ----------------------------------------------------------
bool is_zero(const Expr& e);           // num 0 or zeros(...)
bool is_num(const Expr& e, double v);  // the scalar literal v
bool is_ones(const Expr& e);           // ones(...)
bool is_eye(const Expr& e);
bool is_call(const Expr& e, Fn f);
/// `e` is known symmetric (S' = S): X'*X, A + A', inv(S), S^k, s*S, diag(v),
/// eye, S1 + S2, X'*S*X. Structural, bounded depth; false when unsure.
bool is_symmetric(const Expr& e);
/// Quick structural equality: same node, or ir::equal after cheap checks.
bool same(const Expr& a, const Expr& b);
/// A deterministic text key of `e` (infix, bounded length): used to order
/// commutative operands and to identify atoms. Not the user-facing printer.
std::string key(const Expr& e);
/// The zero of a shape: num(0) for a scalar, zeros(shape) otherwise.
Expr zero_of(const Shape& s);
/// The number of entries of a shape as a scalar expression (n, m*n, 1).
Expr numel(const Shape& s);

// ---- rule-applying constructors (rules_*.cpp) ---------------------------
Expr add(Expr a, Expr b);
Expr sub(Expr a, Expr b);
Expr neg(Expr a);
Expr mul(Expr a, Expr b);
Expr div(Expr a, Expr b);
Expr hadamard(Expr a, Expr b);
Expr elem_div(Expr a, Expr b);
Expr elem_pow(Expr a, Expr b);
Expr pow(Expr a, Expr b);
Expr dot(Expr a, Expr b);
Expr transpose(Expr a);
Expr index(Expr a, long i, long j);
Expr call(Fn f, std::vector<Expr> args);
Expr literal(long rows, long cols, std::vector<Expr> entries);

/// `a` with one factor `f` taken out of its chain of .* (or of scalar *), or
/// nullptr; ones (1) when a is f.
Expr without_factor(const Expr& a, const Expr& f);
/// a/b written with sigmoid when b is 1 + exp(v) and a has a factor exp(v):
/// p.*exp(v)./(1 + exp(v)) = p.*sigmoid(v); else nullptr.
Expr sigmoid_quotient(const Expr& a, const Expr& b);
/// The same with b = (1 + exp(v)).^2:
/// p.*exp(v)./(1 + exp(v)).^2 = p.*sigmoid(v).*(1 - sigmoid(v)); else nullptr.
Expr sigmoid_slope_quotient(const Expr& a, const Expr& b);

/// Rebuilds `e` (any kind) from new operands through the rules above; returns
/// `e` itself when the operands are the same nodes and no rule applies.
Expr rebuild(const Expr& e, std::vector<Expr> args);

/// Replaces every occurrence of relu(u), max(0, u) and max(u, 0) in `e` by u
/// (valid inside a product with step(u): where step(u) = 0 the product is 0,
/// where it is 1, u > 0 and max(0, u) = u).
Expr drop_relu_of(const Expr& e, const Expr& u);

}  // namespace simp
}  // namespace mcalc
