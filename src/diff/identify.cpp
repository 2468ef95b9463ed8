// Identification (Magnus & Neudecker): given the differential dF of a
// vector-like F as an expression linear in dx (a column vector variable P),
// the Jacobian J with vec(dF) = J dx.
//
// The differential may pass through matrix-valued intermediates (d(x xᵀ) a =
// dx (xᵀa) + x (dxᵀ a)). Those are read as products left * L * right around the
// matrix-valued L, and the product is re-associated until dx stands alone:
//   left (A B) right, dx in B  ->  (left A) B right
//   left Bᵀ right               ->  (rightᵀ B leftᵀ)ᵀ, the same vector
//   left diag(v) r              ->  left diag(r) v
//   left (s M) right, s scalar  ->  (left M right) s
//   tr(C u vᵀ)                  ->  vᵀ C u
// A vector-like sub-differential is identified once (memoised), so shared
// differentials of a DAG cost one visit each.
#include <unordered_map>

#include "diff/internal.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace dx {
namespace {

using namespace simp;

Expr col(const Expr& v) { return v->shape.is_row() ? transpose(v) : v; }
Dim len(const Shape& s) { return s.cols.is_one() ? s.rows : s.cols; }
/// True when mul(a, b) is the plain product node of a and b (no rule applied).
bool plain(const Expr& m, const Expr& a, const Expr& b) {
  return m->kind == Kind::Mul && m->args[0] == a && m->args[1] == b;
}
bool matrix_mul(const Expr& e) {
  return e->kind == Kind::Mul && !e->args[0]->is_scalar() && !e->args[1]->is_scalar();
}

/// left * a, with nullptr for the identity. When the last factor of left, or
/// the first factor of a, simplifies with the other side (1ᵀ diag(c) = cᵀ),
/// the product is re-associated so that the rule applies.
Expr lmul(const Expr& left, const Expr& a) {
  if (!left) return a;
  if (!a->is_scalar() && !left->is_scalar()) {
    if (matrix_mul(left)) {
      Expr t = mul(left->args[1], a);
      if (!plain(t, left->args[1], a)) return lmul(left->args[0], t);
    }
    if (matrix_mul(a)) {
      Expr t = mul(left, a->args[0]);
      if (!plain(t, left, a->args[0])) return lmul(t, a->args[1]);
    }
  }
  return mul(left, a);
}
Expr rmul(const Expr& a, const Expr& right) { return right ? mul(a, right) : a; }
Expr tr(const Expr& a) { return a ? transpose(a) : nullptr; }

/// The factors of a product chain, left to right.
void factors(const Expr& e, std::vector<Expr>& out) {
  if (e->kind == Kind::Mul && !e->args[0]->is_scalar() && !e->args[1]->is_scalar()) {
    factors(e->args[0], out);
    factors(e->args[1], out);
  } else {
    out.push_back(e);
  }
}
Expr product(const std::vector<Expr>& f, std::size_t from, std::size_t to) {
  Expr r;
  for (std::size_t i = from; i < to; ++i) r = r ? mul(r, f[i]) : f[i];
  return r;
}

/// a ± b with a common right factor pulled out: A C ± B C = (A ± B) C, so
/// that Jacobians read (diag(s) - s sᵀ) W rather than diag(s) W - s sᵀ W.
Expr combine(const Expr& a, const Expr& b, bool subtract) {
  std::vector<Expr> fa, fb;
  factors(a, fa);
  factors(b, fb);
  std::size_t k = 0;
  while (k + 1 < fa.size() && k + 1 < fb.size() && ir::equal(fa[fa.size() - 1 - k], fb[fb.size() - 1 - k]))
    ++k;
  if (k == 0) return subtract ? sub(a, b) : add(a, b);
  Expr pa = product(fa, 0, fa.size() - k), pb = product(fb, 0, fb.size() - k);
  Expr suffix = product(fa, fa.size() - k, fa.size());
  return mul(subtract ? sub(pa, pb) : add(pa, pb), suffix);
}

/// vec of a matrix expression: a column as it is, a row transposed, vec(M) otherwise.
Expr vec_of(const Expr& m) {
  if (m->shape.cols.is_one()) return m;
  if (m->shape.rows.is_one()) return transpose(m);
  return call(Fn::Vec, {m});
}

/// The vec/Kronecker identification (Magnus & Neudecker) for a differential dF of any
/// shape, linear in the placeholder P of any shape (p x q): the J with
/// vec(dF) = J vec(dP), (len dF) x (pq). The differential is read as
/// left op(L) right around each sub-differential L (op: as is, or transposed when t),
/// and the Jacobian of vec(left M right) by vec(M) is Mᵀ-free:
///   vec(left dP right)  = (rightᵀ ⊗ left) vec(dP)
///   vec(left dPᵀ right) = (rightᵀ ⊗ left) K(p, q) vec(dP)     K the commutation matrix
///   vec(p ⊙ L)          = diag(vec(p)) vec(L)
///   vec(left s right)   = vec(left right) J(s)                 s a scalar
///   tr(C A dP B)        = vec((B C A)ᵀ)ᵀ vec(dP)               (rotated until dP stands last)
/// A sub-differential without left, right or transpose is identified once (memoised).
/// The Jacobian of vec(left M right) by vec(M), M of shape m (nullptr: the identity).
Expr outer(const Expr& left, const Expr& right, const Shape& m) {
  if (!left && !right) return nullptr;
  if (!right && m.cols.is_one()) return left;            // kron(1, left)
  if (!left && m.rows.is_one()) return transpose(right);  // kron(rightᵀ, 1)
  return call(Fn::Kron, {right ? transpose(right) : ir::eye(m.cols), left ? left : ir::eye(m.rows)});
}
/// a b, either nullptr for the identity.
Expr times(const Expr& a, const Expr& b) { return a ? (b ? mul(a, b) : a) : b; }

/// Σ_k e_k J_k: the Jacobian whose row k is the row J_k (nullptr: zero) of entry k of a
/// vector of length len, each entry a scalar (the entries of a bracket literal).
Expr stack_rows(const std::vector<Expr>& js, const Dim& len) {
  Expr r;
  for (std::size_t k = 0; k < js.size(); ++k)
    if (js[k]) {
      Expr term = mul(ir::unit(static_cast<long>(k) + 1, len), js[k]);
      r = r ? add(r, term) : term;
    }
  return r;
}

/// A Hadamard product or quotient of a differential: the differential operand d
/// and the coefficient p with l = p ⊙ d (p = 1 ⊘ b for d ⊘ b).
struct HadamardParts {
  Expr d, p;
};
HadamardParts hadamard_parts(const Expr& l, DependsOn& has) {
  const auto& x = l->args;
  const bool in0 = has(x[0]);
  MCALC_ASSERT(!(in0 && has(x[1])), "a Hadamard product of two differentials");
  if (l->kind == Kind::ElemDiv) {
    MCALC_ASSERT(in0, "a differential in a denominator");
    return {x[0], elem_div(ir::num(1), x[1])};
  }
  return in0 ? HadamardParts{x[0], x[1]} : HadamardParts{x[1], x[0]};
}

/// J of tr(C A) (C nullptr = I) for A linear in the placeholder: sums, negation,
/// transposes (tr(C Aᵀ) = tr(Cᵀ A)) and quotients by a scalar pass through;
/// `self.trace_rest(a, c)` handles products and the rest. One skeleton for both
/// identifications, which differ in how a product is rotated.
template <class Self>
Expr trace_linear(Self& self, const Expr& a, const Expr& c) {
  const auto& x = a->args;
  switch (a->kind) {
    case Kind::Add: case Kind::Sub: {
      Expr p = self.trace(x[0], c), q = self.trace(x[1], c);
      if (!q) return p;
      if (!p) return a->kind == Kind::Add ? q : neg(q);
      return a->kind == Kind::Add ? add(p, q) : sub(p, q);
    }
    case Kind::Neg: {
      Expr p = self.trace(x[0], c);
      return p ? neg(p) : nullptr;
    }
    case Kind::Transpose:
      return self.trace(x[0], c ? transpose(c) : nullptr);
    case Kind::Div: {
      Expr p = self.trace(x[0], c);
      return p ? div(p, x[1]) : nullptr;
    }
    default:
      return self.trace_rest(a, c);
  }
}

class VecIdentifier {
 public:
  VecIdentifier(const Expr& p, const Expr& f, const std::unordered_map<const Node*, Expr>& origin)
      : p_(p), f_(f), n_(p->shape.rows * p->shape.cols), origin_(origin) {}

