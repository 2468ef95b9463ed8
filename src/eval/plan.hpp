#pragma once
// The compiled form of an evaluation (mcalc::Plan): canonical nodes in
// topological order, how each one is computed, the fused regions, and the
// schedule. compile.cpp builds it, run.cpp and fused.cpp run it.
#include <map>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "functions.hpp"
#include "mcalc/eval.hpp"
#include "value.hpp"

namespace mcalc::eval {

/// How a canonical node is computed when it is not part of a fused region.
enum class Op {
  Input,    // a variable's value, borrowed from the bindings
  Const,    // a scalar folded at compile time
  Scalar,   // a 1 x 1 node computed as a double into its slot
  Product,  // a product chain (chains[chain])
  Generic,  // the structured evaluation of one node (value.cpp)
};

/// A size of the plan: a literal, or symbolic dimension `dim` (index into
/// dim_names); a product of dimensions (m*n, the length of vec of an m x n
/// matrix) is `lit` times `dim` times the dimensions in `more`.
struct Size {
  long lit = 0;
  int dim = -1;
  std::vector<int> more;
};

/// An operand as an operation reads it: canonical node `id`, transposed when `t`.
struct Operand {
  int id;
  bool t;
};

/// A product sign * op(f1) * op(f2) * ... gathered at compile time: nested
/// products held by this chain alone are flattened, transposes are flags,
/// negations the sign. `gram`: the chain is op(A)'*diag(s)*B with factors
/// {A, s, B} (s the vector; the diag is never built).
struct Chain {
  double sign = 1;
  std::vector<Operand> factors;
  bool gram = false;
  std::size_t diag = 0;  // gram: the index of s in factors
  // Run state: the order for the factor sizes of `key`, decided again only
  // when the sizes change; temporaries of the inner products.
  struct Factor {
    const Value* v;
    bool t;
    long rows, cols;  // of op(v)
  };
  std::vector<Factor> dense;  // the non-scalar factors of the current run
  std::vector<long> key;
  std::vector<std::size_t> split;
  std::vector<Eigen::MatrixXd> tmp;
  Eigen::MatrixXd scratch;  // gram: one scaled block of rows
};

struct CNode {
  const Node* n = nullptr;  // the representative IR node
  Expr expr;                // the same, shared (for messages)
  std::vector<int> args;    // canonical operands, in the node's order
  std::vector<Operand> ops; // what its computation reads (chain factors for a product)
  int uses = 0;             // operand edges into it, plus one per mention as a root
  bool root = false;
  bool needed = false;      // read by some computation (a folded transpose is not)
  Op op = Op::Generic;
  int chain = -1;
  int region = -1;          // member or reduction of regions[region]
  bool member = false;      // a blocked node of its region (else a reduction)
  bool stored = true;       // members: written to the slot (read outside the region)
  int input = -1;           // Op::Input: index into inputs
  Size dim;                 // DimSize: the dimension
  Size rows, cols;
  bool dense = false;       // a dense matrix whatever the values (for the costs checked before running)
};

/// One step of a fused region, run on blocks of entries (rows of a column).
struct RStep {
  enum class Kind {
    Unary,    // fn(in0)
    Binary,   // bin(in0, in1), either may be broadcast
    Scale,    // k * in0
    Gemv,     // k * X_b * v  (leaf X: N x d, v: d x 1)
    Sum,      // reduction: sum of in0 (Mean divides by the count)
    Mean,
    Dot,      // reduction: sum of in0 .* in1
    XtR,      // reduction: k * X' * in0 (X: N x d) accumulated block by block
  };
  /// Where a step reads an operand: a member's block, a leaf's slot (a dense
  /// value with the region's entries, or a 1 x 1 / constant broadcast).
  struct Src {
    bool member;
    int id;  // canonical node
  };
  Kind kind;
  int id;  // the canonical node this step computes
  Fn fn = Fn::None;
  fn::Bin bin = fn::Bin::Add;
  std::vector<Src> in;
  int matrix = -1;          // Gemv, XtR: the leaf X; Gemv: in[0] is v (a leaf)
  std::vector<int> scalars; // Scale, Gemv, XtR: k = sign * product of these
  double sign = 1;
  int temp = -1;            // members: their block within a thread's temporaries
  double k = 1;             // run state: the factor of this run
};

struct Region {
  std::vector<int> nodes;   // members and reductions, in topological order
  std::vector<RStep> steps;
  int temps = 0;
  bool rows_only = false;   // has Gemv/XtR: a column of N rows
  // Run state: block temporaries and accumulators per thread.
  std::vector<double> scratch;
  std::vector<Eigen::VectorXd> acc;  // [thread * reductions + r]
};

/// A unit of the schedule: a node computed on its own, or a fused region.
struct Unit {
  bool region;
  int index;
};

struct Slot {
  Value v;
  Eigen::MatrixXd buf;  // the plan's own storage for dense results, reused across runs
};

/// The thread count of the fused passes, and of the OpenBLAS kernels.
int fused_threads();
/// C = k * A' * diag(s) * B without building diag(s) or a scaled copy of A
/// beyond one block of rows; a scaled symmetric rank-k update (syrk) when A
/// and B are the same matrix. A: N x d, B: N x e, s: N entries.
void gram(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, bool same, const double* s, double k,
          Eigen::MatrixXd& C, Eigen::MatrixXd& scratch);

}  // namespace mcalc::eval

namespace mcalc {

struct Plan::Impl {
  EvalOptions opt;
  std::vector<Expr> exprs;        // the roots (keep the IR alive)
  std::vector<int> root_ids;
  std::vector<eval::CNode> nodes; // canonical, topological order
  std::vector<eval::Chain> chains;
  std::vector<eval::Region> regions;
  std::vector<eval::Unit> units;  // the schedule
  std::vector<std::string> dim_names;
  std::vector<int> inputs;        // canonical ids of the input variables
  std::vector<int> temp_of;       // members: their block temporary (by canonical id)
  std::vector<int> cubic;         // det, logdet, inv of a dense operand: costs checked when sizes are bound
  // Run state.
  const Bindings* b = nullptr;
  const std::map<std::string, long>* known = nullptr;
  std::vector<long> dim_size;
  std::vector<const std::string*> dim_from;
  std::vector<const Eigen::MatrixXd*> bound;  // per input: its binding (null when none)
  std::vector<eval::Slot> slots;
  std::vector<EvalWarning> warnings;

  void compile(const std::vector<Expr>& roots);
  void run(const Bindings& bindings);

  // run.cpp
  long size_of(const eval::Size& s, const Loc& loc) const;
  void bind_inputs();
  void check_costs() const;
  void exec(int id);
  void exec_scalar(int id);
  void exec_product(int id);
  eval::Value generic(int id);
  eval::Value product_structured(int id);
  void set_scalar(int id, double v);
  void set_dense(int id);
  const eval::Value& val(int id) const { return slots[static_cast<std::size_t>(id)].v; }
  double sval(int id) const { return slots[static_cast<std::size_t>(id)].v.scalar_value(); }
  void diagnose();
  // fused.cpp
  void exec_region(int r);
  bool region_fusable(const eval::Region& R, long& entries) const;
};

}  // namespace mcalc
