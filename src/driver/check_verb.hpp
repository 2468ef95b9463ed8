#pragma once
// `mcalc check`: one answer (--answer) or a batch (--batch FILE), through the
// answer checker (mcalc/check.hpp), shown as text or JSON.
#include <iosfwd>

#include "driver/results.hpp"
#include "mcalc/driver.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::driver {

int do_check(const Request& r, std::ostream& out, std::ostream& err);

/// A `check(diff(f, w), ANSWER)` statement of a program: the verdict on its answer.
CheckVerdict check_statement(const Request& r, const Statement& st);

}  // namespace mcalc::driver
