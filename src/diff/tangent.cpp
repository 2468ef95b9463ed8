// Forward mode for a scalar wrt z: every node u gets its tangent du/dz, with
// the shape of u (dual numbers). This covers f of any shape, matrices
// included: d(A*B)/dz = A' B + A B', d inv(A)/dz = -inv(A) A' inv(A), ...
#include <unordered_map>

#include "diff/internal.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace dx {
namespace {

using namespace simp;

class Tangent {
 public:
  explicit Tangent(const Expr& wrt) : wrt_(wrt) {}

  /// du/dz with the shape of u, or nullptr when u does not depend on z.
  Expr tan(const Expr& e) {
    auto it = memo_.find(e.get());
    if (it != memo_.end()) return it->second;
    Expr r = rule(e);
    if (r) MCALC_ASSERT(r->shape == e->shape, "tangent of " + describe(e) + " has shape " + r->shape.str());
    memo_[e.get()] = r;
    return r;
  }

 private:
  static Expr plus(const Expr& a, const Expr& b) { return !a ? b : !b ? a : add(a, b); }
  /// The tangent of operand a, broadcast to the node's shape when a is a scalar.
  Expr widened(const Expr& a, const Expr& node) {
    Expr t = tan(a);
    if (!t || !a->is_scalar() || node->is_scalar()) return t;
    return mul(t, ir::ones(node->shape));
  }

  Expr elementwise(const Expr& e) {
    // d f(a, b)/dz = ∂f/∂a .* a' + ∂f/∂b .* b'
    Expr r;
    for (std::size_t k = 0; k < e->args.size(); ++k) {
      Expr t = widened(e->args[k], e);
      if (!t) continue;
      r = plus(r, hadamard(elementwise_partial(e, k), t));
    }
    return r;
  }

  Expr rule(const Expr& e) {
    const auto& x = e->args;
    switch (e->kind) {
      case Kind::Num: case Kind::DimSize: case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
        return nullptr;
      case Kind::Var:
        if (is_wrt(e.get(), wrt_)) return ir::num(1);  // dz/dz = 1
        return x.empty() ? nullptr : tan(x[0]);        // (def)'
      case Kind::Add:                                  // (a + b)' = a' + b'
        return plus(widened(x[0], e), widened(x[1], e));
      case Kind::Sub: {                                // (a - b)' = a' - b'
        Expr a = widened(x[0], e), b = widened(x[1], e);
        if (!b) return a;
        return a ? sub(a, b) : neg(b);
      }
      case Kind::Neg: {                                // (-a)' = -a'
        Expr a = tan(x[0]);
        return a ? neg(a) : nullptr;
      }
      case Kind::Mul: {                                // (A B)' = A' B + A B'
        Expr a = tan(x[0]), b = tan(x[1]);
        return plus(a ? mul(a, x[1]) : nullptr, b ? mul(x[0], b) : nullptr);
      }
      case Kind::Div: {                                // (A/s)' = A'/s - A s'/s^2
        Expr a = tan(x[0]), s = tan(x[1]);
        Expr r = a ? div(a, x[1]) : nullptr;
        if (s) {
          Expr t = div(mul(s, x[0]), pow(x[1], ir::num(2)));
          r = r ? sub(r, t) : neg(t);
        }
        return r;
      }
      case Kind::Hadamard: case Kind::ElemDiv: case Kind::ElemPow:
        return elementwise(e);
      case Kind::Pow: {
        if (x[0]->is_scalar()) return elementwise(e);
        // (B^k)' = Σ_{i<k} B^i B' B^(k-1-i), with B = A, or B = A⁻¹ and B' = -A⁻¹ A' A⁻¹ for A^(-k)
        Expr a = tan(x[0]);
        if (!a || x[1]->kind != Kind::Num || x[1]->num == 0) return nullptr;
        double k = x[1]->num;
        bool inverse = k < 0;
        Expr B = inverse ? call(Fn::Inv, {x[0]}) : x[0];
        Expr dB = inverse ? neg(mul(mul(B, a), B)) : a;
        long kk = static_cast<long>(inverse ? -k : k);
        Expr r;
        for (long i = 0; i < kk; ++i)
          r = plus(r, mul(mul(pow(B, ir::num(static_cast<double>(i))), dB),
                          pow(B, ir::num(static_cast<double>(kk - 1 - i)))));
        return r;
      }
      case Kind::Dot: {                                // (a·b)' = a'·b + a·b'
        Expr a = tan(x[0]), b = tan(x[1]);
        return plus(a ? dot(a, x[1]) : nullptr, b ? dot(x[0], b) : nullptr);
      }
      case Kind::Transpose: {                          // (Aᵀ)' = (A')ᵀ
        Expr a = tan(x[0]);
        return a ? transpose(a) : nullptr;
      }
      case Kind::Index: {                              // (a[i])' = a'[i]
        Expr a = tan(x[0]);
        return a ? index(a, e->i, e->j) : nullptr;
      }
      case Kind::Literal: {                            // [f1; f2]' = [f1'; f2']
        std::vector<Expr> ts;
        bool any = false;
        for (const auto& a : x) {
          ts.push_back(tan(a));
          any = any || ts.back();
          if (!ts.back()) ts.back() = ir::num(0);
        }
        return any ? literal(e->lit_rows, e->lit_cols, ts) : nullptr;
      }
      case Kind::Call:
        return call_rule(e);
    }
    return nullptr;
  }

