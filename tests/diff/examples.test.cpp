// Every query of the grammar's example programs (grammar/examples/*.mc),
// through the parser and sema, checked symbolically and against finite
// differences at random points.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "diff/harness.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"

using namespace mcalc;

namespace {
std::string read(const std::string& name) {
  std::ifstream in(std::string(MCALC_SOURCE_DIR) + "/grammar/examples/" + name);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The printed results of the queries of a program, each checked numerically.
std::vector<std::string> run(const std::string& name) {
  Parsed p = parse_program(read(name), name);
  Program prog = analyse(p);
  std::vector<fdtest::In> ins;
  for (const auto& [n, sym] : prog.symbols)
    if (sym.origin != Symbol::Origin::Defined) ins.push_back({sym.node});
  std::vector<std::string> out;
  for (const auto& s : prog.statements) {
    if (s.kind != Statement::Kind::Query) continue;
    Expr r;
    switch (s.op) {
      case QueryOp::Diff:
        r = derivative(s.expr, s.wrt);
        fdtest::check_numeric(s.expr, s.wrt, r, ins, Layout::Numerator, 3);
        break;
      case QueryOp::Grad:
        r = gradient(s.expr, s.wrt);
        fdtest::check_gradient(s.expr, s.wrt, r, ins, 3);
        break;
      case QueryOp::Hessian:
        r = hessian(s.expr, s.wrt);
        fdtest::check_hessian(s.expr, s.wrt, r, ins, 3);
        break;
    }
    CHECK(fdtest::forbidden_pattern(r) == "");
    out.push_back(to_text(r));
  }
  return out;
}
}  // namespace

TEST_CASE("examples: cross-entropy of a sigmoid unit", "[diff][examples]") {
  CHECK(run("cross_entropy.mc") == std::vector<std::string>{"(sigmoid(z) - y)*x"});
}

TEST_CASE("examples: MSE cost of ReLU neurons", "[diff][examples]") {
  CHECK(run("mse_cost.mc") == std::vector<std::string>{"(2/N)*X'*((X*w + b - y).*step(X*w + b))"});
}

TEST_CASE("examples: the 1-2-3-1 network", "[diff][examples]") {
  CHECK(run("network_1_2_3_1.mc").size() == 1);
}

TEST_CASE("examples: quadratic form", "[diff][examples]") {
  // In grammar/examples/quadratic_form.mc the undeclared b is a scalar by the
  // letter convention (a-g), so f = x'*A*x + b'*x is a vector and grad(f, x)
  // is the located error NotScalar.
  try {
    run("quadratic_form.mc");
    SUCCEED("the example now declares b as a vector");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::NotScalar);
  }
}

TEST_CASE("examples: vector chain rule", "[diff][examples]") {
  CHECK(run("vector_chain_rule.mc") == std::vector<std::string>{"[2/x; 3*cos(3*x)]"});
}

TEST_CASE("examples: derivatives by a matrix in kron form", "[diff][examples][kronecker]") {
  CHECK(run("kronecker.mc") == std::vector<std::string>{"kron(x', eye(m))",
                                                        "diag(sigmoid(z).*(1 - sigmoid(z)))*kron(x', eye(m))",
                                                        "2*kron(x*x', eye(m))", "kron(x, eye(n)) + kron(eye(n), x)"});
}
