// The second, independent check of the differentiator: for every case of
// tests/corpus/derivatives.txt at sizes 1 to 4, the expansion of mcalc's
// closed form equals GiNaC's own entry-wise derivative of the expanded f.
#include <chrono>
#include <iostream>
#include <set>

#include <catch2/catch.hpp>

#include "expand/cases.hpp"

using namespace etest;

namespace {

/// Cases whose closed form disagrees with the expansion: real bugs of the
/// differentiator or simplifier, kept visible under [!mayfail] below until
/// fixed (the check itself is never weakened). Keyed by "op(expr, wrt)".
const std::set<std::string> kKnownFailures = {
};

std::string key(const Case& c) { return c.op + "(" + c.expr + ", " + c.wrt + ")"; }

void check_case(const Case& c) {
  INFO(c.str());
  Analysed a = analyse_case(c);
  mcalc::Expr d = closed_form(c.op, a.f, a.wrt);
  INFO("closed form: " << mcalc::to_text(d));
  bool symbolic = !a.prog.dims.empty();
  for (long s = 1; s <= (symbolic ? 4 : 1); ++s) {
    mcalc::Sizes sizes = all_at(a.prog, s);
    INFO("size " << s);
    GiNaC::matrix want = expected(c.op, a.f, a.wrt, sizes);
    GiNaC::matrix got = mcalc::expand(d, sizes);
    REQUIRE(got.rows() == want.rows());
    REQUIRE(got.cols() == want.cols());
    mcalc::CrossCheck r = mcalc::cross_check(got, want);
    // Both sides printed only on failure (printing large entries takes time).
    if (!r.passed())
      FAIL_CHECK("expansion of the closed form:\n" << mcalc::matrix_text(got) << "GiNaC's entry-wise derivative:\n"
                                                   << mcalc::matrix_text(want) << r.summary());
    CHECK(r.symbolic + r.numeric == static_cast<long>(want.rows() * want.cols()));
  }
}

}  // namespace

TEST_CASE("derivatives.txt: the corpus has the cases the contract asks for", "[expand][corpus]") {
  auto cases = load_cases();
  CHECK(cases.size() >= 40);
  std::set<std::string> ops;
  for (const auto& c : cases) ops.insert(c.op);
  CHECK(ops == std::set<std::string>{"diff", "diff-denominator", "grad", "hessian"});
  // Every known failure names a case of the corpus.
  for (const auto& k : kKnownFailures) {
    bool found = false;
    for (const auto& c : cases) found = found || key(c) == k;
    INFO(k);
    CHECK(found);
  }
}

TEST_CASE("cross-check: closed forms equal GiNaC's entry-wise derivatives at sizes 1 to 4", "[expand][cross]") {
  for (const auto& c : load_cases()) {
    if (kKnownFailures.count(key(c))) continue;
    check_case(c);
  }
}

// Known failures of the differentiator (see kKnownFailures): expected to fail
// until the differentiator is fixed; [!mayfail] keeps the suite green while
// the mismatch stays visible in the test output.
TEST_CASE("cross-check: known failures of the differentiator", "[expand][cross][!mayfail]") {
  for (const auto& c : load_cases()) {
    if (!kKnownFailures.count(key(c))) continue;
    check_case(c);
  }
}

// Not run by default: how each case's entries were decided and how long the
// check took, at each size (./test_expand "[stats]" prints one line per case).
TEST_CASE("cross-check: how the entries were decided", "[.][stats]") {
  for (const auto& c : load_cases()) {
    Analysed a = analyse_case(c);
    for (long s = 1; s <= 4; ++s) {
      auto t0 = std::chrono::steady_clock::now();
      mcalc::Sizes sizes = all_at(a.prog, s);
      mcalc::CrossCheck r = mcalc::cross_check(mcalc::expand(closed_form(c.op, a.f, a.wrt), sizes),
                                               expected(c.op, a.f, a.wrt, sizes));
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::cout << c.str() << " | size " << s << " | " << static_cast<long>(ms) << " ms | " << r.summary() << std::endl;
      CHECK(r.passed());
    }
  }
}
