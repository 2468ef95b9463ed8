#pragma once
// Helpers of the simplifier tests: each rule is checked by the exact text of
// its result and by the equality of values before and after at random points.
#include "diff/harness.hpp"
#include "ir_builders.hpp"
#include "mcalc/simplify.hpp"

namespace stest {
using namespace mcalc;
using fdtest::Dist;
using fdtest::In;

using namespace mcalc::test::build;

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
