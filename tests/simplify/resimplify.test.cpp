// Properties of every closed form of the derivative corpus
// (tests/corpus/derivatives.txt): a result is never longer than it needs to
// be (simplifying it again does not make it smaller), and its printed text
// parses back to an equal tree under the types the same output lists.
#include <catch2/catch.hpp>

#include "expand/cases.hpp"
#include "mcalc/simplify.hpp"

using namespace mcalc;

TEST_CASE("corpus: no result gets smaller when simplified again", "[simplify][corpus]") {
  int n = 0;
  for (const auto& c : etest::load_cases()) {
    INFO(c.str());
    etest::Analysed a = etest::analyse_case(c);
    Expr d = etest::closed_form(c.op, a.f, a.wrt);
    Expr again = simplify(d);
    INFO("result: " << to_text(d) << "\n  again: " << to_text(again));
    CHECK(expr_size(again) >= expr_size(d));
    ++n;
  }
  CHECK(n >= 100);
}

TEST_CASE("corpus: every printed result parses back to an equal tree under the listed types",
          "[simplify][corpus][print]") {
  for (const auto& c : etest::load_cases()) {
    INFO(c.str());
    etest::Analysed a = etest::analyse_case(c);
    Expr d = etest::closed_form(c.op, a.f, a.wrt);
    std::string text = to_text(d);
    // The output lists each name with its type: the declared and defined ones
    // come from the let, the assumed ones are declared as listed.
    std::string let = c.let;
    for (const auto& [name, type] : reported_types(a.prog))
      if (a.prog.find(name)->origin == Symbol::Origin::Assumed) let += (let.empty() ? "" : "; ") + name + ": " + type;
    INFO("printed: " << text << "\n  under: " << let);
    etest::Analysed back = etest::analyse_case(let, text, c.wrt);
    CHECK(ir::equal(back.f, d));
    CHECK(to_text(back.f) == text);
  }
}
