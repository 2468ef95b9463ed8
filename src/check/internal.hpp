#pragma once
// Internals of the answer checker: the comparison of two expressions of one
// shape (exact expansion, then high-precision random points) and the rewrites
// the diagnoses use.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mcalc/check.hpp"
#include "mcalc/expand.hpp"
#include "mcalc/topo.hpp"

namespace mcalc::check::detail {

/// The names and dimensions of a question with its answer.
struct Problem {
  std::vector<Expr> inputs;       // input variables of f, wrt and the answer, in first-use order
  std::vector<std::string> dims;  // their symbolic dimensions
  bool uses_dim_size = false;     // a dimension is used as a number (n, mean): more sizes are tried
  unsigned seed = 1;
};
Problem problem_of(const std::vector<Expr>& roots, unsigned seed);

/// The nodes of `topo` (ir::topo_order(roots)) as shared expressions, in its order.
std::vector<Expr> exprs_in_order(const std::vector<Expr>& roots, const ir::Topo& topo);

enum class Same { Equal, Different, Undecided };

struct Comparison {
  Same same = Same::Undecided;
  std::string decided_by;
  std::optional<Counterexample> counterexample;  // for Different
};

/// Variants of the comparison the diagnoses need.
struct Variant {
  bool symmetric = false;        // every square matrix input symmetric (A_ji := A_ij)
  std::optional<long> all_dims;  // every dimension this size (1: the scalar case)
};

/// Whether `answer` equals `expected` (same shape) for every value of the
/// inputs: exact expansion with generic symbolic entries at several sizes,
/// and where GiNaC cannot decide an entry, random points at 100 digits on both
/// sides of every kink. Different comes with a counterexample.
Comparison compare(const Expr& answer, const Expr& expected, const Problem& p, const Variant& v = {});

/// `root` with every node `pick` selects replaced by what it returns
/// (bottom-up, through ir::topo_order; definitions of intermediate variables
/// included).
Expr replace(const Expr& root, const std::function<Expr(const Node&, const std::vector<Expr>& args)>& pick);

/// A proved diagnosis of an answer of the expected shape that is not equal to
/// it (or ""): sign, constant factor, symmetric matrices only, a missing step
/// factor, a missing chain-rule factor, eye for ones, right only at n = 1.
std::string diagnose_same_shape(const Expr& answer, const Expr& expected, const Expr& f, const Expr& wrt,
                                QueryOp op, Layout layout, const Problem& p);
/// A proved diagnosis of an answer of another shape (diag(x) for x', ...), or "".
std::string diagnose_shape(const Expr& answer, const Expr& expected, const Problem& p);

}  // namespace mcalc::check::detail
