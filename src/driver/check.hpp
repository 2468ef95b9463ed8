#pragma once
// --check: how the command shows the finite-difference check of a closed-form
// derivative (the check itself is mcalc/check.hpp).
#include <string>

#include <nlohmann/json.hpp>

#include "mcalc/check.hpp"

namespace mcalc::driver {

nlohmann::ordered_json check_json(const check::FdReport& r);
std::string check_text(const check::FdReport& r);

}  // namespace mcalc::driver
