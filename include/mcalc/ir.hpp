#pragma once
/// \file
/// The IR: immutable, shared, shape-annotated expression nodes (a DAG).
/// Nodes are built only through the smart constructors in mcalc::ir, which
/// compute the shape once and assert the invariants (an InternalError when
/// violated: sema has already given the user a located error).
///
/// Every pass that must cover all nodes is a `switch (e->kind)` with no
/// default; the build uses -Werror=switch, so a new Kind fails to compile
/// until every strict pass handles it.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mcalc/errors.hpp"
#include "mcalc/shape.hpp"

namespace mcalc {

enum class Kind {
  Num,        // numeric literal (num)
  Var,        // named input; with args[0] when it is an intermediate variable (z = ...)
  DimSize,    // a dimension name used as a scalar, e.g. N in sum(x)/N (dim)
  Add,        // a + b   (scalar broadcasting)
  Sub,        // a - b   (scalar broadcasting)
  Neg,        // -a
  Mul,        // a * b   matrix product, or scaling when either side is a scalar
  Div,        // a / b   b scalar
  Hadamard,   // a .* b  (scalar broadcasting)
  ElemDiv,    // a ./ b  (scalar broadcasting)
  Dot,        // a · b, dot(a, b): inner product of two vectors of equal length
  Pow,        // a ^ b   scalar power, or integer power of a square matrix
  ElemPow,    // a .^ b  (scalar broadcasting)
  Transpose,  // a'
  Index,      // a[i] or A[i, j], 1-based (i, j)
  Call,       // fn(args...)
  Literal,    // [a, b; c, d] of scalar entries, row-major in args (lit_rows x lit_cols)
  Ones,       // ones of the node's shape
  Zeros,      // zeros of the node's shape
  Eye,        // identity of the node's (square) shape
  Unit,       // unit column vector e_i of length shape.rows (i)
};

/// Functions of the language (after aliases are resolved), one per line of
/// mcalc/functions.def in its order.
enum class Fn {
  None,
#define MCALC_FN_ELEMENTWISE(Id, ...) Id,
#define MCALC_FN_ELEMENTWISE2(Id, ...) Id,
#define MCALC_FN_MATRIX(Id, ...) Id,
#include "mcalc/functions.def"
};

/// How a function is typed and shaped.
enum class FnFamily {
  Elementwise,   // f(A), same shape
  MaxMin,        // max(A, B), min(A, B): scalar broadcasting
  LeakyRelu,     // leaky_relu(A, alpha), alpha a scalar
  Reduction,     // any shape -> scalar
  Logsumexp,     // vector (column or row) -> scalar
  Softmax,       // column vector -> column vector
  SquareScalar,  // square matrix -> scalar
  Inv,           // square matrix -> square matrix
  DiagOf,        // vector -> diagonal matrix
  DiagVec,       // square matrix -> vector of its diagonal
  Vec,           // m x n matrix -> column of length m*n (its columns stacked)
  Kron,          // kron(A, B): (m x n, p x q) -> mp x nq
  Commutation,   // commutation(m, n): sizes -> the mn x mn commutation matrix
};

/// Properties of a function that stages other than its own rules ask about.
namespace fnflag {
constexpr unsigned Activation = 1;  // a layer's nonlinearity (train)
constexpr unsigned Kink = 2;        // not differentiable where its argument is 0
constexpr unsigned Flat = 4;        // derivative 0 almost everywhere
constexpr unsigned Cubic = 8;       // factorises an n x n matrix: n^3 work (det, logdet, inv, adj)
}  // namespace fnflag

/// A function's entry in mcalc/functions.def.
struct FnSpec {
  const char* name;   // canonical spelling
  FnFamily family;
  unsigned flags;     // fnflag bits
  const char* latex;  // operator name, or a template with # for the argument
};

const FnSpec& fn_spec(Fn f);
/// The language's name of a function (the canonical spelling the printer uses).
const char* fn_name(Fn f);
bool fn_is_elementwise(Fn f);  // unary or binary elementwise (incl. max, min, leaky_relu)
inline bool fn_has(Fn f, unsigned flag) { return (fn_spec(f).flags & flag) != 0; }

/// The queries of the language: diff(f, x), grad(f, x), hessian(f, x).
enum class QueryOp { Diff, Grad, Hessian };
const char* query_name(QueryOp op);  // "diff", "grad", "hessian"

struct Node;
using Expr = std::shared_ptr<const Node>;

struct Node {
  Kind kind;
  Shape shape;
  Fn fn = Fn::None;         // Call
  double num = 0;           // Num
  std::string name;         // Var
  Dim dim;                  // DimSize
  long i = 0, j = 0;        // Index (1-based; j = 0 for a vector), Unit (i)
  long lit_rows = 0, lit_cols = 0;  // Literal
  std::vector<Expr> args;
  Loc loc;                  // where it came from in the source, when it did
  std::size_t size = 1;     // tree size (a variable counts 1, shared operands each time), saturating at 2^40;
                            // set by the smart constructors
  bool has_var = false;     // a variable occurs in it (set by the smart constructors)

