#pragma once
// `mcalc check`: one answer (--answer) or a batch (--batch FILE), through the
// answer checker (mcalc/check.hpp), shown as text or JSON.
#include <iosfwd>

#include "mcalc/driver.hpp"

namespace mcalc::driver {

int do_check(const Request& r, std::ostream& out, std::ostream& err);

}  // namespace mcalc::driver
