// Compiling roots into a plan: canonical nodes from ir::topo_order with
// structurally equal subexpressions merged, the operands each computation
// reads, constant scalars folded, product chains gathered, fused regions
// formed and the units scheduled.
#include <algorithm>
#include <cstring>
#include <map>
#include <queue>
#include <set>

#include "eval/stable.hpp"
#include "mcalc/topo.hpp"
#include "plan.hpp"

namespace mcalc {
namespace {
using eval::CNode;
using eval::Op;
using eval::Operand;
using eval::RStep;

bool elementwise_unary(Fn f) {
  return f != Fn::None && fn_spec(f).family == FnFamily::Elementwise;
}

// A key that two nodes share exactly when they compute the same value from
// the same canonical operands (locations aside).
// X'*M where M is a sum of row scalings of X (diag(a)*(diag(b)*X) - diag(c)*X,
// as the Hessian of a sum over rows comes out of the differentiator) is
// X'*diag(s)*X with s = a.*b - c: one scaled rank-k update instead of n x d
// products and a general matrix product. Rewrites the roots (new nodes for
// s, the rest shared); row_scaled records M = diag(s)*X for each such node.
std::vector<Expr> row_scalings(const std::vector<Expr>& roots) {
  const ir::Topo topo = ir::topo_order(roots);
  std::unordered_map<const Node*, const Expr*> shared;
  for (const auto& r : roots) shared.emplace(r.get(), &r);
  for (const Node* n : topo.order)
    for (const auto& a : n->args) shared.emplace(a.get(), &a);
  struct Scaled {
    Expr X, s;  // the node is diag(s)*X
  };
  std::unordered_map<const Node*, Expr> out;
  std::unordered_map<const Node*, Scaled> scaled;  // by rewritten node
  auto is_matrix = [](const Expr& e) { return !e->shape.is_vector_like(); };
  auto scaling_of = [&](const Expr& e) -> Scaled {
    auto it = scaled.find(e.get());
    return it != scaled.end() ? it->second : Scaled{e, nullptr};
  };
  auto s_or_ones = [](const Scaled& m) { return m.s ? m.s : ir::ones(Shape::vector(m.X->shape.rows)); };
  auto same_x = [](const Expr& a, const Expr& b) { return a.get() == b.get() || ir::equal(a, b); };
  for (const Node* n : topo.order) {
    const Expr& orig = *shared.at(n);
    Expr e = ir::map_args(orig, [&](const Expr& a) { return out.at(a.get()); });
    if (e->kind == Kind::Var && !e->args.empty()) {
      auto it = scaled.find(e->args[0].get());
      if (it != scaled.end()) scaled.emplace(e.get(), it->second);
    } else if (e->kind == Kind::Mul && is_matrix(e)) {
      const Expr &a = e->args[0], &b = e->args[1];
      if (a->kind == Kind::Call && a->fn == Fn::DiagOf && a->args[0]->shape.is_col() && is_matrix(b)) {
        const Scaled m = scaling_of(b);  // diag(v)*(diag(s)*X) = diag(v.*s)*X
        scaled.emplace(e.get(), Scaled{m.X, m.s ? ir::hadamard(a->args[0], m.s) : a->args[0]});
      } else if (a->is_scalar() && scaled.count(b.get())) {
        const Scaled m = scaling_of(b);  // c*(diag(s)*X) = diag(c*s)*X
        scaled.emplace(e.get(), Scaled{m.X, ir::mul(a, m.s)});
      } else if (b->is_scalar() && scaled.count(a.get())) {
        const Scaled m = scaling_of(a);
        scaled.emplace(e.get(), Scaled{m.X, ir::mul(b, m.s)});
      } else if (a->kind == Kind::Transpose && scaled.count(b.get()) && same_x(a->args[0], scaling_of(b).X)) {
        // X'*(diag(s)*X) = X'*diag(s)*X
        const Scaled m = scaling_of(b);
        e = ir::mul(ir::mul(a, ir::call(Fn::DiagOf, {m.s})), m.X);
      }
    } else if ((e->kind == Kind::Add || e->kind == Kind::Sub) && is_matrix(e) && is_matrix(e->args[0]) &&
               is_matrix(e->args[1]) && (scaled.count(e->args[0].get()) || scaled.count(e->args[1].get()))) {
      const Scaled x = scaling_of(e->args[0]), y = scaling_of(e->args[1]);
      if (same_x(x.X, y.X)) {  // diag(s)*X +- diag(t)*X = diag(s +- t)*X
        Expr s = e->kind == Kind::Add ? ir::add(s_or_ones(x), s_or_ones(y)) : ir::sub(s_or_ones(x), s_or_ones(y));
        scaled.emplace(e.get(), Scaled{x.X, s});
      }
    } else if (e->kind == Kind::Neg && is_matrix(e) && scaled.count(e->args[0].get())) {
      const Scaled x = scaling_of(e->args[0]);
      scaled.emplace(e.get(), Scaled{x.X, ir::neg(x.s)});
    }
    out.emplace(n, e);
  }
  std::vector<Expr> result;
  for (const auto& r : roots) result.push_back(out.at(r.get()));
  return result;
}

std::string key_of(const Node& n, const std::vector<int>& args) {
  std::string k;
  auto put = [&](long v) { k += std::to_string(v) + '|'; };
  put(static_cast<long>(n.kind));
  put(static_cast<long>(n.fn));
  long bits = 0;
  std::memcpy(&bits, &n.num, sizeof bits);
  put(bits);
  k += n.name + '|' + n.dim.str() + '|' + n.shape.str() + '|';
  put(n.i);
  put(n.j);
  put(n.lit_rows);
  put(n.lit_cols);
  for (int a : args) put(a);
  return k;
}
}  // namespace

namespace {
/// Whether node c is a dense matrix whatever the values and sizes (its
/// operands, earlier in `nodes`, already decided): an input, an elementwise
/// function that is not 0 at 0 of a structured matrix, or an operation that
/// keeps density. False where a structured form may come out (eye, diag,
/// ones, products and Hadamard products with them).
bool certainly_dense(const CNode& c, const std::vector<CNode>& nodes) {
  const Node& n = *c.n;
  if (n.shape.is_scalar()) return false;
  auto dense = [&](std::size_t k) { return nodes[static_cast<std::size_t>(c.args[k])].dense; };
  auto scalar = [&](std::size_t k) { return nodes[static_cast<std::size_t>(c.args[k])].n->shape.is_scalar(); };
  switch (n.kind) {
    case Kind::Var: return n.args.empty();  // a given value (an intermediate is its definition)
    case Kind::Neg: case Kind::Transpose: return dense(0);
    case Kind::Add: case Kind::Sub: return dense(0) || dense(1);
    case Kind::Mul: return (dense(0) || scalar(0)) && (dense(1) || scalar(1)) && !(scalar(0) && scalar(1));
    case Kind::Hadamard: case Kind::ElemDiv: case Kind::ElemPow: return dense(0) && dense(1);
    case Kind::Call: {
      double at0 = 0;  // a unary elementwise function only
      if (!eval::fn::with_unary(n.fn, [&](auto f) { at0 = f(0.0); })) return false;
      return dense(0) || (at0 != 0 && nodes[static_cast<std::size_t>(c.args[0])].n->kind == Kind::Eye);
    }
    case Kind::Num: case Kind::DimSize: case Kind::Div: case Kind::Dot: case Kind::Pow: case Kind::Index:
    case Kind::Literal: case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
      return false;
  }
  return false;
}
}  // namespace

void Plan::Impl::compile(const std::vector<Expr>& given) {
  // The roots as computed (kept alive with the plan); root k is still given[k].
  exprs = row_scalings(given);
  for (auto& e : exprs) e = eval::stable_forms(e);  // log(sigmoid(u)) = -softplus(-u), ... (eval/stable.hpp)
  const std::vector<Expr>& roots = exprs;
  const ir::Topo topo = ir::topo_order(roots);
  // 1. Canonical nodes: an intermediate variable is its definition; equal
  // keys are one node (common subexpressions computed once).
  std::unordered_map<const Node*, const Expr*> shared;
  for (const auto& r : roots) shared.emplace(r.get(), &r);
  for (const Node* n : topo.order)
    for (const auto& a : n->args) shared.emplace(a.get(), &a);
  std::unordered_map<const Node*, int> canon;
  std::map<std::string, int> by_key;
  for (const Node* n : topo.order) {
    if (n->kind == Kind::Var && !n->args.empty()) {
      canon[n] = canon.at(n->args[0].get());
      continue;
    }
    std::vector<int> args;
    for (const auto& a : n->args) args.push_back(canon.at(a.get()));
    auto [it, fresh] = by_key.emplace(key_of(*n, args), static_cast<int>(nodes.size()));
    if (fresh) {
      CNode c;
      c.n = n;
      c.expr = *shared.at(n);
      c.args = std::move(args);
      nodes.push_back(std::move(c));
    }
    canon[n] = it->second;
  }
  for (auto& c : nodes)
    for (int a : c.args) ++nodes[static_cast<std::size_t>(a)].uses;
  for (const auto& r : roots) {
    const int id = canon.at(r.get());
    root_ids.push_back(id);
    nodes[static_cast<std::size_t>(id)].root = true;
    ++nodes[static_cast<std::size_t>(id)].uses;
  }
  auto node = [&](int id) -> CNode& { return nodes[static_cast<std::size_t>(id)]; };

  // 2. Sizes: dimension names get indices.
  std::map<std::string, int> dim_index;
  auto size = [&](const Dim& d) {
    eval::Size s;
    if (d.is_const()) {
      s.lit = d.value();
    } else {
      s.lit = d.coefficient();
      for (const auto& name : d.symbols()) {
        auto [it, fresh] = dim_index.emplace(name, static_cast<int>(dim_names.size()));
        if (fresh) dim_names.push_back(name);
        if (s.dim < 0) s.dim = it->second;
        else s.more.push_back(it->second);
      }
    }
    return s;
  };
  for (auto& c : nodes) {
    c.rows = size(c.n->shape.rows);
    c.cols = size(c.n->shape.cols);
    if (c.n->kind == Kind::DimSize) c.dim = size(c.n->dim);
  }

  // 2b. The cubic operations (det, logdet, inv, adj) of operands that are dense
  // whatever the values: their cost is checked against --max-work as soon as
  // the sizes are bound, before any work (det(exp(eye(7000))) would build a
  // dense 7000 x 7000 operand first). A structured operand (det(eye(7000)))
  // costs little and is checked, if at all, when its value is known.
  for (auto& c : nodes) c.dense = certainly_dense(c, nodes);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const CNode& c = nodes[k];
    if (c.n->kind == Kind::Call && fn_has(c.n->fn, fnflag::Cubic) &&
        node(c.args[0]).dense)
      cubic.push_back(static_cast<int>(k));
  }

