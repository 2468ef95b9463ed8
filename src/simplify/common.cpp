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

thread_local RuleLog* active_log = nullptr;

void note(Rule r) {
  if (!active_log->has(r)) active_log->applied.push_back(r);
}

bool same(const Expr& a, const Expr& b) {
  if (a == b) return true;
  if (a->kind != b->kind || a->shape != b->shape || a->fn != b->fn) return false;
  return ir::equal(a, b);
}

namespace {
// Symmetric by construction, to a bounded depth (the answer is "unsure" = false below it).
bool symmetric(const Expr& e, int depth) {
  if (depth == 0 || !e->shape.is_square() || e->is_scalar()) return e->is_scalar();
  auto sym = [&](const Expr& x) { return symmetric(x, depth - 1); };
  switch (e->kind) {
    case Kind::Eye: case Kind::Zeros: return true;
    case Kind::Ones: return true;                                          // square ones
    case Kind::Call:
      if (e->fn == Fn::DiagOf) return true;                                // diag(v)
      if (e->fn == Fn::Inv) return sym(e->args[0]);                        // inv(S)
      return false;
    case Kind::Add: case Kind::Sub:
      if (e->args[0]->kind == Kind::Transpose && same(e->args[0]->args[0], e->args[1])) return e->kind == Kind::Add;
      if (e->args[1]->kind == Kind::Transpose && same(e->args[1]->args[0], e->args[0])) return e->kind == Kind::Add;
      return sym(e->args[0]) && sym(e->args[1]);                           // S1 ± S2, A + A'
    case Kind::Neg: case Kind::Transpose: return sym(e->args[0]);
    case Kind::Mul: {
      const Expr &a = e->args[0], &b = e->args[1];
      if (a->is_scalar()) return sym(b);                                   // s*S
      if (a->kind == Kind::Transpose && same(a->args[0], b)) return true;  // X'*X
      if (b->kind == Kind::Transpose && same(b->args[0], a)) return true;  // X*X'
      // X'*S*X, written (X'*S)*X or X'*(S*X)
      if (a->kind == Kind::Mul && a->args[0]->kind == Kind::Transpose && same(a->args[0]->args[0], b))
        return sym(a->args[1]);
      if (b->kind == Kind::Mul && a->kind == Kind::Transpose && same(a->args[0], b->args[1])) return sym(b->args[0]);
      return false;
    }
    case Kind::Div: return e->args[1]->is_scalar() && sym(e->args[0]);
    case Kind::Pow: return sym(e->args[0]);                                // S^k
    case Kind::Var: return e->args.empty() ? false : sym(e->args[0]);
    case Kind::Hadamard: case Kind::ElemDiv: return sym(e->args[0]) && sym(e->args[1]);
    case Kind::ElemPow: return sym(e->args[0]) && e->args[1]->is_scalar();
    case Kind::Num: case Kind::DimSize: case Kind::Dot: case Kind::Index: case Kind::Literal: case Kind::Unit:
      return false;
  }
  return false;
}
}  // namespace

bool is_symmetric(const Expr& e) { return symmetric(e, 8); }

bool is_zero(const Expr& e) { return e->kind == Kind::Zeros || (e->kind == Kind::Num && e->num == 0); }
bool is_num(const Expr& e, double v) { return e->kind == Kind::Num && e->num == v; }
bool is_ones(const Expr& e) { return e->kind == Kind::Ones; }
bool is_eye(const Expr& e) { return e->kind == Kind::Eye; }
bool is_call(const Expr& e, Fn f) { return e->kind == Kind::Call && e->fn == f; }

Expr zero_of(const Shape& s) { return s.is_scalar() ? ir::num(0) : ir::zeros(s); }

Expr numel(const Shape& s) {
  auto d = [](const Dim& x) {  // a product m*n as the product of its sizes
    Expr r = x.coefficient() == 1 && !x.is_const() ? nullptr : ir::num(static_cast<double>(x.coefficient()));
    for (const auto& name : x.symbols()) r = r ? mul(r, ir::dim_size(Dim::sym(name))) : ir::dim_size(Dim::sym(name));
    return r;
  };
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

const std::vector<SimplifyRuleInfo>& simplify_rules() {
  static const std::vector<SimplifyRuleInfo> table = {
#define MCALC_RULE(id, head, statement) {Rule::id, #id, head, statement},
#include "mcalc/simplify_rules.def"
#undef MCALC_RULE
  };
  return table;
}

const SimplifyRuleInfo& rule_info(Rule r) { return simplify_rules()[static_cast<std::size_t>(r)]; }

bool RuleLog::has(Rule r) const {
  for (Rule a : applied)
    if (a == r) return true;
  return false;
}

RuleLogScope::RuleLogScope(RuleLog* log) : previous_(simp::active_log) {
  if (log) simp::active_log = log;
}
RuleLogScope::~RuleLogScope() { simp::active_log = previous_; }

std::size_t expr_size(const Expr& e) { return e->size; }  // computed when the node was built

}  // namespace mcalc
