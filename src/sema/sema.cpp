// How sema reports names and types.
#include "mcalc/sema.hpp"


namespace mcalc {


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
