#pragma once
// `mcalc check`: one answer (--answer) or a batch (--batch FILE), through the
// answer checker (mcalc/check.hpp), as results for the renderers.
#include "driver/results.hpp"
#include "mcalc/driver.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::driver {

/// check EXPR --wrt VAR --answer ANSWER: the verdict, from a bounded child process.
CheckVerdict check_result(const Request& r);

/// check --batch FILE: every record's verdict, in input order.
BatchReport batch_result(const Request& r);

/// A `check(diff(f, w), ANSWER)` statement of a program: the verdict on its answer.
CheckVerdict check_statement(const Request& r, const Statement& st);

}  // namespace mcalc::driver
