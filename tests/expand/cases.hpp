#pragma once
// The derivative cases of tests/corpus/derivatives.txt (format at its top),
// analysed as the command analyses `mcalc diff EXPR --let LET --wrt WRT`.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mcalc/diff.hpp"
#include "mcalc/expand.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"

namespace etest {

struct Case {
  int line = 0;
  std::string let, expr, wrt, op;
  std::string str() const {
    return "derivatives.txt:" + std::to_string(line) + ": " + op + "(" + expr + ", " + wrt + ")" +
           (let.empty() ? "" : "  with " + let);
  }
};

inline std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

inline std::vector<Case> load_cases() {
  std::ifstream in(std::string(MCALC_SOURCE_DIR) + "/tests/corpus/derivatives.txt");
  REQUIRE(in.good());
  std::vector<Case> out;
  std::string line;
  for (int no = 1; std::getline(in, line); ++no) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(t);
    for (std::string part; std::getline(ss, part, '|');) f.push_back(trim(part));
    INFO("derivatives.txt:" << no << ": " << line);
    REQUIRE(f.size() == 4);
    out.push_back({no, f[0], f[1], f[2], f[3]});
  }
  return out;
}

/// A case analysed: f, the variable, and the dimension names.
struct Analysed {
  std::vector<mcalc::Parsed> units;
  mcalc::Program prog;
  mcalc::Expr f, wrt;
};

inline Analysed analyse_case(const std::string& let, const std::string& expr, const std::string& wrt) {
  Analysed a;
  if (!let.empty()) a.units.push_back(mcalc::parse_program(let, "--let"));
  a.units.push_back(mcalc::parse_expression(expr, "<expr>"));
  a.units.push_back(mcalc::parse_expression(wrt, "--wrt"));
  std::vector<const mcalc::Parsed*> ptrs;
  for (const auto& u : a.units) ptrs.push_back(&u);
  a.prog = mcalc::analyse(ptrs);
  const auto& st = a.prog.statements;
  a.f = st[st.size() - 2].expr;
  a.wrt = st.back().expr;
  return a;
}

inline Analysed analyse_case(const Case& c) { return analyse_case(c.let, c.expr, c.wrt); }

/// mcalc's closed form for the case's op.
inline mcalc::Expr closed_form(const std::string& op, const mcalc::Expr& f, const mcalc::Expr& wrt) {
  if (op == "diff") return mcalc::derivative(f, wrt, mcalc::Layout::Numerator);
  if (op == "diff-denominator") return mcalc::derivative(f, wrt, mcalc::Layout::Denominator);
  if (op == "grad") return mcalc::gradient(f, wrt);
  if (op == "hessian") return mcalc::hessian(f, wrt);
  FAIL("unknown op '" << op << "'");
  return nullptr;
}

/// GiNaC's entry-wise derivative of the expanded f for the case's op.
inline GiNaC::matrix expected(const std::string& op, const mcalc::Expr& f, const mcalc::Expr& wrt,
                              const mcalc::Sizes& sizes) {
  if (op == "diff") return mcalc::expanded_jacobian(f, wrt, sizes, mcalc::Layout::Numerator);
  if (op == "diff-denominator") return mcalc::expanded_jacobian(f, wrt, sizes, mcalc::Layout::Denominator);
  if (op == "grad") return mcalc::expanded_gradient(f, wrt, sizes);
  if (op == "hessian") return mcalc::expanded_hessian(f, wrt, sizes);
  FAIL("unknown op '" << op << "'");
  return GiNaC::matrix(1, 1);
}

/// The sizes of the cross-check: every symbolic dimension set to `s`.
inline mcalc::Sizes all_at(const mcalc::Program& p, long s) {
  mcalc::Sizes sizes;
  for (const auto& d : p.dims) sizes[d] = s;
  return sizes;
}

}  // namespace etest
