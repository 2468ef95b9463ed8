#include "driver/format.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "mcalc/print.hpp"

namespace mcalc::driver {

const char* origin_note(Symbol::Origin o) {
  switch (o) {
    case Symbol::Origin::Declared: return "";
    case Symbol::Origin::Assumed: return "  (assumed)";
    case Symbol::Origin::Defined: return "  (defined)";
  }
  return "";
}

Types types_of(const Program& prog) {
  Types out;
  for (const auto& name : prog.symbol_order) {
    const Symbol& s = prog.symbols.at(name);
    out.push_back({name, s.shape, s.origin});
  }
  return out;
}

nlohmann::ordered_json types_json(const Types& types) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& t : types) j[t.name] = t.shape.str();
  return j;
}

std::string types_text(const Types& types) {
  if (types.empty()) return {};
  std::size_t width = 0;
  for (const auto& t : types) width = std::max(width, t.name.size());
  std::string out = "types:\n";
  for (const auto& t : types)
    out += "  " + t.name + std::string(width - t.name.size(), ' ') + " : " + t.shape.str() + origin_note(t.origin) + "\n";
  return out;
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

std::string value_latex(const Eigen::MatrixXd& v, const Shape& shape, NumberStyle style) {
  if (shape.is_scalar() && v.size() == 1) return format_number(v(0, 0), style);
  std::string out = "\\begin{bmatrix}";
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    out += i ? " \\\\ " : " ";
    for (Eigen::Index j = 0; j < v.cols(); ++j) out += (j ? " & " : "") + format_number(v(i, j), style);
  }
  return out + " \\end{bmatrix}";
}

std::string derivative_latex(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& result) {
  std::string fl = to_latex(f), xl = to_latex(wrt), rl = to_latex(result);
  const bool vec = by_vec(op, f->shape, wrt->shape);
  switch (op) {
    case QueryOp::Diff: {
      // by vec: d vec(f) / d vec(X)ᵀ (Magnus & Neudecker)
      std::string lhs = vec ? "\\frac{\\partial \\operatorname{vec}\\left(" + fl + "\\right)}{\\partial \\operatorname{vec}(" + xl +
                                  ")^\\top}"
                            : "\\frac{\\partial}{\\partial " + xl + "}\\left(" + fl + "\\right)";
      if (layout == Layout::Denominator) lhs = "\\left(" + lhs + "\\right)^\\top";
      return lhs + " = " + rl;
    }
    case QueryOp::Grad: return "\\nabla_{" + xl + "}\\left(" + fl + "\\right) = " + rl;
    case QueryOp::Hessian:
      return "\\nabla^2_{" + (vec ? "\\operatorname{vec}(" + xl + ")" : xl) + "}\\left(" + fl + "\\right) = " + rl;
  }
  return rl;
}

std::string where_latex(const Shared& s) {
  std::string out;
  for (std::size_t k = 0; k < s.where.size(); ++k)
    out += (k ? ", \\quad " : "\\text{where } ") + to_latex(s.where[k]) + " = " + to_latex(s.where[k]->args[0]);
  return out;
}

nlohmann::ordered_json where_json(const Shared& s) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& w : s.where)
    j.push_back({{"name", w->name}, {"expr", to_text(w->args[0])}, {"latex", to_latex(w->args[0])}});
  return j;
}

std::string layout_note(QueryOp op, Layout layout, bool vec) {
  if (op == QueryOp::Grad) return "gradient (shape of the variable)";
  if (op == QueryOp::Hessian)
    return vec ? "hessian by vec (rows and columns: entries of vec of the variable, column-major)" : "hessian (n x n)";
  if (vec)
    return layout == Layout::Numerator
               ? "numerator by vec (rows: entries of vec(f), columns: entries of vec of the variable, column-major)"
               : "denominator by vec (rows: entries of vec of the variable, columns: entries of vec(f), column-major)";
  return layout == Layout::Numerator ? "numerator (rows: entries of f, columns: entries of the variable)"
                                     : "denominator (rows: entries of the variable, columns: entries of f)";
}

const char* layout_key(QueryOp op, Layout layout) {
  switch (op) {
    case QueryOp::Diff: return layout_name(layout);
    case QueryOp::Grad: return "gradient";
    case QueryOp::Hessian: return "hessian";
  }
  MCALC_UNREACHABLE("unknown query");
}

