#include "mcalc/number.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

#include "mcalc/errors.hpp"

namespace mcalc {

std::string format_number(double v, NumberStyle style) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0 && style.kind != NumberStyle::Kind::Fixed) return "0";  // also -0
  char buf[400];
  switch (style.kind) {
    case NumberStyle::Kind::Exact: {
      auto res = std::to_chars(buf, buf + sizeof buf, v);
      MCALC_ASSERT(res.ec == std::errc(), "number formatting");
      return std::string(buf, res.ptr);
    }
    case NumberStyle::Kind::Significant:
    case NumberStyle::Kind::Fixed: {
      bool fixed = style.kind == NumberStyle::Kind::Fixed;
      std::snprintf(buf, sizeof buf, fixed ? "%.*f" : "%.*g", style.digits, v);
      std::string s = buf;
      if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
      return s;
    }
  }
  MCALC_UNREACHABLE("unknown number style");
}

}  // namespace mcalc
