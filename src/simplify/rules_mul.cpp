// Rules with head * (matrix product and scaling), / and dot.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {
namespace {

bool is_ones_row(const Expr& e) {  // ones(n)'
  return e->kind == Kind::Transpose && is_ones(e->args[0]) && e->args[0]->shape.cols.is_one();
}
bool is_scaling(const Expr& e) { return e->kind == Kind::Mul && e->args[0]->is_scalar(); }

/// What scalar_product did, for the rules it cites.
struct ScalarSteps {
  int numbers = 0;           // numbers multiplied into the coefficient
  int signs = 0;             // negations taken out of factors
  bool number_late = false;  // a number came after another factor
  bool merged = false;       // equal bases merged (x*x = x^2)
  bool reordered = false;    // the other factors were out of canonical order
};

/// Splits a product of scalars into its literal coefficient and other factors.
void scalar_factors(const Expr& e, double& coef, std::vector<Expr>& out, ScalarSteps& st) {
  if (e->kind == Kind::Mul && e->args[0]->is_scalar() && e->args[1]->is_scalar()) {
    scalar_factors(e->args[0], coef, out, st);
    scalar_factors(e->args[1], coef, out, st);
  } else if (e->kind == Kind::Neg && e->is_scalar()) {
    coef = -coef;
    ++st.signs;
    scalar_factors(e->args[0], coef, out, st);
  } else if (e->kind == Kind::Num) {
    coef *= e->num;
    ++st.numbers;
    if (!out.empty()) st.number_late = true;
  } else {
    out.push_back(e);
  }
}

/// Orders commutative scalar factors deterministically: smaller first, then by key.
bool constant(const Expr& e) { return !e->has_var; }  // no variable inside: 2/N, n

bool factor_less(const Expr& a, const Expr& b) {
  bool ca = constant(a), cb = constant(b);  // constant scales first: (2/N)*sin(x)
  if (ca != cb) return ca;
  std::size_t sa = expr_size(a), sb = expr_size(b);
  if (sa != sb) return sa < sb;
  return key(a) < key(b);
}

/// c * f1 * f2 * ... with the factors in canonical order; `st` tells what changed.
Expr scalar_product(const Expr& a, const Expr& b, ScalarSteps& st) {
  double coef = 1;
  std::vector<Expr> fs;
  scalar_factors(a, coef, fs, st);
  scalar_factors(b, coef, fs, st);
  if (coef == 0) return ir::num(0);
  if (!std::isfinite(coef)) return ir::mul(a, b);  // the constants overflow a double: not folded
  // x*x = x^2, x^k*x = x^(k+1): equal bases are merged.
  std::vector<std::pair<Expr, double>> powers;
  for (const auto& f : fs) {
    Expr base = f;
    double k = 1;
    if (f->kind == Kind::Pow && f->args[1]->kind == Kind::Num) {
      base = f->args[0];
      k = f->args[1]->num;
    }
    bool merged = false;
    for (auto& p : powers)
      if (ir::equal(p.first, base)) {
        p.second += k;
        merged = true;
        break;
      }
    if (!merged) powers.emplace_back(base, k);
  }
  if (powers.size() < fs.size()) {
    st.merged = true;
    fs.clear();
    for (auto& [b, k] : powers)
      if (k != 0) fs.push_back(k == 1 ? b : pow(b, ir::num(k)));
  }
  st.reordered = !std::is_sorted(fs.begin(), fs.end(), factor_less);
  std::stable_sort(fs.begin(), fs.end(), factor_less);
  if (fs.empty()) return ir::num(coef);
  Expr r = coef == 1 || coef == -1 ? nullptr : ir::num(coef);
  for (auto& f : fs) r = r ? ir::mul(r, f) : f;  // left-associated: 2*x*cos(x^2)
  return coef == -1 ? ir::neg(r) : r;
}

/// (base, k) when e is base^k with a number k, or (e, 1) for a square matrix e.
std::pair<Expr, double> power_of(const Expr& e) {
  if (e->kind == Kind::Pow && e->args[1]->kind == Kind::Num) return {e->args[0], e->args[1]->num};
  return {e, 1};
}

/// A^i*A^j = A^(i + j) for square matrices A, or nullptr.
Expr merge_powers(const Expr& a, const Expr& b) {
  if (a->is_scalar() || b->is_scalar() || !a->shape.is_square() || !b->shape.is_square()) return nullptr;
  auto [x, i] = power_of(a);
  auto [y, j] = power_of(b);
  if (!same(x, y)) return nullptr;
  return pow(x, ir::num(i + j));
}

/// A matrix and its inverse side by side, which of the four ways round.
enum class Inverse { none, inv_a, a_inv, inv_a_t, a_t_inv };  // inv(A)*A, A*inv(A), inv(A)'*A', A'*inv(A)'
Inverse inverse_pair(const Expr& a, const Expr& b) {
  if (is_call(a, Fn::Inv) && same(a->args[0], b)) return Inverse::inv_a;
  if (is_call(b, Fn::Inv) && same(b->args[0], a)) return Inverse::a_inv;
  if (a->kind == Kind::Transpose && b->kind == Kind::Transpose) {
    Inverse p = inverse_pair(a->args[0], b->args[0]);  // transposed once or more: inv(A)'*A' = (A*inv(A))'
    if (p == Inverse::inv_a || p == Inverse::inv_a_t) return Inverse::inv_a_t;
    if (p == Inverse::a_inv || p == Inverse::a_t_inv) return Inverse::a_t_inv;
  }
  return Inverse::none;
}

/// u'*v for column vectors u, v, with u after v in key order (then v'*u is the canonical form).
bool inner_out_of_order(const Expr& a, const Expr& b) {
  return a->kind == Kind::Transpose && a->args[0]->shape.is_col() && b->shape.is_col() && !a->args[0]->is_scalar() &&
         key(b) < key(a->args[0]);
}

/// exp(u) when e is exp(u) or exp(u)', with `row` telling which.
Expr exp_arg(const Expr& e, bool& row) {
  row = e->kind == Kind::Transpose;
  const Expr& x = row ? e->args[0] : e;
  return is_call(x, Fn::Exp) ? x->args[0] : nullptr;
}

/// The v of 1 + exp(v) or exp(v) + 1, else nullptr.
Expr one_plus_exp(const Expr& b) {
  if (b->kind != Kind::Add) return nullptr;
  if (is_num(b->args[0], 1) && is_call(b->args[1], Fn::Exp)) return b->args[1]->args[0];
  if (is_num(b->args[1], 1) && is_call(b->args[0], Fn::Exp)) return b->args[0]->args[0];
  return nullptr;
}

}  // namespace

