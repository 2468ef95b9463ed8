#pragma once
// Declarations shared by the diff tests: `x, w: vector(n); b, z: scalar`, ...
#include "diff/harness.hpp"

namespace dtest {
using namespace mcalc;
using fdtest::Dist;
using fdtest::In;

inline const Dim n = Dim::sym("n"), m = Dim::sym("m"), N = Dim::sym("N");
inline Expr vec(const char* s, Dim d = n) { return ir::var(s, Shape::vector(d)); }
inline Expr sc(const char* s) { return ir::var(s, Shape::scalar()); }
inline Expr mat(const char* s, Dim r = n, Dim c = n) { return ir::var(s, Shape::matrix(r, c)); }
inline Expr num(double v) { return ir::num(v); }
inline Expr fn(Fn f, Expr a) { return ir::call(f, {std::move(a)}); }
inline Expr fn(Fn f, Expr a, Expr b) { return ir::call(f, {std::move(a), std::move(b)}); }
inline Expr T(Expr a) { return ir::transpose(std::move(a)); }

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
