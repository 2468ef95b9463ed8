// The documents and the parser cannot drift apart: every grammar/examples/*.mc,
// every "(* example: ... *)" line of grammar/mcalc.ebnf and every ```mcalc
// fenced block of docs/language.md (when that file exists) must parse.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "mcalc/parse.hpp"
#include "parser/golden.hpp"

using namespace mcalc;

namespace {

void check_parses(const std::string& text, const std::string& origin) {
  INFO(origin << ":\n" << text);
  try {
    Parsed p = parse_program(text, origin);
    CHECK(!p.program().statements.empty());
  } catch (const UserError& e) {
    FAIL(render_error(e));
  }
}

/// The ```mcalc blocks of a Markdown document, with the line each starts on.
std::vector<std::pair<int, std::string>> mcalc_blocks(const std::string& markdown) {
  std::vector<std::pair<int, std::string>> blocks;
  std::istringstream in(markdown);
  std::string line, block;
  int number = 0, start = 0;
  bool inside = false;
  while (std::getline(in, line)) {
    ++number;
    std::string trimmed = line.substr(0, line.find_last_not_of(" \t\r") + 1);
    if (!inside && trimmed.rfind("```mcalc", 0) == 0 && trimmed.find_first_not_of(' ', 8) == std::string::npos) {
      inside = true;
      start = number + 1;
      block.clear();
    } else if (inside && trimmed.rfind("```", 0) == 0) {
      inside = false;
      blocks.emplace_back(start, block);
    } else if (inside) {
      block += line + '\n';
    }
  }
  return blocks;
}

}  // namespace

TEST_CASE("every grammar/examples/*.mc parses", "[parser][grammar]") {
  auto files = test::corpus(test::source_dir() / "grammar/examples", "", ".mc");
  REQUIRE(files.size() >= 6);
  for (const auto& f : files) check_parses(test::read_file(f), f.filename().string());
}

TEST_CASE("every example line of grammar/mcalc.ebnf parses", "[parser][grammar]") {
  std::string ebnf = test::read_file(test::source_dir() / "grammar/mcalc.ebnf");
  REQUIRE(!ebnf.empty());
  std::regex example(R"(^\(\* example: (.*) \*\)\s*$)");
  std::istringstream in(ebnf);
  std::string line;
  int count = 0, number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::smatch m;
    if (std::regex_match(line, m, example)) {
      ++count;
      check_parses(m[1].str(), "mcalc.ebnf:" + std::to_string(number));
    }
  }
  CHECK(count >= 10);
}

TEST_CASE("every ```mcalc block of docs/language.md parses", "[parser][grammar]") {
  auto doc = test::source_dir() / "docs/language.md";
  if (!std::filesystem::exists(doc)) return;  // the document is optional
  for (const auto& [start, block] : mcalc_blocks(test::read_file(doc)))
    check_parses(block, "language.md:" + std::to_string(start));
}

TEST_CASE("the ```mcalc block extractor", "[parser][grammar]") {
  auto blocks = mcalc_blocks("text\n```mcalc\nx = 1\ny = 2\n```\n```\nnot mcalc\n```\n```mcalc\nz\n```\n");
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0] == std::make_pair(3, std::string("x = 1\ny = 2\n")));
  CHECK(blocks[1] == std::make_pair(10, std::string("z\n")));
}
