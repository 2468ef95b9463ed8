// Reverse mode for a scalar f: every node C gets an adjoint C̄ = df/dC with
// the shape of C (f̄ = 1), pushed to its operands by the rules below, in
// reverse topological order, so a node shared by several paths sums their
// contributions (law of total derivatives). Adjoints are built with the
// simplifier's constructors and refer to operands by node, so intermediate
// variables appear by name and the result stays a DAG.
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "diff/internal.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace dx {
namespace {

using namespace simp;  // the rule-applying constructors add, mul, ...

/// Sums a broadcast adjoint back to a scalar operand: ā = sum(C̄) when a was
/// broadcast, else C̄ itself.
Expr unbroadcast(const Expr& g, const Shape& to) {
  if (to.is_scalar() && !g->is_scalar()) return call(Fn::Sum, {g});
  return g;
}

class Reverse {
 public:
  Reverse(const Expr& f, const Expr& wrt) : wrt_(wrt) { visit(f); }

  Expr run(const Expr& f) {
    adj_[f.get()] = ir::num(1);
    Expr result;
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      const Expr& c = *it;
      auto a = adj_.find(c.get());
      if (a == adj_.end() || !a->second) continue;
      if (is_wrt(c.get(), wrt_)) {
        result = result ? add(result, a->second) : a->second;
        continue;
      }
      push(c, a->second);
    }
    return result ? result : zero_of(wrt_->shape);
  }

 private:
  bool depends(const Node* n) {
    auto it = dep_.find(n);
    if (it != dep_.end()) return it->second;
    bool d = is_wrt(n, wrt_);
    for (const auto& a : n->args) d = depends(a.get()) || d;
    dep_[n] = d;
    return d;
  }

  void visit(const Expr& e) {  // post-order of the nodes that depend on wrt
    if (!seen_.insert(e.get()).second) return;
    if (!depends(e.get())) return;
    for (const auto& a : e->args) visit(a);
    order_.push_back(e);
  }

  void acc(const Expr& a, const Expr& g) {
    if (!depends(a.get()) || is_zero(g)) return;
    MCALC_ASSERT(g->shape == a->shape, "adjoint of " + describe(a) + " has shape " + g->shape.str());
    Expr& slot = adj_[a.get()];
    slot = slot ? add(slot, g) : g;
  }

