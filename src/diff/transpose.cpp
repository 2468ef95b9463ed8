// The transposer (JAX's `transpose`): for a differential L linear in one
// placeholder P, and a cotangent G with the shape of L, the adjoint P̄ = Lᵀ(G)
// with the shape of P, so that sum(G .* L(dP)) = sum(P̄ .* dP). Reverse mode
// is "differentiate by the rule table, then transpose": only the linear
// operations that differentials are built from need a transpose rule here.
#include <unordered_map>

#include "diff/internal.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace dx {
namespace {

using namespace simp;

/// Sums a broadcast cotangent back to a scalar operand: sum(G) when the
/// operand was a broadcast scalar, else G itself.
Expr unbroadcast(const Expr& g, const Shape& to) {
  if (to.is_scalar() && !g->is_scalar()) return call(Fn::Sum, {g});
  return g;
}

/// a .* (s 1) = s a: the cotangent of a sum reduction meeting a Hadamard factor.
Expr had(const Expr& a, const Expr& g) {
  if (g->kind == Kind::Mul && g->args[0]->is_scalar() && is_ones(g->args[1]) && g->shape == a->shape)
    return mul(g->args[0], a);
  return hadamard(g, a);
}

/// Aᵀ, with (B^k)ᵀ written (Bᵀ)^k.
Expr tr(const Expr& a) {
  if (a->kind == Kind::Pow && !a->is_scalar()) return pow(transpose(a->args[0]), a->args[1]);
  return transpose(a);
}

/// a*g with the sign of g outside: A (-G) = -(A G).
Expr lmul(const Expr& a, const Expr& g) {
  if (g->kind == Kind::Neg && !a->is_scalar()) return neg(lmul(a, g->args[0]));
  return mul(a, g);
}

bool matrix_mul(const Expr& e) {
  return e->kind == Kind::Mul && !e->args[0]->is_scalar() && !e->args[1]->is_scalar();
}

class Transposer {
 public:
  explicit Transposer(const Node* p) : p_(p) {}

  Expr run(const Expr& l, const Expr& g) {
    go(l, g);
    return out_;
  }

 private:
  bool has(const Expr& e) { return depends_(e); }

