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
/// A number with `precision` significant digits ("0.7739", "-2", "1e-08").
std::string format_number(double v, int precision);
/// A value in the language's own literal form: 0.5, [1; 2; 3], [1, 2; 3, 4].
std::string format_value(const Eigen::MatrixXd& v, const Shape& shape, int precision);
/// A scalar is a number, a column vector a list, a matrix or row vector a list of rows.
nlohmann::ordered_json value_json(const Eigen::MatrixXd& v, const Shape& shape);
/// "\frac{\partial f}{\partial \mathbf{w}} = ..." for a query and its result.
std::string derivative_latex(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& result);

}  // namespace mcalc::driver
