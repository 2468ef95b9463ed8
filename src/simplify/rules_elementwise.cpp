// Rules with head .* ./ .^ and ^.
#include <cmath>

#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {
namespace {
bool is_scaling(const Expr& e) { return e->kind == Kind::Mul && e->args[0]->is_scalar() && !e->is_scalar(); }
/// r is 1./v (or ones./v) of v's shape: r.*v is ones wherever 1./v is defined.
bool reciprocal_of(const Expr& r, const Expr& v) {
  return r->shape == v->shape && r->kind == Kind::ElemDiv && (is_num(r->args[0], 1) || is_ones(r->args[0])) &&
         same(r->args[1], v);
}
bool integer(const Expr& e) { return e->kind == Kind::Num && e->num == std::round(e->num); }
}  // namespace

Expr hadamard(Expr a, Expr b) {
  Shape s = a->is_scalar() ? b->shape : a->shape;
  if (is_zero(a)) return fire(Rule::hadamard_zero_left, zero_of(s));                                          // 0.*b = 0
  if (is_zero(b)) return fire(Rule::hadamard_zero_right, zero_of(s));                                         // a.*0 = 0
  if (is_ones(a)) return fire(Rule::hadamard_ones_left, b->shape == s ? b : mul(b, a));                       // 1.*b = b
  if (is_ones(b)) return fire(Rule::hadamard_ones_right, a->shape == s ? a : mul(a, b));                      // a.*1 = a
  if (a->is_scalar()) return fire(Rule::hadamard_scalar_left, mul(a, b));                                     // s.*B = s*B
  if (b->is_scalar()) return fire(Rule::hadamard_scalar_right, mul(a, b));                                    // A.*s = A*s
  if (a->kind == Kind::Neg) return fire(Rule::hadamard_neg_left, neg(hadamard(a->args[0], b)));               // (-a).*b = -(a.*b)
  if (b->kind == Kind::Neg) return fire(Rule::hadamard_neg_right, neg(hadamard(a, b->args[0])));              // a.*(-b) = -(a.*b)
  if (is_scaling(a)) return fire(Rule::hadamard_scaling_left, mul(a->args[0], hadamard(a->args[1], b)));      // (s*a).*b = s*(a.*b)
  if (is_scaling(b)) return fire(Rule::hadamard_scaling_right, mul(b->args[0], hadamard(a, b->args[1])));     // a.*(s*b) = s*(a.*b)
  if (reciprocal_of(a, b)) return fire(Rule::hadamard_reciprocal_left, ir::ones(s));                          // (1./v).*v = ones
  if (reciprocal_of(b, a)) return fire(Rule::hadamard_reciprocal_right, ir::ones(s));                         // v.*(1./v) = ones
  if (a->kind == Kind::Unit && b->shape == s) return fire(Rule::hadamard_unit_left, mul(index(b, a->i, 0), a));   // e_i.*v = v[i]*e_i
  if (b->kind == Kind::Unit && a->shape == s) return fire(Rule::hadamard_unit_right, mul(index(a, b->i, 0), b));  // v.*e_i = v[i]*e_i
  if (is_call(b, Fn::Step)) {                                                      // g(max(0, u)).*step(u)
    Expr a2 = drop_relu_of(a, b->args[0]);                                         //   = g(u).*step(u)
    if (a2 != a) return fire(Rule::hadamard_step_relu_right, hadamard(a2, b));
  }
  if (is_call(a, Fn::Step)) {                                                      // step(u).*g(max(0, u))
    Expr b2 = drop_relu_of(b, a->args[0]);                                         //   = step(u).*g(u)
    if (b2 != b) return fire(Rule::hadamard_step_relu_left, hadamard(a, b2));
  }
  return ir::hadamard(std::move(a), std::move(b));
}

Expr elem_div(Expr a, Expr b) {
  Shape s = a->is_scalar() ? b->shape : a->shape;
  if (is_ones(b)) return fire(Rule::elemdiv_ones, a->shape == s ? a : mul(a, b));                              // a./1 = a
  if (is_zero(a)) return fire(Rule::elemdiv_zero, zero_of(s));                                                 // 0./b = 0
  if (b->is_scalar()) return fire(Rule::elemdiv_scalar, div(a, b));                                            // a./s = a/s
  if (is_ones(a) && a->shape == b->shape) return fire(Rule::elemdiv_ones_over, ir::elem_div(ir::num(1), b));   // ones./b = 1./b
  if (same(a, b)) return fire(Rule::elemdiv_self, ir::ones(s));                                                // v./v = ones
  if (a->kind == Kind::Neg) return fire(Rule::elemdiv_neg, neg(elem_div(a->args[0], b)));                      // (-a)./b = -(a./b)
  if (is_scaling(a)) return fire(Rule::elemdiv_scaling, mul(a->args[0], elem_div(a->args[1], b)));             // (s*a)./b = s*(a./b)
  if (Expr l = sigmoid_quotient(a, b)) return fire(Rule::elemdiv_sigmoid, l);                                  // p.*exp(v)./(1 + exp(v)) = p.*sigmoid(v)
  if (Expr l = sigmoid_slope_quotient(a, b)) return fire(Rule::elemdiv_sigmoid_slope, l);                      // .../(1 + exp(v)).^2 = p.*sigmoid(v).*(1 - sigmoid(v))
  return ir::elem_div(std::move(a), std::move(b));
}

Expr elem_pow(Expr a, Expr b) {
  if (is_num(b, 1) && !a->is_scalar()) return fire(Rule::elempow_one, a);                                      // a.^1 = a
  if (is_num(b, 0)) return fire(Rule::elempow_zero, a->is_scalar() ? ir::num(1) : ir::ones(a->shape));         // a.^0 = ones
  if (a->is_scalar() && b->is_scalar()) return fire(Rule::elempow_scalar, pow(a, b));                          // s.^t = s^t
  return ir::elem_pow(std::move(a), std::move(b));
}

Expr pow(Expr a, Expr b) {
  if (is_num(b, 1)) return fire(Rule::pow_one, a);                                                         // a^1 = a
  if (is_num(b, 0) && a->is_scalar()) return fire(Rule::pow_zero, ir::num(1));                             // a^0 = 1
  if (is_num(b, 0)) return fire(Rule::pow_zero_matrix, ir::eye(a->shape.rows));                            // A^0 = I
  if (a->kind == Kind::Num && b->kind == Kind::Num) {                              // c1^c2
    double v = std::pow(a->num, b->num);
    if (std::isfinite(v)) return fire(Rule::pow_const, ir::num(v));
  }
  if (is_eye(a)) return fire(Rule::pow_eye, a);                                                            // I^k = I
  if (a->kind == Kind::Pow && integer(a->args[1]) && integer(b))                   // (B^i)^j = B^(i*j)
    return fire(Rule::pow_pow, pow(a->args[0], ir::num(a->args[1]->num * b->num)));
  return ir::pow(std::move(a), std::move(b));
}

}  // namespace simp
}  // namespace mcalc