  /// J of vec(L), or nullptr when L does not depend on dP.
  Expr jac(const Expr& l) { return of(l, nullptr, nullptr, false); }

 private:
  bool has(const Expr& e) { return depends_(e); }

  [[noreturn]] void unsupported(const Expr& l) {
    auto it = origin_.find(l.get());
    const Expr& at = it != origin_.end() && it->second->loc.valid() ? it->second : f_;
    not_differentiable(at, "the Jacobian through a Kronecker product is not supported; differentiate its operands");
  }

  /// vec(left op(L) right) = outer (K) vec(L), with the J of vec(L) `inner`.
  Expr wrap(const Expr& l, const Expr& left, const Expr& right, bool t, const Expr& inner) {
    if (!inner) return nullptr;
    const Shape ls = t ? l->shape.transposed() : l->shape;
    Expr k = t && !l->shape.is_vector_like() ? ir::commutation(l->shape.rows, l->shape.cols) : nullptr;
    return times(outer(left, right, ls), times(k, inner));
  }

  Expr of(const Expr& l, const Expr& left, const Expr& right, bool t) {
    if (!has(l)) return nullptr;
    const bool plain_call = !left && !right && !t;
    if (plain_call) {
      auto it = memo_.find(l.get());
      if (it != memo_.end()) return it->second;
    }
    Expr r = rule(l, left, right, t);
    if (plain_call) {
      Shape want{l->shape.rows * l->shape.cols, n_};
      MCALC_ASSERT(!r || r->shape == want || (want.is_scalar() && r->is_scalar()),
                   "Jacobian of " + describe(l) + " has shape " + (r ? r->shape.str() : "none"));
      memo_[l.get()] = r;
    }
    return r;
  }

