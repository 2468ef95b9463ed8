#pragma once
// The analyser behind mcalc::analyse, over syntax trees and a function that
// locates their nodes (Parsed::loc for parsed units).
#include <functional>
#include <vector>

#include "mcalc/ast.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::sema {

using Locator = std::function<Loc(const ast::x3::position_tagged&)>;

struct Unit {
  const ast::Program* program;
  Locator loc;
};

Program analyse_units(const std::vector<Unit>& units);

}  // namespace mcalc::sema
