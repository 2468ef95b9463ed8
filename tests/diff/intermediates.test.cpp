// Derivatives through matrix-valued intermediates (the math issue, part 1):
// the result is an ordinary matrix, only an intermediate is matrix-valued.
// Differentials are pushed through the intermediate and the Jacobian is
// identified from dF = J dx. Every result is checked against finite differences.
#include <catch2/catch.hpp>

#include <unordered_map>

#include "diff/query.hpp"

using namespace qtest;

TEST_CASE("intermediates: Jacobians through an outer product", "[diff][intermediates]") {
  // d((x x') a) = dx (x'a) + x (a'dx)
  CHECK(checked("x, a: vector(n)\ndiff((x*x')*a, x)") == "a'*x*eye(n) + x*a'");
  checked("x, a: vector(n); A: matrix(n, n)\ndiff(A*(x*x')*a, x)");
  checked("x: vector(n)\ndiff((x*x')*x, x)");
  checked("x, a: vector(n)\ndiff((x*x')'*a, x)");
  checked("x: vector(n)\ndiff(diag(x)*(x*x')*x, x)");
}

TEST_CASE("intermediates: Hessians of everyday scalars", "[diff][intermediates][hessian]") {
  checked("x: vector(n); A: matrix(n, n)\nhessian(exp(x'*A*x), x)");
  checked("x: vector(n); A: matrix(n, n)\nhessian((x'*A*x)^2, x)");
  checked("x: vector(n); A: matrix(n, n)\nhessian(sigmoid(x'*A*x), x)");
  checked("x: vector(n); A: matrix(m, n)\nhessian(norm2(A*x)^4, x)");
  checked("x: vector(n); A: matrix(n, n)\nhessian((x'*A*x)/(x'*x), x)");
  // fixed sizes with more rows than columns, so X'*diag(w)*X is invertible
  checked("X: matrix(5, 3); w: vector(5)\nhessian(logdet(X'*diag(w)*X), w)", Dist::Normal, {{"w", Dist::Positive}});
}

TEST_CASE("intermediates: the Hessian of a three-layer network by its input", "[diff][intermediates][hessian]") {
  checked("x: vector(n); W1: matrix(h, n); W2: matrix(k, h); w3: vector(k)\n"
          "hessian(sum(sigmoid(w3'*tanh(W2*sigmoid(W1*x)))), x)");
}

TEST_CASE("intermediates: a known Hessian in closed form", "[diff][intermediates][hessian]") {
  // f = (x'Ax)^2:  H = 2 (A + A') x x' (A + A')' + 2 (x'Ax) (A + A')
  std::string h = checked("x: vector(n); S: matrix(n, n)\nhessian((x'*S*x)^2, x)");
  CHECK(h.find("x'*S*x") != std::string::npos);
}

namespace {
/// f with every use of the intermediate variable `name` replaced by an input
/// of the same name (the graph cut at it), for finite differences by it.
Expr cut(const Expr& f, const std::string& name, std::unordered_map<const Node*, Expr>& memo) {
  if (f->kind == Kind::Var && f->name == name) return ir::var(name, f->shape);
  auto it = memo.find(f.get());
  if (it != memo.end()) return it->second;
  Expr r = ir::map_args(f, [&](const Expr& a) { return cut(a, name, memo); });
  memo[f.get()] = r;
  return r;
}
}  // namespace

TEST_CASE("intermediates: derivatives by an intermediate variable of a program hold it independent",
          "[diff][intermediates][wrt]") {
  const std::string net =
      "x: vector(2); W1: matrix(3, 2); b1: vector(3); w2: vector(3); b2: scalar; y: scalar\n"
      "z1 = W1*x + b1\n"
      "a1 = sigmoid(z1)\n"
      "z2 = w2'*a1 + b2\n"
      "yhat = sigmoid(z2)\n"
      "L = (yhat - y)^2\n";
  Parsed parsed = parse_program(net, "<test>");
  Program prog = analyse(parsed);
  std::vector<In> ins;
  for (const auto& [name, sym] : prog.symbols)
    if (sym.origin != Symbol::Origin::Defined) ins.push_back({sym.node});
  Expr L = prog.symbols.at("L").node, a1 = prog.symbols.at("a1").node;
  struct Case {
    QueryOp op;
    Expr f;
    const char* wrt;
  };
  for (const Case& c : {Case{QueryOp::Grad, L, "z2"}, Case{QueryOp::Grad, L, "a1"}, Case{QueryOp::Grad, L, "z1"},
                        Case{QueryOp::Diff, a1, "z1"}, Case{QueryOp::Hessian, L, "z2"}}) {
    Expr wrt = prog.symbols.at(c.wrt).node;
    REQUIRE(!wrt->args.empty());  // an intermediate
    Expr r = c.op == QueryOp::Grad ? gradient(c.f, wrt) : c.op == QueryOp::Diff ? derivative(c.f, wrt) : hessian(c.f, wrt);
    INFO(c.wrt << ": " << to_text(r));
    std::unordered_map<const Node*, Expr> memo, memo2;
    Expr fc = cut(c.f, c.wrt, memo);
    Expr gc = c.op == QueryOp::Hessian ? cut(gradient(c.f, wrt), c.wrt, memo2) : nullptr;
    std::mt19937 rng(3);
    for (int t = 0; t < 3; ++t) {
      Bindings b;
      REQUIRE(fdtest::try_sample(rng, ins, {}, b));
      b.values[c.wrt] = evaluate(wrt->args[0], b);  // the cut variable at its value
      Eigen::MatrixXd got = evaluate(r, b);
      if (c.op == QueryOp::Hessian) {
        fdtest::expect_close(got, fdtest::fd_jacobian(gc, c.wrt, b), c.wrt);
      } else {
        Layout l = c.op == QueryOp::Diff ? Layout::Numerator : Layout::Denominator;
        fdtest::expect_close(fdtest::as_jacobian(got, c.f, wrt, l), fdtest::fd_jacobian(fc, c.wrt, b), c.wrt);
      }
    }
  }
  // The lecture's ∂L/∂z2, in the names of the program: 2 (ŷ - y) ŷ (1 - ŷ).
  std::string dz2 = to_text(gradient(L, prog.symbols.at("z2").node));
  CHECK(dz2.find("yhat - y") != std::string::npos);
  CHECK(dz2.find("1 - yhat") != std::string::npos);
}
