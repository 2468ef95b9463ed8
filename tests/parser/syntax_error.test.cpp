// Syntax-error goldens: every tests/corpus/errors/syntax_<slug>.mc fails to
// parse, and render_error of the UserError equals syntax_<slug>.err.
// Regenerate with MCALC_UPDATE_GOLDEN=1 ./build/test_parser.
#include <catch2/catch.hpp>
#include <set>

#include "mcalc/parse.hpp"
#include "parser/golden.hpp"

using namespace mcalc;

TEST_CASE("syntax-error goldens of tests/corpus/errors/syntax_*", "[parser][errors][golden]") {
  auto inputs = test::corpus(test::source_dir() / "tests/corpus/errors", "syntax_", ".mc");
  REQUIRE(inputs.size() >= 22);
  std::set<Msg> seen;
  for (const auto& input : inputs) {
    auto expected_path = input;
    expected_path.replace_extension(".err");
    std::string actual = "parsed without error\n";
    try {
      parse_program(test::read_file(input), input.filename().string());
    } catch (const UserError& e) {
      actual = render_error(e);
      seen.insert(e.id());
    }
    if (test::update_goldens()) test::write_file(expected_path, actual);
    INFO("golden " << expected_path.string());
    REQUIRE(std::filesystem::exists(expected_path));
    CHECK(actual == test::read_file(expected_path));
  }
  // Every message of the parser section has at least one golden.
  for (Msg m : {Msg::SyntaxExpected, Msg::SyntaxExpectedFound, Msg::SyntaxUnexpected, Msg::SyntaxUnmatched,
                Msg::SyntaxUnknownCharacter, Msg::SyntaxTrailingDot, Msg::SyntaxNumberRange, Msg::NestingTooDeep}) {
    INFO("message " << message_name(m));
    CHECK(seen.count(m) == 1);
  }
}
