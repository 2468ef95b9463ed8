// Forward mode for a vector-like f: every vector-like node u gets its Jacobian
// J(u) = du/dx (numerator layout: len(u) rows, one column per entry of x; a
// row vector u is treated as its column), built from its operands' Jacobians
// (vector chain rule: Jacobians multiply in order). Memoised per node, so a
// shared subexpression or intermediate variable is differentiated once.
#include <unordered_map>

#include "diff/internal.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace dx {
namespace {

using namespace simp;

Expr col(const Expr& v) { return v->shape.is_row() ? transpose(v) : v; }
Dim len(const Shape& s) { return s.cols.is_one() ? s.rows : s.cols; }

class Forward {
 public:
  explicit Forward(const Expr& wrt) : wrt_(wrt), n_(wrt->shape.rows) {}

  /// J(e), or nullptr when e does not depend on wrt.
  Expr jac(const Expr& e) {
    auto it = memo_.find(e.get());
    if (it != memo_.end()) return it->second;
    Expr r = rule(e);
    if (r) {
      Shape want{e->is_scalar() ? Dim::lit(1) : len(e->shape), n_};
      MCALC_ASSERT(r->shape == want || (want.is_scalar() && r->is_scalar()),
                   "Jacobian of " + describe(e) + " has shape " + r->shape.str());
    }
    memo_[e.get()] = r;
    return r;
  }

 private:
  bool scalar_wrt() const { return n_.is_one(); }
  Expr plus(const Expr& a, const Expr& b) { return !a ? b : !b ? a : add(a, b); }

  /// The Jacobian of a broadcast scalar operand: 1 J(a) (one identical row per entry).
  Expr widen(const Expr& ja, const Expr& a, const Expr& node) {
    if (!ja || !a->is_scalar() || node->is_scalar()) return ja;
    return mul(ir::ones(Shape::vector(len(node->shape))), ja);
  }

  /// d(u)/dx for an elementwise u = f(a, b):  Σ_k diag(∂f/∂a_k) J(a_k).
  Expr elementwise(const Expr& e) {
    Expr r;
    for (std::size_t k = 0; k < e->args.size(); ++k) {
      const Expr& a = e->args[k];
      Expr ja = jac(a);
      if (!ja) continue;
      Expr p = elementwise_partial(e, k);
      Expr t;
      if (p->is_scalar()) t = mul(p, widen(ja, a, e));                       // (c 1) J(a) for a constant partial
      else if (a->is_scalar()) t = mul(col(p), ja);                        // diag(p) 1 J(a) = p J(a)
      else t = mul(call(Fn::DiagOf, {col(p)}), ja);                        // diag(p) J(a)
      r = plus(r, t);
    }
    return r;
  }

  [[noreturn]] void matrix_dep(const Expr& e) {
    not_differentiable(e, "its Jacobian with respect to the vector " + wrt_->name +
                              " is a third-order tensor; differentiate a scalar (grad) instead");
  }

