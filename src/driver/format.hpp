#pragma once
// How the command shows types, values and derivatives (text, JSON, LaTeX).
#include <string>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "mcalc/diff.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::driver {

/// name -> type, in declaration / first-use order: {"w": "vector(n)", ...}.
nlohmann::ordered_json types_json(const Program& prog);
/// "types:\n  w : vector(n)  (assumed)\n ..."; empty when there are no names.
std::string types_text(const Program& prog);
/// How numbers print: `digits` significant digits, or with `fixed`, exactly
/// `digits` decimals (as the lecture prints 0.7739 and 1.2305).
struct NumberStyle {
  int digits = 6;
  bool fixed = false;
};

/// A number in the given style ("0.7739", "-2", "1e-08").
std::string format_number(double v, NumberStyle style);
/// A number with `precision` significant digits.
inline std::string format_number(double v, int precision) { return format_number(v, NumberStyle{precision, false}); }
/// A value in the language's own literal form: 0.5, [1; 2; 3], [1, 2; 3, 4].
std::string format_value(const Eigen::MatrixXd& v, const Shape& shape, NumberStyle style);
inline std::string format_value(const Eigen::MatrixXd& v, const Shape& shape, int precision) {
  return format_value(v, shape, NumberStyle{precision, false});
}
/// A scalar is a number, a column vector a list, a matrix or row vector a list of rows.
nlohmann::ordered_json value_json(const Eigen::MatrixXd& v, const Shape& shape);
/// "\frac{\partial f}{\partial \mathbf{w}} = ..." for a query and its result.
std::string derivative_latex(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& result);

}  // namespace mcalc::driver
