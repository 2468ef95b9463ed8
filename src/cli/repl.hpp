#pragma once
// The interactive session of the mcalc command (src/cli/repl.cpp).
#include "mcalc/driver.hpp"

namespace mcalc::cli {

/// Reads lines from standard input until Ctrl-D or :quit, with GNU readline on
/// a terminal (editing, history in ~/.mcalc_history, tab completion) and plain
/// lines otherwise. `options` gives the starting format, layout and precision.
int repl(const driver::Request& options);

}  // namespace mcalc::cli
