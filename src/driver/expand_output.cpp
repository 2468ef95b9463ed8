// --expand: the closed-form derivative written out entry by entry at concrete
// sizes, and the check of that expansion against GiNaC's entry-wise derivative
// of the expanded f. The renderers write it out (text rows, JSON, bmatrix).
#include "driver/expand_output.hpp"

#include <set>

#include "mcalc/print.hpp"
#include "mcalc/topo.hpp"

namespace mcalc::driver {
namespace {

/// What entry (i, j) of the printed matrix is, in the lecture's notation.
std::string entry_pattern(QueryOp op, Layout layout, const Expr& f, const Expr& wrt) {
  const std::string I = "ᵢ", J = "ⱼ", x = wrt->name;
  bool fs = f->is_scalar(), xs = wrt->is_scalar();
  if (op == QueryOp::Hessian) return xs ? "∂²f/∂" + x + "²" : "row i, column j: ∂²f/∂" + x + I + "∂" + x + J;
  bool denominator = op == QueryOp::Grad || layout == Layout::Denominator;
  if (fs && !wrt->shape.is_vector_like())
    return "row i, column j: ∂f/∂" + x + (denominator ? I + J : J + I);
  // Numerator layout: rows are the entries of f, columns those of the variable.
  std::string fi = fs ? "f" : "f" + (denominator ? J : I);
  std::string xj = xs ? x : x + (denominator ? I : J);
  std::string rows = denominator ? (xs ? "" : "row i") : (fs ? "" : "row i");
  std::string cols = denominator ? (fs ? "" : "column j") : (xs ? "" : "column j");
  std::string where = rows + (!rows.empty() && !cols.empty() ? ", " : "") + cols;
  return (where.empty() ? "" : where + ": ") + "∂" + fi + "/∂" + xj;
}

/// The symbolic dimensions f and wrt use (through definitions), in name order.
std::set<std::string> dims_of(const std::vector<Expr>& roots) {
  std::set<std::string> out;
  for (const Node* e : ir::topo_order(roots).order) {
    for (const Dim* d : {&e->shape.rows, &e->shape.cols, &e->dim})
      out.insert(d->symbols().begin(), d->symbols().end());
  }
  return out;
}

}  // namespace

std::string Expansion::at() const {
  std::string out;
  for (const auto& [d, n] : sizes) out += (out.empty() ? " at " : ", ") + d + " = " + std::to_string(n);
  return out;
}

Expansion expand_output(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& result,
                        const std::optional<Bindings>& values) {
  Sizes sizes;
  if (values)
    for (const auto& [name, size] : values->dims) sizes[name] = size;
  require_sizes(f, sizes);
  require_sizes(wrt, sizes);

  Expansion out;
  // f first: where f itself cannot be expanded (sum(x)/0), the error points into the user's expression.
  GiNaC::matrix expected = op == QueryOp::Diff   ? expanded_jacobian(f, wrt, sizes, layout)
                           : op == QueryOp::Grad ? expanded_gradient(f, wrt, sizes)
                                                 : expanded_hessian(f, wrt, sizes);
  out.closed = expand(result, sizes);
  out.check = cross_check(out.closed, expected);
  out.passed = out.check.passed();
  out.pattern = entry_pattern(op, layout, f, wrt);
  for (const auto& d : dims_of({f, wrt})) out.sizes.emplace_back(d, sizes.at(d));
  return out;
}

}  // namespace mcalc::driver
