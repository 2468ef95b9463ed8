// Rules with head * (matrix product and scaling), / and dot.
#include <algorithm>
#include <cmath>

#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {
namespace {

bool is_ones_row(const Expr& e) {  // ones(n)'
  return e->kind == Kind::Transpose && is_ones(e->args[0]) && e->args[0]->shape.cols.is_one();
}
bool is_scaling(const Expr& e) { return e->kind == Kind::Mul && e->args[0]->is_scalar(); }

/// Splits a product of scalars into its literal coefficient and other factors.
void scalar_factors(const Expr& e, double& coef, std::vector<Expr>& out) {
  if (e->kind == Kind::Mul && e->args[0]->is_scalar() && e->args[1]->is_scalar()) {
    scalar_factors(e->args[0], coef, out);
    scalar_factors(e->args[1], coef, out);
  } else if (e->kind == Kind::Neg && e->is_scalar()) {
    coef = -coef;
    scalar_factors(e->args[0], coef, out);
  } else if (e->kind == Kind::Num) {
    coef *= e->num;
  } else {
    out.push_back(e);
  }
}

/// Orders commutative scalar factors deterministically: smaller first, then by key.
bool constant(const Expr& e) {  // no variable inside: 2/N, n
  if (e->kind == Kind::Var) return false;
  for (const auto& a : e->args)
    if (!constant(a)) return false;
  return true;
}

bool factor_less(const Expr& a, const Expr& b) {
  bool ca = constant(a), cb = constant(b);  // constant scales first: (2/N)*sin(x)
  if (ca != cb) return ca;
  std::size_t sa = expr_size(a), sb = expr_size(b);
  if (sa != sb) return sa < sb;
  return key(a) < key(b);
}

/// c * f1 * f2 * ... with the factors in canonical order.
Expr scalar_product(const Expr& a, const Expr& b) {
  double coef = 1;
  std::vector<Expr> fs;
  scalar_factors(a, coef, fs);
  scalar_factors(b, coef, fs);
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
    fs.clear();
    for (auto& [b, k] : powers)
      if (k != 0) fs.push_back(k == 1 ? b : pow(b, ir::num(k)));
  }
  std::stable_sort(fs.begin(), fs.end(), factor_less);
  if (fs.empty()) return ir::num(coef);
  Expr r = coef == 1 || coef == -1 ? nullptr : ir::num(coef);
  for (auto& f : fs) r = r ? ir::mul(r, f) : f;  // left-associated: 2*x*cos(x^2)
  return coef == -1 ? ir::neg(r) : r;
}

}  // namespace

