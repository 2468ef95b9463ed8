// Shared subexpressions named once: a result DAG printed as a body and a
// `where` list, so that its printed size grows with the DAG, not the tree.
#include <set>

#include "mcalc/print.hpp"
#include "mcalc/topo.hpp"

namespace mcalc {
namespace {

/// A node that prints about as short as a name: a leaf, a transpose or
/// negation of one, a leaf to a number's power (A'^999), or a function of
/// leaves (inv(X), sigmoid(z)). Naming those would only add a line to read.
bool trivial(const Node& n) {
  auto all_trivial = [&] {
    for (const auto& a : n.args)
      if (!trivial(*a)) return false;
    return true;
  };
  switch (n.kind) {
    case Kind::Num:
    case Kind::Var:
    case Kind::DimSize:
    case Kind::Ones:
    case Kind::Zeros:
    case Kind::Eye:
    case Kind::Unit: return true;
    case Kind::Transpose:
    case Kind::Neg: return trivial(*n.args[0]);
    case Kind::Pow:
    case Kind::ElemPow: return n.args[1]->kind == Kind::Num && trivial(*n.args[0]);
    case Kind::Call: return n.args.size() == 1 && all_trivial();
    case Kind::Add:
    case Kind::Sub:
    case Kind::Mul:
    case Kind::Div:
    case Kind::Hadamard:
    case Kind::ElemDiv:
    case Kind::Dot:
    case Kind::Index:
    case Kind::Literal: return false;
  }
  MCALC_UNREACHABLE("unknown node kind");
}

}  // namespace

Shared name_shared(const Expr& e, const std::vector<std::string>& taken_names) {
  ir::Topo t = ir::topo_order(e);
  const std::size_t n = t.size();
  const std::vector<Expr> self = ir::exprs_of(t, {e});

  // Uses that print: an intermediate variable prints as its name, so the
  // nodes of its definition are not printed through it. Roots last, so a
  // reverse pass sees every user before its operands.
  std::vector<bool> printed(n, false);
  std::vector<std::size_t> uses(n, 0);
  printed[n - 1] = true;  // the root
  uses[n - 1] = 1;
  std::set<std::string> names(taken_names.begin(), taken_names.end());
  for (std::size_t k = n; k-- > 0;) {
    const Node* node = t.order[k];
    if (node->kind == Kind::Var) names.insert(node->name);
    if (!printed[k] || node->kind == Kind::Var) continue;
    for (const auto& a : node->args) {
      std::size_t i = t.index.at(a.get());
      printed[i] = true;
      ++uses[i];
    }
  }

  // The prefix of the new names: the first letter no name of the form
  // <letter><digits> uses, so that the names read as one sequence a1, a2, ...
  auto numbered = [&](const std::string& p) {
    for (const auto& s : names)
      if (s.size() > p.size() && s.compare(0, p.size(), p) == 0 &&
          s.find_first_not_of("0123456789", p.size()) == std::string::npos)
        return true;
    return false;
  };
  std::string prefix = "a";
  for (const char* p : {"a", "t", "s", "u", "v", "tmp"}) {
    prefix = p;
    if (!numbered(prefix)) break;
  }

  Shared out;
  std::vector<Expr> now(n);  // each node rebuilt over the named operands
  int counter = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const Node* node = t.order[k];
    if (!printed[k]) continue;
    Expr r = node->kind == Kind::Var ? self[k]
                                     : ir::map_args(self[k], [&](const Expr& a) { return now[t.index.at(a.get())]; });
    if (uses[k] > 1 && !trivial(*node)) {
      std::string name;
      do name = prefix + std::to_string(++counter);
      while (names.count(name));
      r = ir::var(name, node->shape, r);
      out.where.push_back(r);
    }
    now[k] = r;
  }
  out.body = now[n - 1];
  return out;
}

std::string to_text(const Shared& s) {
  std::string out = to_text(s.body);
  for (std::size_t k = 0; k < s.where.size(); ++k)
    out += (k ? ", " : "\n  where ") + s.where[k]->name + " = " + to_text(s.where[k]->args[0]);
  return out;
}

}  // namespace mcalc
