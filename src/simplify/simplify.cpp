// The simplifier's driver: a structural pass (the rules per head node,
// bottom-up, memoised per node so shared subexpressions stay shared), then a
// normalisation of each maximal elementwise subexpression through GiNaC,
// keeping whichever candidate form is smallest.
#include "mcalc/simplify.hpp"
#include "mcalc/topo.hpp"

#include <functional>
#include <unordered_map>

#include "simplify/ginac_bridge.hpp"
#include "simplify/rules.hpp"
#include "simplify/signs.hpp"

namespace mcalc {
namespace {

/// True when x has a power whose exponent is not a number (a^b, exp written as a power).
bool symbolic_power(const GiNaC::ex& x) {
  if (GiNaC::is_a<GiNaC::power>(x) && !GiNaC::is_a<GiNaC::numeric>(x.op(1))) return true;
  for (std::size_t k = 0; k < x.nops(); ++k)
    if (symbolic_power(x.op(k))) return true;
  return false;
}

// Elementwise subexpressions larger than this are left to the structural rules
// (GiNaC's expand and normal can grow exponentially on them).
constexpr std::size_t kGinacLimit = 300;
constexpr std::size_t kExpandLimit = 80;

/// expand() writes (a + b)^k out as k + 1 terms, and factor() expands first:
/// neither is tried on an expression with a power beyond this.
bool has_large_power(const GiNaC::ex& x) {
  for (auto it = x.preorder_begin(); it != x.preorder_end(); ++it)
    if (GiNaC::is_a<GiNaC::power>(*it) && GiNaC::is_a<GiNaC::numeric>(it->op(1)) &&
        GiNaC::abs(GiNaC::ex_to<GiNaC::numeric>(it->op(1))) > 16)
      return true;
  return false;
}

class Simplifier {
 public:
  Expr structural(const Expr& e) {
    if (e->kind == Kind::Var) return e;  // prints by name; its definition is the user's
    auto it = struct_memo_.find(e.get());
    if (it != struct_memo_.end()) return it->second.second;
    std::vector<Expr> args;
    for (const auto& a : e->args) args.push_back(structural(a));
    Expr r = simp::rebuild(e, std::move(args));
    struct_memo_[e.get()] = {e, r};
    return r;
  }

  Expr normalise(const Expr& e) {
    if (e->kind == Kind::Var) return e;
    auto it = norm_memo_.find(e.get());
    if (it != norm_memo_.end()) return it->second.second;
    Expr r;
    if (gx::is_elementwise(e) && e->kind != Kind::Num) {
      r = normalise_elementwise(skeleton(e));
    } else {
      std::vector<Expr> args;
      for (const auto& a : e->args) args.push_back(normalise(a));
      r = simp::rebuild(e, std::move(args));
    }
    norm_memo_[e.get()] = {e, r};
    return r;
  }

 private:
  /// The elementwise tree of `e` with every atom below it normalised.
  /// Memoised: an elementwise DAG with shared sums (a_k = sin(a_(k-1)) + a_(k-1), and its derivative) is
  /// exponential as a tree.
  Expr skeleton(const Expr& e) {
    if (!gx::is_elementwise(e)) return normalise(e);
    auto it = skel_memo_.find(e.get());
    if (it != skel_memo_.end()) return it->second.second;
    std::vector<Expr> args;
    for (const auto& a : e->args) args.push_back(skeleton(a));
    Expr r = simp::rebuild(e, std::move(args));
    skel_memo_[e.get()] = {e, r};
    return r;
  }

  /// Occurrences of non-numeric leaves in the tree of e (variables count once).
  static std::size_t leaves(const Expr& e) {
    if (e->kind == Kind::Num) return 0;
    if (e->kind == Kind::Var || e->args.empty()) return 1;
    std::size_t k = 0;
    for (const auto& a : e->args) k += leaves(a);
    return k;
  }

  /// The size a textbook reads: tanh's own derivative 1 - tanh(u).^2 (5 nodes around u) counts as one
  /// term, as tanh'(u) does, so that the Hessian of sum(tanh(W*x)) keeps tanh(W*x).*(1 - tanh(W*x).^2)
  /// rather than its expansion tanh(W*x) - tanh(W*x).^3.
  static std::size_t textbook_size(const Expr& e) {
    std::size_t saved = 0;
    for (const Node* n : ir::topo_order(e).order)
      if (n->kind == Kind::Sub && simp::is_num(n->args[0], 1) && n->args[1]->kind == Kind::ElemPow &&
          simp::is_call(n->args[1]->args[0], Fn::Tanh) && simp::is_num(n->args[1]->args[1], 2))
        saved += 3;
    return expr_size(e) - saved;
  }