  Expr rule(const Expr& e) {
    const auto& x = e->args;
    if (!e->shape.is_vector_like()) {
      // A matrix-valued node: fine when it does not depend on wrt.
      for (const auto& a : x)
        if (jac(a)) matrix_dep(e);
      if (e->kind == Kind::Var && !x.empty() && jac(x[0])) matrix_dep(e);
      return nullptr;
    }
    switch (e->kind) {
      case Kind::Num: case Kind::DimSize: case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
        return nullptr;
      case Kind::Var:
        if (is_wrt(e.get(), wrt_)) return scalar_wrt() ? ir::num(1) : ir::eye(n_);  // dx/dx = I
        return x.empty() ? nullptr : jac(x[0]);                                      // J(z) = J(def z)
      case Kind::Add: {
        // J(a + b) = J(a) + J(b)   (1 J(s) for a broadcast scalar s)
        return plus(widen(jac(x[0]), x[0], e), widen(jac(x[1]), x[1], e));
      }
      case Kind::Sub: {
        // J(a - b) = J(a) - J(b)
        Expr ja = widen(jac(x[0]), x[0], e), jb = widen(jac(x[1]), x[1], e);
        if (!jb) return ja;
        return ja ? sub(ja, jb) : neg(jb);
      }
      case Kind::Neg: {
        // J(-a) = -J(a)
        Expr ja = jac(x[0]);
        return ja ? neg(ja) : nullptr;
      }
      case Kind::Mul: {
        const Expr &a = x[0], &b = x[1];
        // Matrix operands have no Jacobian here; the branches below check them.
        Expr ja = a->shape.is_vector_like() ? jac(a) : nullptr, jb = b->shape.is_vector_like() ? jac(b) : nullptr;
        if (a->is_scalar() && b->is_scalar())  // J(a b) = b J(a) + a J(b)
          return plus(ja ? mul(b, ja) : nullptr, jb ? mul(a, jb) : nullptr);
        if (a->is_scalar())  // J(s v) = v J(s) + s J(v)
          return plus(ja ? mul(col(b), ja) : nullptr, jb ? mul(a, jb) : nullptr);
        if (b->is_scalar())  // J(v s) = v J(s) + s J(v)
          return plus(jb ? mul(col(a), jb) : nullptr, ja ? mul(b, ja) : nullptr);
        if (a->shape.is_row() && b->shape.cols.is_one() && !b->shape.is_row()) {
          // J(aᵀ-row · b) = bᵀ J(a) + a J(b)
          return plus(ja ? mul(transpose(b), ja) : nullptr, jb ? mul(a, jb) : nullptr);
        }
        if (b->shape.cols.is_one()) {
          // J(A b) = A J(b);  J(diag(v) b) = diag(b) J(v) + diag(v) J(b)
          Expr r = jb ? mul(a, jb) : nullptr;
          if (is_call(a, Fn::DiagOf)) {
            Expr jv = jac(a->args[0]);
            if (jv) r = plus(r, mul(call(Fn::DiagOf, {b}), jv));
          } else if (depends_matrix(a)) {
            matrix_dep(a);
          }
          return r;
        }
        if (a->shape.is_row()) {
          // J(a B) (a row, result row) = Bᵀ J(a)
          if (depends_matrix(b)) matrix_dep(b);
          return ja ? mul(transpose(b), ja) : nullptr;
        }
        if (ja || jb || depends_matrix(a) || depends_matrix(b)) matrix_dep(e);
        return nullptr;
      }
      case Kind::Div: {
        // J(a/s) = J(a)/s - a J(s)/s^2
        Expr ja = jac(x[0]), js = jac(x[1]);
        Expr r = ja ? div(ja, x[1]) : nullptr;
        if (js) {
          Expr t = div(mul(col(x[0]), js), pow(x[1], ir::num(2)));
          r = r ? sub(r, t) : neg(t);
        }
        return r;
      }
      case Kind::Hadamard: case Kind::ElemDiv: case Kind::ElemPow:
        // J(f(a, b)) = diag(∂f/∂a) J(a) + diag(∂f/∂b) J(b)
        return elementwise(e);
      case Kind::Pow:
        if (!e->is_scalar()) {
          if (jac(x[0])) matrix_dep(x[0]);
          return nullptr;
        }
        return elementwise(e);
      case Kind::Dot: {
        // J(a·b) = bᵀ J(a) + aᵀ J(b)
        Expr ja = jac(x[0]), jb = jac(x[1]);
        return plus(ja ? mul(transpose(x[1]), ja) : nullptr, jb ? mul(transpose(x[0]), jb) : nullptr);
      }
      case Kind::Transpose:
        // J(aᵀ) = J(a) for a vector a
        return jac(x[0]);
      case Kind::Index: {
        // J(a[i]) = e_iᵀ J(a)
        if (!x[0]->shape.is_vector_like()) {
          if (depends_matrix(x[0])) matrix_dep(x[0]);
          return nullptr;
        }
        Expr ja = jac(x[0]);
        if (!ja) return nullptr;
        if (x[0]->is_scalar()) return ja;
        return mul(transpose(ir::unit(e->i, len(x[0]->shape))), ja);
      }
      case Kind::Literal: {
        // J([f1; f2; ...]) stacks the rows J(f1), J(f2), ...
        std::vector<Expr> js;
        bool any = false;
        for (const auto& a : x) {
          js.push_back(jac(a));
          any = any || js.back();
        }
        if (!any) return nullptr;
        if (scalar_wrt()) {
          for (auto& j : js) j = j ? j : ir::num(0);
          return literal(e->lit_rows == 1 ? e->lit_cols : e->lit_rows, 1, js);
        }
        Dim m = len(e->shape);
        if (n_.is_const() && n_.value() <= 64) {
          // x of known length: the Jacobian as a bracket literal, row k = J(f_k).
          std::vector<Expr> entries;
          for (const auto& j : js)
            for (long c = 1; c <= n_.value(); ++c) entries.push_back(j ? index(j, c, 0) : ir::num(0));
          return literal(static_cast<long>(js.size()), n_.value(), entries);
        }
        Expr r;
        for (std::size_t k = 0; k < js.size(); ++k)  // Σ_k e_k J(f_k)
          if (js[k]) r = plus(r, mul(ir::unit(static_cast<long>(k) + 1, m), js[k]));
        return r;
      }
      case Kind::Call:
        return call_rule(e);
    }
    return nullptr;
  }

