// Every LaTeX output of the derivative corpus (tests/corpus/derivatives.txt:
// each f and its closed form) and of the lecture programs
// (tests/corpus/lecture/*.mc: every statement and query result), read with
// the precedence of mathematics (tests/latex_reader.hpp), denotes the tree it
// was printed from.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "golden.hpp"
#include "latex_reader.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"

using namespace mcalc;

namespace {
std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

void check_reads_back(const Expr& e) {
  std::string latex = to_latex(e);
  INFO("text: " << to_text(e) << "\n  latex: " << latex);
  try {
    test::Tree got = test::read_latex(latex), want = test::latex_tree(e);
    INFO("read: " << got.str() << "\n  tree: " << want.str());
    CHECK(got == want);
  } catch (const std::runtime_error& err) {
    FAIL_CHECK(err.what());
  }
}
}  // namespace

TEST_CASE("latex of every derivative in the corpus reads back as the same tree", "[diff][latex][corpus]") {
  std::ifstream in(MCALC_SOURCE_DIR "/tests/corpus/derivatives.txt");
  REQUIRE(in.good());
  int cases = 0;
  std::string line;
  for (int no = 1; std::getline(in, line); ++no) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(t);
    for (std::string part; std::getline(ss, part, '|');) f.push_back(trim(part));
    INFO("derivatives.txt:" << no << ": " << line);
    REQUIRE(f.size() == 4);
    std::vector<Parsed> units;
    if (!f[0].empty()) units.push_back(parse_program(f[0], "--let"));
    units.push_back(parse_expression(f[1], "<expr>"));
    units.push_back(parse_expression(f[2], "--wrt"));
    std::vector<const Parsed*> ptrs;
    for (const auto& u : units) ptrs.push_back(&u);
    Program prog = analyse(ptrs);
    Expr fx = prog.statements[prog.statements.size() - 2].expr, wrt = prog.statements.back().expr;
    Expr d = f[3] == "grad"               ? gradient(fx, wrt)
             : f[3] == "hessian"          ? hessian(fx, wrt)
             : f[3] == "diff-denominator" ? derivative(fx, wrt, Layout::Denominator)
                                          : derivative(fx, wrt, Layout::Numerator);
    check_reads_back(fx);
    check_reads_back(d);
    ++cases;
  }
  CHECK(cases >= 100);
}

TEST_CASE("latex of the lecture programs reads back as the same trees", "[diff][latex][corpus]") {
  auto files = test::corpus(test::source_dir() / "tests" / "corpus" / "lecture", "", ".mc");
  REQUIRE(files.size() >= 5);
  for (const auto& file : files) {
    INFO(file.filename().string());
    Parsed p = parse_program(test::read_file(file), file.string());
    Program prog = analyse(p);
    for (const Statement& st : prog.statements) {
      if (st.expr) check_reads_back(st.expr);
      if (st.kind == Statement::Kind::Query)
        check_reads_back(st.op == QueryOp::Grad      ? gradient(st.expr, st.wrt)
                         : st.op == QueryOp::Hessian ? hessian(st.expr, st.wrt)
                                                     : derivative(st.expr, st.wrt));
    }
  }
}
