// Rules with head + , - and unary -. One line per rule: the rule's id (see
// include/mcalc/simplify_rules.def) and the identity it applies.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {
namespace {

/// s broadcast to shape `to` (s*ones(to)); s itself when the shapes agree.
Expr widen(const Expr& s, const Shape& to) { return s->shape == to ? s : mul(s, ir::ones(to)); }

bool is_neg_scaled(const Expr& e) {  // (-c)*X with a literal c > 0
  return e->kind == Kind::Mul && e->args[0]->kind == Kind::Num && e->args[0]->num < 0;
}
Expr flip_scaled(const Expr& e) { return mul(ir::num(-e->args[0]->num), e->args[1]); }

/// P*Q ± P*R = P*(Q ± R): a common left factor (a matrix product, or scaling
/// by the same scalar) pulled out, or nullptr.
Expr factor_out_left(const Expr& a, const Expr& b, bool plus) {
  if (a->kind != Kind::Mul || b->kind != Kind::Mul) return nullptr;
  const Expr &p = a->args[0], &q = a->args[1], &r = b->args[0], &t = b->args[1];
  if (same(p, r) && (p->is_scalar() || (q->shape == t->shape))) {
    if (p->is_scalar() || ir::broadcast_compatible(q->shape, t->shape)) return mul(p, plus ? add(q, t) : sub(q, t));
  }
  return nullptr;
}

/// Q*P ± R*P = (Q ± R)*P: a common right factor (matrix products Q*P, R*P, or
/// scalings q*P, r*P) pulled out, or nullptr.
Expr factor_out_right(const Expr& a, const Expr& b, bool plus) {
  if (a->kind != Kind::Mul || b->kind != Kind::Mul) return nullptr;
  const Expr &p = a->args[0], &q = a->args[1], &r = b->args[0], &t = b->args[1];
  if (same(q, t) && !q->is_scalar() && ir::broadcast_compatible(p->shape, r->shape)) {
    if ((p->is_scalar() && r->is_scalar()) || (!p->is_scalar() && !r->is_scalar() && p->shape == r->shape))
      return mul(plus ? add(p, r) : sub(p, r), q);
  }
  return nullptr;
}

/// s*diag(a) ± t*diag(b) = diag(s*a ± t*b), each of s, t a scalar, a sign or
/// absent (diag(a) ± diag(b) = diag(a ± b) is the rule before it).
Expr merge_diag(const Expr& a, const Expr& b, bool plus) {
  auto inner = [](const Expr& e) -> Expr {
    if (is_call(e, Fn::DiagOf)) return e->args[0];
    if (e->kind == Kind::Mul && e->args[0]->is_scalar() && is_call(e->args[1], Fn::DiagOf))
      return mul(e->args[0], e->args[1]->args[0]);
    if (e->kind == Kind::Neg && is_call(e->args[0], Fn::DiagOf)) return neg(e->args[0]->args[0]);
    return nullptr;
  };
  Expr x = inner(a), y = inner(b);
  if (!x || !y) return nullptr;
  return call(Fn::DiagOf, {plus ? add(x, y) : sub(x, y)});
}

/// [a_ij] ± [b_ij] = [a_ij ± b_ij] for two bracket literals of one size.
Expr merge_literals(const Expr& a, const Expr& b, bool plus) {
  if (a->kind != Kind::Literal || b->kind != Kind::Literal || a->shape != b->shape) return nullptr;
  std::vector<Expr> es;
  for (std::size_t k = 0; k < a->args.size(); ++k)
    es.push_back(plus ? add(a->args[k], b->args[k]) : sub(a->args[k], b->args[k]));
  return literal(a->lit_rows, a->lit_cols, std::move(es));
}

// ---- like terms ------------------------------------------------------------
// A sum is read as signed terms c*X (c a scalar coefficient, nullptr for 1);
// terms with equal X are merged into (c1 + c2)*X. Sums longer than kTermLimit
// are not searched (a chain built term by term stays collected, so
// x + x + ... + x with thousands of terms is one step per term).
constexpr std::size_t kTermLimit = 128;

struct Term {
  Expr coef;  // scalar, or nullptr for 1
  Expr base;
  bool negative;
};

Term split(const Expr& t, bool negative) {
  if (t->kind == Kind::Neg) return split(t->args[0], !negative);
  if (t->kind == Kind::Mul && t->args[0]->is_scalar() && (!t->is_scalar() || t->args[0]->kind == Kind::Num)) {
    if (t->args[0]->kind == Kind::Num && t->args[0]->num < 0) return {ir::num(-t->args[0]->num), t->args[1], !negative};
    return {t->args[0], t->args[1], negative};
  }
  return {nullptr, t, negative};
}

/// The terms of `e` with signs; false when there are more than kTermLimit.
bool terms(const Expr& e, bool negative, const Shape& shape, std::vector<Term>& out) {
  if ((e->kind == Kind::Add || e->kind == Kind::Sub) && e->shape == shape) {
    return terms(e->args[0], negative, shape, out) &&
           terms(e->args[1], e->kind == Kind::Sub ? !negative : negative, shape, out);
  }
  if (out.size() >= kTermLimit) return false;
  out.push_back(split(e, negative));
  return true;
}

Expr signed_coef(const Term& t) {
  Expr c = t.coef ? t.coef : ir::num(1);
  return t.negative ? neg(c) : c;
}

Expr collect(const Expr& a, const Expr& b, bool plus, const Shape& shape) {
  std::vector<Term> ts, bs;
  if (!terms(b, !plus, shape, bs) || !terms(a, false, shape, ts)) return nullptr;
  bool merged = false;
  for (const Term& bt : bs) {
    bool found = false;
    for (Term& t : ts) {
      if (t.base && t.base->shape == bt.base->shape && same(t.base, bt.base)) {
        Expr c = add(signed_coef(t), signed_coef(bt));
        t = split(mul(c, t.base), false);
        if (is_zero(t.base) || (t.coef && is_zero(t.coef))) t.base = nullptr;  // cancelled
        found = merged = true;
        break;
      }
    }
    if (!found) ts.push_back(bt);
  }
  if (!merged) return nullptr;
  // The collected sum in the order GiNaC's sums are given: positive terms
  // before negative ones, larger terms first, then by key.
  std::vector<std::pair<Expr, bool>> vs;
  for (const Term& t : ts)
    if (t.base) vs.emplace_back(t.coef ? mul(t.coef, t.base) : t.base, t.negative);
  std::stable_sort(vs.begin(), vs.end(), [](const auto& x, const auto& y) {
    if (x.second != y.second) return !x.second;
    std::size_t zx = expr_size(x.first), zy = expr_size(y.first);
    if (zx != zy) return zx > zy;
    return key(x.first) < key(y.first);
  });
  Expr r;
  for (const auto& [v, negative] : vs) {
    if (!r) {
      r = negative ? neg(v) : v;
    } else {
      r = negative ? ir::sub(r, v) : ir::add(r, v);
    }
  }
  return r ? widen(r, shape) : zero_of(shape);
}

}  // namespace

