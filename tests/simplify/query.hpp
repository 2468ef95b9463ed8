#pragma once
// Expressions and queries of the tests written in the language, analysed as
// the command analyses `mcalc ... EXPR --let LET [--wrt WRT]`.
#include <string>
#include <vector>

#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"

namespace stest {

struct Analysed {
  std::vector<mcalc::Parsed> units;
  mcalc::Program prog;
  std::vector<mcalc::Expr> exprs;  // one per text, in order
};

/// The texts analysed in order under the declarations `let`.
inline Analysed analyse_texts(const std::string& let, const std::vector<std::string>& texts) {
  Analysed a;
  if (!let.empty()) a.units.push_back(mcalc::parse_program(let, "--let"));
  for (const auto& t : texts) a.units.push_back(mcalc::parse_expression(t, "<expr>"));
  std::vector<const mcalc::Parsed*> ptrs;
  for (const auto& u : a.units) ptrs.push_back(&u);
  a.prog = mcalc::analyse(ptrs);
  const auto& st = a.prog.statements;
  for (std::size_t k = st.size() - texts.size(); k < st.size(); ++k) a.exprs.push_back(st[k].expr);
  return a;
}

}  // namespace stest
