// mcalc::analyse over parsed units: the analyser of sema/analyser.hpp with
// Parsed::loc as the locator.
#include "mcalc/sema.hpp"

#include "sema/analyser.hpp"

namespace mcalc {

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

}  // namespace mcalc
