// Rules with head + , - and unary -. One line per rule, identity first.
#include <cmath>
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

/// P*Q ± P*R = P*(Q ± R) and Q*P ± R*P = (Q ± R)*P (common factors pulled out).
Expr factor_out(const Expr& a, const Expr& b, bool plus) {
  if (a->kind != Kind::Mul || b->kind != Kind::Mul) return nullptr;
  auto comb = [&](const Expr& x, const Expr& y) { return plus ? add(x, y) : sub(x, y); };
  const Expr &p = a->args[0], &q = a->args[1], &r = b->args[0], &t = b->args[1];
  // Left factor: a matrix product, or scaling by the same scalar.
  if (ir::equal(p, r) && (p->is_scalar() || (q->shape == t->shape))) {
    if (p->is_scalar() || ir::broadcast_compatible(q->shape, t->shape)) return mul(p, comb(q, t));
  }
  // Right factor: matrix products Q*P, R*P, or scalings q*P, r*P.
  if (ir::equal(q, t) && !q->is_scalar() && ir::broadcast_compatible(p->shape, r->shape)) {
    if ((p->is_scalar() && r->is_scalar()) || (!p->is_scalar() && !r->is_scalar() && p->shape == r->shape))
      return mul(comb(p, r), q);
  }
  return nullptr;
}

/// diag(a) ± diag(b) = diag(a ± b), diag(a) ± s*diag(b) = diag(a ± s*b).
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

}  // namespace

Expr add(Expr a, Expr b) {
  Shape s = ir::broadcast_compatible(a->shape, b->shape) ? (a->is_scalar() ? b->shape : a->shape) : a->shape;
  if (is_zero(a)) return widen(b, s);                                              // 0 + b = b
  if (is_zero(b)) return widen(a, s);                                              // a + 0 = a
  if (a->kind == Kind::Num && b->kind == Kind::Num && std::isfinite(a->num + b->num))
    return ir::num(a->num + b->num);  // c1 + c2
  if (a->kind == Kind::Neg) return sub(b, a->args[0]);                             // -a + b = b - a
  if (b->kind == Kind::Neg) return sub(a, b->args[0]);                             // a + -b = a - b
  if (is_neg_scaled(b)) return sub(a, flip_scaled(b));                             // a + (-c)*X = a - c*X
  if (ir::equal(a, b)) return mul(ir::num(2), a);                                  // a + a = 2*a
  if (a->kind == Kind::Transpose && ir::equal(a->args[0], b)) return add(b, a);    // A' + A = A + A'
  if (Expr d = merge_diag(a, b, true)) return d;                                   // diag(a) + diag(b) = diag(a + b)
  if (Expr f = factor_out(a, b, true)) return f;                                   // P*Q + P*R = P*(Q + R)
  return ir::add(std::move(a), std::move(b));
}

Expr sub(Expr a, Expr b) {
  Shape s = a->is_scalar() ? b->shape : a->shape;
  if (is_zero(b)) return widen(a, s);                                              // a - 0 = a
  if (is_zero(a)) return widen(neg(b), s);                                         // 0 - b = -b
  if (a->kind == Kind::Num && b->kind == Kind::Num && std::isfinite(a->num - b->num))
    return ir::num(a->num - b->num);  // c1 - c2
  if (ir::equal(a, b)) return zero_of(s);                                          // a - a = 0
  if (b->kind == Kind::Neg) return add(a, b->args[0]);                             // a - -b = a + b
  if (a->kind == Kind::Neg) return neg(add(a->args[0], b));                        // -a - b = -(a + b)
  if (is_neg_scaled(b)) return add(a, flip_scaled(b));                             // a - (-c)*X = a + c*X
  if (Expr d = merge_diag(a, b, false)) return d;                                  // diag(a) - diag(b) = diag(a - b)
  if (Expr f = factor_out(a, b, false)) return f;                                  // P*Q - P*R = P*(Q - R)
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
  if (is_zero(a)) return a;                                                        // -0 = 0
  if (a->kind == Kind::Num) return ir::num(-a->num);                               // -(c) = (-c)
  if (a->kind == Kind::Neg) return a->args[0];                                     // --a = a
  if (a->kind == Kind::Sub) return sub(a->args[1], a->args[0]);                    // -(a - b) = b - a
  if (a->kind == Kind::Mul && a->args[0]->kind == Kind::Num)                       // -(c*X) = (-c)*X
    return mul(ir::num(-a->args[0]->num), a->args[1]);
  if (is_call(a, Fn::DiagOf) || a->kind == Kind::Literal) return ir::neg(std::move(a));
  if (Expr b = absorb_neg(a)) return b;                                            // -(s*(a - b)) = s*(b - a)
  return ir::neg(std::move(a));
}

}  // namespace simp
}  // namespace mcalc