  /// Pushes C̄ = g of node c to its operands.
  void push(const Expr& c, const Expr& g) {
    const auto& x = c->args;
    switch (c->kind) {
      case Kind::Num: case Kind::DimSize: case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
        return;
      case Kind::Var:
        // z = def:  d̄ef += z̄
        if (!x.empty()) acc(x[0], g);
        return;
      case Kind::Add:
        // C = a + b:  ā += C̄,  b̄ += C̄  (summed over a broadcast operand)
        acc(x[0], unbroadcast(g, x[0]->shape));
        acc(x[1], unbroadcast(g, x[1]->shape));
        return;
      case Kind::Sub:
        // C = a - b:  ā += C̄,  b̄ -= C̄
        acc(x[0], unbroadcast(g, x[0]->shape));
        acc(x[1], unbroadcast(neg(g), x[1]->shape));
        return;
      case Kind::Neg:
        // C = -a:  ā -= C̄
        acc(x[0], neg(g));
        return;
      case Kind::Mul:
        if (x[0]->is_scalar() && x[1]->is_scalar()) {
          // C = a*b (scalars):  ā += C̄ b,  b̄ += C̄ a
          acc(x[0], mul(g, x[1]));
          acc(x[1], mul(g, x[0]));
        } else if (x[0]->is_scalar()) {
          // C = s*B:  s̄ += sum(C̄ .* B),  B̄ += s C̄
          if (depends(x[0].get())) acc(x[0], call(Fn::Sum, {hadamard(g, x[1])}));
          acc(x[1], mul(x[0], g));
        } else if (x[1]->is_scalar()) {
          // C = A*s:  Ā += s C̄,  s̄ += sum(C̄ .* A)
          acc(x[0], mul(x[1], g));
          if (depends(x[1].get())) acc(x[1], call(Fn::Sum, {hadamard(g, x[0])}));
        } else {
          // C = A*B:  Ā += C̄ Bᵀ,  B̄ += Aᵀ C̄
          if (depends(x[0].get())) acc(x[0], mul(g, transpose(x[1])));
          if (depends(x[1].get())) acc(x[1], mul(transpose(x[0]), g));
        }
        return;
      case Kind::Div:
        // C = A/s:  Ā += C̄/s,  s̄ -= sum(C̄ .* A)/s^2
        acc(x[0], div(g, x[1]));
        if (depends(x[1].get()))
          acc(x[1], neg(div(unbroadcast(hadamard(g, x[0]), Shape::scalar()), pow(x[1], ir::num(2)))));
        return;
      case Kind::Hadamard: case Kind::ElemDiv: case Kind::ElemPow:
        // C = f(a, b) elementwise:  ā += C̄ .* ∂f/∂a,  b̄ += C̄ .* ∂f/∂b  (GiNaC partials)
        elementwise(c, g);
        return;
      case Kind::Pow:
        if (x[0]->is_scalar()) {
          // C = a^p (scalars):  ā += C̄ p a^(p-1),  p̄ += C̄ a^p log(a)
          elementwise(c, g);
        } else {
          // C = B^k, integer k >= 1:  B̄ = Σ_{i<k} (Bᵀ)^i C̄ (Bᵀ)^(k-1-i)
          // with B = A (k > 0), or B = A⁻¹ for A^(-k), and then Ā += -A⁻ᵀ B̄ A⁻ᵀ.
          double k = x[1]->num;
          if (x[1]->kind != Kind::Num || k == 0) return;
          bool inverse = k < 0;
          Expr B = inverse ? call(Fn::Inv, {x[0]}) : x[0];
          long kk = static_cast<long>(inverse ? -k : k);
          Expr Bt = transpose(B), sum;
          for (long i = 0; i < kk; ++i) {
            Expr t = mul(mul(pow(Bt, ir::num(static_cast<double>(i))), g),
                         pow(Bt, ir::num(static_cast<double>(kk - 1 - i))));
            sum = sum ? add(sum, t) : t;
          }
          acc(x[0], inverse ? neg(mul(mul(Bt, sum), Bt)) : sum);
        }
        return;
      case Kind::Dot:
        // C = a·b:  ā += C̄ b,  b̄ += C̄ a
        acc(x[0], mul(g, x[1]));
        acc(x[1], mul(g, x[0]));
        return;
      case Kind::Transpose:
        // C = Aᵀ:  Ā += C̄ᵀ
        acc(x[0], transpose(g));
        return;
      case Kind::Index: {
        // C = a[i]:  ā += C̄ e_i;  C = A[i, j]:  Ā += C̄ e_i e_jᵀ
        const Shape& s = x[0]->shape;
        Expr e;
        if (c->j) e = mul(ir::unit(c->i, s.rows), transpose(ir::unit(c->j, s.cols)));
        else if (s.cols.is_one()) e = ir::unit(c->i, s.rows);
        else e = transpose(ir::unit(c->i, s.cols));
        acc(x[0], mul(g, e));
        return;
      }
      case Kind::Literal:
        // C = [e_11, ...]:  ē_rc += C̄[r, c]
        for (long r = 0; r < c->lit_rows; ++r)
          for (long k = 0; k < c->lit_cols; ++k) {
            const Expr& e = x[static_cast<std::size_t>(r * c->lit_cols + k)];
            Expr entry = c->lit_cols == 1 ? index(g, r + 1, 0) : c->lit_rows == 1 ? index(g, k + 1, 0)
                                                                                  : index(g, r + 1, k + 1);
            acc(e, entry);
          }
        return;
      case Kind::Call:
        call_rule(c, g);
        return;
    }
  }

