#pragma once
// Declarations shared by the diff tests: `x, w: vector(n); b, z: scalar`, ...
#include "diff/harness.hpp"
#include "ir_builders.hpp"

namespace dtest {
using namespace mcalc;
using fdtest::Dist;
using fdtest::In;

using namespace mcalc::test::build;

/// diff(f, wrt) in `layout`: exact text (when `want` is not empty), no
/// forbidden pattern, and agreement with finite differences.
inline Expr expect_diff(const Expr& f, const Expr& wrt, const std::string& want, const std::vector<In>& ins,
                        Layout layout = Layout::Numerator) {
  Expr d = derivative(f, wrt, layout);
  INFO("diff(" << to_text(f) << ", " << wrt->name << ") = " << to_text(d));
  if (!want.empty()) CHECK(to_text(d) == want);
  CHECK(fdtest::forbidden_pattern(d) == "");
  fdtest::check_numeric(f, wrt, d, ins, layout);
  return d;
}

/// grad(f, wrt): exact text, no forbidden pattern, finite differences.
inline Expr expect_grad(const Expr& f, const Expr& wrt, const std::string& want, const std::vector<In>& ins) {
  Expr g = gradient(f, wrt);
  INFO("grad(" << to_text(f) << ", " << wrt->name << ") = " << to_text(g));
  if (!want.empty()) CHECK(to_text(g) == want);
  CHECK(fdtest::forbidden_pattern(g) == "");
  fdtest::check_gradient(f, wrt, g, ins);
  return g;
}
}  // namespace dtest
