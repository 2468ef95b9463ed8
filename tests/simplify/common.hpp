#pragma once
// Helpers of the simplifier tests: each rule is checked by the exact text of
// its result and by the equality of values before and after at random points.
#include "diff/harness.hpp"
#include "mcalc/simplify.hpp"

namespace stest {
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

/// The inputs of e (its variables without definitions), each drawn from `dist`
/// unless it is in `special`.
inline std::vector<In> inputs(const Expr& e, const std::map<std::string, Dist>& special = {}) {
  std::vector<In> out;
  std::set<std::string> names;
  std::function<void(const Expr&)> go = [&](const Expr& x) {
    if (x->kind == Kind::Var && x->args.empty() && names.insert(x->name).second) {
      auto it = special.find(x->name);
      out.push_back({x, it == special.end() ? Dist::Normal : it->second});
    }
    for (const auto& a : x->args) go(a);
  };
  go(e);
  return out;
}

/// simplify(in) prints as `want`, has no forbidden pattern, and has the value of `in`.
inline Expr expect_simplified(const Expr& in, const std::string& want, const std::map<std::string, Dist>& special = {},
                              long min_size = 1) {
  Expr out = simplify(in);
  INFO("simplify(" << to_text(in) << ") = " << to_text(out));
  CHECK(to_text(out) == want);
  CHECK(out->shape == in->shape);
  CHECK(fdtest::forbidden_pattern(out) == "");
  fdtest::MinSize at_least(min_size);
  std::mt19937 rng(4242);
  auto ins = inputs(in, special);
  for (int t = 0; t < 3; ++t) {
    Bindings b = fdtest::sample(rng, ins, {in});
    fdtest::expect_close(evaluate(out, b), evaluate(in, b), "value of " + to_text(in) + " vs " + to_text(out));
  }
  return out;
}
}  // namespace stest
