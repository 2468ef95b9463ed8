// `mcalc diff/grad/hessian ... --expand` through the driver: text rows, JSON
// strings, LaTeX bmatrix, the expansion check, and the error that asks for
// concrete sizes.
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "mcalc/driver.hpp"

using mcalc::driver::Request;
using mcalc::driver::Verb;

namespace {

struct Result {
  int code;
  std::string out, err;
};

Result run(Verb verb, const std::string& expr, const std::string& wrt, const std::string& let,
           const std::string& format = "text", const std::string& at = "") {
  Request r;
  r.verb = verb;
  r.input = expr;
  r.wrt = wrt;
  r.let = let;
  r.at = at;
  r.format = *mcalc::driver::parse_format(format);
  r.expand = true;
  std::ostringstream out, err;
  int code = mcalc::driver::run(r, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("expand option: the lecture's w .* x at n = 3, text", "[driver][expand]") {
  Result r = run(Verb::Diff, "w .* x", "w", "w, x: vector(3)");
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out ==
        "diag(x)\n"
        "layout: numerator (rows: entries of f, columns: entries of the variable)\n"
        "shape: matrix(3, 3)\n"
        "types:\n"
        "  w : vector(3)\n"
        "  x : vector(3)\n"
        "expanded, f = w.*x (row i, column j: ∂fᵢ/∂wⱼ):\n"
        "[ x1, 0,  0  ]\n"
        "[ 0,  x2, 0  ]\n"
        "[ 0,  0,  x3 ]\n"
        "expansion check against GiNaC's entry-wise derivative: passed, 9 entries: 9 equal symbolically\n");
}

TEST_CASE("expand option: sizes from --at values, entry patterns of grad and hessian", "[driver][expand]") {
  Result g = run(Verb::Grad, "x'*A*x", "x", "x: vector(n); A: matrix(n, n)", "text", "x = [1; 2]; A = [1, 2; 3, 4]");
  INFO(g.err);
  CHECK(g.code == 0);
  CHECK(g.out.find("expanded at n = 2, f = x'*A*x (row i: ∂f/∂xᵢ):\n"
                   "[ 2*A11*x1 + x2*(A12 + A21) ]\n"
                   "[ 2*A22*x2 + x1*(A12 + A21) ]\n") != std::string::npos);
  Result h = run(Verb::Hessian, "x'*A*x", "x", "x: vector(2); A: matrix(2, 2)");
  CHECK(h.out.find("expanded, f = x'*A*x (row i, column j: ∂²f/∂xᵢ∂xⱼ):\n"
                   "[ 2*A11,     A12 + A21 ]\n"
                   "[ A12 + A21, 2*A22     ]\n") != std::string::npos);
  Result d = run(Verb::Diff, "sin(x^2)", "x", "x: scalar");
  CHECK(d.out.find("expanded, f = sin(x^2) (∂f/∂x):\n[ 2*x*cos(x^2) ]\n") != std::string::npos);
}

TEST_CASE("expand option: JSON strings and LaTeX bmatrix", "[driver][expand]") {
  Result j = run(Verb::Diff, "[log(x^2); sin(3*x)]", "x", "x: scalar", "json");
  INFO(j.err);
  REQUIRE(j.code == 0);
  auto v = nlohmann::json::parse(j.out);
  CHECK(v["expanded"] == nlohmann::json::parse(R"j([["2/x"], ["3*cos(3*x)"]])j"));
  CHECK(v["expanded_check"]["passed"] == true);
  CHECK(v["expanded_check"]["symbolic"] == 2);
  CHECK(v["expanded_sizes"] == nlohmann::json::object());
  Result l = run(Verb::Diff, "w .* x", "w", "w, x: vector(n)", "latex", "w = [1; 2]; x = [3; 4]");
  INFO(l.err);
  CHECK(l.code == 0);
  CHECK(l.out.find("% expanded at n = 2\n= \\begin{bmatrix} x_{1} & 0 \\\\ 0 & x_{2} \\end{bmatrix}\n") !=
        std::string::npos);
}

TEST_CASE("expand option: a symbolic dimension is a located error asking for sizes", "[driver][expand]") {
  Result r = run(Verb::Diff, "w .* x", "w", "");
  CHECK(r.code == 2);
  CHECK(r.err ==
        "error: <expr>:1:1: cannot expand entry by entry: dimension 'n' of 'w' (vector(n)) is symbolic; give "
        "concrete sizes, as in --let \"w: vector(3)\", or values with --at\n"
        "  1 | w .* x\n"
        "    | ^\n");
  Result big = run(Verb::Diff, "w .* x", "w", "w, x: vector(11)");
  CHECK(big.code == 2);
  CHECK(big.err.find("sizes are limited to 10") != std::string::npos);
}
