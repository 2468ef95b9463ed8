#include "eval/stable.hpp"

#include "mcalc/topo.hpp"

namespace mcalc::eval {
namespace {

/// The definition behind intermediate variables (yhat = sigmoid(z)).
const Expr& defined(const Expr& e) {
  const Expr* x = &e;
  while ((*x)->kind == Kind::Var && !(*x)->args.empty()) x = &(*x)->args[0];
  return *x;
}

bool is_call(const Expr& e, Fn f) { return e->kind == Kind::Call && e->fn == f; }
bool is_one(const Expr& e) { return e->kind == Kind::Num && e->num == 1; }

/// The stable form of log(a), or null when there is none.
Expr stable_log(const Expr& log_node) {
  const Expr& a = defined(log_node->args[0]);
  auto softplus = [](const Expr& u) { return ir::call(Fn::Softplus, {u}); };
  // log(sigmoid(u)) = -softplus(-u)
  if (is_call(a, Fn::Sigmoid)) return ir::neg(softplus(ir::neg(a->args[0])));
  if (a->kind == Kind::Sub && is_one(a->args[0])) {
    // log(1 - sigmoid(u)) = -softplus(u)
    const Expr& s = defined(a->args[1]);
    if (is_call(s, Fn::Sigmoid) && s->shape == log_node->shape) return ir::neg(softplus(s->args[0]));
  }
  if (a->kind == Kind::Add) {
    // log(1 + exp(u)) = softplus(u), either order
    for (int k = 0; k < 2; ++k) {
      const Expr& e = defined(a->args[1 - k]);
      if (is_one(a->args[k]) && is_call(e, Fn::Exp) && e->shape == log_node->shape) return softplus(e->args[0]);
    }
  }
  // log(sum(exp(x))) = logsumexp(x), x a vector
  if (is_call(a, Fn::Sum)) {
    const Expr& e = defined(a->args[0]);
    if (is_call(e, Fn::Exp) && e->shape.cols.is_one()) return ir::call(Fn::Logsumexp, {e->args[0]});
  }
  // log(softmax(x)) = x - logsumexp(x)
  if (is_call(a, Fn::Softmax)) {
    const Expr& x = a->args[0];
    return ir::sub(x, ir::call(Fn::Logsumexp, {x}));
  }
  return nullptr;
}

/// The factors of a product a*b*..., in order (scalars among them); false past
/// `limit` factors (a product of shared products, P^(2^200) as a DAG, has more
/// factors than atoms in the universe as a tree).
bool factors(const Expr& e, std::vector<Expr>& out, std::size_t limit = 64) {
  if (e->kind != Kind::Mul) {
    out.push_back(e);
    return out.size() <= limit;
  }
  return factors(e->args[0], out, limit) && factors(e->args[1], out, limit);
}

/// A product with the factors det(S) and inv(S) (or inv(S)'), as the
/// derivatives of det come out (grad det(A) = det(A)*inv(A)'), has adj(S)
/// in their place: the same value where S is invertible, and the value where
/// it is singular too. Null when there is no such pair.
Expr stable_product(const Expr& mul_node) {
  std::vector<Expr> fs;
  if (!factors(mul_node, fs)) return nullptr;
  for (std::size_t d = 0; d < fs.size(); ++d) {
    if (!is_call(fs[d], Fn::Det)) continue;
    const Expr& S = fs[d]->args[0];
    for (std::size_t k = 0; k < fs.size(); ++k) {
      const bool t = fs[k]->kind == Kind::Transpose;
      const Expr& m = t ? fs[k]->args[0] : fs[k];
      if (!is_call(m, Fn::Inv) || !ir::equal(m->args[0], S)) continue;
      const Expr adj = ir::call(Fn::Adj, {S});
      fs[k] = t ? ir::transpose(adj) : adj;
      fs.erase(fs.begin() + static_cast<std::ptrdiff_t>(d));
      // scalars first (they commute), then the matrices in their order
      Expr r;
      for (int pass = 0; pass < 2; ++pass)
        for (const Expr& f : fs)
          if (f->is_scalar() == (pass == 0)) r = r ? ir::mul(r, f) : f;
      return r;
    }
  }
  return nullptr;
}

}  // namespace

Expr stable_forms(const Expr& e) {
  // rewrite keeps every node no rule changed, so an expression without log comes back as the caller's node.
  return ir::rewrite({e}, [](const Expr&, const Expr& r) {
    if (is_call(r, Fn::Log))
      if (Expr st = stable_log(r)) return ir::located(st, r->loc);
    if (r->kind == Kind::Mul)
      if (Expr st = stable_product(r)) return ir::located(st, r->loc);
    return r;
  })[0];
}

}  // namespace mcalc::eval
