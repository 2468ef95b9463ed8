// The public face of sema: analyse() over parsed units, and how types are reported.
#include "mcalc/sema.hpp"

#include "sema/analyser.hpp"

namespace mcalc {

const char* query_name(QueryOp op) {
  switch (op) {
    case QueryOp::Diff: return "diff";
    case QueryOp::Grad: return "grad";
    case QueryOp::Hessian: return "hessian";
  }
  return "<bad query>";
}

Program analyse(const std::vector<const Parsed*>& units) {
  std::vector<sema::Unit> views;
  for (const Parsed* u : units) {
    MCALC_ASSERT(u != nullptr, "null unit");
    views.push_back(sema::Unit{&u->program(), [u](const ast::x3::position_tagged& n) {
                                 // A node the parser did not tag has no place of its own.
                                 return n.id_first < 0 ? Loc{} : u->loc(n);
                               }});
  }
  return sema::analyse_units(views);
}

std::string type_string(const Shape& s) {
  if (s.is_scalar()) return "scalar";
  if (s.cols.is_one()) return "vector(" + s.rows.str() + ")";
  return "matrix(" + s.rows.str() + ", " + s.cols.str() + ")";
}

std::string type_string(const Symbol& s) { return type_string(s.shape); }

std::vector<std::pair<std::string, std::string>> reported_types(const Program& p) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& name : p.symbol_order) out.emplace_back(name, type_string(p.symbols.at(name)));
  return out;
}

}  // namespace mcalc
