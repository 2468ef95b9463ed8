// The one engine of the differentiator: it walks the DAG of f once in
// topological order (ir::topo_order) and interprets the rule table
// (rules.cpp, `differential`) in one of three ways:
//  - forward: the differential of every node with the seed dz = 1 (a scalar z)
//    or dx (a placeholder variable, for Jacobians by a vector, identified in
//    identify.cpp);
//  - reverse: the adjoint C̄ = df/dC of every node, in reverse order, pushed to
//    operand k by transposing the rule's differential in that operand alone
//    (transpose.cpp): Ā_k += (∂C/∂A_k)ᵀ C̄. A node reached by several paths sums
//    their contributions (law of total derivatives).
// Intermediate variables are nodes like any other, so results refer to them by
// name and stay DAGs. With a Trace, each rule application and combination is
// recorded; without one nothing extra is built.
#include <unordered_map>

#include "diff/internal.hpp"
#include "diff/rules.hpp"
#include "mcalc/topo.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace dx {
namespace {

using namespace simp;

Expr placeholder(std::size_t k, const Shape& s) { return ir::var("∂" + std::to_string(k), s); }

class Engine {
 public:
  Engine(const Expr& f, const Expr& wrt, Trace* trace) : f_(f), wrt_(wrt), trace_(trace), topo_(ir::topo_order(f)) {
    // The shared pointers of the nodes, in topological order, and which depend on wrt.
    std::size_t n = topo_.size();
    exprs_.resize(n);
    dep_.assign(n, 0);
    exprs_[topo_.index.at(f.get())] = f;
    for (std::size_t i = n; i-- > 0;)
      for (const auto& a : topo_.order[i]->args) exprs_[topo_.index.at(a.get())] = a;
    for (std::size_t i = 0; i < n; ++i) {
      const Node* e = topo_.order[i];
      bool d = is_wrt(e, wrt_);
      if (!d)
        for (const auto& a : e->args) d = d || dep_[topo_.index.at(a.get())];
      dep_[i] = d;
    }
    if (trace_) {
      trace_->f = f;
      trace_->wrt = wrt;
    }
  }

  /// The differential of f, every node's from its operands' (seed for wrt).
  /// `origin`, when given, maps each differential to the node of f it belongs to.
  Expr forward(const Expr& seed, std::unordered_map<const Node*, Expr>* origin = nullptr) {
    if (trace_) {
      trace_->mode = seed->is_scalar() && wrt_->is_scalar() ? Trace::Mode::Forward : Trace::Mode::Jacobian;
      if (trace_->mode == Trace::Mode::Jacobian) trace_->dwrt = seed;
    }
    std::vector<Expr> d(topo_.size());
    for (std::size_t i = 0; i < topo_.size(); ++i) {
      if (!dep_[i]) continue;
      const Expr& e = exprs_[i];
      if (is_wrt(e.get(), wrt_)) {
        d[i] = seed;
        record(Trace::Step::Kind::Seed, e, {}, seed);
        continue;
      }
      std::vector<Expr> ds;
      ds.reserve(e->args.size());
      for (const auto& a : e->args) ds.push_back(d[topo_.index.at(a.get())]);
      d[i] = differential(e, ds);  // nullptr when zero
      if (origin && d[i]) origin->emplace(d[i].get(), e);
      if (trace_) trace_forward(e, ds, d[i]);
    }
    Expr r = d[topo_.index.at(f_.get())];
    return r ? r : zero_of(f_->shape);
  }

  /// The gradient of the scalar f: adjoints from f̄ = 1 down to wrt.
  Expr reverse() {
    if (trace_) trace_->mode = Trace::Mode::Reverse;
    std::vector<Expr> adj(topo_.size());
    std::vector<std::vector<Expr>> parts(trace_ ? topo_.size() : 0);
    std::size_t root = topo_.index.at(f_.get());
    adj[root] = ir::num(1);
    record(Trace::Step::Kind::Seed, f_, {}, adj[root]);
    Expr result;
    for (std::size_t i = topo_.size(); i-- > 0;) {
      if (!dep_[i] || !adj[i]) continue;
      const Expr& c = exprs_[i];
      const Expr& g = adj[i];
      if (trace_ && parts[i].size() > 0) record(Trace::Step::Kind::Total, c, parts[i], g);
      if (is_wrt(c.get(), wrt_)) {
        result = result ? add(result, g) : g;
        continue;
      }
      for (std::size_t k = 0; k < c->args.size(); ++k) {
        const Expr& a = c->args[k];
        std::size_t ia = topo_.index.at(a.get());
        if (!dep_[ia]) continue;
        if (c->kind == Kind::Call && (c->fn == Fn::Vec || c->fn == Fn::Kron))
          not_differentiable(c, std::string("the gradient through ") + fn_name(c->fn) +
                                    " is not supported; diff gives the Jacobian of its operand by vec");
        // Ā_k += (∂C/∂A_k)ᵀ C̄: the rule's differential in dA_k alone, transposed.
        Expr p = placeholder(k, a->shape);
        std::vector<Expr> ds(c->args.size());
        ds[k] = p;
        Expr l = differential(c, ds);
        if (!l) continue;
        Expr contrib = transpose_linear(l, p, g);
        if (is_zero(contrib)) continue;
        MCALC_ASSERT(contrib->shape == a->shape, "adjoint of " + describe(a) + " has shape " + contrib->shape.str());
        if (trace_) {
          std::size_t at = partial(c, k, l, p);
          record(Trace::Step::Kind::Chain, a, {g}, contrib, at);
          parts[ia].push_back(contrib);
        }
        adj[ia] = adj[ia] ? add(adj[ia], contrib) : contrib;
      }
    }
    return result ? result : zero_of(wrt_->shape);
  }