  Expr rule(const Expr& l, const Expr& left, const Expr& right, bool t) {
    const auto& x = l->args;
    const Shape ls = t ? l->shape.transposed() : l->shape;
    if (l.get() == p_.get()) {
      Expr k = t && !l->shape.is_vector_like() ? ir::commutation(l->shape.rows, l->shape.cols) : nullptr;
      Expr o = outer(left, right, ls);
      Expr j = times(o, k);
      return j ? j : ir::eye(n_);
    }
    if (l->is_scalar() && (left || right)) {  // vec(left s right) = vec(left right) J(s)
      Expr js = of(l, nullptr, nullptr, false);
      return js ? mul(vec_of(times(left, right)), js) : nullptr;
    }
    switch (l->kind) {
      case Kind::Add: case Kind::Sub: {
        Expr a = operand(x[0], l, left, right, t), b = operand(x[1], l, left, right, t);
        if (!b) return a;
        if (!a) return l->kind == Kind::Add ? b : neg(b);
        return l->kind == Kind::Add ? add(a, b) : sub(a, b);
      }
      case Kind::Neg: {
        Expr a = of(x[0], left, right, t);
        return a ? neg(a) : nullptr;
      }
      case Kind::Mul: {
        const Expr &a = x[0], &b = x[1];
        if (a->is_scalar() && !b->is_scalar()) return scaled(a, b, left, right, t);
        if (b->is_scalar() && !a->is_scalar()) return scaled(b, a, left, right, t);
        if (a->is_scalar() && b->is_scalar()) return scaled(has(a) ? a : b, has(a) ? b : a, left, right, t);
        MCALC_ASSERT(!(has(a) && has(b)), "a product of two differentials");
        // op(A B) = A B, or Bᵀ Aᵀ when transposed
        if (has(b)) return t ? of(b, left, times(transpose(a), right), true) : of(b, times(left, a), right, false);
        return t ? of(a, times(left, transpose(b)), right, true) : of(a, left, times(b, right), false);
      }
      case Kind::Div: {  // L/s
        Expr a = of(x[0], left, right, t);
        return a ? div(a, x[1]) : nullptr;
      }
      case Kind::Hadamard: case Kind::ElemDiv: {
        const auto [d, p] = hadamard_parts(l, depends_);
        if (p->is_scalar()) return scaled(p, d, left, right, t);
        if (d->is_scalar()) return scaled(d, p, left, right, t);
        // vec(op(p ⊙ L)) = diag(vec(op(p))) vec(op(L))
        Expr inner = of(d, nullptr, nullptr, t);
        if (!inner) return nullptr;
        return times(outer(left, right, ls), mul(call(Fn::DiagOf, {vec_of(t ? transpose(p) : p)}), inner));
      }
      case Kind::Dot:  // a·b = aᵀ b (a scalar: left and right are absent here)
        if (has(x[1])) return of(x[1], transpose(x[0]), nullptr, false);
        return of(x[0], transpose(x[1]), nullptr, false);
      case Kind::Transpose:
        return of(x[0], left, right, !t);
      case Kind::Index: {  // a scalar: A[i, j] = e_iᵀ A e_j
        const Shape& s = x[0]->shape;
        if (l->j) return of(x[0], transpose(ir::unit(l->i, s.rows)), ir::unit(l->j, s.cols), false);
        if (s.cols.is_one()) return of(x[0], transpose(ir::unit(l->i, s.rows)), nullptr, false);
        return of(x[0], nullptr, ir::unit(l->i, s.cols), false);
      }
      case Kind::Literal:
        return wrap(l, left, right, t, literal_jac(l));
      case Kind::Call:
        return call_rule(l, left, right, t);
      case Kind::Num: case Kind::Var: case Kind::DimSize: case Kind::Pow: case Kind::ElemPow:
      case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
        break;
    }
    MCALC_ASSERT(false, "not a linear operation of a differential: " + describe(l));
  }