Expr mul(Expr a, Expr b) {
  Shape s = a->is_scalar() ? b->shape : b->is_scalar() ? a->shape : Shape{a->shape.rows, b->shape.cols};
  if (is_zero(a) || is_zero(b)) return zero_of(s);                                 // 0*B = A*0 = 0
  if (is_num(a, 1)) return b;                                                      // 1*B = B
  if (is_num(b, 1)) return a;                                                      // A*1 = A
  if (is_num(a, -1)) return neg(b);                                                // (-1)*B = -B
  if (is_num(b, -1)) return neg(a);                                                // A*(-1) = -A
  if (a->is_scalar() && b->is_scalar()) {
    auto quotient = [](const Expr& d) {  // p/q with q not a constant scale such as N
      return d->kind == Kind::Div && d->args[1]->kind != Kind::DimSize && d->args[1]->kind != Kind::Num;
    };
    if (quotient(b)) return div(mul(a, b->args[0]), b->args[1]);                   // a*(p/q) = (a*p)/q
    if (quotient(a)) return div(mul(a->args[0], b), a->args[1]);                   // (p/q)*b = (p*b)/q
    return scalar_product(a, b);                                                   // c*x*y, ordered
  }
  if (b->is_scalar()) return mul(b, a);                                            // A*s = s*A
  if (a->kind == Kind::Neg) return neg(mul(a->args[0], b));                        // (-A)*B = -(A*B)
  if (b->kind == Kind::Neg) return neg(mul(a, b->args[0]));                        // A*(-B) = -(A*B)
  if (a->is_scalar()) {
    if (is_scaling(b)) return mul(mul(a, b->args[0]), b->args[1]);                 // s*(t*B) = (s*t)*B
    if (b->kind == Kind::Div) return mul(div(a, b->args[1]), b->args[0]);          // s*(B/t) = (s/t)*B
    return ir::mul(std::move(a), std::move(b));
  }
  // Matrix products.
  if (is_eye(a)) return b;                                                         // I*B = B
  if (is_eye(b)) return a;                                                         // A*I = A
  if (is_scaling(a)) return mul(a->args[0], mul(a->args[1], b));                   // (s*A)*B = s*(A*B)
  if (is_scaling(b)) return mul(b->args[0], mul(a, b->args[1]));                   // A*(s*B) = s*(A*B)
  if (a->kind == Kind::Div) return div(mul(a->args[0], b), a->args[1]);            // (A/s)*B = (A*B)/s
  if (b->kind == Kind::Div) return div(mul(a, b->args[0]), b->args[1]);            // A*(B/s) = (A*B)/s
  if (is_ones_row(a) && is_call(b, Fn::DiagOf)) return transpose(b->args[0]);      // 1'*diag(x) = x'
  if (is_call(a, Fn::DiagOf) && is_ones(b) && b->shape.cols.is_one()) return a->args[0];  // diag(x)*1 = x
  if (is_call(a, Fn::DiagOf) && is_call(b, Fn::DiagOf))                            // diag(a)*diag(b) = diag(a.*b)
    return call(Fn::DiagOf, {hadamard(a->args[0], b->args[0])});
  if (is_call(a, Fn::DiagOf) && b->shape.is_col()) return hadamard(a->args[0], b);  // diag(a)*v = a.*v
  if (a->shape.is_row() && is_call(b, Fn::DiagOf))                                 // v'*diag(a) = (v.*a)'
    return transpose(hadamard(transpose(a), b->args[0]));
  if (a->shape.is_square() && ir::equal(a, b)) return pow(a, ir::num(2));          // A*A = A^2
  if (b->kind == Kind::Pow && ir::equal(a, b->args[0]) && b->args[1]->kind == Kind::Num)
    return pow(a, ir::num(b->args[1]->num + 1));                                   // A*A^k = A^(k+1)
  if (a->kind == Kind::Pow && ir::equal(b, a->args[0]) && a->args[1]->kind == Kind::Num)
    return pow(b, ir::num(a->args[1]->num + 1));                                   // A^k*A = A^(k+1)
  if (a->kind == Kind::Transpose && b->kind == Kind::ElemDiv && ir::equal(a->args[0], b->args[1]))
    return call(Fn::Sum, {b->args[0]});                                            // u'*(v./u) = sum(v)
  if (a->kind == Kind::Transpose && a->args[0]->kind == Kind::Unit && b->shape.cols.is_one())
    return index(b, a->args[0]->i, 0);                                             // e_i'*v = v[i]
  return ir::mul(std::move(a), std::move(b));
}

Expr div(Expr a, Expr b) {
  if (is_num(b, 1)) return a;                                                      // A/1 = A
  if (is_zero(a)) return a;                                                        // 0/b = 0
  if (a->kind == Kind::Num && b->kind == Kind::Num && b->num != 0) {               // c1/c2 when exact
    double q = a->num / b->num;
    if (std::isfinite(q) && q == std::round(q)) return ir::num(q);
  }
  if (a->kind == Kind::Neg) return neg(div(a->args[0], b));                        // (-A)/b = -(A/b)
  if (!a->is_scalar() && is_scaling(a))                                            // (s*A)/t = (s/t)*A
    return mul(div(a->args[0], b), a->args[1]);
  if (!a->is_scalar() && a->kind == Kind::Div)                                     // (A/s)/t = A/(s*t)
    return div(a->args[0], mul(a->args[1], b));
  if (a->is_scalar() && is_scaling(a) && a->args[0]->kind == Kind::Num && a->args[1]->kind != Kind::Num &&
      (b->kind == Kind::DimSize || b->kind == Kind::Num))
    return mul(div(a->args[0], b), a->args[1]);                                    // (c*x)/N = (c/N)*x
  return ir::div(std::move(a), std::move(b));
}

Expr dot(Expr a, Expr b) {
  if (is_zero(a) || is_zero(b)) return ir::num(0);                                 // 0·b = a·0 = 0
  return ir::dot(std::move(a), std::move(b));
}

}  // namespace simp
}  // namespace mcalc