  void elementwise(const Expr& c, const Expr& g) {
    for (std::size_t k = 0; k < c->args.size(); ++k) {
      const Expr& a = c->args[k];
      if (!depends(a.get())) continue;
      acc(a, unbroadcast(hadamard(g, elementwise_partial(c, k)), a->shape));
    }
  }

  void call_rule(const Expr& c, const Expr& g) {
    const Expr& u = c->args[0];
    const Shape& s = u->shape;
    auto col = [](const Expr& v) { return v->shape.is_row() ? transpose(v) : v; };
    auto back = [&](const Expr& v) { return s.is_row() ? transpose(v) : v; };  // to u's orientation
    switch (c->fn) {
      case Fn::None:
        break;
      case Fn::Sin: case Fn::Cos: case Fn::Tan: case Fn::Asin: case Fn::Acos: case Fn::Atan:
      case Fn::Exp: case Fn::Log: case Fn::Sqrt: case Fn::Abs: case Fn::Sign: case Fn::Tanh:
      case Fn::Sigmoid: case Fn::Relu: case Fn::Softplus: case Fn::Step: case Fn::Heaviside:
      case Fn::LeakyRelu: case Fn::Max: case Fn::Min:
        // C = f(u) elementwise:  ū += C̄ .* f'(u)   (d f(u)/du = diag(f'(u)))
        elementwise(c, g);
        return;
      case Fn::Sum:
        // C = sum(U):  Ū += C̄ 1
        acc(u, mul(g, ir::ones(s)));
        return;
      case Fn::Mean:
        // C = mean(U):  Ū += (C̄/len) 1
        acc(u, mul(div(g, numel(s)), ir::ones(s)));
        return;
      case Fn::Norm2:
        // C = ‖U‖:  Ū += C̄ U/‖U‖
        acc(u, mul(div(g, c), u));
        return;
      case Fn::Norm1:
        // C = ‖U‖₁:  Ū += C̄ sign(U)
        acc(u, mul(g, call(Fn::Sign, {u})));
        return;
      case Fn::Logsumexp:
        // C = logsumexp(u):  ū += C̄ softmax(u)
        acc(u, mul(g, back(call(Fn::Softmax, {col(u)}))));
        return;
      case Fn::Softmax:
        // s = softmax(u):  ū += (diag(s) - s sᵀ)ᵀ C̄ = s .* C̄ - s (sᵀ C̄)
        acc(u, sub(hadamard(c, g), mul(c, mul(transpose(c), g))));
        return;
      case Fn::Tr:
        // C = tr(A):  Ā += C̄ I
        acc(u, mul(g, ir::eye(s.rows)));
        return;
      case Fn::Det:
        // C = det(A):  Ā += C̄ det(A) A⁻ᵀ
        acc(u, mul(mul(g, c), transpose(call(Fn::Inv, {u}))));
        return;
      case Fn::Logdet:
        // C = log det(A):  Ā += C̄ A⁻ᵀ
        acc(u, mul(g, transpose(call(Fn::Inv, {u}))));
        return;
      case Fn::Inv:
        // C = A⁻¹:  Ā += -A⁻ᵀ C̄ A⁻ᵀ
        acc(u, neg(mul(mul(transpose(c), g), transpose(c))));
        return;
      case Fn::DiagOf:
        // C = diag(v):  v̄ += diag(C̄)
        acc(u, call(Fn::DiagVec, {g}));
        return;
      case Fn::DiagVec:
        // c = diag(A):  Ā += diag(c̄)
        acc(u, call(Fn::DiagOf, {g}));
        return;
    }
    not_differentiable(c, "no derivative rule for this function");
  }

  Expr wrt_;
  std::unordered_map<const Node*, bool> dep_;
  std::unordered_set<const Node*> seen_;
  std::vector<Expr> order_;
  std::unordered_map<const Node*, Expr> adj_;
};

}  // namespace

Expr reverse_gradient(const Expr& f, const Expr& wrt) {
  MCALC_ASSERT(f->is_scalar(), "reverse mode needs a scalar");
  Reverse r(f, wrt);
  return r.run(f);
}

}  // namespace dx
}  // namespace mcalc
