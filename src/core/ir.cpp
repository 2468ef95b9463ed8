// Smart constructors of the IR: each computes the node's shape once and
// asserts the invariants sema has already checked for the user.
#include "mcalc/ir.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>
#include <utility>

namespace mcalc {

namespace {
constexpr FnSpec kNone{"<none>", FnFamily::Elementwise, 0, ""};
constexpr FnSpec kSpecs[] = {
#define MCALC_FN_ELEMENTWISE(Id, name, flags, latex, ...) {name, FnFamily::Elementwise, flags, latex},
#define MCALC_FN_ELEMENTWISE2(Id, name, family, flags, rule, latex, ...) {name, FnFamily::family, flags, latex},
#define MCALC_FN_MATRIX(Id, name, family, flags, rule, latex) {name, FnFamily::family, flags, latex},
#include "mcalc/functions.def"
};
}  // namespace

const FnSpec& fn_spec(Fn f) {
  if (f == Fn::None) return kNone;
  auto k = static_cast<std::size_t>(f) - 1;
  MCALC_ASSERT(k < std::size(kSpecs), "not a function");
  return kSpecs[k];
}

const char* fn_name(Fn f) { return fn_spec(f).name; }

const char* query_name(QueryOp op) {
  switch (op) {
    case QueryOp::Diff: return "diff";
    case QueryOp::Grad: return "grad";
    case QueryOp::Hessian: return "hessian";
  }
  MCALC_UNREACHABLE("unknown query");
}

bool fn_is_elementwise(Fn f) {
  if (f == Fn::None) return false;
  switch (fn_spec(f).family) {
    case FnFamily::Elementwise: case FnFamily::MaxMin: case FnFamily::LeakyRelu:
      return true;
    case FnFamily::Reduction: case FnFamily::Logsumexp: case FnFamily::Softmax: case FnFamily::SquareScalar:
    case FnFamily::Inv: case FnFamily::DiagOf: case FnFamily::DiagVec: case FnFamily::Vec: case FnFamily::Kron:
    case FnFamily::Commutation:
      return false;
  }
  return false;
}

Node::~Node() {
  // Operands held only by this node are released from an explicit stack
  // instead of by recursive destructor calls.
  std::vector<Expr> pending;
  auto take = [&pending](std::vector<Expr>& from) {
    for (auto& a : from)
      if (a.use_count() == 1) pending.push_back(std::move(a));
    from.clear();
  };
  take(args);
  while (!pending.empty()) {
    Expr last = std::move(pending.back());
    pending.pop_back();
    if (last.use_count() == 1) take(const_cast<Node&>(*last).args);  // created non-const by share()
  }
}

namespace ir {
namespace {

Node make(Kind k, Shape s, std::vector<Expr> args = {}) {
  Node n;
  n.kind = k;
  n.shape = s;
  n.args = std::move(args);
  for (const auto& a : n.args) MCALC_ASSERT(a != nullptr, "null operand");
  return n;
}

// Nodes are created non-const and handed out as shared_ptr<const Node>, so that
// ~Node may move the operands out of a node it is about to release.
Expr share(Node n) {
  // The tree size, once per node: the simplifier compares sizes of candidate
  // forms all the time, and a walk per comparison is quadratic in a long chain.
  constexpr std::size_t cap = std::size_t(1) << 40;
  n.size = 1;  // a variable counts 1 (it prints by name)
  n.has_var = n.kind == Kind::Var;
  for (const auto& a : n.args) {
    n.has_var = n.has_var || a->has_var;
    if (n.kind != Kind::Var) n.size = std::min(cap, n.size + a->size);
  }
  return std::make_shared<Node>(std::move(n));
}

std::string shapes(const Expr& a, const Expr& b) { return a->shape.str() + " and " + b->shape.str(); }

Shape broadcast(const Expr& a, const Expr& b, const char* what) {
  MCALC_ASSERT(broadcast_compatible(a->shape, b->shape), std::string(what) + " of " + shapes(a, b));
  return a->is_scalar() ? b->shape : a->shape;
}

Expr binary_bc(Kind k, Expr a, Expr b, const char* what) {
  Shape s = broadcast(a, b, what);
  return share(make(k, s, {std::move(a), std::move(b)}));
}
}  // namespace

bool broadcast_compatible(const Shape& a, const Shape& b) { return a.is_scalar() || b.is_scalar() || a == b; }

Expr num(double v) {
  MCALC_ASSERT(std::isfinite(v), "non-finite literal");
  Node n = make(Kind::Num, Shape::scalar());
  n.num = v;
  return share(std::move(n));
}

Expr var(std::string name, Shape shape, Expr def) {
  MCALC_ASSERT(!name.empty(), "unnamed variable");
  if (def) MCALC_ASSERT(def->shape == shape, "definition of " + name + " has shape " + def->shape.str());
  Node n = make(Kind::Var, shape);
  n.name = std::move(name);
  if (def) n.args.push_back(std::move(def));
  return share(std::move(n));
}

Expr dim_size(Dim d) {
  Node n = make(Kind::DimSize, Shape::scalar());
  n.dim = std::move(d);
  return share(std::move(n));
}

Expr add(Expr a, Expr b) { return binary_bc(Kind::Add, std::move(a), std::move(b), "add"); }
Expr sub(Expr a, Expr b) { return binary_bc(Kind::Sub, std::move(a), std::move(b), "subtract"); }
Expr hadamard(Expr a, Expr b) { return binary_bc(Kind::Hadamard, std::move(a), std::move(b), "hadamard"); }
Expr elem_div(Expr a, Expr b) { return binary_bc(Kind::ElemDiv, std::move(a), std::move(b), "elem_div"); }
Expr elem_pow(Expr a, Expr b) { return binary_bc(Kind::ElemPow, std::move(a), std::move(b), "elem_pow"); }

Expr neg(Expr a) {
  Shape s = a->shape;
  return share(make(Kind::Neg, s, {std::move(a)}));
}

Expr mul(Expr a, Expr b) {
  Shape s;
  if (a->is_scalar()) s = b->shape;
  else if (b->is_scalar()) s = a->shape;
  else {
    MCALC_ASSERT(a->shape.cols == b->shape.rows, "matrix product of " + shapes(a, b));
    s = Shape{a->shape.rows, b->shape.cols};
  }
  return share(make(Kind::Mul, s, {std::move(a), std::move(b)}));
}

Expr div(Expr a, Expr b) {
  MCALC_ASSERT(b->is_scalar(), "division by " + b->shape.str());
  Shape s = a->shape;
  return share(make(Kind::Div, s, {std::move(a), std::move(b)}));
}

Expr dot(Expr a, Expr b) {
  MCALC_ASSERT(a->shape.cols.is_one() && b->shape.cols.is_one() && a->shape.rows == b->shape.rows,
               "dot of " + shapes(a, b));
  return share(make(Kind::Dot, Shape::scalar(), {std::move(a), std::move(b)}));
}

Expr pow(Expr a, Expr b) {
  MCALC_ASSERT(b->is_scalar(), "power with exponent " + b->shape.str());
  if (!a->is_scalar()) {
    MCALC_ASSERT(a->shape.is_square() && b->kind == Kind::Num && b->num == std::floor(b->num),
                 "matrix power needs a square matrix and an integer exponent");
  }
  Shape s = a->shape;
  return share(make(Kind::Pow, s, {std::move(a), std::move(b)}));
}

Expr transpose(Expr a) {
  Shape s = a->shape.transposed();
  return share(make(Kind::Transpose, s, {std::move(a)}));
}

Expr index(Expr a, long i, long j) {
  const Shape& s = a->shape;
  MCALC_ASSERT(i >= 1 && j >= 0, "index below 1");
  if (j == 0) {
    MCALC_ASSERT(s.is_vector_like(), "single index into " + s.str());
    Dim len = s.cols.is_one() ? s.rows : s.cols;
    MCALC_ASSERT(!len.is_const() || i <= len.value(), "index out of range");
  } else {
    MCALC_ASSERT(!s.rows.is_const() || i <= s.rows.value(), "row index out of range");
    MCALC_ASSERT(!s.cols.is_const() || j <= s.cols.value(), "column index out of range");
  }
  Node n = make(Kind::Index, Shape::scalar(), {std::move(a)});
  n.i = i;
  n.j = j;
  return share(std::move(n));
}

Dim size_operand(const Expr& e) {
  // commutation(m, n): a size is a positive integer or a symbolic dimension.
  if (e->kind == Kind::DimSize) return e->dim;
  MCALC_ASSERT(e->kind == Kind::Num && e->num >= 1 && e->num == std::floor(e->num), "a size operand " + std::to_string(e->num));
  return Dim::lit(static_cast<long>(e->num));
}

Expr commutation(const Dim& m, const Dim& n) {
  auto size = [](const Dim& d) { return d.is_const() ? num(static_cast<double>(d.value())) : dim_size(d); };
  return call(Fn::Commutation, {size(m), size(n)});
}

Expr call(Fn f, std::vector<Expr> args) {
  MCALC_ASSERT(f != Fn::None && !args.empty(), "bad call");
  const Shape s0 = args[0]->shape;
  Shape s = s0;
  auto arity = [&](std::size_t n) { MCALC_ASSERT(args.size() == n, std::string("arity of ") + fn_name(f)); };
  const char* name = fn_name(f);
  switch (fn_spec(f).family) {
    case FnFamily::Elementwise:
      arity(1);
      break;
    case FnFamily::LeakyRelu:
      arity(2);
      MCALC_ASSERT(args[1]->is_scalar(), "leaky_relu slope must be a scalar");
      break;
    case FnFamily::MaxMin:
      arity(2);
      s = broadcast(args[0], args[1], name);
      break;
    case FnFamily::Reduction:
      arity(1);
      s = Shape::scalar();
      break;
    case FnFamily::Logsumexp:
      arity(1);
      MCALC_ASSERT(s0.is_vector_like(), std::string(name) + " of " + s0.str());
      s = Shape::scalar();
      break;
    case FnFamily::Softmax:
      arity(1);
      MCALC_ASSERT(s0.cols.is_one(), std::string(name) + " of " + s0.str());
      break;
    case FnFamily::SquareScalar:
      arity(1);
      MCALC_ASSERT(s0.is_square(), std::string(name) + " of " + s0.str());
      s = Shape::scalar();
      break;
    case FnFamily::Inv:
      arity(1);
      MCALC_ASSERT(s0.is_square(), std::string(name) + " of " + s0.str());
      break;
    case FnFamily::DiagOf:
      arity(1);
      MCALC_ASSERT(s0.cols.is_one(), std::string(name) + " of " + s0.str());
      s = Shape{s0.rows, s0.rows};
      break;
    case FnFamily::DiagVec:
      arity(1);
      MCALC_ASSERT(s0.is_square(), std::string(name) + " of " + s0.str());
      s = Shape::vector(s0.rows);
      break;
    case FnFamily::Vec:
      arity(1);
      s = Shape::vector(s0.rows * s0.cols);
      break;
    case FnFamily::Kron:
      arity(2);
      s = Shape{s0.rows * args[1]->shape.rows, s0.cols * args[1]->shape.cols};
      break;
    case FnFamily::Commutation: {
      arity(2);
      Dim mn = size_operand(args[0]) * size_operand(args[1]);
      s = Shape{mn, mn};
      break;
    }
  }
  Node n = make(Kind::Call, s, std::move(args));
  n.fn = f;
  return share(std::move(n));
}

Expr literal(long rows, long cols, std::vector<Expr> entries) {
  MCALC_ASSERT(rows >= 1 && cols >= 1 && entries.size() == static_cast<std::size_t>(rows * cols),
               "literal size");
  for (const auto& e : entries) MCALC_ASSERT(e && e->is_scalar(), "literal entries must be scalars");
  Node n = make(Kind::Literal, Shape{Dim::lit(rows), Dim::lit(cols)}, std::move(entries));
  n.lit_rows = rows;
  n.lit_cols = cols;
  return share(std::move(n));
}

Expr ones(Shape s) { return share(make(Kind::Ones, s)); }
Expr zeros(Shape s) { return share(make(Kind::Zeros, s)); }
Expr eye(Dim n) { return share(make(Kind::Eye, Shape{n, n})); }

Expr unit(long i, Dim n) {
  MCALC_ASSERT(i >= 1 && (!n.is_const() || i <= n.value()), "unit index out of range");
  Node node = make(Kind::Unit, Shape::vector(n));
  node.i = i;
  return share(std::move(node));
}

Expr rebuild(const Expr& e, std::vector<Expr> args) {
  MCALC_ASSERT(args.size() == e->args.size(), "rebuild with a different number of operands");
  for (std::size_t k = 0; k < args.size(); ++k)
    MCALC_ASSERT(args[k] && args[k]->shape == e->args[k]->shape, "rebuild with an operand of another shape");
  Node n = *e;
  n.args = std::move(args);
  return share(std::move(n));
}

Expr located(Expr e, Loc loc) {
  Node n = *e;
  n.loc = std::move(loc);
  return share(std::move(n));
}

namespace {
/// The fields of two nodes apart from their operands (the tree sizes first:
/// nodes of different sizes differ, which settles most comparisons at once).
bool same_head(const Node* x, const Node* y) {
  return x->size == y->size && x->kind == y->kind && x->shape == y->shape && x->fn == y->fn && x->num == y->num &&
         x->name == y->name && x->dim == y->dim && x->i == y->i && x->j == y->j && x->lit_rows == y->lit_rows &&
         x->lit_cols == y->lit_cols && x->args.size() == y->args.size();
}

/// Structural equality memoised on node pairs, so that comparing two large
/// DAGs stays linear.
struct Equal {
  std::set<std::pair<const Node*, const Node*>> known;
  bool operator()(const Node* x, const Node* y) {
    if (x == y) return true;
    if (!x || !y || !same_head(x, y)) return false;
    if (x->args.empty() || known.count({x, y})) return true;
    for (std::size_t k = 0; k < x->args.size(); ++k)
      if (!(*this)(x->args[k].get(), y->args[k].get())) return false;
    known.insert({x, y});
    return true;
  }
};
}  // namespace

bool equal(const Expr& a, const Expr& b) {
  if (a == b) return true;
  if (!a || !b || !same_head(a.get(), b.get())) return false;
  return Equal{}(a.get(), b.get());
}

}  // namespace ir
}  // namespace mcalc
