// parse_program / parse_expression: tree shape, locations, limits.
#include "mcalc/parse.hpp"

#include <boost/variant/get.hpp>
#include <catch2/catch.hpp>

#include "mcalc/ast_dump.hpp"
#include "mcalc/limits.hpp"

using namespace mcalc;

namespace {
std::string tree(const std::string& text) { return ast::dump(parse_program(text).program()); }
std::string expr(const std::string& text) { return ast::dump(parse_expression(text).program()); }

Msg error_of(const std::string& text) {
  try {
    parse_program(text);
  } catch (const UserError& e) {
    return e.id();
  }
  FAIL("no error for: " << text);
  return Msg::SyntaxExpected;
}

const ast::Operand& expr_of(const ast::Statement& s) { return boost::get<ast::ExprStatement>(s.get()).expr; }
}  // namespace

TEST_CASE("precedence and associativity", "[parser]") {
  CHECK(tree("a + b*c") == "(expr (a + (b * c)))\n");
  CHECK(tree("a - b + c") == "(expr (a - b + c))\n");
  CHECK(tree("a*b/c") == "(expr (a * b / c))\n");
  CHECK(tree("-x^2") == "(expr (- (x ^ 2)))\n");
  CHECK(tree("2^-1") == "(expr (2 ^ (- 1)))\n");
  CHECK(tree("a^b^c") == "(expr (a ^ (b ^ c)))\n");
  CHECK(tree("x'[2]") == "(expr (post x ' [2]))\n");
  CHECK(tree("A'*x") == "(expr ((post A ') * x))\n");
  CHECK(tree("1./x") == "(expr (1 ./ x))\n");
  CHECK(tree("2.*x") == "(expr (2 .* x))\n");
  CHECK(tree(".5*x") == "(expr (0.5 * x))\n");
  CHECK(tree("1e-3") == "(expr 0.001)\n");
  CHECK(tree("(x)") == "(expr x)\n");
  CHECK(tree("x⊙y ∘ z ⊗ w ⊘ v · u") == "(expr (x .* y .* z .* w ./ v · u))\n");
  CHECK(tree("xᵀ") == "(expr (post x ᵀ))\n");
  CHECK(tree("σ(z)") == "(expr (call σ z))\n");
}

TEST_CASE("statements: declarations, definitions, expressions, separators", "[parser]") {
  CHECK(tree("x, w : vector(n); b : scalar\n\n# comment\nz = w'*x + b  # trailing\nz") ==
        "(declare (x w) (vector n))\n(declare (b) scalar)\n(define z (((post w ') * x) + b))\n(expr z)\n");
  CHECK(tree("A : matrix(n)") == "(declare (A) (matrix n))\n");
  CHECK(tree("W : matrix(2, 1) = [0.1; 0.1]") == "(declare (W) (matrix 2 1) (bracket (row 0.1) (row 0.1)))\n");
  CHECK(tree("") == "");
  CHECK(tree(";;\n\n;") == "");
  CHECK(error_of("f(x) == 1") == Msg::SyntaxUnexpected);  // '==' is no operator, and f(x) cannot be defined
}

TEST_CASE("parse_expression parses exactly one expression", "[parser]") {
  CHECK(expr("max(0, w'*x + b)") == "(expr (call max 0 (((post w ') * x) + b)))\n");
  CHECK(expr("\n x + 1 \n") == "(expr (x + 1))\n");
  CHECK_THROWS_AS(parse_expression("x; y"), UserError);
  CHECK_THROWS_AS(parse_expression("z = 1"), UserError);
}

TEST_CASE("locations count UTF-8 characters, not bytes", "[parser]") {
  Parsed p = parse_program("a = 1\ny = σ(A*x) ⊙ b");
  const auto& def = boost::get<ast::Definition>(p.program().statements[1].get());
  Loc whole = p.loc(def);
  CHECK(whole.line == 2);
  CHECK(whole.col == 1);
  CHECK(whole.len == 14);
  const auto& chain = boost::get<ast::x3::forward_ast<ast::Chain>>(def.value.get()).get();
  Loc call = p.loc(boost::get<ast::x3::forward_ast<ast::Call>>(chain.first.get()).get());
  CHECK(call.col == 5);
  CHECK(call.len == 6);
  const auto& b = boost::get<ast::Name>(chain.rest[0].operand.get());
  CHECK(p.loc(b).col == 14);
  CHECK(p.loc(chain.rest[0]).col == 12);  // the operation starts at its operator
  Parsed e = parse_expression("  x'");
  const auto& post = boost::get<ast::x3::forward_ast<ast::Postfix>>(expr_of(e.program().statements[0]).get()).get();
  CHECK(e.loc(post).col == 3);
  CHECK(e.loc(post).len == 2);
}

TEST_CASE("numbers that do not fit a double are errors", "[parser]") {
  CHECK(error_of("x = 1e999") == Msg::SyntaxNumberRange);
  CHECK(error_of("x = 9e308") == Msg::SyntaxNumberRange);
  CHECK(tree("x = 1e308") == "(define x 1e+308)\n");
}

