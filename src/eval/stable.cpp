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

}  // namespace

Expr stable_forms(const Expr& e) {
  // rewrite keeps every node no rule changed, so an expression without log comes back as the caller's node.
  return ir::rewrite({e}, [](const Expr&, const Expr& r) {
    if (is_call(r, Fn::Log))
      if (Expr st = stable_log(r)) return ir::located(st, r->loc);
    return r;
  })[0];
}

}  // namespace mcalc::eval
