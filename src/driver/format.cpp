#include "driver/format.hpp"

#include <cmath>
#include <cstdio>

#include "mcalc/print.hpp"

namespace mcalc::driver {

namespace {
const char* origin_note(Symbol::Origin o) {
  switch (o) {
    case Symbol::Origin::Declared: return "";
    case Symbol::Origin::Assumed: return "  (assumed)";
    case Symbol::Origin::Defined: return "  (defined)";
  }
  return "";
}
}  // namespace

nlohmann::ordered_json types_json(const Program& prog) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& name : prog.symbol_order) j[name] = prog.symbols.at(name).shape.str();
  return j;
}

std::string types_text(const Program& prog) {
  if (prog.symbol_order.empty()) return {};
  std::size_t width = 0;
  for (const auto& name : prog.symbol_order) width = std::max(width, name.size());
  std::string out = "types:\n";
  for (const auto& name : prog.symbol_order) {
    const Symbol& s = prog.symbols.at(name);
    out += "  " + name + std::string(width - name.size(), ' ') + " : " + s.shape.str() + origin_note(s.origin) + "\n";
  }
  return out;
}

std::string format_number(double v, NumberStyle style) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0 && !style.fixed) return "0";  // also turns -0 into 0
  char buf[400];
  std::snprintf(buf, sizeof buf, style.fixed ? "%.*f" : "%.*g", style.digits, v);
  std::string s = buf;
  // A value that rounds to zero prints without its sign: 0.0000, not -0.0000.
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string format_value(const Eigen::MatrixXd& v, const Shape& shape, NumberStyle precision) {
  if (shape.is_scalar() && v.size() == 1) return format_number(v(0, 0), precision);
  std::string out = "[";
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    if (i) out += "; ";
    for (Eigen::Index j = 0; j < v.cols(); ++j) {
      if (j) out += ", ";
      out += format_number(v(i, j), precision);
    }
  }
  return out + "]";
}

nlohmann::ordered_json value_json(const Eigen::MatrixXd& v, const Shape& shape) {
  auto num = [](double x) -> nlohmann::ordered_json {
    if (std::isfinite(x)) return x;
    return nullptr;  // JSON has no NaN or infinity
  };
  if (shape.is_scalar() && v.size() == 1) return num(v(0, 0));
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  if (v.cols() == 1 && !shape.rows.is_one()) {
    for (Eigen::Index i = 0; i < v.rows(); ++i) j.push_back(num(v(i, 0)));
    return j;
  }
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index k = 0; k < v.cols(); ++k) row.push_back(num(v(i, k)));
    j.push_back(row);
  }
  return j;
}

std::string derivative_latex(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& result) {
  std::string fl = to_latex(f), xl = to_latex(wrt), rl = to_latex(result);
  switch (op) {
    case QueryOp::Diff: {
      std::string lhs = "\\frac{\\partial}{\\partial " + xl + "}\\left(" + fl + "\\right)";
      if (layout == Layout::Denominator) lhs = "\\left(" + lhs + "\\right)^\\top";
      return lhs + " = " + rl;
    }
    case QueryOp::Grad: return "\\nabla_{" + xl + "}\\left(" + fl + "\\right) = " + rl;
    case QueryOp::Hessian: return "\\nabla^2_{" + xl + "}\\left(" + fl + "\\right) = " + rl;
  }
  return rl;
}

}  // namespace mcalc::driver