  // 3. What each computation reads. A product is one chain (see Chain);
  // a sum reads its operands under their transposes (A + B' builds no B').
  auto strip = [&](int id) {
    Operand o{id, false};
    while (node(o.id).n->kind == Kind::Transpose) {
      o.t = !o.t;
      o.id = node(o.id).args[0];
    }
    return o;
  };
  // Only what is computed at all: the roots and what computations read (a
  // product flattened into a chain, a transpose read in place are not).
  for (std::size_t k = nodes.size(); k-- > 0;) {
    CNode& c = nodes[k];
    if (c.root) c.needed = true;
    if (!c.needed) continue;
    switch (c.n->kind) {
      case Kind::Mul: {
        eval::Chain ch;
        std::vector<Operand> stack{{c.args[1], false}, {c.args[0], false}};  // left first
        while (!stack.empty()) {
          auto [e, t] = stack.back();
          stack.pop_back();
          bool sole = node(e).uses == 1;
          for (;;) {
            const Node* n = node(e).n;
            if (n->kind == Kind::Transpose) t = !t;
            else if (n->kind == Kind::Neg) ch.sign = -ch.sign;
            else break;
            e = node(e).args[0];
            sole = sole && node(e).uses == 1;
          }
          const CNode& f = node(e);
          // A 1 x 1 product (x'*y) scales the chain it stands in: a factor of its own.
          if (f.n->kind == Kind::Mul && sole && !f.root && !f.n->is_scalar()) {
            stack.push_back({f.args[t ? 0 : 1], t});
            stack.push_back({f.args[t ? 1 : 0], t});
            continue;
          }
          ch.factors.push_back({e, t});
        }
        // op(A)'*diag(s)*B: a scaled rank-k update, diag(s) never built.
        std::vector<std::size_t> mats;
        for (std::size_t i = 0; i < ch.factors.size(); ++i)
          if (!node(ch.factors[i].id).n->is_scalar()) mats.push_back(i);
        if (mats.size() == 3) {
          const Operand a = ch.factors[mats[0]], d = ch.factors[mats[1]], b = ch.factors[mats[2]];
          const CNode& dn = node(d.id);
          if (a.t && !b.t && dn.n->kind == Kind::Call && dn.n->fn == Fn::DiagOf && dn.uses == 1 && !dn.root) {
            ch.factors[mats[1]] = {dn.args[0], false};
            ch.gram = true;
            ch.diag = mats[1];
          }
        }
        c.ops = ch.factors;
        c.chain = static_cast<int>(chains.size());
        chains.push_back(std::move(ch));
        break;
      }
      case Kind::Add:
      case Kind::Sub:
        for (int a : c.args) c.ops.push_back(strip(a));
        break;
      case Kind::Num:
      case Kind::Var:
      case Kind::DimSize:
      case Kind::Neg:
      case Kind::Div:
      case Kind::Hadamard:
      case Kind::ElemDiv:
      case Kind::Dot:
      case Kind::Pow:
      case Kind::ElemPow:
      case Kind::Transpose:
      case Kind::Index:
      case Kind::Call:
      case Kind::Literal:
      case Kind::Ones:
      case Kind::Zeros:
      case Kind::Eye:
      case Kind::Unit:
        for (int a : c.args) c.ops.push_back({a, false});
        break;
    }
    for (const Operand& o : c.ops) node(o.id).needed = true;
  }