  /// An operand of a sum: a broadcast scalar s stands for s 1.
  Expr operand(const Expr& a, const Expr& sum, const Expr& left, const Expr& right, bool t) {
    if (!has(a)) return nullptr;
    if (a->is_scalar() && !sum->is_scalar()) return scaled(a, ir::ones(sum->shape), left, right, t);
    return of(a, left, right, t);
  }

  /// left op(s M) right for a scalar s: vec(left op(M) right) J(s) when s varies, else s J(M).
  Expr scaled(const Expr& s, const Expr& m, const Expr& left, const Expr& right, bool t) {
    if (has(s)) {
      MCALC_ASSERT(!has(m), "a product of two differentials");
      Expr js = of(s, nullptr, nullptr, false);
      if (!js) return nullptr;
      Expr v = times(times(left, t ? transpose(m) : m), right);
      return mul(vec_of(v), js);
    }
    Expr j = of(m, left, right, t);
    return j ? mul(s, j) : nullptr;
  }

  /// J of vec of a literal [a, b; c, d] of scalar differentials: the rows J(entry) in vec order.
  Expr literal_jac(const Expr& l) {
    const long rows = l->lit_rows, cols = l->lit_cols;
    std::vector<Expr> js;  // in vec (column-major) order
    bool any = false;
    for (long j = 0; j < cols; ++j)
      for (long i = 0; i < rows; ++i) {
        js.push_back(of(l->args[static_cast<std::size_t>(i * cols + j)], nullptr, nullptr, false));
        any = any || js.back();
      }
    return any ? stack_rows(js, Dim::lit(rows * cols)) : nullptr;
  }

  Expr call_rule(const Expr& l, const Expr& left, const Expr& right, bool t) {
    const Expr& u = l->args[0];
    const Shape& s = u->shape;
    switch (l->fn) {
      case Fn::Sum: case Fn::Mean: {  // sum(A) = 1ᵀ A 1 (a scalar: no left, right)
        Expr lo = s.rows.is_one() ? nullptr : transpose(ir::ones(Shape::vector(s.rows)));
        Expr ro = s.cols.is_one() ? nullptr : ir::ones(Shape::vector(s.cols));
        Expr j = of(u, lo, ro, false);
        return j && l->fn == Fn::Mean ? div(j, numel(s)) : j;
      }
      case Fn::Tr:
        return trace(u, nullptr);
      case Fn::DiagOf: {  // diag(v) is symmetric: op is the identity
        if (right && right->shape.cols.is_one()) return of(u, times(left, call(Fn::DiagOf, {right})), nullptr, false);
        // vec(diag(v)) = diag(vec(I)) (1 ⊗ I) v
        const Dim n = s.rows;
        Expr spread = mul(call(Fn::DiagOf, {call(Fn::Vec, {ir::eye(n)})}),
                          call(Fn::Kron, {ir::ones(Shape::vector(n)), ir::eye(n)}));
        Expr inner = of(u, nullptr, nullptr, false);
        return inner ? times(outer(left, right, l->shape), mul(spread, inner)) : nullptr;
      }
      case Fn::DiagVec: {  // diag(A) = (1ᵀ ⊗ I) diag(vec(I)) vec(A): a vector, op changes no vec
        const Dim n = s.rows;
        Expr pick = mul(call(Fn::Kron, {transpose(ir::ones(Shape::vector(n))), ir::eye(n)}),
                        call(Fn::DiagOf, {call(Fn::Vec, {ir::eye(n)})}));
        Expr inner = of(u, nullptr, nullptr, false);
        return inner ? times(outer(left, right, ls_of(l, t)), mul(pick, inner)) : nullptr;
      }
      case Fn::Vec:  // vec(vec(A)) = vec(A)
        return wrap(l, left, right, t, of(u, nullptr, nullptr, false));
      case Fn::Kron:
        unsupported(l);
      default:
        break;
    }
    MCALC_ASSERT(false, "not a linear operation of a differential: " + describe(l));
  }
  static Shape ls_of(const Expr& l, bool t) { return t ? l->shape.transposed() : l->shape; }