  Expr normalise_elementwise(const Expr& e) {
    if (!gx::is_elementwise(e) || e->kind == Kind::Num) return e;
    if (expr_size(e) > kGinacLimit) return e;
    std::size_t best_size = textbook_size(e);
    Expr best = e;
    std::size_t best_leaves = leaves(e);
    // Smallest wins; among equally small forms, the one naming fewer atoms
    // (like terms combined: 2*w + ones(n) rather than ones(n) + w + w).
    // The rules fired while a candidate is built are recorded only if it wins: a derivation cites the
    // identities of the form it shows, not those of the forms that lost.
    RuleLog* outer = simp::active_log;
    RuleLog best_log;
    auto consider = [&](const Expr& c) {
      if (!c) return;
      RuleLog local;
      Expr s;
      {
        RuleLogScope scope(outer ? &local : nullptr);
        s = structural(c);
      }
      std::size_t z = textbook_size(s), l = leaves(s);
      if (z < best_size || (z == best_size && l < best_leaves)) {
        best = s;
        best_size = z;
        best_leaves = l;
        best_log = std::move(local);
      }
    };
    try {
      gx::Bridge b;
      GiNaC::ex x = b.to(e);
      consider(b.from(x, e->shape));
      consider(b.from(x.normal(), e->shape));
      if (best_size <= kExpandLimit && !has_large_power(x)) {
        consider(b.from(x.expand(), e->shape));
        // Factored form: sigma(1 - sigma)(1 - 2 sigma) rather than its expansion.
        // Not with a symbolic exponent: GiNaC's to_polynomial recurses without
        // end on 1/a^b (the stack overflowed on diff(1/a^b, a)).
        if (!symbolic_power(x)) {
          GiNaC::exmap repl;
          GiNaC::ex poly = x.normal().to_polynomial(repl);
          consider(b.from(GiNaC::factor(poly).subs(repl), e->shape));
        }
      }
    } catch (const InternalError&) {
      throw;  // a broken invariant of mcalc's own surfaces, it is not GiNaC declining
    } catch (const std::exception&) {
      // GiNaC declined (e.g. a division by zero it detected): keep the structural form.
    }
    if (outer)
      for (Rule r : best_log.applied) simp::note(r);
    return best;
  }

  // Keyed by node address; the key node is held so that its address cannot be
  // reused by a new node while the memo lives (candidates are built and dropped).
  std::unordered_map<const Node*, std::pair<Expr, Expr>> struct_memo_, norm_memo_, skel_memo_;
};

/// Presentation: s*(A*B) is written (s*A)*B, which prints without
/// parentheses as s*A*B (the rules keep scalars outermost while simplifying).
Expr left_associate(const Expr& e, std::unordered_map<const Node*, Expr>& memo) {
  if (e->kind == Kind::Var) return e;
  auto it = memo.find(e.get());
  if (it != memo.end()) return it->second;
  Expr r = ir::map_args(e, [&](const Expr& a) { return left_associate(a, memo); });
  // s*(P*Q) = (s*P)*Q, recursively into P: s*((P*Q)*R) = ((s*P)*Q)*R.
  std::function<Expr(const Expr&, const Expr&)> scale = [&](const Expr& s, const Expr& m) -> Expr {
    if (m->kind == Kind::Mul && !m->args[0]->is_scalar() && !m->args[1]->is_scalar())
      return ir::mul(scale(s, m->args[0]), m->args[1]);
    return ir::mul(s, m);
  };
  const std::vector<Expr>& args = r->args;
  if (r->kind == Kind::Mul && args[0]->is_scalar() && args[1]->kind == Kind::Mul &&
      !args[1]->args[0]->is_scalar() && !args[1]->args[1]->is_scalar())
    r = scale(args[0], args[1]);
  memo[e.get()] = r;
  return r;
}

/// Hash-consing of the result: structurally equal nodes become one node, so
/// a subexpression GiNaC rebuilt is shared with its other occurrences again.
/// Hash-consing: equal subtrees become one shared node. Operands are interned first, so a node is
/// identified by its head (kind, function, number, name, dimension, indices, shape) and the
/// addresses of its interned operands: a hash of those, with ir::equal to settle collisions
/// (hashing the printed text instead cost a sixth of a deep network's gradient).
class Interner {
 public:
  Expr run(const Expr& e) {
    auto it = memo_.find(e.get());
    if (it != memo_.end()) return it->second;
    Expr r = e;
    if (e->kind != Kind::Var) {
      r = ir::map_args(e, [&](const Expr& a) { return run(a); });
    }
    auto& bucket = table_[head_hash(*r)];
    Expr canon = r;
    for (const auto& c : bucket)
      if (c->shape == r->shape && ir::equal(c, r)) {
        canon = c;
        break;
      }
    if (canon == r) bucket.push_back(r);
    memo_[e.get()] = canon;
    return canon;
  }

 private:
  static std::size_t head_hash(const Node& n) {
    std::size_t h = static_cast<std::size_t>(n.kind) * 1000003u ^ static_cast<std::size_t>(n.fn);
    auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
    mix(std::hash<double>{}(n.num));
    mix(std::hash<std::string>{}(n.name));
    mix(std::hash<std::string>{}(n.dim.str()));
    mix(static_cast<std::size_t>(n.i) * 31u + static_cast<std::size_t>(n.j));
    mix(std::hash<std::string>{}(n.shape.rows.str()) ^ (std::hash<std::string>{}(n.shape.cols.str()) << 1));
    if (n.kind != Kind::Var)  // a variable's definition is not interned: equal ones may be distinct nodes
      for (const auto& a : n.args) mix(std::hash<const Node*>{}(a.get()));
    return h;
  }

  std::unordered_map<const Node*, Expr> memo_;
  std::unordered_map<std::size_t, std::vector<Expr>> table_;
};

}  // namespace

Expr simplify(const Expr& e, RuleLog* log) {
  RuleLogScope scope(log);
  Simplifier s;
  Expr r = s.structural(s.normalise(s.structural(e)));
  std::unordered_map<const Node*, Expr> memo;
  return Interner().run(simp::canonical_signs(left_associate(r, memo)));
}

}  // namespace mcalc