Expr without_factor(const Expr& a, const Expr& f) {
  if (same(a, f)) return a->is_scalar() ? ir::num(1) : ir::ones(a->shape);
  if ((a->kind == Kind::Hadamard || (a->kind == Kind::Mul && a->is_scalar())) ) {
    bool had = a->kind == Kind::Hadamard;
    if (Expr l = without_factor(a->args[0], f)) return had ? hadamard(l, a->args[1]) : mul(l, a->args[1]);
    if (Expr r = without_factor(a->args[1], f)) return had ? hadamard(a->args[0], r) : mul(a->args[0], r);
  }
  return nullptr;
}

Expr sigmoid_quotient(const Expr& a, const Expr& b) {
  // p.*exp(v)./(1 + exp(v)) = p.*sigmoid(v)
  if (Expr v = one_plus_exp(b))
    if (Expr p = without_factor(a, call(Fn::Exp, {v}))) return hadamard(p, call(Fn::Sigmoid, {v}));
  return nullptr;
}

Expr sigmoid_slope_quotient(const Expr& a, const Expr& b) {
  // p.*exp(v)./(1 + exp(v)).^2 = p.*sigmoid(v).*(1 - sigmoid(v))
  if ((b->kind == Kind::ElemPow || b->kind == Kind::Pow) && is_num(b->args[1], 2))
    if (Expr v = one_plus_exp(b->args[0]))
      if (Expr p = without_factor(a, call(Fn::Exp, {v}))) {
        Expr s = call(Fn::Sigmoid, {v});
        return hadamard(p, hadamard(s, sub(ir::num(1), s)));
      }
  return nullptr;
}