  // 4. How each node is computed alone; constant scalars folded.
  slots.resize(nodes.size());
  std::vector<bool> constant(nodes.size(), false);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    CNode& c = nodes[k];
    const Node* n = c.n;
    if (n->kind == Kind::Var) {
      c.op = Op::Input;
      c.input = static_cast<int>(inputs.size());
      inputs.push_back(static_cast<int>(k));
    } else if (n->kind == Kind::Mul) {
      c.op = Op::Product;
    } else if (n->is_scalar() && n->kind != Kind::Unit) {
      c.op = Op::Scalar;
    } else {
      c.op = Op::Generic;
    }
    if (!c.needed) continue;
    // Folding: scalar arithmetic and elementwise functions of constants.
    bool foldable = false;
    switch (n->kind) {
      case Kind::Num: foldable = true; break;
      case Kind::DimSize: foldable = n->dim.is_const(); break;
      case Kind::Add:
      case Kind::Sub:
      case Kind::Neg:
      case Kind::Div:
      case Kind::Hadamard:
      case Kind::ElemDiv:
      case Kind::Pow:
      case Kind::ElemPow:
      case Kind::Mul: foldable = n->is_scalar(); break;
      case Kind::Call: foldable = n->is_scalar() && fn_is_elementwise(n->fn); break;
      case Kind::Var:
      case Kind::Dot:
      case Kind::Transpose:
      case Kind::Index:
      case Kind::Literal:
      case Kind::Ones:
      case Kind::Zeros:
      case Kind::Eye:
      case Kind::Unit: break;
    }
    for (const Operand& o : c.ops) foldable = foldable && constant[static_cast<std::size_t>(o.id)];
    if (foldable) {
      exec(static_cast<int>(k));
      c.op = Op::Const;
      constant[k] = true;
    }
  }

  // 5. Fused regions. A member is an elementwise node (or X*v, a block of
  // rows of X times v) computed block by block; a reduction (sum, dot, X'*r)
  // accumulates over the blocks. A node joins the region of one of its
  // operands unless that region must finish before one of its other
  // operands is available (no cycles between units).
  temp_of.assign(nodes.size(), -1);
  std::vector<std::set<int>> avail(nodes.size());  // regions that must finish before the node's value exists
  std::vector<std::set<int>> rdeps;                 // regions a region waits for
  std::vector<Shape> rshape;
  auto reaches = [&](const std::set<int>& from, int target) {
    std::vector<int> stack(from.begin(), from.end());
    std::set<int> seen;
    while (!stack.empty()) {
      int r = stack.back();
      stack.pop_back();
      if (r == target) return true;
      if (!seen.insert(r).second) continue;
      for (int d : rdeps[static_cast<std::size_t>(r)]) stack.push_back(d);
    }
    return false;
  };
  auto is_member_of = [&](int id, int r) { return node(id).region == r && node(id).member; };
  auto can_join = [&](const CNode& c, int r) {
    for (const Operand& o : c.ops)
      if (!is_member_of(o.id, r) && reaches(avail[static_cast<std::size_t>(o.id)], r)) return false;
    return true;
  };
  auto join = [&](std::size_t k, int r, bool member) {
    CNode& c = nodes[k];
    for (const Operand& o : c.ops)
      if (!is_member_of(o.id, r))
        rdeps[static_cast<std::size_t>(r)].insert(avail[static_cast<std::size_t>(o.id)].begin(),
                                                  avail[static_cast<std::size_t>(o.id)].end());
    c.region = r;
    c.member = member;
    regions[static_cast<std::size_t>(r)].nodes.push_back(static_cast<int>(k));
    avail[k] = {r};
  };
  auto open_region = [&](const Shape& s) {
    regions.emplace_back();
    rdeps.emplace_back();
    rshape.push_back(s);
    return static_cast<int>(regions.size()) - 1;
  };
  auto scalar_shaped = [&](int id) { return node(id).n->is_scalar(); };
  // The shape an operand is read as.
  auto read_shape = [&](const Operand& o) {
    const Shape& s = node(o.id).n->shape;
    return o.t ? Shape{s.cols, s.rows} : s;
  };
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    CNode& c = nodes[k];
    if (!c.needed || c.op == Op::Const || c.op == Op::Input) continue;
    const Node* n = c.n;
    // Classify: a member step, a reduction, or neither.
    RStep step;
    step.kind = RStep::Kind::Unary;
    step.id = static_cast<int>(k);
    bool member = false, reduction = false;
    int matrix = -1;
    std::vector<Operand> data;  // the non-scalar operands, read block by block
    const bool whole = !n->is_scalar();
    auto elementwise_operands = [&]() {
      for (const Operand& o : c.ops) {
        if (scalar_shaped(o.id)) continue;
        // A transposed vector has the layout of the vector; a transposed matrix does not.
        if (o.t && !node(o.id).n->shape.is_vector_like()) return false;
        if (read_shape(o) != n->shape) return false;
        data.push_back(o);
      }
      return true;
    };
    switch (n->kind) {
      case Kind::Add:
      case Kind::Sub:
      case Kind::Hadamard:
      case Kind::ElemDiv:
      case Kind::ElemPow:
      case Kind::Div:
        if (whole && elementwise_operands()) {
          member = true;
          step.kind = RStep::Kind::Binary;
          step.bin = n->kind == Kind::Add        ? eval::fn::Bin::Add
                     : n->kind == Kind::Sub      ? eval::fn::Bin::Sub
                     : n->kind == Kind::Hadamard ? eval::fn::Bin::Mul
                     : n->kind == Kind::ElemPow  ? eval::fn::Bin::Pow
                                                 : eval::fn::Bin::Div;
        }
        break;
      case Kind::Neg:
        if (whole && elementwise_operands()) {
          member = true;
          step.kind = RStep::Kind::Scale;
          step.sign = -1;
        }
        break;
      case Kind::Call:
        if (whole && fn_is_elementwise(n->fn) && elementwise_operands()) {
          member = true;
          if (elementwise_unary(n->fn)) {
            step.kind = RStep::Kind::Unary;
            step.fn = n->fn;
          } else {
            step.kind = RStep::Kind::Binary;
            step.bin = eval::fn::bin_of(n->fn);
          }
        } else if ((n->fn == Fn::Sum || n->fn == Fn::Mean) && !scalar_shaped(c.ops[0].id)) {
          reduction = true;
          step.kind = n->fn == Fn::Sum ? RStep::Kind::Sum : RStep::Kind::Mean;
          data.push_back(c.ops[0]);
        }
        break;
      case Kind::Dot:
        if (!scalar_shaped(c.ops[0].id)) {
          reduction = true;
          step.kind = RStep::Kind::Dot;
          data = {c.ops[0], c.ops[1]};
        }
        break;
      case Kind::Mul: {
        const eval::Chain& ch = chains[static_cast<std::size_t>(c.chain)];
        if (ch.gram) break;
        std::vector<Operand> mats;
        for (const Operand& o : ch.factors) {
          if (scalar_shaped(o.id)) step.scalars.push_back(o.id);
          else mats.push_back(o);
        }
        step.sign = ch.sign;
        if (mats.size() == 1 && whole && (!mats[0].t || node(mats[0].id).n->shape.is_vector_like()) &&
            read_shape(mats[0]) == n->shape) {
          member = true;  // k * A
          step.kind = RStep::Kind::Scale;
          data = mats;
        } else if (mats.size() == 2 && !mats[0].t && !mats[1].t && n->shape.is_col() &&
                   node(mats[1].id).n->shape.is_col() && !node(mats[0].id).n->shape.cols.is_one()) {
          member = true;  // k * X * v, by blocks of rows of X
          step.kind = RStep::Kind::Gemv;
          matrix = mats[0].id;
          step.in.push_back({false, mats[1].id});
        } else if (mats.size() == 2 && mats[0].t && !mats[1].t && node(mats[1].id).n->shape.is_col() &&
                   !node(mats[0].id).n->shape.cols.is_one()) {
          reduction = true;  // k * X' * r
          step.kind = RStep::Kind::XtR;
          matrix = mats[0].id;
          data = {mats[1]};
        } else if (mats.size() == 2 && mats[0].t && !mats[1].t && node(mats[0].id).n->shape.is_col() &&
                   !node(mats[1].id).n->shape.cols.is_one() && !node(mats[1].id).n->shape.is_col()) {
          reduction = true;  // k * r' * X = (k * X' * r)'
          step.kind = RStep::Kind::XtR;
          matrix = mats[1].id;
          data = {Operand{mats[0].id, false}};
        } else if (mats.size() == 2 && mats[0].t && !mats[1].t && node(mats[0].id).n->shape.is_col() &&
                   node(mats[1].id).n->shape.is_col()) {
          reduction = true;  // k * r' * s
          step.kind = RStep::Kind::Dot;
          data = {Operand{mats[0].id, false}, mats[1]};
        }
        break;
      }
      case Kind::Num:
      case Kind::Var:
      case Kind::DimSize:
      case Kind::Pow:
      case Kind::Transpose:
      case Kind::Index:
      case Kind::Literal:
      case Kind::Ones:
      case Kind::Zeros:
      case Kind::Eye:
      case Kind::Unit: break;
    }
    if (reduction) {
      // Joins the region of a blocked operand that is a member (X' * r: r).
      int r = -1;
      for (const Operand& o : data)
        if (node(o.id).member && r < 0) r = node(o.id).region;
      if (r >= 0) {
        const Shape& rs = rshape[static_cast<std::size_t>(r)];
        bool fits = true;
        for (const Operand& o : data) fits = fits && read_shape(o) == rs;
        if (matrix >= 0) fits = fits && rs.is_col() && node(matrix).n->shape.rows == rs.rows;
        if (fits && can_join(c, r)) {
          join(k, r, false);
          regions[static_cast<std::size_t>(r)].rows_only |= matrix >= 0;
          step.matrix = matrix;
          for (const Operand& o : data) step.in.push_back({is_member_of(o.id, r), o.id});
          regions[static_cast<std::size_t>(r)].steps.push_back(std::move(step));
          continue;
        }
      }
    } else if (member) {
      int r = -1;
      for (const Operand& o : data)
        if (node(o.id).member && rshape[static_cast<std::size_t>(node(o.id).region)] == n->shape &&
            can_join(c, node(o.id).region)) {
          r = node(o.id).region;
          break;
        }
      if (r < 0) {
        r = open_region(n->shape);
        MCALC_ASSERT(can_join(c, r), "a new region waits for itself");
      }
      join(k, r, true);
      eval::Region& R = regions[static_cast<std::size_t>(r)];
      if (step.kind == RStep::Kind::Gemv) {
        R.rows_only = true;
        step.matrix = matrix;
      } else if (step.kind == RStep::Kind::Binary || step.kind == RStep::Kind::Unary) {
        // Every operand in order (scalars broadcast).
        for (const Operand& o : c.ops) step.in.push_back({is_member_of(o.id, r), o.id});
      } else {  // Scale
        step.in.push_back({is_member_of(data[0].id, r), data[0].id});
      }
      step.temp = R.temps++;
      temp_of[k] = step.temp;
      R.steps.push_back(std::move(step));
      continue;
    }
    // Computed on its own.
    for (const Operand& o : c.ops) avail[k].insert(avail[static_cast<std::size_t>(o.id)].begin(),
                                                   avail[static_cast<std::size_t>(o.id)].end());
  }
  // A member is written out when something outside its region reads it.
  for (auto& c : nodes)
    if (c.member) c.stored = c.root;
  for (const auto& c : nodes) {
    if (!c.needed) continue;
    for (const Operand& o : c.ops) {
      CNode& m = node(o.id);
      if (m.member && !(c.region == m.region && c.region >= 0)) m.stored = true;
    }
  }

  // 6. The schedule: units in an order that respects every operand, as
  // close to the topological order as possible.
  std::vector<int> unit_of(nodes.size(), -1);
  std::vector<std::size_t> first;  // topological index of a unit's first node
  for (std::size_t r = 0; r < regions.size(); ++r) {
    units.push_back({true, static_cast<int>(r)});
    first.push_back(static_cast<std::size_t>(regions[r].nodes.front()));
    for (int id : regions[r].nodes) unit_of[static_cast<std::size_t>(id)] = static_cast<int>(r);
  }
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const CNode& c = nodes[k];
    if (!c.needed || c.op == Op::Const || c.region >= 0) continue;
    unit_of[k] = static_cast<int>(units.size());
    units.push_back({false, static_cast<int>(k)});
    first.push_back(k);
  }
  std::vector<std::set<int>> waits(units.size());
  std::vector<std::vector<int>> wakes(units.size());
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const int u = unit_of[k];
    if (u < 0) continue;
    for (const Operand& o : nodes[k].ops) {
      const int v = unit_of[static_cast<std::size_t>(o.id)];
      if (v >= 0 && v != u && waits[static_cast<std::size_t>(u)].insert(v).second)
        wakes[static_cast<std::size_t>(v)].push_back(u);
    }
  }
  std::priority_queue<std::pair<std::size_t, int>, std::vector<std::pair<std::size_t, int>>, std::greater<>> ready;
  std::vector<std::size_t> pending(units.size());
  for (std::size_t u = 0; u < units.size(); ++u) {
    pending[u] = waits[u].size();
    if (pending[u] == 0) ready.push({first[u], static_cast<int>(u)});
  }
  std::vector<eval::Unit> order;
  while (!ready.empty()) {
    const int u = ready.top().second;
    ready.pop();
    order.push_back(units[static_cast<std::size_t>(u)]);
    for (int w : wakes[static_cast<std::size_t>(u)])
      if (--pending[static_cast<std::size_t>(w)] == 0) ready.push({first[static_cast<std::size_t>(w)], w});
  }
  MCALC_ASSERT(order.size() == units.size(), "the plan's units wait for each other in a cycle");
  units = std::move(order);
}

}  // namespace mcalc
