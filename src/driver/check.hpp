#pragma once
// --check: compares a closed-form derivative with central finite differences
// of the original expression, at given values or at a random point.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mcalc/diff.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::driver {

struct CheckReport {
  double max_rel_error = 0;  // max over entries of |closed - fd| / (1 + |fd|)
  double tolerance = 0;
  bool passed = false;
  bool trivial = false;      // the finite differences are all zero there (e.g. a dead ReLU)
  std::string where;         // "at the given values" or "at a random point (seed 1; n = 3)"
};

/// Values for every input that `roots` depend on: declared values first, then
/// random ones (symbolic dimensions get random sizes 2..4). Deterministic in `seed`.
Bindings random_point(const Program& prog, const std::vector<Expr>& roots, unsigned seed);

/// Compares `closed` (the result of op(f, wrt) in `layout`) with central differences of f at `point`.
CheckReport check_derivative(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& closed,
                             const Bindings& point);

}  // namespace mcalc::driver
