#pragma once
// Pieces that several renderers share: numbers, values, types, derivatives,
// the --check line. The renderers (src/driver/render.hpp) put them together.
#include <map>
#include <string>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "driver/results.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/number.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/train.hpp"

namespace mcalc::driver {

/// name -> type, in declaration / first-use order: {"w": "vector(n)", ...}.
nlohmann::ordered_json types_json(const Types& types);
/// "types:\n  w : vector(n)  (assumed)\n ..."; empty when there are no names.
std::string types_text(const Types& types);
/// "", "  (assumed)", "  (defined)".
const char* origin_note(Symbol::Origin o);
/// A number with `precision` significant digits (the one formatter: mcalc/number.hpp).
inline std::string format_number(double v, int precision) {
  return format_number(v, NumberStyle::significant(precision));
}
/// A value in the language's own literal form: 0.5, [1; 2; 3], [1, 2; 3, 4].
std::string format_value(const Eigen::MatrixXd& v, const Shape& shape, NumberStyle style);
inline std::string format_value(const Eigen::MatrixXd& v, const Shape& shape, int precision) {
  return format_value(v, shape, NumberStyle::significant(precision));
}
/// A scalar is a number, a column vector a list, a matrix or row vector a list of rows.
nlohmann::ordered_json value_json(const Eigen::MatrixXd& v, const Shape& shape);
/// A value as a LaTeX number or bmatrix.
std::string value_latex(const Eigen::MatrixXd& v, const Shape& shape, NumberStyle style);
/// "\frac{\partial f}{\partial \mathbf{w}} = ..." for a query and its result.
std::string derivative_latex(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& result);
/// The `where` block of a result with named subexpressions:
/// "\text{where } \mathbf{a}_{1} = \tanh\left(...\right), \quad ..."; empty without names.
std::string where_latex(const Shared& s);
/// The `where` list as data: [{"name": "a1", "expr": "tanh(W1*x)", "latex": "..."}, ...].
nlohmann::ordered_json where_json(const Shared& s);

/// "numerator (rows: entries of f, columns: entries of the variable)", "gradient (shape of the variable)", ...
std::string layout_note(QueryOp op, Layout layout, bool by_vec = false);

/// The "layout" of a result in JSON: "numerator", "denominator", "gradient" or "hessian".
const char* layout_key(QueryOp op, Layout layout);

/// The --check report as data and as its line of text.
nlohmann::ordered_json check_json(const check::FdReport& r);
std::string check_text(const check::FdReport& r);
/// The verdict on an answer as a grader reads it: "verdict: incorrect\nexpected: ...", one item a line.
std::string verdict_text(const check::Result& r);
/// A batch as graders read it: one JSON object a line (id, verdict, diagnosis, counterexample,
/// decided_by, error, expected, answer) in input order, then {"summary": {records, verdicts}}.
std::string batch_lines(const BatchReport& r);
/// How many records got each verdict, by verdict name (verdicts no record got are absent).
std::map<std::string, long> verdict_counts(const BatchReport& r);

/// "W1[2, 1]", "b1[3]", "b3": the name of one entry, 1-based.
std::string indexed_name(const std::string& name, const Shape& s, long r, long c);
/// The definition line of a layer: "a1 = sigmoid(z1), z1 = W1*x + b1".
std::string layer_title(const train::Layer& l);

}  // namespace mcalc::driver