TEST_CASE("numbers are read correctly rounded, so a printed number reads back as itself", "[parser]") {
  // Found by the round-trip fuzzer: x[2]*55555555552555555555 printed a number that read back as another.
  CHECK(tree("x = 55555555552555555555") == tree("x = 55555555552555556864"));
  CHECK(tree("x = 55555555552555556864") == "(define x 55555555552555556864)\n");  // the double nearest
  CHECK(tree("x = 0.1") == "(define x 0.1)\n");
  CHECK(tree("x = 123456789012345678901234567890e-10") == "(define x 12345678901234567168)\n");
}

TEST_CASE("deep nesting is an error, never a stack overflow", "[parser][limits]") {
  const int n = 100000;
  SECTION("parentheses") {
    std::string s(n, '(');
    s += "x" + std::string(n, ')');
    CHECK(error_of(s) == Msg::NestingTooDeep);
  }
  SECTION("leading minus signs") { CHECK(error_of(std::string(n, '-') + "x") == Msg::NestingTooDeep); }
  SECTION("alternating signs") {
    std::string s;
    for (int i = 0; i < n; ++i) s += "- +";
    CHECK(error_of(s + "x") == Msg::NestingTooDeep);
  }
  SECTION("brackets and calls") {
    std::string s;
    for (int i = 0; i < n / 2; ++i) s += "f([";
    CHECK(error_of(s) == Msg::NestingTooDeep);
  }
  SECTION("right-associative powers") {
    std::string s = "x";
    for (int i = 0; i < n; ++i) s += "^x";
    CHECK(error_of(s) == Msg::NestingTooDeep);
  }
  SECTION("long flat chains are fine") {
    std::string s = "x";
    for (int i = 0; i < n; ++i) s += "+x'";
    CHECK_NOTHROW(parse_program(s));
  }
  SECTION("the limit itself") {
    int d = limits::max_nesting_depth - 1;
    CHECK_NOTHROW(parse_program(std::string(d, '(') + "x" + std::string(d, ')')));
    int e = limits::max_nesting_depth + 1;
    CHECK(error_of(std::string(e, '(') + "x" + std::string(e, ')')) == Msg::NestingTooDeep);
  }
}

TEST_CASE("input larger than the limit is refused before parsing", "[parser][limits]") {
  std::string big(limits::max_input_bytes + 1, ' ');
  try {
    parse_program(big, "big.mc");
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::InputTooLarge);
    CHECK(render_error(e) == "error: input is " + std::to_string(big.size()) + " bytes; the limit is " +
                                 std::to_string(limits::max_input_bytes) + " bytes\n");
  }
  CHECK_NOTHROW(parse_program(std::string(limits::max_input_bytes, ' ')));
}

namespace {
std::string rendered(const std::string& text, bool expression = false) {
  try {
    if (expression)
      parse_expression(text, "<expr>");
    else
      parse_program(text, "t.mc");
  } catch (const UserError& e) {
    return render_error(e);
  }
  return "no error";
}
}  // namespace

TEST_CASE("characters outside the language", "[parser][errors]") {
  CHECK(rendered("x = 1\x01") == "error: t.mc:1:6: unexpected character '\\x01'\n  1 | x = 1\x01\n    |      ^\n");
  CHECK(rendered("y = \xff") == "error: t.mc:1:5: unexpected character '\\xFF'\n  1 | y = \xff\n    |     ^\n");
  CHECK(rendered("y = α") == "error: t.mc:1:5: unexpected character 'α' (U+03B1)\n  1 | y = α\n    |     ^\n");
  // Inside a comment anything goes.
  CHECK(rendered("y = 1  # α → @ \x01") == "no error");
}

TEST_CASE("errors of an EXPR argument", "[parser][errors]") {
  CHECK(rendered("x; y", true) ==
        "error: <expr>:1:2: unexpected ';' here; expected an operator or the end of the expression\n"
        "  1 | x; y\n    |  ^\n");
  CHECK(rendered("z = 1", true) ==
        "error: <expr>:1:3: unexpected '=' here; expected an operator or the end of the expression\n"
        "  1 | z = 1\n    |   ^\n");
  CHECK(rendered("x +\ny", true) == "error: <expr>:1:4: expected an expression after '+'\n  1 | x +\n    |    ^\n");
  CHECK(rendered("", true) == "error: <expr>:1:1: expected an expression\n  1 | \n    | ^\n");
}

TEST_CASE("columns after tabs, CRLF line ends and multi-byte operators", "[parser][errors]") {
  CHECK(rendered("a = 1\r\n\tb = (a ⊙ a\r\n") ==
        "error: t.mc:2:12: expected ')' to close the '(' opened at 2:6\n  2 | \tb = (a ⊙ a\n    | \t          ^\n");
}