Expr add(Expr a, Expr b) {
  Shape s = ir::broadcast_compatible(a->shape, b->shape) ? (a->is_scalar() ? b->shape : a->shape) : a->shape;
  if (is_zero(a)) return fire(Rule::add_zero_left, widen(b, s));                      // 0 + b = b
  if (is_zero(b)) return fire(Rule::add_zero_right, widen(a, s));                     // a + 0 = a
  if (a->kind == Kind::Num && b->kind == Kind::Num && std::isfinite(a->num + b->num))
    return fire(Rule::add_const, ir::num(a->num + b->num));                           // c1 + c2
  if (a->kind == Kind::Neg) return fire(Rule::add_neg_left, sub(b, a->args[0]));      // -a + b = b - a
  if (b->kind == Kind::Neg) return fire(Rule::add_neg_right, sub(a, b->args[0]));     // a + -b = a - b
  if (is_neg_scaled(b)) return fire(Rule::add_neg_scaled, sub(a, flip_scaled(b)));    // a + (-c)*X = a - c*X
  if (Expr c = collect(a, b, true, s)) return fire(Rule::add_like_terms, c);          // s*X + t*X = (s + t)*X
  if (Expr l = merge_literals(a, b, true)) return fire(Rule::add_literal, l);         // [a] + [b] = [a + b]
  if (a->kind == Kind::Transpose && same(a->args[0], b))
    return fire(Rule::add_transpose_order, add(b, a));                                // A' + A = A + A'
  if (is_call(a, Fn::DiagOf) && is_call(b, Fn::DiagOf))                               // diag(a) + diag(b) = diag(a + b)
    return fire(Rule::add_diag, call(Fn::DiagOf, {add(a->args[0], b->args[0])}));
  if (Expr d = merge_diag(a, b, true)) return fire(Rule::add_diag_scaled, d);         // s*diag(a) + t*diag(b) = diag(s*a + t*b)
  if (Expr f = factor_out_left(a, b, true)) return fire(Rule::add_common_factor_left, f);    // P*Q + P*R = P*(Q + R)
  if (Expr f = factor_out_right(a, b, true)) return fire(Rule::add_common_factor_right, f);  // Q*P + R*P = (Q + R)*P
  return ir::add(std::move(a), std::move(b));
}