nlohmann::ordered_json check_json(const check::FdReport& r) {
  nlohmann::ordered_json j;
  j["method"] = "central finite differences";
  j["max_rel_error"] = std::isfinite(r.max_rel_error) ? nlohmann::ordered_json(r.max_rel_error) : nullptr;
  j["tolerance"] = r.tolerance;
  j["passed"] = r.passed;
  j["where"] = r.where;
  j["trivial"] = r.trivial;
  j["unresolved"] = r.unresolved;
  return j;
}

std::string verdict_text(const check::Result& r) {
  std::ostringstream os;
  os << "verdict: " << check::verdict_name(r.verdict) << '\n';
  if (!r.expected.empty()) os << "expected: " << r.question << " = " << r.expected << "  (" << r.expected_shape << ")\n";
  if (!r.answer_shape.empty()) os << "answer: " << r.answer << "  (" << r.answer_shape << ")\n";
  if (r.verdict == check::Verdict::WrongShape)
    os << "shape: " << r.expected_shape << " expected, " << r.answer_shape << " given\n";
  if (!r.diagnosis.empty()) os << "diagnosis: " << r.diagnosis << '\n';
  if (r.counterexample) {
    const auto& c = *r.counterexample;
    os << "counterexample:";
    std::string sep = " at ";
    for (const auto& [d, n] : c.sizes) os << sep << d << " = " << n, sep = ", ";
    os << '\n';
    for (const auto& [name, v] : c.values) os << "  " << name << " = " << v << '\n';
    os << "  derivative: " << c.expected << '\n';
    os << "  answer:     " << c.answer << '\n';
    if (!c.difference.empty()) os << "  largest difference of an entry: " << c.difference << '\n';
  }
  if (!r.decided_by.empty()) os << "decided by: " << r.decided_by << '\n';
  return os.str();
}

std::map<std::string, long> verdict_counts(const BatchReport& r) {
  std::map<std::string, long> counts;
  for (const auto& res : r.results) ++counts[check::verdict_name(res.verdict)];
  return counts;
}

std::string batch_lines(const BatchReport& r) {
  using json = nlohmann::ordered_json;
  std::ostringstream os;
  std::map<std::string, long> counts = verdict_counts(r);
  for (std::size_t k = 0; k < r.results.size(); ++k) {
    json j = check::to_json(r.results[k]);
    json line;
    line["id"] = r.ids[k];
    for (const char* key : {"verdict", "diagnosis", "counterexample", "decided_by", "error", "expected", "answer"})
      line[key] = j[key];
    os << line.dump() << '\n';
  }
  json c = json::object();
  for (check::Verdict v : {check::Verdict::Correct, check::Verdict::CorrectUpToLayout, check::Verdict::WrongShape,
                           check::Verdict::Incorrect, check::Verdict::InvalidAnswer, check::Verdict::InvalidQuestion,
                           check::Verdict::TooComplex})
    c[check::verdict_name(v)] = counts[check::verdict_name(v)];
  json summary;
  summary["records"] = r.results.size();
  summary["verdicts"] = c;
  os << json{{"summary", summary}}.dump() << '\n';
  return os.str();
}

std::string check_text(const check::FdReport& r) {
  return "check: " + std::string(r.passed ? "passed" : "FAILED") + ", max relative error " +
         format_number(r.max_rel_error, 3) + " (tolerance " + format_number(r.tolerance, 1) +
         ") against central finite differences " + r.where +
         (r.unresolved ? "; the values of f are so large there that rounding in the differences reaches " +
                             format_number(r.resolution, 1) + ", so the check says little"
          : r.trivial  ? "; the derivative is zero there, so the check says little"
                       : "") +
         "\n";
}

std::string indexed_name(const std::string& name, const Shape& s, long r, long c) {
  if (s.is_scalar()) return name;
  if (s.cols.is_one()) return name + "[" + std::to_string(r + 1) + "]";
  return name + "[" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + "]";
}

std::string layer_title(const train::Layer& l) {
  std::string zdef = l.z_named ? to_text(l.z->args[0]) : to_text(l.z);
  return l.a_name + " = " + fn_name(l.activation) + "(" + l.z_name + "), " + l.z_name + " = " + zdef;
}

}  // namespace mcalc::driver