  /// J of tr(C A), A square and linear in dP (C nullptr = I), rotated until dP stands
  /// alone: tr(C P Q) = tr((C P) Q) = tr((Q C) P); then tr(C A) = vec(Cᵀ)ᵀ vec(A).
 public:
  Expr trace(const Expr& a, const Expr& c) { return has(a) ? trace_linear(*this, a, c) : nullptr; }
  Expr trace_rest(const Expr& a, const Expr& c) {
    const auto& x = a->args;
    if (a->kind == Kind::Mul && !x[0]->is_scalar() && !x[1]->is_scalar()) {
      if (has(x[1])) return trace(x[1], times(c, x[0]));
      return trace(x[0], times(x[1], c));
    }
    Expr j = of(a, nullptr, nullptr, false);
    if (!j) return nullptr;
    return mul(transpose(c ? vec_of(transpose(c)) : call(Fn::Vec, {ir::eye(a->shape.rows)})), j);
  }

 private:
  Expr p_, f_;
  Dim n_;
  const std::unordered_map<const Node*, Expr>& origin_;
  std::unordered_map<const Node*, Expr> memo_;
  DependsOn depends_{p_.get()};
};

class Identifier {
 public:
  Identifier(const Expr& p, const Expr& f, const std::unordered_map<const Node*, Expr>& origin)
      : p_(p), n_(p->shape.rows), vec_(p, f, origin) {}

  /// J with vec(L) = J dx for a vector-like (or scalar) L; nullptr when L
  /// does not depend on dx.
  Expr jac(const Expr& l) {
    if (!has(l)) return nullptr;
    auto it = memo_.find(l.get());
    if (it != memo_.end()) return it->second;
    Expr r = rule(l, nullptr, nullptr);
    if (r) {
      Shape want{len(l->shape), n_};
      MCALC_ASSERT(r->shape == want || (want.is_scalar() && r->is_scalar()),
                   "Jacobian of " + describe(l) + " has shape " + r->shape.str());
    }
    memo_[l.get()] = r;
    return r;
  }

 private:
  bool has(const Expr& e) { return depends_(e); }

  /// J of vec(left L right) where L is a matrix whose differential the vector forms below
  /// do not reach (p ⊙ L for a matrix L, a literal inside a product): by vec/Kronecker forms.
  Expr by_vec(const Expr& l, const Expr& left, const Expr& right) {
    Expr j = vec_.jac(l);
    return j ? times(outer(left, right, l->shape), j) : nullptr;
  }

  /// J of vec(left L right), which is vector-like; left/right nullptr = identity.
  Expr of(const Expr& l, const Expr& left, const Expr& right) {
    if (!has(l)) return nullptr;
    if (l->shape.is_vector_like() && l.get() != p_.get()) {
      Expr j = jac(l);
      if (!j) return nullptr;
      if (l->is_scalar()) {  // left s right = (left right) s
        Expr v = left && right ? mul(left, right) : left ? left : right;
        return v ? mul(col(v), j) : j;
      }
      if (l->shape.cols.is_one()) {  // a column L: vec(left L right) = right left J (right a scalar)
        Expr r = lmul(left, j);
        return right ? mul(right, r) : r;
      }
      // a row L: vec(left L right) = rightᵀ vec(Lᵀ) (left a scalar)
      Expr r = right ? mul(transpose(right), j) : j;
      return left ? mul(left, r) : r;
    }
    return rule(l, left, right);
  }