namespace {

/// c*[a_ij] = [c*a_ij] for a number c.
Expr scale_literal(const Expr& c, const Expr& l) {
  std::vector<Expr> es;
  for (const auto& x : l->args) es.push_back(mul(c, x));
  return literal(l->lit_rows, l->lit_cols, std::move(es));
}

}  // namespace

Expr mul(Expr a, Expr b) {
  Shape s = a->is_scalar() ? b->shape : b->is_scalar() ? a->shape : Shape{a->shape.rows, b->shape.cols};
  if (is_zero(a)) return fire(Rule::mul_zero_left, zero_of(s));                          // 0*B = 0
  if (is_zero(b)) return fire(Rule::mul_zero_right, zero_of(s));                         // A*0 = 0
  if (is_num(a, 1)) return fire(Rule::mul_one_left, b);                                   // 1*B = B
  if (is_num(b, 1)) return fire(Rule::mul_one_right, a);                                  // A*1 = A
  if (is_num(a, -1)) return fire(Rule::mul_neg_one_left, neg(b));                         // (-1)*B = -B
  if (is_num(b, -1)) return fire(Rule::mul_neg_one_right, neg(a));                        // A*(-1) = -A
  if (a->is_scalar() && b->is_scalar()) {
    auto quotient = [](const Expr& d) {  // p/q with q not a constant scale such as N
      return d->kind == Kind::Div && d->args[1]->kind != Kind::DimSize && d->args[1]->kind != Kind::Num;
    };
    if (quotient(b)) return fire(Rule::mul_scalar_quotient_right, div(mul(a, b->args[0]), b->args[1]));  // a*(p/q) = (a*p)/q
    if (quotient(a)) return fire(Rule::mul_scalar_quotient_left, div(mul(a->args[0], b), a->args[1]));   // (p/q)*b = (p*b)/q
    // c*x*y, ordered: one normalisation, citing each identity it used.
    ScalarSteps st;
    Expr r = scalar_product(a, b, st);
    if (r->kind == Kind::Mul && same(r->args[0], a) && same(r->args[1], b)) return r;
    bool cited = false;
    auto cite = [&](Rule rule) { r = fire(rule, r); cited = true; };
    if (st.numbers > 1 || is_num(r, 0)) cite(Rule::mul_const);                          // c1*c2 = (c1*c2)
    if (st.signs > 0) cite(Rule::mul_scalar_sign);                                       // s*(-t) = -(s*t)
    if (st.merged) cite(Rule::mul_scalar_powers);                                        // x^i*x^j = x^(i + j)
    if (st.reordered || st.number_late) cite(Rule::mul_scalars);                         // s*t = t*s
    return cited ? r : fire(Rule::mul_scalar_assoc, r);                                  // s*(t*u) = (s*t)*u
  }
  if (b->is_scalar()) return fire(Rule::mul_scalar_first, mul(b, a));                     // A*s = s*A
  if (a->kind == Kind::Neg) return fire(Rule::mul_neg_left, neg(mul(a->args[0], b)));     // (-A)*B = -(A*B)
  if (b->kind == Kind::Neg) return fire(Rule::mul_neg_right, neg(mul(a, b->args[0])));    // A*(-B) = -(A*B)
  if (a->is_scalar()) {
    if (is_scaling(b)) return fire(Rule::mul_scaling_scaling, mul(mul(a, b->args[0]), b->args[1]));  // s*(t*B) = (s*t)*B
    if (b->kind == Kind::Div) return fire(Rule::mul_scaling_quotient, mul(div(a, b->args[1]), b->args[0]));  // s*(B/t) = (s/t)*B
    if (a->kind == Kind::Num && b->kind == Kind::Literal) return fire(Rule::mul_num_literal, scale_literal(a, b));  // c*[..]
    if (a->kind == Kind::Num && is_call(b, Fn::DiagOf) && b->args[0]->kind == Kind::ElemDiv) {  // c*diag(p./(c*q)) = diag(p./q)
      const Expr& q = b->args[0]->args[1];
      if (q->kind == Kind::Mul && is_num(q->args[0], a->num))
        return fire(Rule::mul_cancel_diag, call(Fn::DiagOf, {elem_div(b->args[0]->args[0], q->args[1])}));
    }
    return ir::mul(std::move(a), std::move(b));
  }
  // Matrix products.
  if (is_eye(a)) return fire(Rule::mul_eye_left, b);                                      // I*B = B
  if (is_eye(b)) return fire(Rule::mul_eye_right, a);                                     // A*I = A
  if (is_scaling(a)) return fire(Rule::mul_scaling_out_left, mul(a->args[0], mul(a->args[1], b)));   // (s*A)*B = s*(A*B)
  if (is_scaling(b)) return fire(Rule::mul_scaling_out_right, mul(b->args[0], mul(a, b->args[1])));  // A*(s*B) = s*(A*B)
  if (a->kind == Kind::Div) return fire(Rule::mul_quotient_out_left, div(mul(a->args[0], b), a->args[1]));   // (A/s)*B = (A*B)/s
  if (b->kind == Kind::Div) return fire(Rule::mul_quotient_out_right, div(mul(a, b->args[0]), b->args[1]));  // A*(B/s) = (A*B)/s
  if (is_ones_row(a) && is_call(b, Fn::DiagOf)) return fire(Rule::mul_ones_row_diag, transpose(b->args[0]));  // 1'*diag(x) = x'
  if (is_call(a, Fn::DiagOf) && is_ones(b) && b->shape.cols.is_one()) return fire(Rule::mul_diag_ones, a->args[0]);  // diag(x)*1 = x
  if (is_call(a, Fn::DiagOf) && is_call(b, Fn::DiagOf))                                   // diag(a)*diag(b) = diag(a.*b)
    return fire(Rule::mul_diag_diag, call(Fn::DiagOf, {hadamard(a->args[0], b->args[0])}));
  if (is_call(a, Fn::DiagOf) && b->kind == Kind::Mul && is_call(b->args[0], Fn::DiagOf))  // diag(a)*(diag(b)*X) = diag(a.*b)*X
    return fire(Rule::mul_diag_diag_chain_left, mul(call(Fn::DiagOf, {hadamard(a->args[0], b->args[0]->args[0])}), b->args[1]));
  if (is_call(b, Fn::DiagOf) && a->kind == Kind::Mul && is_call(a->args[1], Fn::DiagOf))  // (X*diag(a))*diag(b) = X*diag(a.*b)
    return fire(Rule::mul_diag_diag_chain_right, mul(a->args[0], call(Fn::DiagOf, {hadamard(a->args[1]->args[0], b->args[0])})));
  if (is_call(a, Fn::DiagOf) && b->shape.is_col())
    return fire(Rule::mul_diag_vec, hadamard(a->args[0], b));                            // diag(a)*v = a.*v
  if (a->shape.is_row() && is_call(b, Fn::DiagOf))                                        // v'*diag(a) = (v.*a)'
    return fire(Rule::mul_row_diag, transpose(hadamard(transpose(a), b->args[0])));
  if (is_call(a, Fn::DiagOf) && b->kind == Kind::Mul && b->args[0]->shape.is_col() && !b->args[0]->is_scalar())
    return fire(Rule::mul_diag_vec_chain, mul(hadamard(a->args[0], b->args[0]), b->args[1]));  // diag(a)*(v*B) = (a.*v)*B
  if (is_call(a, Fn::DiagOf) && (b->kind == Kind::Add || b->kind == Kind::Sub) && b->args[0]->shape == b->shape &&
      b->args[1]->shape == b->shape) {                                                    // diag(a)*(P ± Q), when smaller
    Expr p = mul(a, b->args[0]), q = mul(a, b->args[1]);
    // Built raw: add/sub would pull diag(a) back out (P*Q - P*R = P*(Q - R)) and loop.
    Expr d = b->kind == Kind::Add ? ir::add(p, q) : ir::sub(p, q);
    if (expr_size(d) < expr_size(b) + 2) {
      if (b->kind == Kind::Add) return fire(Rule::mul_diag_distribute_add, d);           // diag(a)*(P + Q) = diag(a)*P + diag(a)*Q
      return fire(Rule::mul_diag_distribute_sub, d);                                      // diag(a)*(P - Q) = diag(a)*P - diag(a)*Q
    }
  }
  if (is_call(a, Fn::Kron) && is_call(b, Fn::Kron) && a->args[0]->shape.cols == b->args[0]->shape.rows &&
      a->args[1]->shape.cols == b->args[1]->shape.rows)                                   // kron(A, B)*kron(C, D)
    return fire(Rule::kron_mixed_product, call(Fn::Kron, {mul(a->args[0], b->args[0]), mul(a->args[1], b->args[1])}));
  switch (inverse_pair(a, b)) {
    case Inverse::inv_a: return fire(Rule::mul_inverse_left, ir::eye(a->shape.rows));                   // inv(A)*A = I
    case Inverse::a_inv: return fire(Rule::mul_inverse_right, ir::eye(a->shape.rows));                  // A*inv(A) = I
    case Inverse::inv_a_t: return fire(Rule::mul_inverse_left_transposed, ir::eye(a->shape.rows));      // inv(A)'*A' = I
    case Inverse::a_t_inv: return fire(Rule::mul_inverse_right_transposed, ir::eye(a->shape.rows));     // A'*inv(A)' = I
    case Inverse::none: break;
  }
  if (b->kind == Kind::Mul && !b->args[0]->is_scalar()) {
    switch (inverse_pair(a, b->args[0])) {
      case Inverse::inv_a: return fire(Rule::mul_inverse_left_chain, b->args[1]);                       // inv(A)*(A*B) = B
      case Inverse::a_inv: return fire(Rule::mul_inverse_right_chain, b->args[1]);                      // A*(inv(A)*B) = B
      case Inverse::inv_a_t: return fire(Rule::mul_inverse_left_transposed_chain, b->args[1]);          // inv(A)'*(A'*B) = B
      case Inverse::a_t_inv: return fire(Rule::mul_inverse_right_transposed_chain, b->args[1]);         // A'*(inv(A)'*B) = B
      case Inverse::none: break;
    }
  }
  if (a->kind == Kind::Mul && !a->args[1]->is_scalar()) {
    switch (inverse_pair(a->args[1], b)) {
      case Inverse::inv_a: return fire(Rule::mul_chain_inverse_left, a->args[0]);                       // (B*inv(A))*A = B
      case Inverse::a_inv: return fire(Rule::mul_chain_inverse_right, a->args[0]);                      // (B*A)*inv(A) = B
      case Inverse::inv_a_t: return fire(Rule::mul_chain_inverse_left_transposed, a->args[0]);          // (B*inv(A)')*A' = B
      case Inverse::a_t_inv: return fire(Rule::mul_chain_inverse_right_transposed, a->args[0]);         // (B*A')*inv(A)' = B
      case Inverse::none: break;
    }
  }
  if (inner_out_of_order(a, b)) return fire(Rule::mul_inner_order, mul(transpose(b), a->args[0]));  // u'*v = v'*u
  if (Expr p = merge_powers(a, b)) return fire(Rule::mul_powers, p);                      // A^i*A^j = A^(i + j)
  if (b->kind == Kind::Mul)                                                               // A^i*(A^j*B) = A^(i + j)*B
    if (Expr p = merge_powers(a, b->args[0])) return fire(Rule::mul_powers_chain_left, mul(p, b->args[1]));
  if (a->kind == Kind::Mul)                                                               // (B*A^i)*A^j = B*A^(i + j)
    if (Expr p = merge_powers(a->args[1], b)) return fire(Rule::mul_powers_chain_right, mul(a->args[0], p));
  if (a->kind == Kind::Transpose && b->kind == Kind::ElemDiv && same(a->args[0], b->args[1]))
    return fire(Rule::mul_sum_quotient, call(Fn::Sum, {b->args[0]}));                     // u'*(v./u) = sum(v)
  if (a->kind == Kind::Transpose && a->args[0]->kind == Kind::Unit && b->shape.cols.is_one())
    return fire(Rule::mul_unit_row, index(b, a->args[0]->i, 0));                          // e_i'*v = v[i]
  if (a->kind == Kind::Transpose && a->args[0]->shape.is_col() && b->kind == Kind::Unit)
    return fire(Rule::mul_row_unit, index(a->args[0], b->i, 0));                          // v'*e_i = v[i]
  return ir::mul(std::move(a), std::move(b));
}

