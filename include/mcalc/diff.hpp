#pragma once
/// \file
/// Symbolic differentiation of typed IR expressions in closed matrix form.
///
/// Layouts (see docs/rules.md):
///  - Numerator layout (default, as the lecture and Parr & Howard): the
///    Jacobian of f with respect to x has one row per entry of f and one column
///    per entry of x. A scalar differentiated by a vector is a row
///    (d(w'x)/dw = x'); a scalar differentiated by a matrix X has the shape of X'.
///  - Denominator layout: every one of these transposed.
/// gradient() always has the shape of wrt; hessian() is n x n.
///
/// Method (docs/architecture.md): every derivative rule is the differential of
/// one node kind or function, said once in the rule table (rule_table()). The
/// modes interpret it: forward (derivative by a scalar: the differential with
/// dz = 1), Jacobian (the differential in a symbolic dx, then the Jacobian read
/// off by identification, d f = J dx), reverse (the differential transposed:
/// adjoints, for gradients), Hessian (the Jacobian of the gradient).
///
/// A derivative that would be a tensor of order three or more (a matrix f, or
/// any f by a matrix X, and the Hessian by a matrix) is the matrix
/// d vec(f)/d vec(X)ᵀ of matrix differential calculus (Magnus & Neudecker),
/// column-major vec, in numerator layout (its transpose in denominator layout):
/// diff(W*x, W) = kron(x', eye(m)), diff(A*X*B, X) = kron(B', A),
/// diff(X', X) = commutation(m, n).
///
/// Errors (UserError, located at the offending node): Msg::NotDifferentiable for
/// a construct without a rule, Msg::WrtNotVariable when wrt is not a variable,
/// Msg::NotScalar when grad/hessian is asked of a non-scalar.
#include <cstddef>
#include <vector>

#include "mcalc/ir.hpp"

namespace mcalc {

enum class Layout { Numerator, Denominator };

// ---- the rule table -------------------------------------------------------

/// One derivative rule per node kind or function (the differential of the node
/// in the differentials of its operands). Ids are stable; `rule_table()` lists
/// them in this order.
enum class RuleId : unsigned char {
  Variable,       // dx for the variable differentiated by (the seed)
  Definition,     // an intermediate variable z = def: dz = d(def)
  Sum,            // A + B
  Difference,     // A - B
  Negation,       // -A
  ScalarMultiple, // s A, A s (either side a scalar)
  MatrixProduct,  // A B
  Quotient,       // A / s
  Hadamard,       // A .* B
  ElemQuotient,   // A ./ B
  ElemPower,      // A .^ B
  ScalarPower,    // a ^ b (scalars)
  MatrixPower,    // A ^ k (square A, integer k)
  InnerProduct,   // a · b
  Transpose,      // A'
  Indexing,       // a[i], A[i, j]
  Literal,        // [a, b; c, d]
  Elementwise,    // f(A) for an elementwise function f (derivative from GiNaC)
  PiecewiseMax,   // max(A, B)
  PiecewiseMin,   // min(A, B)
  SumReduction,   // sum(A)
  Mean,           // mean(A)
  Norm2,          // norm2(A)
  Norm1,          // norm1(A)
  Logsumexp,      // logsumexp(u)
  Softmax,        // softmax(u)
  Trace,          // tr(A)
  Determinant,    // det(A)
  Logdet,         // logdet(A)
  Inverse,        // inv(A)
  Adjugate,       // adj(A)
  DiagMatrix,     // diag(v): the diagonal matrix of a vector
  DiagVector,     // diag(A): the diagonal of a square matrix
  Vectorization,  // vec(A): the columns of A stacked
  Kronecker,      // kron(A, B)
  Constant,       // a node that does not depend on the variable: d = 0
};

/// A row of the rule table.
struct RuleInfo {
  RuleId id;
  const char* key;    // stable identifier, e.g. "matrix-product"
  const char* name;   // short name, e.g. "matrix product"
  const char* text;   // the differential in text, e.g. "d(A*B) = dA*B + A*dB"
  const char* latex;  // the same in LaTeX
};

/// All rules, indexed by RuleId.
const std::vector<RuleInfo>& rule_table();
const RuleInfo& rule_info(RuleId id);
/// The rule that differentiates node `n` (by its kind and function).
RuleId rule_of(const Node& n);

// ---- the trace ------------------------------------------------------------

/// A record of what the differentiator did, for derivations (`mcalc derive`).
/// Pass a Trace* to derivative/gradient/hessian; with nullptr (the default)
/// nothing is recorded and nothing is spent. Results are the same either way.
///
/// Nodes are the IR nodes of f (shared pointers, so a derivation can name
/// them, print them and evaluate them); every expression recorded is as built,
/// before the final simplification.
struct Trace {
  enum class Mode {
    Reverse,   // adjoints of a scalar f: values are df/dnode with the shape of node
    Forward,   // derivative by a scalar z: values are dnode/dz with the shape of node
    Jacobian,  // by a vector x: values are differentials dnode, linear in dx (`dwrt`)
  };