  bool depends_matrix(const Expr& a) {
    if (a->shape.is_vector_like()) return jac(a) != nullptr;
    for (const auto& c : a->args)
      if (depends_matrix(c)) return true;
    return is_wrt(a.get(), wrt_);
  }

  Expr call_rule(const Expr& e) {
    const Expr& u = e->args[0];
    if (fn_is_elementwise(e->fn)) return elementwise(e);  // J(f(u)) = diag(f'(u)) J(u)
    if (!u->shape.is_vector_like()) {
      if (depends_matrix(u)) matrix_dep(u);
      return nullptr;
    }
    Expr ju = jac(u);
    if (!ju) return nullptr;
    Dim m = len(u->shape);
    Expr ones_row = transpose(ir::ones(Shape::vector(m)));
    switch (e->fn) {
      case Fn::Sum: return mul(ones_row, ju);                                           // J(sum u) = 1ᵀ J(u)
      case Fn::Mean: return div(mul(ones_row, ju), numel(u->shape));                    // J(mean u) = 1ᵀ J(u)/n
      case Fn::Norm2: return mul(transpose(div(col(u), e)), ju);                        // (u/‖u‖)ᵀ J(u)
      case Fn::Norm1: return mul(transpose(call(Fn::Sign, {col(u)})), ju);              // sign(u)ᵀ J(u)
      case Fn::Logsumexp: return mul(transpose(call(Fn::Softmax, {col(u)})), ju);       // softmax(u)ᵀ J(u)
      case Fn::Softmax:                                                                 // (diag(s) - s sᵀ) J(u)
        return mul(sub(call(Fn::DiagOf, {e}), mul(e, transpose(e))), ju);
      case Fn::DiagOf:
        matrix_dep(e);
      default:
        break;
    }
    not_differentiable(e, "no forward rule for this function of a vector");
  }

  Expr wrt_;
  Dim n_;
  std::unordered_map<const Node*, Expr> memo_;
};

}  // namespace

Expr forward_jacobian(const Expr& f, const Expr& wrt) {
  MCALC_ASSERT(wrt->shape.cols.is_one(), "forward mode needs a scalar or column wrt");
  Forward fw(wrt);
  Expr j = fw.jac(f);
  Shape s{f->is_scalar() ? Dim::lit(1) : len(f->shape), wrt->shape.rows};
  return j ? j : zero_of(s);
}

}  // namespace dx
}  // namespace mcalc
