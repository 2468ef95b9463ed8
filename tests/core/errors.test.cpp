#include <catch2/catch.hpp>

#include "mcalc/errors.hpp"

using namespace mcalc;

TEST_CASE("catalogue messages format their arguments", "[errors]") {
  CHECK(format_message(Msg::MulMismatch, {"matrix(m, n)", "vector(k)", "n ≠ k"}) ==
        "cannot multiply matrix(m, n) by vector(k): n ≠ k");
  CHECK(std::string(message_name(Msg::UnknownFunction)) == "UnknownFunction");
  CHECK(all_messages().size() > 20);
}

TEST_CASE("located errors render a caret under the column", "[errors]") {
  auto src = std::make_shared<const SourceText>(SourceText{"a = 1\ny = σ(A*x)\n", "net.mc"});
  UserError e(Msg::SyntaxExpected, Loc{2, 7, 3, src}, {"')'"});
  CHECK(render_error(e) ==
        "error: net.mc:2:7: expected ')'\n"
        "  2 | y = σ(A*x)\n"
        "    |       ^~~\n");
  CHECK(render_error(UserError(Msg::MissingValue, {"x"})) == "error: no value given for 'x'\n");
}
