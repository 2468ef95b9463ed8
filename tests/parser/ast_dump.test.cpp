// Golden syntax trees: every tests/corpus/parser/<name>.mc parses, and its
// dump equals <name>.ast. Regenerate with MCALC_UPDATE_GOLDEN=1 ./build/test_parser.
#include "mcalc/ast_dump.hpp"

#include <catch2/catch.hpp>

#include "mcalc/parse.hpp"
#include "parser/golden.hpp"

using namespace mcalc;

TEST_CASE("golden syntax trees of tests/corpus/parser", "[parser][golden]") {
  auto inputs = test::corpus(test::source_dir() / "tests/corpus/parser", "", ".mc");
  REQUIRE(inputs.size() >= 25);
  for (const auto& input : inputs) {
    auto expected_path = input;
    expected_path.replace_extension(".ast");
    std::string actual;
    try {
      actual = ast::dump(parse_program(test::read_file(input), input.filename().string()).program());
    } catch (const UserError& e) {
      actual = "unexpected error\n" + render_error(e);
    }
    if (test::update_goldens()) test::write_file(expected_path, actual);
    INFO("golden " << expected_path.string());
    REQUIRE(std::filesystem::exists(expected_path));
    CHECK(actual == test::read_file(expected_path));
  }
}