  Expr rule(const Expr& l, const Expr& left, const Expr& right) {
    const auto& x = l->args;
    if (l.get() == p_.get()) {  // left dx right (right a scalar): J = left right
      Expr j = !left ? ir::eye(n_) : left->is_scalar() ? mul(left, ir::eye(n_)) : left;
      return right ? mul(right, j) : j;
    }
    switch (l->kind) {
      case Kind::Add: case Kind::Sub: {
        Expr a = broadcast(x[0], l, left, right), b = broadcast(x[1], l, left, right);
        if (!b) return a;
        if (!a) return l->kind == Kind::Add ? b : neg(b);
        return combine(a, b, l->kind == Kind::Sub);
      }
      case Kind::Neg: {
        Expr a = of(x[0], left, right);
        return a ? neg(a) : nullptr;
      }
      case Kind::Mul: {
        const Expr &a = x[0], &b = x[1];
        if (a->is_scalar() && !b->is_scalar()) return scaled(a, b, left, right);
        if (b->is_scalar() && !a->is_scalar()) return scaled(b, a, left, right);
        if (a->is_scalar() && b->is_scalar()) return scaled(has(a) ? a : b, has(a) ? b : a, left, right);
        MCALC_ASSERT(!(has(a) && has(b)), "a product of two differentials");
        if (has(b)) return of(b, lmul(left, a), right);  // left (A dB) right
        return of(a, left, right ? mul(b, right) : b);   // left (dA B) right
      }
      case Kind::Div: {  // L/s
        Expr a = of(x[0], left, right);
        return a ? div(a, x[1]) : nullptr;
      }
      case Kind::Hadamard: case Kind::ElemDiv: {
        // p .* L = diag(p) L for vectors (p ./ b: p = 1 ./ b); a broadcast scalar L: p L
        const auto [d, p] = hadamard_parts(l, depends_);
        if (p->is_scalar()) return of(d, lmul(left, p), right);
        if (d->is_scalar()) return scaled(d, p, left, right);
        if (!l->shape.is_vector_like()) return by_vec(l, left, right);
        if (l->shape.cols.is_one()) return of(d, lmul(left, call(Fn::DiagOf, {p})), right);
        return of(d, left, rmul(call(Fn::DiagOf, {col(p)}), right));  // a row: L diag(p)
      }
      case Kind::Dot:  // left (a·b) right: a·b = aᵀ b
        if (has(x[1])) return of(x[1], lmul(left, transpose(x[0])), right);
        return of(x[0], lmul(left, transpose(x[1])), right);
      case Kind::Transpose:  // left Aᵀ right = (rightᵀ A leftᵀ)ᵀ: the same entries
        return of(x[0], tr(right), tr(left));
      case Kind::Index: {
        const Shape& s = x[0]->shape;
        if (l->j) {  // A[i, j] = e_iᵀ A e_j
          return of(x[0], lmul(left, transpose(ir::unit(l->i, s.rows))), rmul(ir::unit(l->j, s.cols), right));
        }
        if (s.cols.is_one()) return of(x[0], lmul(left, transpose(ir::unit(l->i, s.rows))), right);
        return of(x[0], left, rmul(ir::unit(l->i, s.cols), right));
      }
      case Kind::Literal: {
        if (left || right) return by_vec(l, left, right);  // a matrix literal inside a product
        // J([f1; f2; ...]) stacks the rows J(f1), J(f2), ...
        std::vector<Expr> js;
        bool any = false;
        for (const auto& a : x) {
          js.push_back(jac(a));
          any = any || js.back();
        }
        if (!any) return nullptr;
        Dim m = len(l->shape);
        if (n_.is_one()) {
          for (auto& j : js) j = j ? j : ir::num(0);
          return literal(static_cast<long>(js.size()), 1, js);
        }
        if (n_.is_const() && n_.value() <= 64) {
          std::vector<Expr> entries;
          for (const auto& j : js)
            for (long c = 1; c <= n_.value(); ++c) entries.push_back(j ? index(j, c, 0) : ir::num(0));
          return literal(static_cast<long>(js.size()), n_.value(), entries);
        }
        return stack_rows(js, m);  // Σ_k e_k J(f_k)
      }
      case Kind::Call:
        return call_rule(l, left, right);
      case Kind::Num: case Kind::Var: case Kind::DimSize: case Kind::Pow: case Kind::ElemPow:
      case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
        break;
    }
    MCALC_ASSERT(false, "not a linear operation of a differential: " + describe(l));
  }

