// Round trip of the text printer over tests/corpus/roundtrip.txt: parse and
// analyse, print, parse and analyse again; the trees must be equal (ir::equal)
// and printing must be a fixed point.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "latex_reader.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"

using namespace mcalc;

namespace {
struct CorpusLine {
  int number;
  std::string input;
  std::string expected;  // the canonical text; empty when it is the input itself
};

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The corpus: the `# let:` header line and the expression lines.
std::vector<CorpusLine> read_corpus(std::string& declarations) {
  std::ifstream in(MCALC_SOURCE_DIR "/tests/corpus/roundtrip.txt");
  REQUIRE(in.good());
  std::vector<CorpusLine> lines;
  std::string line;
  int number = 0;
  const std::string let = "# let:";
  while (std::getline(in, line)) {
    ++number;
    if (line.compare(0, let.size(), let) == 0) {
      declarations = line.substr(let.size());
      continue;
    }
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto arrow = line.find("=>");
    if (arrow == std::string::npos) lines.push_back({number, line, ""});
    else lines.push_back({number, trim(line.substr(0, arrow)), trim(line.substr(arrow + 2))});
  }
  return lines;
}

// The IR of one expression analysed together with the declarations.
Expr analysed(const Parsed& decls, const std::string& text) {
  Parsed p = parse_expression(text, "<corpus>");
  Program prog = analyse({&decls, &p});
  REQUIRE(!prog.statements.empty());
  const Statement& s = prog.statements.back();
  REQUIRE(s.kind == Statement::Kind::Evaluate);
  return s.expr;
}
}  // namespace

TEST_CASE("text printer round trip over the corpus", "[print][roundtrip]") {
  std::string declarations;
  auto lines = read_corpus(declarations);
  REQUIRE(!declarations.empty());
  REQUIRE(lines.size() >= 120);
  Parsed decls = parse_program(declarations, "--let");
  for (const auto& l : lines) {
    INFO("roundtrip.txt:" << l.number << ": " << l.input);
    try {
      Expr e1 = analysed(decls, l.input);
      std::string s1 = to_text(e1);
      CHECK(s1 == (l.expected.empty() ? l.input : l.expected));
      Expr e2 = analysed(decls, s1);
      CHECK(ir::equal(e1, e2));
      CHECK(to_text(e2) == s1);
    } catch (const UserError& err) {
      FAIL_CHECK(render_error(err));
    }
  }
}

// Every LaTeX output of the corpus, read with the precedence of mathematics
// (juxtaposition over ⊙ ⊘ · over + −; tests/latex_reader.hpp), denotes the
// tree it was printed from.
TEST_CASE("latex of every corpus expression reads back as the same tree", "[print][latex][roundtrip]") {
  std::string declarations;
  auto lines = read_corpus(declarations);
  Parsed decls = parse_program(declarations, "--let");
  for (const auto& l : lines) {
    Expr e = analysed(decls, l.input);
    std::string latex = to_latex(e);
    INFO("roundtrip.txt:" << l.number << ": " << l.input << "\n  latex: " << latex);
    try {
      test::Tree got = test::read_latex(latex), want = test::latex_tree(e);
      INFO("read: " << got.str() << "\n  tree: " << want.str());
      CHECK(got == want);
    } catch (const std::runtime_error& err) {
      FAIL_CHECK(err.what());
    }
  }
}