  Node() = default;
  Node(const Node&) = default;
  Node(Node&&) = default;
  Node& operator=(const Node&) = default;
  Node& operator=(Node&&) = default;
  /// Iterative: releasing a deep chain does not recurse once per link.
  ~Node();

  bool is_scalar() const { return shape.is_scalar(); }
  bool is_num(double v) const { return kind == Kind::Num && num == v; }
};

namespace ir {
Expr num(double v);
/// An input variable, or an intermediate variable when `def` is given.
Expr var(std::string name, Shape shape, Expr def = nullptr);
Expr dim_size(Dim d);
Expr add(Expr a, Expr b);
Expr sub(Expr a, Expr b);
Expr neg(Expr a);
Expr mul(Expr a, Expr b);
Expr div(Expr a, Expr b);
Expr hadamard(Expr a, Expr b);
Expr elem_div(Expr a, Expr b);
Expr dot(Expr a, Expr b);
Expr pow(Expr a, Expr b);
Expr elem_pow(Expr a, Expr b);
Expr transpose(Expr a);
Expr index(Expr a, long i, long j = 0);
Expr call(Fn f, std::vector<Expr> args);
/// The size an operand of commutation(m, n) stands for: a positive integer Num or a DimSize.
Dim size_operand(const Expr& e);
/// commutation(m, n): K with K vec(A) = vec(A') for an m x n matrix A.
Expr commutation(const Dim& m, const Dim& n);
Expr literal(long rows, long cols, std::vector<Expr> entries);
Expr ones(Shape s);
Expr zeros(Shape s);
Expr eye(Dim n);
Expr unit(long i, Dim n);
/// A copy of `e` with new operands of the same shapes as the old ones.
Expr rebuild(const Expr& e, std::vector<Expr> args);

/// `e` with every operand `a` replaced by `f(a)` and rebuilt by `make`
/// (ir::rebuild by default, or a simplifying rebuild); `e` itself, shared, when
/// `f` changes no operand. The one step of every bottom-up DAG rewrite.
template <class F, class Make>
Expr map_args(const Expr& e, F&& f, Make&& make) {
  std::vector<Expr> args;
  args.reserve(e->args.size());
  bool same = true;
  for (const auto& a : e->args) {
    args.push_back(f(a));
    same = same && args.back() == a;
  }
  return same ? e : make(e, std::move(args));
}
template <class F>
Expr map_args(const Expr& e, F&& f) {
  return map_args(e, std::forward<F>(f), [](const Expr& x, std::vector<Expr> a) { return rebuild(x, std::move(a)); });
}
/// A copy of `e` carrying the source location `loc`.
Expr located(Expr e, Loc loc);

/// Structural equality (ignores locations; variables compare by name and definition).
bool equal(const Expr& a, const Expr& b);
/// The shape every operand must agree on under scalar broadcasting, if any.
bool broadcast_compatible(const Shape& a, const Shape& b);
}  // namespace ir

}  // namespace mcalc