Expr div(Expr a, Expr b) {
  if (is_num(b, 1)) return fire(Rule::div_one, a);                                        // A/1 = A
  if (is_zero(a)) return fire(Rule::div_zero, a);                                         // 0/b = 0
  if (a->kind == Kind::Num && b->kind == Kind::Num && b->num != 0) {                      // c1/c2 when exact
    double q = a->num / b->num;
    if (std::isfinite(q) && q == std::round(q)) return fire(Rule::div_const, ir::num(q));
  }
  if (a->kind == Kind::Neg) return fire(Rule::div_neg, neg(div(a->args[0], b)));          // (-A)/b = -(A/b)
  bool row = false;
  if (Expr u = exp_arg(a, row))                                                           // exp(u)/sum(exp(u)) = softmax(u)
    if (is_call(b, Fn::Sum) && is_call(b->args[0], Fn::Exp) && same(b->args[0]->args[0], u) && u->shape.is_col()) {
      Expr sm = call(Fn::Softmax, {u});
      if (row) return fire(Rule::div_softmax_row, transpose(sm));                         // exp(u)'/sum(exp(u)) = softmax(u)'
      return fire(Rule::div_softmax, sm);                                                 // exp(u)/sum(exp(u)) = softmax(u)
    }
  if (a->is_scalar()) {
    if (Expr l = sigmoid_quotient(a, b)) return fire(Rule::div_sigmoid, l);               // p*exp(v)/(1 + exp(v)) = p*sigmoid(v)
    if (Expr l = sigmoid_slope_quotient(a, b)) return fire(Rule::div_sigmoid_slope, l);   // .../(1 + exp(v))^2 = p*sigmoid(v)*(1 - sigmoid(v))
  }
  if (!a->is_scalar() && is_scaling(a))                                                   // (s*A)/t = (s/t)*A
    return fire(Rule::div_scaling, mul(div(a->args[0], b), a->args[1]));
  if (!a->is_scalar() && a->kind == Kind::Div)                                            // (A/s)/t = A/(s*t)
    return fire(Rule::div_quotient, div(a->args[0], mul(a->args[1], b)));
  if (a->is_scalar() && is_scaling(a) && a->args[0]->kind == Kind::Num && a->args[1]->kind != Kind::Num &&
      (b->kind == Kind::DimSize || b->kind == Kind::Num))
    return fire(Rule::div_scaled_number, mul(div(a->args[0], b), a->args[1]));            // (c*x)/N = (c/N)*x
  return ir::div(std::move(a), std::move(b));
}

Expr dot(Expr a, Expr b) {
  if (is_zero(a)) return fire(Rule::dot_zero_left, ir::num(0));                           // dot(0, b) = 0
  if (is_zero(b)) return fire(Rule::dot_zero_right, ir::num(0));                          // dot(a, 0) = 0
  return ir::dot(std::move(a), std::move(b));
}

}  // namespace simp
}  // namespace mcalc