Expr sub(Expr a, Expr b) {
  Shape s = a->is_scalar() ? b->shape : a->shape;
  if (is_zero(b)) return fire(Rule::sub_zero, widen(a, s));                           // a - 0 = a
  if (is_zero(a)) return fire(Rule::sub_from_zero, widen(neg(b), s));                 // 0 - b = -b
  if (a->kind == Kind::Num && b->kind == Kind::Num && std::isfinite(a->num - b->num))
    return fire(Rule::sub_const, ir::num(a->num - b->num));                           // c1 - c2
  if (same(a, b)) return fire(Rule::sub_self, zero_of(s));                            // a - a = 0
  if (b->kind == Kind::Neg) return fire(Rule::sub_neg_right, add(a, b->args[0]));     // a - -b = a + b
  if (a->kind == Kind::Neg) return fire(Rule::sub_neg_left, neg(add(a->args[0], b))); // -a - b = -(a + b)
  if (is_neg_scaled(b)) return fire(Rule::sub_neg_scaled, add(a, flip_scaled(b)));    // a - (-c)*X = a + c*X
  if (Expr c = collect(a, b, false, s)) return fire(Rule::sub_like_terms, c);         // s*X - t*X = (s - t)*X
  if (Expr l = merge_literals(a, b, false)) return fire(Rule::sub_literal, l);        // [a] - [b] = [a - b]
  if (is_call(a, Fn::DiagOf) && is_call(b, Fn::DiagOf))                               // diag(a) - diag(b) = diag(a - b)
    return fire(Rule::sub_diag, call(Fn::DiagOf, {sub(a->args[0], b->args[0])}));
  if (Expr d = merge_diag(a, b, false)) return fire(Rule::sub_diag_scaled, d);        // s*diag(a) - t*diag(b) = diag(s*a - t*b)
  if (Expr f = factor_out_left(a, b, false)) return fire(Rule::sub_common_factor_left, f);    // P*Q - P*R = P*(Q - R)
  if (Expr f = factor_out_right(a, b, false)) return fire(Rule::sub_common_factor_right, f);  // Q*P - R*P = (Q - R)*P
  return ir::sub(std::move(a), std::move(b));
}

namespace {
/// -e without a new node when e has a place to take the sign: a difference,
/// a negation, a literal, or a factor of a product that has one; else nullptr.
Expr absorb_neg(const Expr& e) {
  switch (e->kind) {
    case Kind::Neg: return e->args[0];                                             // -(-a) = a
    case Kind::Num: return ir::num(-e->num);
    case Kind::Sub: return sub(e->args[1], e->args[0]);                            // -(a - b) = b - a
    case Kind::Mul: case Kind::Hadamard:                                           // -(A*B) = A*(-B)
      if (Expr b = absorb_neg(e->args[1])) return e->kind == Kind::Mul ? mul(e->args[0], b) : hadamard(e->args[0], b);
      if (Expr a = absorb_neg(e->args[0])) return e->kind == Kind::Mul ? mul(a, e->args[1]) : hadamard(a, e->args[1]);
      return nullptr;
    case Kind::Div: case Kind::ElemDiv:                                            // -(a/b) = (-a)/b
      if (Expr a = absorb_neg(e->args[0])) return e->kind == Kind::Div ? div(a, e->args[1]) : elem_div(a, e->args[1]);
      return nullptr;
    default:
      return nullptr;
  }
}
}  // namespace

Expr neg(Expr a) {
  if (is_zero(a)) return fire(Rule::neg_zero, a);                                     // -0 = 0
  if (a->kind == Kind::Num) return fire(Rule::neg_const, ir::num(-a->num));           // -(c) = (-c)
  if (a->kind == Kind::Neg) return fire(Rule::neg_neg, a->args[0]);                   // --a = a
  if (a->kind == Kind::Sub) return fire(Rule::neg_sub, sub(a->args[1], a->args[0]));  // -(a - b) = b - a
  if (a->kind == Kind::Mul && a->args[0]->kind == Kind::Num)                          // -(c*X) = (-c)*X
    return fire(Rule::neg_scaled, mul(ir::num(-a->args[0]->num), a->args[1]));
  if (is_call(a, Fn::DiagOf) || a->kind == Kind::Literal) return ir::neg(std::move(a));
  // The sign taken by an operand that has a place for it (absorb_neg), without a new node.
  const std::vector<Expr>& x = a->args;
  if (a->kind == Kind::Mul) {
    if (Expr b = absorb_neg(x[1])) return fire(Rule::neg_into_mul_right, mul(x[0], b));              // -(A*B) = A*(-B)
    if (Expr b = absorb_neg(x[0])) return fire(Rule::neg_into_mul_left, mul(b, x[1]));               // -(A*B) = (-A)*B
  }
  if (a->kind == Kind::Hadamard) {
    if (Expr b = absorb_neg(x[1])) return fire(Rule::neg_into_hadamard_right, hadamard(x[0], b));    // -(a.*b) = a.*(-b)
    if (Expr b = absorb_neg(x[0])) return fire(Rule::neg_into_hadamard_left, hadamard(b, x[1]));     // -(a.*b) = (-a).*b
  }
  if (a->kind == Kind::Div)
    if (Expr b = absorb_neg(x[0])) return fire(Rule::neg_into_div, div(b, x[1]));                    // -(A/s) = (-A)/s
  if (a->kind == Kind::ElemDiv)
    if (Expr b = absorb_neg(x[0])) return fire(Rule::neg_into_elemdiv, elem_div(b, x[1]));           // -(a./b) = (-a)./b
  return ir::neg(std::move(a));
}

}  // namespace simp
}  // namespace mcalc