  /// left (s M) right with the scalar s: (left M right) J(s) when s varies,
  /// else s times the Jacobian of M.
  Expr scaled(const Expr& s, const Expr& m, const Expr& left, const Expr& right) {
    if (has(s)) {
      MCALC_ASSERT(!has(m), "a product of two differentials");
      Expr js = jac(s);
      Expr v = rmul(lmul(left, m), right);
      return mul(col(v), js);
    }
    Expr j = of(m, left, right);
    return j ? mul(s, j) : nullptr;
  }

  /// An operand of a sum: a broadcast scalar s stands for s 1.
  Expr broadcast(const Expr& a, const Expr& sum, const Expr& left, const Expr& right) {
    if (!has(a)) return nullptr;
    if (a->is_scalar() && !sum->is_scalar()) return scaled(a, ir::ones(sum->shape), left, right);
    return of(a, left, right);
  }

  Expr call_rule(const Expr& l, const Expr& left, const Expr& right) {
    const Expr& u = l->args[0];
    const Shape& s = u->shape;
    switch (l->fn) {
      case Fn::Sum: case Fn::Mean: {  // sum(A) = 1ᵀ A 1 (a scalar)
        Expr lo = s.rows.is_one() ? nullptr : transpose(ir::ones(Shape::vector(s.rows)));
        Expr ro = s.cols.is_one() ? nullptr : ir::ones(Shape::vector(s.cols));
        Expr j = of(u, lo, ro);
        if (!j) return nullptr;
        if (l->fn == Fn::Mean) j = div(j, numel(s));
        return scale_scalar(j, left, right);
      }
      case Fn::Tr: {
        Expr j = trace(u, nullptr);
        return j ? scale_scalar(j, left, right) : nullptr;
      }
      case Fn::DiagOf: {  // left diag(v) r = left diag(r) v;  l diag(v) = (diag(lᵀ) v)ᵀ
        if (right) return of(u, lmul(left, call(Fn::DiagOf, {col(right)})), nullptr);
        if (left) return of(u, call(Fn::DiagOf, {col(left)}), nullptr);
        return by_vec(l, left, right);
      }
      case Fn::Vec: case Fn::Kron:  // by vec (a Jacobian through kron is refused there, at the user's kron)
        return by_vec(l, left, right);
      case Fn::DiagVec: {
        if (is_call(u, Fn::DiagOf)) return of(u->args[0], left, right);  // diag(diag(v)) = v
        // diag(B diag(v) C) = (B .* Cᵀ) v, with diag(diag(C)) v when B = I (diag(B) likewise)
        std::vector<Expr> fs;
        bool negative = false;
        Expr scale;
        chain(u, false, fs, negative, scale);
        std::size_t k = fs.size();
        for (std::size_t i = 0; i < fs.size(); ++i)
          if (has(fs[i])) {
            if (k != fs.size() || !is_call(fs[i], Fn::DiagOf)) return by_vec(l, left, right);
            k = i;
          }
        if (k == fs.size()) return nullptr;
        Expr B = k > 0 ? product(fs, 0, k) : nullptr, C = k + 1 < fs.size() ? product(fs, k + 1, fs.size()) : nullptr;
        Expr w = B && C ? hadamard(B, transpose(C))
                 : B    ? call(Fn::DiagOf, {call(Fn::DiagVec, {B})})
                 : C    ? call(Fn::DiagOf, {call(Fn::DiagVec, {C})})
                        : nullptr;
        if (scale) w = w ? mul(scale, w) : scale;
        Expr j = of(fs[k]->args[0], w ? lmul(left, w) : left, right);
        return j && negative ? neg(j) : j;
      }
      default:
        break;
    }
    MCALC_ASSERT(false, "not a linear operation of a differential: " + describe(l));
  }

