// The contract's table from source text: parse, analyse, differentiate, print,
// exactly as the command does it (numerator layout).
#include <catch2/catch.hpp>

#include "diff/harness.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"

using namespace mcalc;

namespace {
/// The printed result of the last query of `program`.
std::string query(const std::string& program, Layout layout = Layout::Numerator) {
  Parsed p = parse_program(program, "<test>");
  Program prog = analyse(p);
  const Statement* q = nullptr;
  for (const auto& s : prog.statements)
    if (s.kind == Statement::Kind::Query) q = &s;
  REQUIRE(q != nullptr);
  Expr r;
  switch (q->op) {
    case QueryOp::Diff: r = derivative(q->expr, q->wrt, layout); break;
    case QueryOp::Grad: r = gradient(q->expr, q->wrt); break;
    case QueryOp::Hessian: r = hessian(q->expr, q->wrt); break;
  }
  CHECK(fdtest::forbidden_pattern(r) == "");
  return to_text(r);
}
const char* decl = "x, w: vector(n); b, z: scalar\n";
std::string with_decl(const std::string& q) { return std::string(decl) + q; }
}  // namespace

TEST_CASE("source: the contract's table", "[diff][source]") {
  CHECK(query(with_decl("diff(x, x)")) == "eye(n)");
  CHECK(query(with_decl("diff(w + x, w)")) == "eye(n)");
  CHECK(query(with_decl("diff(w - x, x)")) == "-eye(n)");
  CHECK(query(with_decl("diff(w .* x, w)")) == "diag(x)");
  CHECK(query(with_decl("diff(x + z, z)")) == "ones(n)");
  CHECK(query(with_decl("diff(sum(x), x)")) == "ones(n)'");
  CHECK(query(with_decl("diff(sum(w .* x), w)")) == "x'");
  CHECK(query(with_decl("diff(w'*x + b, w)")) == "x'");
  CHECK(query(with_decl("diff(w'*x + b, b)")) == "1");
  CHECK(query(with_decl("diff(max(0, w'*x + b), w)")) == "step(w'*x + b)*x'");
  CHECK(query("x, y: scalar\ndiff(sin(x^2), x)") == "2*x*cos(x^2)");
  CHECK(query("x, y: scalar\ndiff([log(x^2); sin(3*x)], x)") == "[2/x; 3*cos(3*x)]");
  CHECK(query("x, y: scalar; z: scalar\ndiff(-(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z))), z)") ==
        "sigmoid(z) - y");
}

TEST_CASE("source: the lecture's vectorised neuron and its intermediate variables", "[diff][source]") {
  const char* decls = "X: matrix(N, n); y: vector(N); w: vector(n); b: scalar\n";
  CHECK(query(std::string(decls) + "grad(sum((y - max(0, X*w + b)).^2)/N, w)") ==
        "(2/N)*X'*((X*w + b - y).*step(X*w + b))");
  CHECK(query(std::string(decls) + "grad(sum((y - max(0, X*w + b)).^2)/N, b)") ==
        "(2/N)*sum((X*w + b - y).*step(X*w + b))");
  CHECK(query("x, w: vector(n)\nu = w .* x\ny = sum(u)\ndiff(y, w)") == "x'");
  CHECK(query("w, x: vector(n); b: scalar\nz = w'*x + b\ndiff(max(0, z), w)") == "step(z)*x'");
  CHECK(query("x: vector(n); A: matrix(n)\nhessian(x'*A*x, x)") == "A + A'");
  CHECK(query("X, A: matrix(n)\ngrad(tr(A*X), X)") == "A'");
  CHECK(query("X: matrix(n)\ngrad(logdet(X), X)") == "inv(X)'");
  CHECK(query("W: matrix(m, n); x: vector(n); y: vector(m)\ngrad(norm2(W*x - y)^2, W)") == "2*(W*x - y)*x'");
  CHECK(query(with_decl("diff(w'*x + b, w)"), Layout::Denominator) == "x");
}

TEST_CASE("source: errors point into the source", "[diff][source][errors]") {
  Parsed p = parse_program("x: vector(n)\ngrad(sin(x), x)", "<test>");
  Program prog = analyse(p);
  const Statement& q = prog.statements.back();
  try {
    gradient(q.expr, q.wrt);
    FAIL("expected NotScalar");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::NotScalar);
    CHECK(e.loc().line == 2);
    CHECK(e.loc().col == 6);
  }
  Parsed p2 = parse_program("W: matrix(m, n); x: vector(n)\ndiff(W*x, W)", "<test>");
  Program prog2 = analyse(p2);
  const Statement& q2 = prog2.statements.back();
  CHECK(to_text(derivative(q2.expr, q2.wrt)) == "kron(x', eye(m))");  // d vec(Wx)/d vec(W)'
}

TEST_CASE("source: gradient and Hessian of a quadratic form", "[diff][source]") {
  CHECK(query("b: vector(n)\nf = x'*A*x + b'*x\ngrad(f, x)") == "(A + A')*x + b");
  CHECK(query("b: vector(n)\nf = x'*A*x + b'*x\nhessian(f, x)") == "A + A'");
}