  Expr call_rule(const Expr& e) {
    if (fn_is_elementwise(e->fn)) return elementwise(e);  // f(u)' = f'(u) .* u'
    const Expr& u = e->args[0];
    Expr t = tan(u);
    if (!t) return nullptr;
    auto col = [](const Expr& v) { return v->shape.is_row() ? transpose(v) : v; };
    switch (e->fn) {
      case Fn::Sum: return call(Fn::Sum, {t});                                      // sum(u')
      case Fn::Mean: return call(Fn::Mean, {t});                                    // mean(u')
      case Fn::Norm2: return div(call(Fn::Sum, {hadamard(u, t)}), e);               // sum(u .* u')/‖u‖
      case Fn::Norm1: return call(Fn::Sum, {hadamard(call(Fn::Sign, {u}), t)});     // sum(sign(u) .* u')
      case Fn::Logsumexp: return mul(transpose(call(Fn::Softmax, {col(u)})), col(t));  // softmax(u)ᵀ u'
      case Fn::Softmax: return sub(hadamard(e, t), mul(e, mul(transpose(e), t)));   // s .* u' - s (sᵀ u')
      case Fn::Tr: return call(Fn::Tr, {t});                                        // tr(A')
      case Fn::Det: return mul(e, call(Fn::Tr, {mul(call(Fn::Inv, {u}), t)}));      // det(A) tr(A⁻¹ A')
      case Fn::Logdet: return call(Fn::Tr, {mul(call(Fn::Inv, {u}), t)});           // tr(A⁻¹ A')
      case Fn::Inv: return neg(mul(mul(e, t), e));                                  // -A⁻¹ A' A⁻¹
      case Fn::DiagOf: return call(Fn::DiagOf, {t});                                // diag(v')
      case Fn::DiagVec: return call(Fn::DiagVec, {t});                              // diag(A')
      default: break;
    }
    not_differentiable(e, "no derivative rule for this function");
  }

  Expr wrt_;
  std::unordered_map<const Node*, Expr> memo_;
};

}  // namespace

Expr forward_tangent(const Expr& f, const Expr& wrt) {
  MCALC_ASSERT(wrt->is_scalar(), "tangent mode needs a scalar wrt");
  Tangent t(wrt);
  Expr r = t.tan(f);
  return r ? r : zero_of(f->shape);
}

}  // namespace dx
}  // namespace mcalc