 private:
  void record(Trace::Step::Kind kind, const Expr& node, std::vector<Expr> terms, const Expr& value,
              std::size_t partial = 0) {
    if (!trace_) return;
    Trace::Step s;
    s.kind = kind;
    s.node = node;
    s.partial = partial;
    s.terms = std::move(terms);
    s.value = value;
    trace_->steps.push_back(std::move(s));
  }

  /// Records the rule application at operand k of node c (its differential in
  /// the placeholder p, and its local Jacobian when c and the operand are
  /// vector-like); returns its index in trace_->partials.
  std::size_t partial(const Expr& c, std::size_t k, const Expr& l, const Expr& p) {
    Trace::Partial part;
    part.node = c;
    part.operand = k;
    part.rule = rule_of(*c);
    part.differential = l;
    part.d_operand = p;
    const Shape& s = c->args[k]->shape;
    if (c->shape.is_vector_like() && s.is_vector_like()) {
      // Identified by a column placeholder q (dA = qᵀ for a row operand).
      Expr q = s.is_row() ? placeholder(k, s.transposed()) : p;
      std::vector<Expr> ds(c->args.size());
      ds[k] = s.is_row() ? transpose(q) : q;
      Expr lq = differential(c, ds);
      try {
        part.jacobian = identify(lq ? lq : zero_of(c->shape), q, c);
      } catch (const UserError&) {
        part.jacobian = nullptr;  // no closed form without vec/Kronecker: the differential stands
      }
    }
    trace_->partials.push_back(std::move(part));
    return trace_->partials.size() - 1;
  }

  void trace_forward(const Expr& e, const std::vector<Expr>& ds, const Expr& total) {
    std::vector<Expr> terms;
    for (std::size_t k = 0; k < ds.size(); ++k) {
      if (!ds[k]) continue;
      const Expr& a = e->args[k];
      Expr p = placeholder(k, a->shape);
      std::vector<Expr> one(ds.size());
      one[k] = p;
      Expr l = differential(e, one);
      std::size_t at = partial(e, k, l ? l : zero_of(e->shape), p);
      one[k] = ds[k];
      Expr v = differential(e, one);
      v = v ? v : zero_of(e->shape);
      record(Trace::Step::Kind::Chain, e, {ds[k]}, v, at);
      terms.push_back(v);
    }
    record(Trace::Step::Kind::Total, e, std::move(terms), total ? total : zero_of(e->shape));
  }

  Expr f_, wrt_;
  Trace* trace_;
  ir::Topo topo_;
  std::vector<Expr> exprs_;
  std::vector<char> dep_;
};

}  // namespace

Expr reverse_gradient(const Expr& f, const Expr& wrt, Trace* trace) {
  MCALC_ASSERT(f->is_scalar(), "reverse mode needs a scalar");
  Engine e(f, wrt, trace);
  return e.reverse();
}

Expr forward_tangent(const Expr& f, const Expr& wrt, Trace* trace) {
  MCALC_ASSERT(wrt->is_scalar(), "forward mode needs a scalar wrt");
  Engine e(f, wrt, trace);
  return e.forward(ir::num(1));
}

Expr forward_jacobian(const Expr& f, const Expr& wrt, Trace* trace) {
  MCALC_ASSERT(wrt->shape.cols.is_one(), "a Jacobian needs a scalar or column wrt");
  Engine e(f, wrt, trace);
  Expr p = ir::var("∂" + wrt->name, wrt->shape);
  std::unordered_map<const Node*, Expr> origin;
  Expr d = e.forward(p, &origin);
  return identify(d, p, f, origin);
}

Expr forward_vec_jacobian(const Expr& f, const Expr& wrt) {
  Engine e(f, wrt, nullptr);
  Expr p = ir::var("∂" + wrt->name, wrt->shape);
  std::unordered_map<const Node*, Expr> origin;
  Expr d = e.forward(p, &origin);
  return identify_vec(d, p, f, origin);
}

}  // namespace dx
}  // namespace mcalc
