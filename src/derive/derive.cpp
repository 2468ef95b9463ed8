// Derivations (include/mcalc/derive.hpp): intermediates from one pass over
// ir::topo_order(f); then either the chain of Jacobians (local partials from
// the differentiator applied to one operation at a time, multiplied in order)
// or backpropagation (the adjoint of every intermediate, from f down to the
// variable, each a sum of the differentiator's vector–Jacobian products of
// one operation). Rule names are read from the differentiator's trace.
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
bool is_row(const Shape& s) { return s.rows.is_one() && !s.cols.is_one(); }

/// The refusal of a matrix on the way from f to wrt in a chain of Jacobians: its Jacobians are no chain
/// of matrices (diff gives them by vec; a scalar f is derived by backpropagation).
UserError matrix_on_the_way(const Expr& f, const Expr& m, const Expr& wrt, const Loc& loc) {
  std::string what = m == wrt ? "the variable " + wrt->name : to_text_bounded(m, 40);
  std::string instead = f->is_scalar() ? "; backpropagation derives it (--method backprop)"
                                       : "; diff gives the Jacobian by vec (Kronecker forms)";
  return UserError(Msg::NotDifferentiable, loc,
                   {to_text_bounded(f, 40) + " step by step",
                    "a chain of Jacobians goes through scalars and vectors, but " + what + " is " +
                        m->shape.str() + instead});
}

/// The Jacobian of x by itself in numerator layout.
Expr identity_of(const Expr& x) {
  if (x->is_scalar()) return ir::num(1);
  return ir::eye(x->shape.cols.is_one() ? x->shape.rows : x->shape.cols);
}

/// `e` with every plain variable of `to` (a leaf of that name and shape) replaced by its
/// expression. By name, not identity: the differentiator may build a variable's node anew
/// (through GiNaC), and a stand-in left behind would print like the name but mean an unbound input.
Expr replace_vars(const Expr& e, const std::vector<std::pair<Expr, Expr>>& to) {
  return ir::rewrite({e}, [&](const Expr& original, const Expr& rebuilt) {
    if (original->kind != Kind::Var) return rebuilt;
    if (!original->args.empty()) return original;  // a name: its definition uses names only
    for (const auto& [plain, named] : to)
      if (plain->name == original->name && plain->shape == original->shape) return named;
    return rebuilt;
  })[0];
}

/// `e` with every step(u) for this u (by identity or structure) replaced by the constant `v`, simplified.
Expr with_step(const Expr& e, const Expr& u, double v) {
  return simplify(ir::rewrite({e}, [&](const Expr& original, const Expr& rebuilt) {
    if (original->kind != Kind::Call || original->fn != Fn::Step || !ir::equal(original->args[0], u)) return rebuilt;
    return original->shape.is_scalar() ? ir::num(v) : v == 0 ? ir::zeros(original->shape) : ir::ones(original->shape);
  })[0]);
}

/// The names of the rules the differentiator applied to the nodes of `op` (read from its trace), in
/// the order applied: the rule of each operation, transposes and negations only when nothing else was.
std::string rules_applied(const Trace& trace, const Expr& op) {
  std::set<const Node*> nodes;
  for (const Node* n : ir::topo_order(op).order) nodes.insert(n);
  std::vector<RuleId> main, minor;
  for (const auto& p : trace.partials) {
    if (!nodes.count(p.node.get())) continue;
    switch (p.rule) {
      case RuleId::Variable:
      case RuleId::Definition:
      case RuleId::Constant: break;
      case RuleId::Transpose:
      case RuleId::Negation:
        if (std::find(minor.begin(), minor.end(), p.rule) == minor.end()) minor.push_back(p.rule);
        break;
      case RuleId::Sum:
      case RuleId::Difference:
      case RuleId::ScalarMultiple:
      case RuleId::MatrixProduct:
      case RuleId::Quotient:
      case RuleId::Hadamard:
      case RuleId::ElemQuotient:
      case RuleId::ElemPower:
      case RuleId::ScalarPower:
      case RuleId::MatrixPower:
      case RuleId::InnerProduct:
      case RuleId::Indexing:
      case RuleId::Literal:
      case RuleId::Elementwise:
      case RuleId::PiecewiseMax:
      case RuleId::PiecewiseMin:
      case RuleId::SumReduction:
      case RuleId::Mean:
      case RuleId::Norm2:
      case RuleId::Norm1:
      case RuleId::Logsumexp:
      case RuleId::Softmax:
      case RuleId::Trace:
      case RuleId::Determinant:
      case RuleId::Logdet:
      case RuleId::Inverse:
      case RuleId::Adjugate:
      case RuleId::DiagMatrix:
      case RuleId::DiagVector:
      case RuleId::Vectorization:
      case RuleId::Kronecker:
        if (std::find(main.begin(), main.end(), p.rule) == main.end()) main.push_back(p.rule);
        break;
    }
  }
  const auto& cited = main.empty() ? minor : main;
  std::string out;
  for (RuleId r : cited) out += (out.empty() ? "" : ", ") + std::string(rule_info(r).name);
  // The operation itself when the trace holds none of its nodes (a constant operation).
  return out.empty() ? rule_info(rule_of(*op)).name : out;
}

