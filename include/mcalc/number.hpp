#pragma once
// The one number formatter: every number mcalc prints (expressions, values,
// tables, messages, saved programs) goes through format_number.
#include <string>

namespace mcalc {

/// How a number prints.
struct NumberStyle {
  enum class Kind {
    Exact,        // the shortest text that reads back as the same double (the language's literals)
    Significant,  // `digits` significant digits (%g): 0.7739, 1e-08
    Fixed,        // exactly `digits` digits after the point (the lecture's 0.7739, -0.0053)
  };
  Kind kind = Kind::Exact;
  int digits = 0;

  static NumberStyle exact() { return {Kind::Exact, 0}; }
  static NumberStyle significant(int d) { return {Kind::Significant, d}; }
  static NumberStyle fixed(int d) { return {Kind::Fixed, d}; }
};

/// `v` in `style`. Zero prints without a sign, and so does a value that
/// rounds to zero (0.0000, not -0.0000); NaN and infinities print as nan,
/// inf, -inf.
std::string format_number(double v, NumberStyle style);

}  // namespace mcalc
