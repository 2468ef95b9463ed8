// Rules with head fn(...): structural matrices, reductions, matrix functions.
#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {
namespace {
bool is_scaling(const Expr& e) { return e->kind == Kind::Mul && e->args[0]->is_scalar() && !e->is_scalar(); }
bool is_relu_of(const Expr& e) {  // relu(u), max(0, u), max(u, 0)
  return is_call(e, Fn::Relu) || (is_call(e, Fn::Max) && (is_num(e->args[0], 0) || is_num(e->args[1], 0)));
}
/// An elementwise function or product: step(z), sigmoid(z), u.*v, u./v, u.^2.
bool elementwise_factor(const Expr& e) {
  return (e->kind == Kind::Call && fn_is_elementwise(e->fn)) || e->kind == Kind::Hadamard ||
         e->kind == Kind::ElemDiv || e->kind == Kind::ElemPow;
}
Expr relu_arg(const Expr& e) {
  if (is_call(e, Fn::Relu)) return e->args[0];
  return is_num(e->args[0], 0) ? e->args[1] : e->args[0];
}
}  // namespace

Expr call(Fn f, std::vector<Expr> args) {
  const Expr& a = args[0];
  switch (f) {
    case Fn::DiagOf:
      if (is_ones(a)) return fire(Rule::diag_ones, ir::eye(a->shape.rows));                                    // diag(ones(n)) = I
      if (is_zero(a)) return fire(Rule::diag_zeros, ir::zeros(Shape{a->shape.rows, a->shape.rows}));            // diag(0) = 0
      if (is_scaling(a)) return fire(Rule::diag_scaling, mul(a->args[0], call(Fn::DiagOf, {a->args[1]})));   // diag(s*v) = s*diag(v)
      if (a->kind == Kind::Neg) return fire(Rule::diag_neg, neg(call(Fn::DiagOf, {a->args[0]})));            // diag(-v) = -diag(v)
      break;
    case Fn::DiagVec:
      if (is_eye(a)) return fire(Rule::diag_eye, ir::ones(Shape::vector(a->shape.rows)));                      // diag(I) = ones(n)
      if (is_call(a, Fn::DiagOf)) return fire(Rule::diag_diag, a->args[0]);                                     // diag(diag(v)) = v
      if (a->kind == Kind::Mul && a->args[0]->shape.is_col() && a->args[1]->shape.is_row())
        return fire(Rule::diag_outer, hadamard(a->args[0], transpose(a->args[1])));                        // diag(u*v') = u.*v
      if (is_scaling(a)) return fire(Rule::diag_of_scaling, mul(a->args[0], call(Fn::DiagVec, {a->args[1]})));  // diag(s*A) = s*diag(A)
      break;
    case Fn::Sum:
      if (a->is_scalar()) return fire(Rule::sum_scalar, a);                                                    // sum(s) = s
      if (is_ones(a)) return fire(Rule::sum_ones, numel(a->shape));                                            // sum(ones(n)) = n
      if (is_zero(a)) return fire(Rule::sum_zeros, ir::num(0));                                                // sum(0) = 0
      if (a->kind == Kind::Unit) return fire(Rule::sum_unit, ir::num(1));                                      // sum(e_i) = 1
      if (is_scaling(a)) return fire(Rule::sum_scaling, mul(a->args[0], call(Fn::Sum, {a->args[1]})));      // sum(s*A) = s*sum(A)
      if (a->kind == Kind::Neg) return fire(Rule::sum_neg, neg(call(Fn::Sum, {a->args[0]})));           // sum(-A) = -sum(A)
      if (a->kind == Kind::Transpose) return fire(Rule::sum_transpose, call(Fn::Sum, {a->args[0]}));          // sum(A') = sum(A)
      if (a->kind == Kind::Hadamard && a->args[0]->kind == Kind::Transpose && a->args[1]->kind == Kind::Transpose)
        return fire(Rule::sum_hadamard_transposes, call(Fn::Sum, {hadamard(a->args[0]->args[0], a->args[1]->args[0])}));  // sum(A'.*B') = sum(A.*B)
      // sum(u.*v) = u'*v, for vectors of linear algebra only: a sum with an
      // elementwise factor, sum(e.*step(z)), reads as the lecture's sum.
      if (a->kind == Kind::Hadamard && a->args[0]->shape.is_col() && a->args[1]->shape == a->args[0]->shape &&
          !elementwise_factor(a->args[0]) && !elementwise_factor(a->args[1]))
        return fire(Rule::sum_inner, mul(transpose(a->args[0]), a->args[1]));
      if (a->kind == Kind::Hadamard && is_eye(a->args[1])) return fire(Rule::sum_trace, call(Fn::Tr, {a->args[0]}));  // sum(M.*I) = tr(M)
      if (a->kind == Kind::Hadamard && is_eye(a->args[0])) return fire(Rule::sum_trace_left, call(Fn::Tr, {a->args[1]}));  // sum(I.*M) = tr(M)
      if (is_call(a, Fn::DiagVec)) return fire(Rule::sum_diag, call(Fn::Tr, {a->args[0]}));         // sum(diag(M)) = tr(M)
      break;
    case Fn::Mean:
      if (a->is_scalar()) return fire(Rule::mean_scalar, a);                                                // mean(s) = s
      break;
    case Fn::Tr:
      if (a->is_scalar()) return fire(Rule::tr_scalar, a);                                                    // tr(s) = s
      if (is_eye(a)) return fire(Rule::tr_eye, numel(Shape::vector(a->shape.rows)));                   // tr(I) = n
      if (is_zero(a)) return fire(Rule::tr_zeros, ir::num(0));                                           // tr(0) = 0
      if (is_scaling(a)) return fire(Rule::tr_scaling, mul(a->args[0], call(Fn::Tr, {a->args[1]})));       // tr(s*A) = s*tr(A)
      if (a->kind == Kind::Transpose) return fire(Rule::tr_transpose, call(Fn::Tr, {a->args[0]}));           // tr(A') = tr(A)
      if (a->kind == Kind::Pow && a->args[0]->kind == Kind::Transpose)                           // tr(A'^k) = tr(A^k)
        return fire(Rule::tr_transpose_pow, call(Fn::Tr, {pow(a->args[0]->args[0], a->args[1])}));
      break;
    case Fn::Inv:
      if (is_call(a, Fn::Inv)) return fire(Rule::inv_inv, a->args[0]);                                  // inv(inv(A)) = A
      if (is_eye(a)) return fire(Rule::inv_eye, a);                                                     // inv(I) = I
      break;
    case Fn::Det:
      if (is_eye(a)) return fire(Rule::det_eye, ir::num(1));                                            // det(I) = 1
      break;
    case Fn::Step:
      if (is_relu_of(a)) return fire(Rule::step_relu, call(Fn::Step, {relu_arg(a)}));                     // step(max(0,u)) = step(u)
      if (a->kind == Kind::Num) return fire(Rule::step_const, ir::num(a->num > 0 ? 1 : 0));                // step(c)
      break;
    case Fn::Vec:
      if (a->shape.cols.is_one()) return fire(Rule::vec_vector, a);                                          // vec(v) = v
      if (a->shape.rows.is_one()) return fire(Rule::vec_row, transpose(a));                               // vec(v') = v
      break;
    case Fn::Kron:
      if (a->is_scalar()) return fire(Rule::kron_scalar_left, mul(a, args[1]));                                   // kron(s, B) = s*B
      if (args[1]->is_scalar()) return fire(Rule::kron_scalar_right, mul(args[1], a));                             // kron(A, s) = s*A
      if (is_eye(a) && is_eye(args[1]))                                                                      // kron(I, I) = I
        return fire(Rule::kron_eye, ir::eye(a->shape.rows * args[1]->shape.rows));
      break;
    case Fn::Heaviside:
      if (a->kind == Kind::Num) return fire(Rule::heaviside_const, ir::num(a->num >= 0 ? 1 : 0));               // heaviside(c)
      break;
    case Fn::Sign:
      if (a->kind == Kind::Num) return fire(Rule::sign_const, ir::num(a->num > 0 ? 1 : a->num < 0 ? -1 : 0));  // sign(c)
      break;
    default:
      break;
  }
  return ir::call(f, std::move(args));
}

}  // namespace simp
}  // namespace mcalc
