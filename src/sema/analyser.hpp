#pragma once
// The analyser behind mcalc::analyse, over syntax trees and a function that
// locates their nodes (Parsed::loc for parsed units).
#include <functional>
#include <string>
#include <vector>

#include "mcalc/ast.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::sema {

using Locator = std::function<Loc(const ast::x3::position_tagged&)>;

struct Unit {
  const ast::Program* program;
  Locator loc;
};

/// A name the letter convention typed, in the text of a failing statement.
struct AssumedType {
  std::string name;
  std::string type;  // "vector(n)"
};

/// Analyses the units; on a user error, `culprits` (when given) receives the
/// names of the failing text whose assumed type the message mentions.
Program analyse_units(const std::vector<Unit>& units, std::vector<AssumedType>* culprits = nullptr);

}  // namespace mcalc::sema