/// One intermediate's operation: its definition over plain variables (the
/// other names held fixed), and the names it uses (indices into the
/// intermediates, -1 for wrt).
struct Op {
  Expr plain;
  std::vector<long> uses;
};

/// The walk that both derivations share: intermediates and their operations.
class Walk {
 public:
  Walk(const Expr& f, const Expr& wrt, Derivation& d) : wrt_(wrt), d_(d) {
    ir::Topo t = ir::topo_order(f);
    const std::size_t n = t.size();
    const std::vector<Expr> self = ir::exprs_of(t, {f});

    // Which nodes depend on wrt, and the names a program gave to definitions.
    std::vector<bool> dep(n, false);
    std::map<const Node*, std::string> given;
    for (std::size_t k = 0; k < n; ++k) {
      const Node* node = t.order[k];
      if (node->kind == Kind::Var) taken_.insert(node->name);
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
    // A row vector is differentiated by as the transpose of a column (see below).
    wrt_col = is_row(wrt->shape) ? ir::var(wrt->name, Shape::vector(wrt->shape.cols)) : wrt;
    if (wrt_col != wrt) named_of_plain.push_back({wrt_col, ir::transpose(wrt)});
    for (std::size_t k = 0; k < n; ++k) {
      const Node* node = t.order[k];
      if (!dep[k]) {
        now[k] = plain[k] = self[k];
        continue;
      }
      if (node->args.empty()) {  // wrt itself
        now[k] = wrt;
        plain[k] = wrt_col != wrt ? ir::transpose(wrt_col) : wrt;
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
      if (is_matrix(node->shape) && !matrix) {
        matrix = self[k];
        matrix_loc = node->loc.valid() ? node->loc : f->loc;
      }
      if (node->kind == Kind::Mul && (is_matrix(node->args[0]->shape) || is_matrix(node->args[1]->shape))) ++layers;
      auto it = given.find(node);
      bool is_given = node->kind == Kind::Var || it != given.end();
      std::string name = node->kind == Kind::Var ? node->name : it != given.end() ? it->second : fresh_numbered("u");
      Expr var = ir::var(name, node->shape, over_names);
      // The plain variable that stands for the name in the operations that use
      // it. A row vector is the transpose of a column one, so that its partials
      // are Jacobians by its entries (vec of a row is vec of its transpose).
      bool row = is_row(node->shape);
      Expr col = row ? ir::var(name, Shape::vector(node->shape.cols)) : ir::var(name, node->shape);
      d_.intermediates.push_back({var, is_given});
      ops.push_back({over_plain, ds});
      plain_of.push_back(col);
      named_of_plain.push_back({col, row ? ir::transpose(var) : var});
      now[k] = var;
      plain[k] = row ? ir::transpose(col) : col;
      deps[k] = {static_cast<long>(d_.intermediates.size() - 1)};
    }
  }

  /// A name not in use: base with a number (u1, u2, …).
  std::string fresh_numbered(const std::string& base) {
    std::string s;
    do s = base + std::to_string(++counter_);
    while (taken_.count(s));
    taken_.insert(s);
    return s;
  }
  /// A name not in use: `name` itself, or with a suffix (_2, _3, …).
  std::string fresh(const std::string& name) {
    std::string s = name;
    for (int k = 2; taken_.count(s); ++k) s = name + "_" + std::to_string(k);
    taken_.insert(s);
    return s;
  }

  /// An expression over plain variables written in terms of the names.
  Expr named(const Expr& e) const { return named_of_plain.empty() ? e : replace_vars(e, named_of_plain); }

  /// The plain variable of name x (-1: wrt, as a column when it is a row).
  const Expr& plain_var(long x) const { return x < 0 ? wrt_col : plain_of[static_cast<std::size_t>(x)]; }
  /// The named variable of name x.
  const Expr& named_var(long x) const { return x < 0 ? wrt_ : d_.intermediates[static_cast<std::size_t>(x)].var; }

  std::vector<Op> ops;          // per intermediate
  Expr matrix;                  // the first matrix-valued intermediate, if any
  int layers = 0;               // products with a matrix on the way (W2*a1): a network's layers
  Loc matrix_loc;
  std::vector<Expr> plain_of;   // per intermediate: its plain (column) variable
  std::vector<std::pair<Expr, Expr>> named_of_plain;  // plain stand-ins to the names
  Expr wrt_col;

 private:
  Expr wrt_;
  Derivation& d_;
  std::set<std::string> taken_;
  int counter_ = 0;
};

/// `e` with every sub-expression that is an intermediate's definition written as its name
/// (sigmoid(z1) as a1), the intermediates up to `upto`.
Expr with_names(const Expr& e, const Derivation& d, std::size_t upto, const std::vector<Expr>& simplified = {}) {
  std::vector<std::pair<Expr, Expr>> names;
  for (std::size_t j = 0; j < upto && j < d.intermediates.size(); ++j) {
    names.push_back({d.intermediates[j].var->args[0], d.intermediates[j].var});
    if (j < simplified.size()) names.push_back({simplified[j], d.intermediates[j].var});
  }
  return ir::name_forms(e, names);
}

/// `e` with the intermediates the derivation named itself (u1, u2, …; not those the program named) written
/// out as their definitions.
Expr without_own_names(const Expr& e, const Derivation& d) {
  std::set<std::string> own;
  for (const auto& i : d.intermediates)
    if (!i.given) own.insert(i.var->name);
  if (own.empty()) return e;
  return ir::rewrite({e}, [&](const Expr& original, const Expr& rebuilt) {
    if (original->kind == Kind::Var && !original->args.empty() && own.count(original->name)) return rebuilt->args[0];
    return rebuilt;
  })[0];
}

/// The chain of Jacobians: local partials, multiplied in order (a sum over paths where a name is reached twice).
void chain_of_jacobians(Walk& w, Derivation& d) {
  // Each intermediate's definition as the simplifier writes it with the derivation's own names written out
  // (sum(w .* x) + b as w'*x + b), so that a simplified chain value is named again where it reappears.
  std::vector<Expr> simplified;
  for (const auto& i : d.intermediates) simplified.push_back(simplify(without_own_names(i.var->args[0], d)));
  for (std::size_t index = 0; index < d.intermediates.size(); ++index) {
    const Op& op = w.ops[index];
    Derivation::Chain chain;
    chain.of = index;
    Expr total;
    for (long x : op.uses) {
      Trace trace;
      Expr jac = w.named(derivative(op.plain, w.plain_var(x), Layout::Numerator, &trace));
      Derivation::Partial p;
      p.of = index;
      p.by = w.named_var(x);
      p.jacobian = with_names(w.named_of_plain.empty() ? jac : simplify(jac), d, index + 1);
      p.rule = rules_applied(trace, op.plain);
      chain.partials.push_back(d.partials.size());
      d.partials.push_back(p);
      Expr inner = x < 0 ? identity_of(d.wrt) : d.chain[static_cast<std::size_t>(x)].value;
      Expr term = ir::mul(p.jacobian, inner);
      total = total ? ir::add(total, term) : term;
    }
    // Simplified with the derivation's own names (u1, u2, …) written out, so that the simplifier sees through
    // them (u3 = 1 - yhat cancels against yhat*(1 - yhat)), then named again where a definition reappears.
    // Where that gives the form simplifying over the names gives, the latter's identities are cited (the
    // others rewrote definitions that are names again).
    RuleLog by_names, written_out;
    Expr plain_form = simplify(total, &by_names);
    chain.value = with_names(simplify(without_own_names(total, d), &written_out), d, index + 1, simplified);
    bool same = to_text(chain.value) == to_text(plain_form);
    if (same) chain.value = plain_form;
    chain.identities = same ? by_names.applied : written_out.applied;
    d.chain.push_back(chain);
  }
}

/// The adjoint of name `of` (intermediates.size() for wrt): the sum of its terms, simplified, with the
/// intermediates up to `upto` named.
Derivation::Adjoint adjoint(std::size_t of, std::vector<Derivation::Adjoint::Term> terms, const Derivation& d,
                            std::size_t upto) {
  Derivation::Adjoint a;
  a.of = of;
  a.terms = std::move(terms);
  MCALC_ASSERT(!a.terms.empty(), "every name on the way is used by a later one");
  Expr sum = a.written();
  RuleLog used;
  a.value = with_names(simplify(sum, &used), d, upto);
  a.identities = used.applied;
  return a;
}

/// Backpropagation: δv = ∂f/∂v for every intermediate v, from f down to wrt;
/// δv = Σ over the intermediates u that use v of (∂u/∂v)ᵀ δu, each the
/// gradient of ⟨δu, u's operation⟩ by v (the differentiator's reverse mode on
/// the one operation).
void backpropagation(Walk& w, Derivation& d) {
  const std::size_t m = d.intermediates.size();
  // Contributions to each name (-1: wrt, at index m) from the names that use it.
  std::vector<std::vector<Derivation::Adjoint::Term>> terms(m + 1);
  std::vector<Expr> delta(m);        // the adjoint variables (with definitions), f's is 1
  for (std::size_t u = m; u-- > 0;) {
    const Expr& var = d.intermediates[u].var;
    if (u + 1 == m) {
      delta[u] = ir::num(1);  // the seed δf = ∂f/∂f = 1
    } else {
      Derivation::Adjoint a = adjoint(u, std::move(terms[u]), d, u + 1);
      a.var = ir::var(w.fresh("delta_" + var->name), var->shape, a.value);
      delta[u] = a.var;
      d.adjoints.push_back(std::move(a));
    }
    // What u passes on to each name its operation uses: the gradient of ⟨δu, op(names)⟩ by the name.
    const Op& op = w.ops[u];
    Expr seed = ir::var("δ", op.plain->shape);
    Expr inner = op.plain->is_scalar() ? ir::mul(seed, op.plain) : ir::call(Fn::Sum, {ir::hadamard(seed, op.plain)});
    for (long x : op.uses) {
      Trace trace;
      Expr g = gradient(inner, w.plain_var(x), &trace);
      const Expr& by = w.named_var(x);
      if (is_row(by->shape)) g = ir::transpose(g);  // the plain variable of a row is a column
      auto to = w.named_of_plain;
      to.push_back({seed, delta[u]});
      // Names first: the simplifier simplifies a name's definition too, after which it would no longer match.
      Expr value = simplify(with_names(replace_vars(g, to), d, u + 1));
      terms[x < 0 ? m : static_cast<std::size_t>(x)].push_back({u, rules_applied(trace, op.plain), value});
    }
  }
  d.adjoints.push_back(adjoint(m, std::move(terms[m]), d, m));
}

}  // namespace

Expr Derivation::Adjoint::written() const {
  Expr sum;
  for (const auto& t : terms) sum = sum ? ir::add(sum, t.value) : t.value;
  return sum ? sum : value;
}

/// The rule's name, from the differentiator's rule table (the one place rules are named).
std::string rule_name(const Node& n) { return rule_info(rule_of(n)).name; }

Derivation derive(const Expr& f, const Expr& wrt, Layout layout, DeriveMethod method) {
  Derivation d;
  d.f = f;
  d.wrt = wrt;
  d.layout = layout;
  // The result first: it reports the errors of differentiation (not a variable, not differentiable, ...).
  d.result = derivative(f, wrt, layout);

  // Backpropagation for a scalar f with a matrix on the way (or when asked); a chain of Jacobians otherwise.
  if (method == DeriveMethod::Backprop && !f->is_scalar())
    throw UserError(Msg::NotDifferentiable, f->loc,
                    {to_text_bounded(f, 40) + " by backpropagation",
                     "backpropagation derives a scalar, and f is " + f->shape.str() +
                         "; the chain of Jacobians (--method chain) derives it"});
  Walk w(f, wrt, d);
  // A network of two layers or more is backpropagated too, so that its derivation grows linearly with
  // depth (a chain's Jacobians grow with each layer); one layer (the neuron, the MSE of X*w) is the chain.
  bool matrix = is_matrix(wrt->shape) || w.matrix || w.layers >= 2;
  bool backprop = method == DeriveMethod::Backprop || (method == DeriveMethod::Auto && f->is_scalar() && matrix);
  if (!backprop && is_matrix(wrt->shape)) throw matrix_on_the_way(f, wrt, wrt, wrt->loc);
  if (!backprop && w.matrix) throw matrix_on_the_way(f, w.matrix, wrt, w.matrix_loc);
  if (backprop && !d.intermediates.empty()) backpropagation(w, d);
  else chain_of_jacobians(w, d);

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