  /// The factors of a matrix product u (transposed when `t`), with signs and
  /// constant scalar factors taken out: (A B)ᵀ = Bᵀ Aᵀ, (-A) B = -(A B).
  void chain(const Expr& u, bool t, std::vector<Expr>& fs, bool& negative, Expr& scale) {
    if (matrix_mul(u)) {
      chain(t ? u->args[1] : u->args[0], t, fs, negative, scale);
      chain(t ? u->args[0] : u->args[1], t, fs, negative, scale);
    } else if (u->kind == Kind::Neg) {
      negative = !negative;
      chain(u->args[0], t, fs, negative, scale);
    } else if (u->kind == Kind::Transpose) {
      chain(u->args[0], !t, fs, negative, scale);
    } else if (u->kind == Kind::Mul && u->args[0]->is_scalar() && !has(u->args[0])) {
      scale = scale ? mul(scale, u->args[0]) : u->args[0];
      chain(u->args[1], t, fs, negative, scale);
    } else {
      fs.push_back(t && !is_call(u, Fn::DiagOf) ? transpose(u) : u);
    }
  }

  /// J of left s right for a scalar s with Jacobian j (a row).
  Expr scale_scalar(const Expr& j, const Expr& left, const Expr& right) {
    Expr v = left && right ? mul(left, right) : left ? left : right;
    return v ? mul(col(v), j) : j;
  }

  /// J of tr(C A), A square and linear in dx (C nullptr = I): rotated until
  /// dx stands in a vector: tr(C X Y) = tr(Y C X), tr(C u vᵀ) = vᵀ C u.
 public:
  Expr trace(const Expr& a, const Expr& c) { return has(a) ? trace_linear(*this, a, c) : nullptr; }
  Expr trace_rest(const Expr& a, const Expr& c) {
    const auto& x = a->args;
    switch (a->kind) {
      case Kind::Mul: {
        const Expr &p = x[0], &q = x[1];
        if (p->is_scalar() || q->is_scalar()) {  // tr(C s M) = s tr(C M)
          const Expr& sc = p->is_scalar() ? p : q;
          const Expr& m = p->is_scalar() ? q : p;
          if (has(sc)) {
            Expr t = c ? call(Fn::Tr, {mul(c, m)}) : call(Fn::Tr, {m});
            return mul(t, jac(sc));
          }
          Expr j = trace(m, c);
          return j ? mul(sc, j) : nullptr;
        }
        if (p->shape.cols.is_one()) {  // tr(C u vᵀ) = vᵀ C u
          if (has(p)) return of(p, c ? mul(q, c) : q, nullptr);
          return of(q, nullptr, c ? mul(c, p) : p);
        }
        if (has(q)) return trace(q, lmul(c, p));  // tr(C P Q) = tr((C P) Q)
        return trace(p, c ? mul(q, c) : q);       // tr(C P Q) = tr((Q C) P)
      }
      case Kind::Call:
        if (a->fn == Fn::DiagOf) {  // tr(C diag(v)) = diag(C)ᵀ v
          if (!c) return of(x[0], transpose(ir::ones(Shape::vector(x[0]->shape.rows))), nullptr);
          return of(x[0], transpose(call(Fn::DiagVec, {c})), nullptr);
        }
        break;
      default:
        break;
    }
    return vec_.trace(a, c);  // tr(C A) = vec(Cᵀ)ᵀ vec(A)
  }

 private:
  Expr p_;
  Dim n_;
  std::unordered_map<const Node*, Expr> memo_;
  DependsOn depends_{p_.get()};
  VecIdentifier vec_;
};

}  // namespace

Expr identify_vec(const Expr& dF, const Expr& p, const Expr& f, const std::unordered_map<const Node*, Expr>& origin) {
  VecIdentifier id(p, f, origin);
  Expr j = id.jac(dF);
  return j ? j : zero_of(Shape{f->shape.rows * f->shape.cols, p->shape.rows * p->shape.cols});
}

Expr identify(const Expr& dF, const Expr& p, const Expr& f, const std::unordered_map<const Node*, Expr>& origin) {
  MCALC_ASSERT(p->shape.cols.is_one(), "identification needs a column dx");
  Identifier id(p, f, origin);
  Expr j = id.jac(dF);
  Shape s{f->is_scalar() ? Dim::lit(1) : len(f->shape), p->shape.rows};
  return j ? j : zero_of(s);
}

}  // namespace dx
}  // namespace mcalc
