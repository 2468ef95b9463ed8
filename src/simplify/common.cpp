// Shared helpers of the simplifier: predicates, the ordering key, sizes, and
// the dispatch from a node kind to its rule-applying constructor.
#include <cmath>
#include <functional>
#include <unordered_map>

#include "mcalc/print.hpp"
#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {

bool is_zero(const Expr& e) { return e->kind == Kind::Zeros || (e->kind == Kind::Num && e->num == 0); }
bool is_num(const Expr& e, double v) { return e->kind == Kind::Num && e->num == v; }
bool is_ones(const Expr& e) { return e->kind == Kind::Ones; }
bool is_eye(const Expr& e) { return e->kind == Kind::Eye; }
bool is_call(const Expr& e, Fn f) { return e->kind == Kind::Call && e->fn == f; }

Expr zero_of(const Shape& s) { return s.is_scalar() ? ir::num(0) : ir::zeros(s); }

Expr numel(const Shape& s) {
  auto d = [](const Dim& x) { return x.is_const() ? ir::num(static_cast<double>(x.value())) : ir::dim_size(x); };
  if (s.rows.is_one()) return d(s.cols);
  if (s.cols.is_one()) return d(s.rows);
  return mul(d(s.rows), d(s.cols));
}

// The text printer's form, cut after a bounded number of nodes: the cost of
// a key does not grow with the expression (nor blow up on a shared DAG).
std::string key(const Expr& e) { return to_text_bounded(e, 150); }

Expr rebuild(const Expr& e, std::vector<Expr> args) {
  bool same = args.size() == e->args.size();
  for (std::size_t k = 0; same && k < args.size(); ++k) same = args[k] == e->args[k];
  Expr r;
  switch (e->kind) {
    case Kind::Num: case Kind::DimSize: case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
      return e;
    case Kind::Var:
      // An intermediate variable keeps its name; its definition is simplified.
      if (same) return e;
      return ir::var(e->name, e->shape, args.empty() ? nullptr : args[0]);
    case Kind::Add: r = add(args[0], args[1]); break;
    case Kind::Sub: r = sub(args[0], args[1]); break;
    case Kind::Neg: r = neg(args[0]); break;
    case Kind::Mul: r = mul(args[0], args[1]); break;
    case Kind::Div: r = div(args[0], args[1]); break;
    case Kind::Hadamard: r = hadamard(args[0], args[1]); break;
    case Kind::ElemDiv: r = elem_div(args[0], args[1]); break;
    case Kind::Dot: r = dot(args[0], args[1]); break;
    case Kind::Pow: r = pow(args[0], args[1]); break;
    case Kind::ElemPow: r = elem_pow(args[0], args[1]); break;
    case Kind::Transpose: r = transpose(args[0]); break;
    case Kind::Index: r = index(args[0], e->i, e->j); break;
    case Kind::Call: r = call(e->fn, args); break;
    case Kind::Literal: r = literal(e->lit_rows, e->lit_cols, args); break;
  }
  MCALC_ASSERT(r->shape == e->shape, "simplification changed the shape of " + key(e));
  // An unchanged node is returned as is (keeps sharing and source locations).
  if (same && ir::equal(r, e)) return e;
  return r;
}

Expr drop_relu_of(const Expr& e, const Expr& u) {
  std::unordered_map<const Node*, Expr> memo;
  std::function<Expr(const Expr&)> go = [&](const Expr& x) -> Expr {
    auto it = memo.find(x.get());
    if (it != memo.end()) return it->second;
    Expr r;
    bool relu = (is_call(x, Fn::Relu) && ir::equal(x->args[0], u)) ||
                (is_call(x, Fn::Max) && ((is_num(x->args[0], 0) && ir::equal(x->args[1], u)) ||
                                         (is_num(x->args[1], 0) && ir::equal(x->args[0], u))));
    // Entry i of the product only sees entry i of an elementwise operand of
    // u's shape; anywhere else (softmax(max(0, u)), sum(...), a broadcast
    // scalar) max(0, u) stands for other entries and must stay. A scalar u is
    // one entry, so for it every occurrence may go.
    bool scaling = x->kind == Kind::Mul && (x->args[0]->is_scalar() || x->args[1]->is_scalar());
    bool elementwise = x->kind == Kind::Add || x->kind == Kind::Sub || x->kind == Kind::Neg ||
                       x->kind == Kind::Hadamard || x->kind == Kind::ElemDiv || x->kind == Kind::ElemPow ||
                       x->kind == Kind::Div || scaling || (x->kind == Kind::Call && fn_is_elementwise(x->fn));
    bool entrywise = u->is_scalar() || (x->shape == u->shape && elementwise);
    if (relu && x->shape == u->shape) {
      r = u;
    } else if (x->kind == Kind::Var || !entrywise) {
      r = x;  // an intermediate variable is kept by name
    } else {
      std::vector<Expr> args;
      for (const auto& a : x->args) args.push_back(go(a));
      r = rebuild(x, std::move(args));
    }
    memo[x.get()] = r;
    return r;
  };
  return go(e);
}

}  // namespace simp

std::size_t expr_size(const Expr& e) {
  // Memoised tree size, saturating, so that a deep DAG costs linear time.
  std::unordered_map<const Node*, std::size_t> memo;
  const std::size_t cap = std::size_t(1) << 40;
  std::function<std::size_t(const Node*)> go = [&](const Node* n) -> std::size_t {
    if (n->kind == Kind::Var) return 1;
    auto it = memo.find(n);
    if (it != memo.end()) return it->second;
    std::size_t s = 1;
    for (const auto& a : n->args) s = std::min(cap, s + go(a.get()));
    memo[n] = s;
    return s;
  };
  return go(e.get());
}

}  // namespace mcalc
