#pragma once
// --expand: a derivative written out entry by entry at concrete sizes, as the
// lecture's matrices of ∂fᵢ/∂xⱼ, with the cross-check of the closed form
// against GiNaC's own entry-wise derivative (include/mcalc/expand.hpp).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mcalc/diff.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/expand.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::driver {

/// The expansion of a closed form, as data for the renderers.
struct Expansion {
  std::vector<std::pair<std::string, long>> sizes;  // the symbolic dimensions of f and wrt, in name order
  std::string pattern;  // what entry (i, j) is: "row i, column j: ∂fᵢ/∂xⱼ"
  GiNaC::matrix closed;  // the closed form's entries
  CrossCheck check;      // against GiNaC's entry-wise derivative
  bool passed = true;    // the closed form's expansion equals GiNaC's derivative
  /// " at n = 3, m = 2" (empty when every size is literal).
  std::string at() const;
};

/// The expansion of `result` (the closed form of op(f, wrt)) at the sizes the
/// input fixes: literal dimensions, and symbolic ones sized by `values`
/// (--at or declared values). A symbolic dimension without a size is a
/// located UserError (Msg::ExpandNeedsSize) asking for concrete sizes.
Expansion expand_output(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& result,
                        const std::optional<Bindings>& values);

}  // namespace mcalc::driver
