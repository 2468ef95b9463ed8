// mcalc::analyse over parsed units: the analyser of sema/analyser.hpp with
// Parsed::loc as the locator.
#include "mcalc/sema.hpp"

#include <cctype>

#include "sema/analyser.hpp"

namespace mcalc {

namespace {
sema::Unit view(const Parsed* u) {
  MCALC_ASSERT(u != nullptr, "null unit");
  return sema::Unit{&u->program(), [u](const ast::x3::position_tagged& n) {
                      // A node the parser did not tag has no place of its own.
                      return n.id_first < 0 ? Loc{} : u->loc(n);
                    }};
}
}  // namespace

Program analyse(const std::vector<const Parsed*>& units) {
  std::vector<sema::Unit> views;
  for (const Parsed* u : units) views.push_back(view(u));
  std::vector<sema::AssumedType> culprits;
  try {
    return sema::analyse_units(views, &culprits);
  } catch (UserError& e) {
    // A name the letter convention typed gets a note only when declaring it a
    // scalar is proved to fix the program: it is analysed again with that.
    for (const auto& c : culprits) {
      Parsed decl = parse_program(c.name + ": scalar", "--let");
      std::vector<sema::Unit> fixed{view(&decl)};
      fixed.insert(fixed.end(), views.begin(), views.end());
      try {
        sema::analyse_units(fixed);
      } catch (const UserError&) {
        continue;
      }
      const char* rule = std::isupper(static_cast<unsigned char>(c.name[0])) ? "A-Z are matrices" : "h-z are vectors";
      e.add_note("'" + c.name + "' was taken for " + c.type + " by the letter convention (" + rule +
                 "); declared a scalar, the program is well-typed: --let \"" + c.name + ": scalar\"");
    }
    throw;
  }
}

}  // namespace mcalc
