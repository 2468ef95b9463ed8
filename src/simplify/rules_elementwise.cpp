// Rules with head .* ./ .^ and ^.
#include <cmath>

#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {
namespace {
bool is_scaling(const Expr& e) { return e->kind == Kind::Mul && e->args[0]->is_scalar() && !e->is_scalar(); }
}  // namespace

Expr hadamard(Expr a, Expr b) {
  Shape s = a->is_scalar() ? b->shape : a->shape;
  if (is_zero(a) || is_zero(b)) return zero_of(s);                                 // 0.*b = 0
  if (is_ones(a)) return b->shape == s ? b : mul(b, a);                            // 1.*b = b
  if (is_ones(b)) return a->shape == s ? a : mul(a, b);                            // a.*1 = a
  if (a->is_scalar() || b->is_scalar()) return mul(a, b);                          // s.*B = s*B
  if (a->kind == Kind::Neg) return neg(hadamard(a->args[0], b));                   // (-a).*b = -(a.*b)
  if (b->kind == Kind::Neg) return neg(hadamard(a, b->args[0]));                   // a.*(-b) = -(a.*b)
  if (is_scaling(a)) return mul(a->args[0], hadamard(a->args[1], b));              // (s*a).*b = s*(a.*b)
  if (is_scaling(b)) return mul(b->args[0], hadamard(a, b->args[1]));              // a.*(s*b) = s*(a.*b)
  if (is_call(b, Fn::Step)) {                                                      // (a - max(0,u)).*step(u)
    Expr a2 = drop_relu_of(a, b->args[0]);                                         //   = (a - u).*step(u)
    if (a2 != a) return hadamard(a2, b);
  }
  if (is_call(a, Fn::Step)) {
    Expr b2 = drop_relu_of(b, a->args[0]);
    if (b2 != b) return hadamard(a, b2);
  }
  return ir::hadamard(std::move(a), std::move(b));
}

Expr elem_div(Expr a, Expr b) {
  Shape s = a->is_scalar() ? b->shape : a->shape;
  if (is_ones(b)) return a->shape == s ? a : mul(a, b);                            // a./1 = a
  if (is_zero(a)) return zero_of(s);                                               // 0./b = 0
  if (b->is_scalar()) return div(a, b);                                            // a./s = a/s
  if (is_ones(a) && a->shape == b->shape) return ir::elem_div(ir::num(1), b);      // ones./b = 1./b
  if (a->kind == Kind::Neg) return neg(elem_div(a->args[0], b));                   // (-a)./b = -(a./b)
  if (is_scaling(a)) return mul(a->args[0], elem_div(a->args[1], b));              // (s*a)./b = s*(a./b)
  return ir::elem_div(std::move(a), std::move(b));
}

Expr elem_pow(Expr a, Expr b) {
  if (is_num(b, 1) && !a->is_scalar()) return a;                                   // a.^1 = a
  if (is_num(b, 0)) return a->is_scalar() ? ir::num(1) : ir::ones(a->shape);       // a.^0 = 1
  if (a->is_scalar() && b->is_scalar()) return pow(a, b);                          // s.^t = s^t
  return ir::elem_pow(std::move(a), std::move(b));
}

Expr pow(Expr a, Expr b) {
  if (is_num(b, 1)) return a;                                                      // a^1 = a
  if (is_num(b, 0)) return a->is_scalar() ? ir::num(1) : ir::eye(a->shape.rows);   // a^0 = 1, A^0 = I
  if (a->kind == Kind::Num && b->kind == Kind::Num) {                              // c1^c2
    double v = std::pow(a->num, b->num);
    if (std::isfinite(v)) return ir::num(v);
  }
  if (is_eye(a)) return a;                                                         // I^k = I
  return ir::pow(std::move(a), std::move(b));
}

}  // namespace simp
}  // namespace mcalc
