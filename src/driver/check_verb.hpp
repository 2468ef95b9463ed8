#pragma once
// `mcalc check`: one answer (--answer) or a batch (--batch FILE), through the
// answer checker (mcalc/check.hpp), shown as text or JSON.
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "mcalc/driver.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::driver {

int do_check(const Request& r, std::ostream& out, std::ostream& err);

/// A `check(diff(f, w), ANSWER)` statement of a program: its verdict as JSON
/// and as text, and whether it failed (any verdict but correct, or correct up
/// to layout with --layout any).
struct CheckedStatement {
  nlohmann::ordered_json json;
  std::string text;
  bool failed = false;
};
CheckedStatement check_statement(const Request& r, const Statement& st);

}  // namespace mcalc::driver
