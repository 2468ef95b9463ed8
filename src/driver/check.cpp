#include "driver/check.hpp"

#include <cmath>

#include "driver/format.hpp"

namespace mcalc::driver {

nlohmann::ordered_json check_json(const check::FdReport& r) {
  nlohmann::ordered_json j;
  j["method"] = "central finite differences";
  j["max_rel_error"] = std::isfinite(r.max_rel_error) ? nlohmann::ordered_json(r.max_rel_error) : nullptr;
  j["tolerance"] = r.tolerance;
  j["passed"] = r.passed;
  j["where"] = r.where;
  j["trivial"] = r.trivial;
  return j;
}

std::string check_text(const check::FdReport& r) {
  return "check: " + std::string(r.passed ? "passed" : "FAILED") + ", max relative error " +
         format_number(r.max_rel_error, 3) + " (tolerance " + format_number(r.tolerance, 1) +
         ") against central finite differences " + r.where +
         (r.trivial ? "; the derivative is zero there, so the check says little" : "") + "\n";
}

}  // namespace mcalc::driver
