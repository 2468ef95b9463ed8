#include "eval/stable.hpp"

#include <vector>

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
  // Bottom-up over the DAG in topological order (no recursion: chains of
  // 50,000 products are fine), each shared node once; a node whose operands
  // did not change is kept as is, so an expression without log is returned
  // unchanged and the plan sees the caller's nodes.
  const ir::Topo t = ir::topo_order(e);
  bool any_log = false;
  for (const Node* n : t.order) any_log = any_log || (n->kind == Kind::Call && n->fn == Fn::Log);
  if (!any_log) return e;
  std::vector<Expr> self(t.size()), now(t.size());
  self[t.index.at(e.get())] = e;
  for (const Node* n : t.order)
    for (const auto& a : n->args) self[t.index.at(a.get())] = a;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const Node* n = t.order[k];
    bool changed = false;
    for (const auto& a : n->args) changed = changed || now[t.index.at(a.get())] != a;
    Expr r = changed ? ir::map_args(self[k], [&](const Expr& a) { return now[t.index.at(a.get())]; }) : self[k];
    if (is_call(r, Fn::Log))
      if (Expr st = stable_log(r)) r = ir::located(st, r->loc);
    now[k] = r;
  }
  return now[t.index.at(e.get())];
}

}  // namespace mcalc::eval