  /// Pushes the cotangent g of the linear expression l towards P.
  void go(const Expr& l, const Expr& g) {
    if (is_zero(g) || !has(l)) return;
    MCALC_ASSERT(g->shape == l->shape, "cotangent of " + describe(l) + " has shape " + g->shape.str());
    const auto& x = l->args;
    if (l.get() == p_) {
      out_ = out_ ? add(out_, g) : g;
      return;
    }
    switch (l->kind) {
      case Kind::Add:  // (A + B)ᵀ: Ā = G, B̄ = G (summed over a broadcast scalar)
        go(x[0], unbroadcast(g, x[0]->shape));
        go(x[1], unbroadcast(g, x[1]->shape));
        return;
      case Kind::Sub:  // (A - B)ᵀ: Ā = G, B̄ = -G
        go(x[0], unbroadcast(g, x[0]->shape));
        go(x[1], unbroadcast(neg(g), x[1]->shape));
        return;
      case Kind::Neg:  // (-A)ᵀ: Ā = -G
        go(x[0], neg(g));
        return;
      case Kind::Mul:
        if (x[0]->is_scalar() && x[1]->is_scalar()) {  // a b: ā = G b, b̄ = G a
          go(x[0], mul(g, x[1]));
          go(x[1], mul(g, x[0]));
        } else if (x[0]->is_scalar()) {  // s B: s̄ = sum(G .* B), B̄ = s G
          if (has(x[0])) go(x[0], call(Fn::Sum, {hadamard(g, x[1])}));
          go(x[1], mul(x[0], g));
        } else if (x[1]->is_scalar()) {  // A s: Ā = s G, s̄ = sum(G .* A)
          go(x[0], mul(x[1], g));
          if (has(x[1])) go(x[1], call(Fn::Sum, {hadamard(g, x[0])}));
        } else if (has(x[0]) && !has(x[1]) && matrix_mul(x[0]) && has(x[0]->args[1]) && !has(x[0]->args[0])) {
          // (A Y) B, Y varying: Ȳ = Aᵀ G Bᵀ, in the order it reads
          go(x[0]->args[1], mul(lmul(tr(x[0]->args[0]), g), tr(x[1])));
        } else if (has(x[1]) && !has(x[0]) && matrix_mul(x[1]) && has(x[1]->args[0]) && !has(x[1]->args[1])) {
          // A (Y B), Y varying: Ȳ = Aᵀ G Bᵀ
          go(x[1]->args[0], mul(lmul(tr(x[0]), g), tr(x[1]->args[1])));
        } else {  // A B: Ā = G Bᵀ, B̄ = Aᵀ G
          if (has(x[0])) go(x[0], mul(g, tr(x[1])));
          if (has(x[1])) go(x[1], lmul(tr(x[0]), g));
        }
        return;
      case Kind::Div:  // A/s (s constant): Ā = G/s
        MCALC_ASSERT(!has(x[1]), "a differential divided by a differential");
        go(x[0], div(g, x[1]));
        return;
      case Kind::Hadamard:  // A .* B: B̄ = G .* A (summed over a broadcast scalar)
        if (has(x[0])) go(x[0], unbroadcast(had(x[1], g), x[0]->shape));
        if (has(x[1])) go(x[1], unbroadcast(had(x[0], g), x[1]->shape));
        return;
      case Kind::ElemDiv:  // A ./ B (B constant): Ā = G ./ B
        MCALC_ASSERT(!has(x[1]), "a differential in a denominator");
        go(x[0], unbroadcast(elem_div(g, x[1]), x[0]->shape));
        return;
      case Kind::Dot:  // a·b: ā = G b, b̄ = G a
        go(x[0], mul(g, x[1]));
        go(x[1], mul(g, x[0]));
        return;
      case Kind::Transpose:  // Aᵀ: Ā = Gᵀ
        go(x[0], transpose(g));
        return;
      case Kind::Index: {  // a[i]: ā = G e_i;  A[i, j]: Ā = G e_i e_jᵀ
        const Shape& s = x[0]->shape;
        Expr e;
        if (l->j) e = mul(ir::unit(l->i, s.rows), transpose(ir::unit(l->j, s.cols)));
        else if (s.cols.is_one()) e = ir::unit(l->i, s.rows);
        else e = transpose(ir::unit(l->i, s.cols));
        go(x[0], mul(g, e));
        return;
      }
      case Kind::Literal:  // [e_11, ...]: ē_rc = G[r, c]
        for (long r = 0; r < l->lit_rows; ++r)
          for (long k = 0; k < l->lit_cols; ++k) {
            const Expr& e = x[static_cast<std::size_t>(r * l->lit_cols + k)];
            Expr entry = l->lit_cols == 1 ? index(g, r + 1, 0) : l->lit_rows == 1 ? index(g, k + 1, 0)
                                                                                  : index(g, r + 1, k + 1);
            go(e, entry);
          }
        return;
      case Kind::Call:
        switch (l->fn) {
          case Fn::Sum:  // sum(A): Ā = G 1
            go(x[0], mul(g, ir::ones(x[0]->shape)));
            return;
          case Fn::Mean:  // mean(A): Ā = (G/len) 1
            go(x[0], mul(div(g, numel(x[0]->shape)), ir::ones(x[0]->shape)));
            return;
          case Fn::Tr:  // tr(A): Ā = G I
            go(x[0], mul(g, ir::eye(x[0]->shape.rows)));
            return;
          case Fn::DiagOf:  // diag(v): v̄ = diag(G)
            go(x[0], call(Fn::DiagVec, {g}));
            return;
          case Fn::DiagVec:  // diag(A): Ā = diag(Ḡ)
            go(x[0], call(Fn::DiagOf, {g}));
            return;
          default:
            break;
        }
        break;
      case Kind::Num: case Kind::Var: case Kind::DimSize: case Kind::Pow: case Kind::ElemPow:
      case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
        break;
    }
    MCALC_ASSERT(false, "not a linear operation of a differential: " + describe(l));
  }

  const Node* p_;
  DependsOn depends_{p_};
  Expr out_;
};

}  // namespace

Expr transpose_linear(const Expr& l, const Expr& p, const Expr& g) {
  Transposer t(p.get());
  Expr r = t.run(l, g);
  return r ? r : zero_of(p->shape);
}

}  // namespace dx
}  // namespace mcalc
