#pragma once
/// \file
/// One traversal of the IR DAG: its distinct nodes in topological order (every
/// operand before the nodes that use it, the roots last), with use counts.
/// Printers (shared subexpressions named once), the evaluator's plan, the trace
/// of the differentiator and the code emitter all start from this, instead of
/// walking the DAG as a tree. Iterative: deep expressions do not recurse.
#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcalc/ir.hpp"

namespace mcalc::ir {

struct Topo {
  /// Distinct nodes (by identity), operands first. A node reachable from
  /// several roots appears once; the roots appear in the order given unless
  /// one is an operand of another.
  std::vector<const Node*> order;
  /// Position of each node in `order`.
  std::unordered_map<const Node*, std::size_t> index;
  /// uses[k]: how many operand edges in the DAG point at order[k] (an operand
  /// used twice by one node counts twice), plus one for each time it is a root.
  std::vector<std::size_t> uses;

  std::size_t size() const { return order.size(); }
  std::size_t uses_of(const Node* n) const { return uses[index.at(n)]; }
};

/// The nodes reachable from `roots` in topological order with their use counts.
Topo topo_order(const std::vector<Expr>& roots);
inline Topo topo_order(const Expr& root) { return topo_order(std::vector<Expr>{root}); }

/// The Expr of each node of `t` (topo_order keeps raw pointers), indexed as
/// t.order: each is an operand of some node, or one of the `roots` t was made from.
std::vector<Expr> exprs_of(const Topo& t, const std::vector<Expr>& roots);

/// The roots rewritten bottom-up in one pass over topo_order(roots): each node
/// is first rebuilt over its operands' results (kept as it is when none
/// changed), then `visit(original, rebuilt)` gives its result (return `rebuilt`
/// to keep it). Shared nodes are visited once; returns the roots' results in
/// order. The one rewrite of a DAG by substitution (derive, stable forms, the
/// emitter's renaming), instead of a recursion per pass.
std::vector<Expr> rewrite(const std::vector<Expr>& roots,
                          const std::function<Expr(const Expr& original, const Expr& rebuilt)>& visit);

/// `e` with every sub-expression structurally equal to the form of one of `names`
/// ({form, name}: an intermediate's definition and its variable) replaced by the
/// name, bottom-up, the first match winning; variables stand as they are (their
/// definitions are not entered). `make` rebuilds a node over new operands
/// (ir::rebuild, or the simplifier's rule-applying rebuild). Results read in the
/// user's names (yhat - y rather than sigmoid(z3) - y): diff, derive.
Expr name_forms(const Expr& e, const std::vector<std::pair<Expr, Expr>>& names,
                Expr (*make)(const Expr&, std::vector<Expr>) = rebuild);

/// The roots with every occurrence of the node `at` replaced by `input`, a plain
/// variable of at's shape (by name: one located at at's position): the DAG cut at `at`.
/// `at` is an intermediate variable (matched by name, as a program defines it
/// once) or a sub-expression (matched by identity, as it is shared in the DAG).
/// Plain rebuilding, no simplification: the cut means exactly what the original
/// does with `at` held as an independent input. `step` cuts at a layer; a
/// derivative by an intermediate variable (grad(L, z2)) cuts at it.
std::vector<Expr> cut_at(const std::vector<Expr>& roots, const Expr& at, const Expr& input);
Expr cut_at(const Expr& f, const Expr& at, const std::string& name);

/// A derivative by an intermediate variable (grad(L, z2), the lecture's dL/dz)
/// holds it as an independent input: `roots` (f, and results or answers that
/// name wrt) cut at wrt, and the plain variable that replaces it. Unchanged when
/// wrt is an input already. Checks, expansions and emitted code then treat it
/// as any input; the derivative itself is the same either way.
struct Held {
  std::vector<Expr> roots;
  Expr wrt;
};
Held held_independent(const std::vector<Expr>& roots, const Expr& wrt);

}  // namespace mcalc::ir
