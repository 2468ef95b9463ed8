#pragma once
// --expand: a derivative written out entry by entry at concrete sizes, as the
// lecture's matrices of ∂fᵢ/∂xⱼ, with the cross-check of the closed form
// against GiNaC's own entry-wise derivative (include/mcalc/expand.hpp).
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "mcalc/diff.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::driver {

struct ExpandedOutput {
  std::string text;             // header line, one line per row, the check line
  std::string latex;            // "% expanded at n = 3" and "= \begin{bmatrix} ... \end{bmatrix}"
  nlohmann::ordered_json json;  // keys to add to the result object: expanded, expanded_sizes, ...
  bool passed = true;           // the closed form's expansion equals GiNaC's derivative
};

/// The expansion of `result` (the closed form of op(f, wrt)) at the sizes the
/// input fixes: literal dimensions, and symbolic ones sized by `values`
/// (--at or declared values). A symbolic dimension without a size is a
/// located UserError (Msg::ExpandNeedsSize) asking for concrete sizes.
ExpandedOutput expand_output(QueryOp op, const Expr& f, const Expr& wrt, Layout layout,
                             const Expr& result, const std::optional<Bindings>& values);

}  // namespace mcalc::driver
