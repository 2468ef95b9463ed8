#include "mcalc/topo.hpp"

#include <unordered_map>

#include <utility>

namespace mcalc::ir {

Topo topo_order(const std::vector<Expr>& roots) {
  Topo t;
  // Iterative post-order DFS; `index` doubles as the visited set once a node
  // is emitted, `open` marks nodes whose operands are still being visited.
  std::unordered_map<const Node*, bool> open;
  std::vector<std::pair<const Node*, std::size_t>> stack;  // node, next operand
  for (const auto& r : roots) {
    MCALC_ASSERT(r != nullptr, "topo_order of a null root");
    stack.emplace_back(r.get(), 0);
    while (!stack.empty()) {
      auto& [n, next] = stack.back();
      if (next == 0) {
        if (t.index.count(n) != 0 || open[n]) {
          stack.pop_back();
          continue;
        }
        open[n] = true;
      }
      if (next < n->args.size()) {
        const Node* child = n->args[next++].get();
        if (t.index.count(child) == 0) stack.emplace_back(child, 0);
        continue;
      }
      open[n] = false;
      t.index.emplace(n, t.order.size());
      t.order.push_back(n);
      stack.pop_back();
    }
  }
  t.uses.assign(t.order.size(), 0);
  for (const Node* n : t.order)
    for (const auto& a : n->args) ++t.uses[t.index.at(a.get())];
  for (const auto& r : roots) ++t.uses[t.index.at(r.get())];
  return t;
}

std::vector<Expr> exprs_of(const Topo& t, const std::vector<Expr>& roots) {
  std::vector<Expr> self(t.size());
  for (const auto& r : roots) self[t.index.at(r.get())] = r;
  for (const Node* n : t.order)
    for (const auto& a : n->args) self[t.index.at(a.get())] = a;
  return self;
}

std::vector<Expr> rewrite(const std::vector<Expr>& roots,
                          const std::function<Expr(const Expr& original, const Expr& rebuilt)>& visit) {
  const Topo t = topo_order(roots);
  const std::vector<Expr> self = exprs_of(t, roots);
  std::vector<Expr> now(t.size());  // each node's result
  for (std::size_t k = 0; k < t.size(); ++k) {
    bool changed = false;
    for (const auto& a : t.order[k]->args) changed = changed || now[t.index.at(a.get())] != a;
    Expr rebuilt = changed ? map_args(self[k], [&](const Expr& a) { return now[t.index.at(a.get())]; }) : self[k];
    now[k] = visit(self[k], rebuilt);
  }
  std::vector<Expr> out;
  for (const auto& r : roots) out.push_back(now[t.index.at(r.get())]);
  return out;
}

Expr name_forms(const Expr& e, const std::vector<std::pair<Expr, Expr>>& names,
                Expr (*make)(const Expr&, std::vector<Expr>)) {
  if (names.empty()) return e;
  // The forms by their head: a node is compared with those of its own head only.
  auto head = [](const Node& n) { return static_cast<std::size_t>(n.kind) * 4096u + static_cast<std::size_t>(n.fn); };
  std::unordered_map<std::size_t, std::vector<const std::pair<Expr, Expr>*>> by_head;
  for (const auto& p : names) by_head[head(*p.first)].push_back(&p);
  return rewrite({e}, [&](const Expr& original, const Expr& rebuilt) {
    if (original->kind == Kind::Var) return original;
    Expr r = rebuilt == original ? original : make(original, rebuilt->args);
    auto candidates = by_head.find(head(*r));
    if (candidates != by_head.end())
      for (const auto* p : candidates->second)
        if (p->first->shape == r->shape && equal(p->first, r)) return p->second;
    return r;
  })[0];
}

std::vector<Expr> cut_at(const std::vector<Expr>& roots, const Expr& at, const Expr& input) {
  MCALC_ASSERT(input->kind == Kind::Var && input->args.empty() && input->shape == at->shape,
               "a cut is replaced by a plain variable of its shape");
  const bool by_name = at->kind == Kind::Var && !at->args.empty();
  return rewrite(roots, [&](const Expr& original, const Expr& rebuilt) {
    bool hit = original == at || (by_name && original->kind == Kind::Var && !original->args.empty() &&
                                  original->name == at->name);
    return hit ? input : rebuilt;
  });
}

Expr cut_at(const Expr& f, const Expr& at, const std::string& name) {
  return cut_at(std::vector<Expr>{f}, at, located(var(name, at->shape), at->loc)).front();
}

Held held_independent(const std::vector<Expr>& roots, const Expr& wrt) {
  if (wrt->kind != Kind::Var || wrt->args.empty()) return {roots, wrt};
  Expr input = located(var(wrt->name, wrt->shape), wrt->loc);
  return {cut_at(roots, wrt, input), input};
}

}  // namespace mcalc::ir