  /// One application of a rule: the local partial of `node` by its operand
  /// number `operand` (node->args[operand]).
  struct Partial {
    Expr node;
    std::size_t operand = 0;
    RuleId rule = RuleId::Constant;
    /// The differential of node with only this operand varying, as an
    /// expression in `d_operand` (a variable named "∂<k>" with the operand's
    /// shape), e.g. ∂0 .* x for u = w .* x and operand 0, w (Hadamard product).
    Expr differential;
    Expr d_operand;
    /// The local Jacobian ∂node/∂operand in numerator layout (one row per entry
    /// of node, one column per entry of the operand) when both are scalars or
    /// vectors, e.g. diag(x); nullptr when one of them is a matrix.
    Expr jacobian;
  };

  /// How the partials were combined.
  struct Step {
    enum class Kind {
      Seed,   // the start: df/df = 1 (Reverse), dz/dz = 1 (Forward), dx (Jacobian)
      Chain,  // chain-rule product: `value` = the partial `partial` applied to `terms[0]`
              //   Reverse: terms[0] = adjoint of `node`, value = contribution to the adjoint of node->args[k]
              //   Forward/Jacobian: terms[0] = derivative of the operand, value = its contribution to node
      Total,  // sum over paths: `value` = sum of `terms` (the contributions), the derivative of `node`
      Result, // the derivative before simplification (`node` = f)
    };
    Kind kind = Kind::Seed;
    Expr node;
    std::size_t partial = 0;  // Chain: index into `partials`
    std::vector<Expr> terms;
    Expr value;
  };

  Mode mode = Mode::Reverse;
  Expr f, wrt;
  Expr dwrt;  // Jacobian mode: the variable "∂<wrt>" standing for dx
  std::vector<Partial> partials;
  std::vector<Step> steps;
};

// ---- derivatives ----------------------------------------------------------

/// diff(f, x): the derivative of f with respect to the input variable `wrt`
/// (an ir::var node), simplified. Intermediate variables in f are followed
/// through their definitions (law of total derivatives) and kept by name in
/// the result. An intermediate variable may itself be `wrt`: it is then held
/// as an independent variable (the partial derivative by it).
Expr derivative(const Expr& f, const Expr& wrt, Layout layout = Layout::Numerator, Trace* trace = nullptr);

/// grad(f, x): the gradient of the scalar f, with the shape of wrt, simplified.
Expr gradient(const Expr& f, const Expr& wrt, Trace* trace = nullptr);

/// hessian(f, x): the n x n matrix of second derivatives of the scalar f with
/// respect to the vector (or scalar) wrt, simplified. The trace records the
/// second pass (the Jacobian of the gradient).
Expr hessian(const Expr& f, const Expr& wrt, Trace* trace = nullptr);

/// The derivative a query asks for: diff, grad or hessian of f by wrt.
Expr differentiate(QueryOp op, const Expr& f, const Expr& wrt, Layout layout = Layout::Numerator);

/// True when op(f, wrt) is in the vec/Kronecker convention, d vec(f)/d vec(wrt)ᵀ:
/// diff of a matrix f, or of a non-scalar f by a matrix; hessian by a matrix.
bool by_vec(QueryOp op, const Shape& f, const Shape& wrt);

/// The distinct arguments u of the step(u) factors in a derivative, in the DAG's
/// topological order (ir::topo_order): the conditions a derivation shows in cases form
/// (0 where u <= 0, the rest where u > 0).
std::vector<Expr> step_conditions(const Expr& derivative);

}  // namespace mcalc
