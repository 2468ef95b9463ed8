// Derivations (include/mcalc/derive.hpp): intermediates from one pass over
// ir::topo_order(f), local partials from the differentiator applied to one
// operation at a time, the chain rule as products of those Jacobians.
#include "mcalc/derive.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "mcalc/diff.hpp"
#include "mcalc/print.hpp"
#include "mcalc/simplify.hpp"
#include "mcalc/topo.hpp"

namespace mcalc {
namespace {

/// A node that is written inline in a definition rather than named: a leaf,
/// or a transpose or negation of one (w', -x).
bool inline_form(const Node& n) {
  switch (n.kind) {
    case Kind::Num:
    case Kind::Var:
    case Kind::DimSize:
    case Kind::Ones:
    case Kind::Zeros:
    case Kind::Eye:
    case Kind::Unit: return n.args.empty() || n.kind != Kind::Var;
    case Kind::Transpose:
    case Kind::Neg: return n.args[0]->args.empty();
    case Kind::Add:
    case Kind::Sub:
    case Kind::Mul:
    case Kind::Div:
    case Kind::Hadamard:
    case Kind::ElemDiv:
    case Kind::Dot:
    case Kind::Pow:
    case Kind::ElemPow:
    case Kind::Index:
    case Kind::Call:
    case Kind::Literal: return false;
  }
  MCALC_UNREACHABLE("unknown node kind");
}

bool is_matrix(const Shape& s) { return !s.rows.is_one() && !s.cols.is_one(); }

/// The refusal of a matrix on the way from f to wrt: its Jacobians are no chain of matrices (diff
/// gives them by vec).
UserError matrix_on_the_way(const Expr& f, const Expr& m, const Expr& wrt, const Loc& loc) {
  std::string what = m == wrt ? "the variable " + wrt->name : to_text_bounded(m, 40);
  return UserError(Msg::NotDifferentiable, loc,
                   {to_text_bounded(f, 40) + " step by step",
                    "derive writes chains of Jacobians through scalars and vectors, but " + what + " is " +
                        m->shape.str() + "; diff gives the Jacobian by vec (Kronecker forms), grad the derivative "
                                         "of a scalar by or through a matrix"});
}

/// The Jacobian of x by itself in numerator layout.
Expr identity_of(const Expr& x) {
  if (x->is_scalar()) return ir::num(1);
  return ir::eye(x->shape.cols.is_one() ? x->shape.rows : x->shape.cols);
}

/// `e` with the nodes of `from` replaced by those of `to` (by identity).
Expr substitute(const Expr& e, const std::map<const Node*, Expr>& to) {
  return ir::rewrite({e}, [&](const Expr& original, const Expr& rebuilt) {
    auto it = to.find(original.get());
    return it != to.end() ? it->second : rebuilt;
  })[0];
}

/// `e` with every step(u) for this u (by identity or structure) replaced by the constant `v`, simplified.
Expr with_step(const Expr& e, const Expr& u, double v) {
  std::map<const Node*, Expr> to;
  for (const Node* n : ir::topo_order(e).order)
    if (n->kind == Kind::Call && n->fn == Fn::Step && ir::equal(n->args[0], u))
      to[n] = n->shape.is_scalar() ? ir::num(v) : (v == 0 ? ir::zeros(n->shape) : ir::ones(n->shape));
  return simplify(substitute(e, to));
}

}  // namespace

/// The rule's name, from the differentiator's rule table (the one place rules are named).
std::string rule_name(const Node& n) { return rule_info(rule_of(n)).name; }

Derivation derive(const Expr& f, const Expr& wrt, Layout layout) {
  Derivation d;
  d.f = f;
  d.wrt = wrt;
  d.layout = layout;
  // The result first: it reports the errors of differentiation (not a variable, not differentiable, ...).
  d.result = derivative(f, wrt, layout);
  if (is_matrix(wrt->shape)) throw matrix_on_the_way(f, wrt, wrt, wrt->loc);

  ir::Topo t = ir::topo_order(f);
  const std::size_t n = t.size();
  const std::vector<Expr> self = ir::exprs_of(t, {f});

  // Which nodes depend on wrt, and the names a program gave to definitions.
  std::vector<bool> dep(n, false);
  std::map<const Node*, std::string> given;
  std::set<std::string> taken;
  for (std::size_t k = 0; k < n; ++k) {
    const Node* node = t.order[k];
    if (node->kind == Kind::Var) taken.insert(node->name);
    if (node == wrt.get() || (node->kind == Kind::Var && node->args.empty() && node->name == wrt->name)) {
      dep[k] = true;
      continue;
    }
    for (const auto& a : node->args) dep[k] = dep[k] || dep[t.index.at(a.get())];
    if (node->kind == Kind::Var && !node->args.empty()) given.emplace(node->args[0].get(), node->name);
  }

  // now[k]: the node over the named operands (the name itself for an
  // intermediate); plain[k]: the same with every name a plain input variable
  // (the operation alone, for its local partial). deps[k]: the names (indices
  // into intermediates, or -1 for wrt) that node k uses directly.
  std::vector<Expr> now(n), plain(n);
  std::vector<std::vector<long>> deps(n);
  std::vector<Expr> plain_of;  // per intermediate: its plain variable
  std::map<const Node*, Expr> named_of_plain;
  // A row vector variable is differentiated by as the transpose of a column (see below).
  bool wrt_row = wrt->shape.rows.is_one() && !wrt->shape.cols.is_one();
  Expr wrt_col = wrt_row ? ir::var(wrt->name, Shape::vector(wrt->shape.cols)) : wrt;
  if (wrt_row) named_of_plain[wrt_col.get()] = ir::transpose(wrt);
  int counter = 0;
  auto fresh = [&] {
    std::string s;
    do s = "u" + std::to_string(++counter);
    while (taken.count(s));
    taken.insert(s);
    return s;
  };
  for (std::size_t k = 0; k < n; ++k) {
    const Node* node = t.order[k];
    if (!dep[k]) {
      now[k] = plain[k] = self[k];
      continue;
    }
    if (node->args.empty()) {  // wrt itself
      now[k] = wrt;
      plain[k] = wrt_row ? ir::transpose(wrt_col) : wrt;
      deps[k] = {-1};
      continue;
    }
    std::vector<long> ds;
    for (const auto& a : node->args)
      for (long x : deps[t.index.at(a.get())])
        if (std::find(ds.begin(), ds.end(), x) == ds.end()) ds.push_back(x);
    bool alias = node->kind == Kind::Var && !inline_form(*node->args[0]) && dep[t.index.at(node->args[0].get())];
    if (alias) {  // a program's name for an operation that is already an intermediate (named after it)
      std::size_t dk = t.index.at(node->args[0].get());
      now[k] = now[dk];
      plain[k] = plain[dk];
      deps[k] = deps[dk];
      continue;
    }
    Expr over_names = node->kind == Kind::Var
                          ? now[t.index.at(node->args[0].get())]
                          : ir::map_args(self[k], [&](const Expr& a) { return now[t.index.at(a.get())]; });
    Expr over_plain = node->kind == Kind::Var
                          ? plain[t.index.at(node->args[0].get())]
                          : ir::map_args(self[k], [&](const Expr& a) { return plain[t.index.at(a.get())]; });
    if (inline_form(*node) && node->kind != Kind::Var) {  // w', -x: written inline
      now[k] = over_names;
      plain[k] = over_plain;
      deps[k] = ds;
      continue;
    }
    if (is_matrix(node->shape)) throw matrix_on_the_way(f, self[k], wrt, node->loc.valid() ? node->loc : f->loc);
    auto it = given.find(node);
    bool is_given = node->kind == Kind::Var || it != given.end();
    std::string name = node->kind == Kind::Var ? node->name : it != given.end() ? it->second : fresh();
    Expr var = ir::var(name, node->shape, over_names);
    // The plain variable that stands for the name in the operations that use
    // it. A row vector is the transpose of a column one, so that its partials
    // are Jacobians by its entries (vec of a row is vec of its transpose).
    bool row = node->shape.rows.is_one() && !node->shape.cols.is_one();
    Expr col = row ? ir::var(name, Shape::vector(node->shape.cols)) : ir::var(name, node->shape);
    Expr pv = row ? ir::transpose(col) : col;
    std::size_t index = d.intermediates.size();
    d.intermediates.push_back({var, is_given});
    plain_of.push_back(col);
    named_of_plain[col.get()] = row ? ir::transpose(var) : var;

    // Local partials: the operation alone (names as plain variables) by each name it uses.
    Derivation::Chain chain;
    chain.of = index;
    Expr total;
    for (long x : ds) {
      const Expr& by_plain = x < 0 ? wrt_col : plain_of[static_cast<std::size_t>(x)];
      Expr jac = derivative(over_plain, by_plain, Layout::Numerator);
      if (!named_of_plain.empty()) jac = simplify(substitute(jac, named_of_plain));
      Derivation::Partial p;
      p.of = index;
      p.by = x < 0 ? wrt : d.intermediates[static_cast<std::size_t>(x)].var;
      p.jacobian = jac;
      p.rule = rule_name(node->kind == Kind::Var ? *node->args[0] : *node);
      chain.partials.push_back(d.partials.size());
      d.partials.push_back(p);
      Expr inner = x < 0 ? identity_of(wrt) : d.chain[static_cast<std::size_t>(x)].value;
      Expr term = ir::mul(jac, inner);
      total = total ? ir::add(total, term) : term;
    }
    RuleLog used;
    chain.value = simplify(total, &used);
    chain.identities = used.applied;
    d.chain.push_back(chain);
    now[k] = var;
    plain[k] = pv;
    deps[k] = {static_cast<long>(index)};
  }

  // Cases form for one scalar condition (a vector's would hold entry by entry, not as two cases).
  auto conditions = step_conditions(d.result);
  if (conditions.size() == 1 && conditions[0]->is_scalar()) {
    d.condition = conditions[0];
    d.where_nonpositive = with_step(d.result, d.condition, 0);
    d.where_positive = with_step(d.result, d.condition, 1);
  }
  return d;
}

}  // namespace mcalc
