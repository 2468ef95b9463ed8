// Shapes and IR structure of analysed programs, compared with IR built by the
// ir:: constructors.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sema/helpers.hpp"

using namespace mcalc;
using namespace mcalc::testing;

#define CHECK_IR(actual, expected)                                  \
  do {                                                              \
    Expr a_ = (actual), e_ = (expected);                            \
    INFO("actual:   " << dump(a_) << "\nexpected: " << dump(e_));   \
    CHECK(ir::equal(a_, e_));                                       \
  } while (0)

namespace {
const Dim n = Dim::sym("n");
const Dim m = Dim::sym("m");
const Dim k = Dim::sym("k");
const Dim N = Dim::sym("N");
Expr num(double v) { return ir::num(v); }
std::string type_of(const Program& p, const std::string& name) {
  const Symbol* s = p.find(name);
  return s ? type_string(*s) : "<none>";
}
}  // namespace

TEST_CASE("binary operators map to their IR kinds", "[sema]") {
  const std::string decl = "x, y : vector(n); A, B : matrix(n); a, b : scalar\n";
  Expr x = vec("x", "n"), y = vec("y", "n"), A = mat("A", n, n), B = mat("B", n, n), a = sca("a"), b = sca("b");
  CHECK_IR(last_expr(analyse_text(decl + "x + y")), ir::add(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "x - y")), ir::sub(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "A*x")), ir::mul(A, x));
  CHECK_IR(last_expr(analyse_text(decl + "a*x")), ir::mul(a, x));
  CHECK_IR(last_expr(analyse_text(decl + "x*a")), ir::mul(x, a));
  CHECK_IR(last_expr(analyse_text(decl + "x/a")), ir::div(x, a));
  CHECK_IR(last_expr(analyse_text(decl + "x .* y")), ir::hadamard(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "x ⊙ y")), ir::hadamard(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "x ∘ y")), ir::hadamard(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "x ⊗ y")), ir::hadamard(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "x ./ y")), ir::elem_div(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "x ⊘ y")), ir::elem_div(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "x · y")), ir::dot(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "a^b")), ir::pow(a, b));
  CHECK_IR(last_expr(analyse_text(decl + "A^3")), ir::pow(A, num(3)));
  CHECK_IR(last_expr(analyse_text(decl + "A^-1")), ir::pow(A, num(-1)));
  CHECK_IR(last_expr(analyse_text(decl + "x.^2")), ir::elem_pow(x, num(2)));
  CHECK_IR(last_expr(analyse_text(decl + "1 ./ x")), ir::elem_div(num(1), x));
  CHECK_IR(last_expr(analyse_text(decl + "2 .* x")), ir::hadamard(num(2), x));
  CHECK_IR(last_expr(analyse_text(decl + "x + 1")), ir::add(x, num(1)));
  CHECK_IR(last_expr(analyse_text(decl + "A .* B")), ir::hadamard(A, B));
}

TEST_CASE("chains fold left; powers nest right", "[sema]") {
  const std::string decl = "x, y, z : vector(n); a, b, c : scalar\n";
  Expr x = vec("x", "n"), y = vec("y", "n"), z = vec("z", "n"), a = sca("a"), b = sca("b"), c = sca("c");
  CHECK_IR(last_expr(analyse_text(decl + "x - y + z")), ir::add(ir::sub(x, y), z));
  CHECK_IR(last_expr(analyse_text(decl + "a/b*c")), ir::mul(ir::div(a, b), c));
  CHECK_IR(last_expr(analyse_text(decl + "a^b^c")), ir::pow(a, ir::pow(b, c)));
  CHECK_IR(last_expr(analyse_text(decl + "a + b*c")), ir::add(a, ir::mul(b, c)));
  CHECK_IR(last_expr(analyse_text(decl + "(a + b)*c")), ir::mul(ir::add(a, b), c));
  CHECK_IR(last_expr(analyse_text(decl + "2^-1")), ir::pow(num(2), num(-1)));
}

TEST_CASE("unary minus folds into numeric literals; unary plus is dropped", "[sema]") {
  Expr x = vec("x", "n");
  CHECK_IR(last_expr(analyse_text("x : vector(n)\n-2")), num(-2));
  CHECK_IR(last_expr(analyse_text("x : vector(n)\n-x")), ir::neg(x));
  CHECK_IR(last_expr(analyse_text("x : vector(n)\n+x")), x);
  CHECK_IR(last_expr(analyse_text("x : vector(n)\n-2*x")), ir::mul(num(-2), x));
  CHECK_IR(last_expr(analyse_text("x : vector(n)\n-x.^2")), ir::neg(ir::elem_pow(x, num(2))));
  CHECK_IR(last_expr(analyse_text("-2^2")), ir::neg(ir::pow(num(2), num(2))));
  CHECK_IR(last_expr(analyse_text("--2")), ir::neg(num(-2)));
  CHECK_IR(last_expr(analyse_text("-(2)")), num(-2));
}

TEST_CASE("postfix transpose and indexing", "[sema]") {
  const std::string decl = "x : vector(n); A : matrix(m, n); v : vector(3)\n";
  Expr x = vec("x", "n"), A = mat("A", m, n), v = ir::var("v", Shape::vector(Dim::lit(3)));
  CHECK_IR(last_expr(analyse_text(decl + "x'")), ir::transpose(x));
  CHECK_IR(last_expr(analyse_text(decl + "xᵀ")), ir::transpose(x));
  CHECK_IR(last_expr(analyse_text(decl + "A''")), ir::transpose(ir::transpose(A)));
  CHECK_IR(last_expr(analyse_text(decl + "x[2]")), ir::index(x, 2));
  CHECK_IR(last_expr(analyse_text(decl + "x'[2]")), ir::index(ir::transpose(x), 2));
  CHECK_IR(last_expr(analyse_text(decl + "A[1, 2]")), ir::index(A, 1, 2));
  CHECK_IR(last_expr(analyse_text(decl + "v[3]")), ir::index(v, 3));
  CHECK_IR(last_expr(analyse_text(decl + "transpose(A)")), ir::transpose(A));
}

TEST_CASE("function calls and their aliases", "[sema]") {
  const std::string decl = "x, y : vector(n); A : matrix(n); a : scalar\n";
  Expr x = vec("x", "n"), y = vec("y", "n"), A = mat("A", n, n), a = sca("a");
  auto call = [](Fn f, std::vector<Expr> args) { return ir::call(f, std::move(args)); };
  CHECK_IR(last_expr(analyse_text(decl + "ln(x)")), call(Fn::Log, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "log(x)")), call(Fn::Log, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "σ(x)")), call(Fn::Sigmoid, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "sigmoid(x)")), call(Fn::Sigmoid, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "norm(x)")), call(Fn::Norm2, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "norm1(A)")), call(Fn::Norm1, {A}));
  CHECK_IR(last_expr(analyse_text(decl + "dot(x, y)")), ir::dot(x, y));
  CHECK_IR(last_expr(analyse_text(decl + "diag(x)")), call(Fn::DiagOf, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "diag(A)")), call(Fn::DiagVec, {A}));
  CHECK_IR(last_expr(analyse_text(decl + "leaky_relu(x)")), call(Fn::LeakyRelu, {x, num(0.01)}));
  CHECK_IR(last_expr(analyse_text(decl + "leaky_relu(x, 0.2)")), call(Fn::LeakyRelu, {x, num(0.2)}));
  CHECK_IR(last_expr(analyse_text(decl + "max(0, x)")), call(Fn::Max, {num(0), x}));
  CHECK_IR(last_expr(analyse_text(decl + "min(x, y)")), call(Fn::Min, {x, y}));
  CHECK_IR(last_expr(analyse_text(decl + "sum(x)")), call(Fn::Sum, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "mean(A)")), call(Fn::Mean, {A}));
  CHECK_IR(last_expr(analyse_text(decl + "softmax(x)")), call(Fn::Softmax, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "logsumexp(x)")), call(Fn::Logsumexp, {x}));
  CHECK_IR(last_expr(analyse_text(decl + "logsumexp(x')")), call(Fn::Logsumexp, {ir::transpose(x)}));
  CHECK_IR(last_expr(analyse_text(decl + "tr(A)")), call(Fn::Tr, {A}));
  CHECK_IR(last_expr(analyse_text(decl + "det(A)")), call(Fn::Det, {A}));
  CHECK_IR(last_expr(analyse_text(decl + "logdet(A)")), call(Fn::Logdet, {A}));
  CHECK_IR(last_expr(analyse_text(decl + "inv(A)")), call(Fn::Inv, {A}));
  CHECK_IR(last_expr(analyse_text(decl + "exp(a)")), call(Fn::Exp, {a}));
  for (const char* f : {"sin", "cos", "tan", "asin", "acos", "atan", "exp", "log", "sqrt", "abs", "sign", "tanh",
                        "sigmoid", "relu", "softplus", "step", "heaviside"}) {
    Program p = analyse_text(decl + f + "(x)");
    REQUIRE(last_expr(p)->kind == Kind::Call);
    CHECK(std::string(fn_name(last_expr(p)->fn)) == f);
    CHECK(last_expr(p)->shape == Shape::vector(n));
  }
}

TEST_CASE("constants take literal or named dimensions", "[sema]") {
  const std::string decl = "x : vector(n); A : matrix(m, n)\n";
  Expr x = vec("x", "n"), A = mat("A", m, n);
  CHECK_IR(last_expr(analyse_text(decl + "ones(n)")), ir::ones(Shape::vector(n)));
  CHECK_IR(last_expr(analyse_text(decl + "ones(3)")), ir::ones(Shape::vector(Dim::lit(3))));
  CHECK_IR(last_expr(analyse_text(decl + "zeros(m, n)")), ir::zeros(Shape::matrix(m, n)));
  CHECK_IR(last_expr(analyse_text(decl + "eye(n)")), ir::eye(n));
  CHECK_IR(last_expr(analyse_text(decl + "unit(2, n)")), ir::unit(2, n));
  CHECK_IR(last_expr(analyse_text(decl + "A*x + ones(m)")), ir::add(ir::mul(A, x), ir::ones(Shape::vector(m))));
  // vector(c) and matrix(c) take their size from the context.
  CHECK_IR(last_expr(analyse_text(decl + "x + vector(2)")),
           ir::add(x, ir::mul(num(2), ir::ones(Shape::vector(n)))));
  CHECK_IR(last_expr(analyse_text(decl + "A .* matrix(0.5)")),
           ir::hadamard(A, ir::mul(num(0.5), ir::ones(Shape::matrix(m, n)))));
  CHECK_IR(last_expr(analyse_text(decl + "A*vector(1)")), ir::mul(A, ir::mul(num(1), ir::ones(Shape::vector(n)))));
}

TEST_CASE("bracket literals", "[sema]") {
  Program p = analyse_text("[1, 2; 3, 4]");
  CHECK_IR(last_expr(p), ir::literal(2, 2, {num(1), num(2), num(3), num(4)}));
  p = analyse_text("a : scalar\n[log(a^2); sin(3*a)]");
  Expr a = sca("a");
  CHECK_IR(last_expr(p), ir::literal(2, 1, {ir::call(Fn::Log, {ir::pow(a, num(2))}),
                                            ir::call(Fn::Sin, {ir::mul(num(3), a)})}));
  p = analyse_text("x : vector(n)\n[x'*x, -1]");
  CHECK(last_expr(p)->shape == Shape::row(Dim::lit(2)));
}

TEST_CASE("the letter convention assumes undeclared names", "[sema]") {
  Program p = analyse_text("a*h + B*z + c");
  CHECK(type_of(p, "a") == "scalar");
  CHECK(type_of(p, "h") == "vector(n)");
  CHECK(type_of(p, "B") == "matrix(n, m)");  // a*h + B*z: B*z has h's length
  CHECK(type_of(p, "z") == "vector(m)");
  CHECK(p.find("B")->origin == Symbol::Origin::Assumed);
  CHECK(type_of(analyse_text("_t + g"), "_t") == "scalar");
  CHECK(type_of(analyse_text("exp(f)"), "f") == "scalar");
}

TEST_CASE("unification infers dimensions across uses", "[sema]") {
  Program p = analyse_text("x'*A*x");
  CHECK(type_of(p, "x") == "vector(n)");
  CHECK(type_of(p, "A") == "matrix(n, n)");
  Expr x = vec("x", "n"), A = mat("A", n, n);
  CHECK_IR(last_expr(p), ir::mul(ir::mul(ir::transpose(x), A), x));
  CHECK(last_expr(p)->is_scalar());
  CHECK(reported_types(p) == std::vector<std::pair<std::string, std::string>>{{"x", "vector(n)"},
                                                                              {"A", "matrix(n, n)"}});

  // A*x + y: y gets A's row dimension.
  p = analyse_text("A*x + y");
  CHECK(type_of(p, "A") == "matrix(n, m)");
  CHECK(type_of(p, "x") == "vector(m)");
  CHECK(type_of(p, "y") == "vector(n)");

  // Declared names are rigid; assumed ones adopt them.
  p = analyse_text("x : vector(k)\nw'*x + A*x");
  CHECK(type_of(p, "w") == "vector(k)");
  CHECK(type_of(p, "A") == "matrix(n, k)");  // w'*x is a scalar: broadcast, A has a free row dimension
}

TEST_CASE("fresh names avoid declared dimension and variable names", "[sema]") {
  Program p = analyse_text("n : scalar\nx'*y");
  CHECK(type_of(p, "x") == "vector(m)");
  p = analyse_text("X : matrix(N, n)\nX*w + A*v");
  CHECK(type_of(p, "w") == "vector(n)");
  CHECK(type_of(p, "A") == "matrix(N, m)");
  CHECK(type_of(p, "v") == "vector(m)");
  CHECK(p.dims == std::vector<std::string>{"N", "n", "m"});
}

TEST_CASE("dimension names denote their size", "[sema]") {
  Program p = analyse_text("x : vector(n)\nsum(x)/n");
  Expr x = vec("x", "n");
  CHECK_IR(last_expr(p), ir::div(ir::call(Fn::Sum, {x}), ir::dim_size(n)));
  CHECK(p.find("n") == nullptr);
}

TEST_CASE("the lecture's neuron and mean squared error", "[sema]") {
  Program p = analyse_text("max(0, w'*x + b)");
  Expr w = vec("w", "n"), x = vec("x", "n"), b = sca("b");
  CHECK_IR(last_expr(p), ir::call(Fn::Max, {num(0), ir::add(ir::mul(ir::transpose(w), x), b)}));
  CHECK(type_of(p, "w") == "vector(n)");
  CHECK(type_of(p, "x") == "vector(n)");
  CHECK(type_of(p, "b") == "scalar");

  p = analyse_text("X : matrix(N, n)\nsum((y - max(0, X*w + b)).^2)/N");
  Expr X = mat("X", N, n), y = vec("y", "N");
  Expr wn = vec("w", "n");
  CHECK_IR(last_expr(p),
           ir::div(ir::call(Fn::Sum, {ir::elem_pow(ir::sub(y, ir::call(Fn::Max, {num(0), ir::add(ir::mul(X, wn), b)})),
                                                   num(2))}),
                   ir::dim_size(N)));
  CHECK(reported_types(p) == std::vector<std::pair<std::string, std::string>>{
                                 {"X", "matrix(N, n)"}, {"y", "vector(N)"}, {"w", "vector(n)"}, {"b", "scalar"}});
  CHECK(p.find("X")->origin == Symbol::Origin::Declared);
  CHECK(p.find("y")->origin == Symbol::Origin::Assumed);
}

TEST_CASE("the 1-2-3-1 network of the lecture", "[sema]") {
  const std::string net =
      "# a 1-2-3-1 network with sigmoid activations\n"
      "x : scalar = 2.0\n"
      "W1 : matrix(2, 1) = [0.1; 0.1]\n"
      "b1 : vector(2) = [0.1; 0.2]\n"
      "W2 : matrix(3, 2) = [0.2, 0.1; 0.3, 0.2; 0.1, 0.3]\n"
      "b2 : vector(3) = [0.3, 0.1, 0.2]\n"
      "W3 : matrix(1, 3) = [0.4, 0.2, 0.6]\n"
      "b3 : scalar = 0.5\n"
      "y : scalar = 1\n"
      "a1 = σ(W1*x + b1)\n"
      "a2 = σ(W2*a1 + b2)\n"
      "yhat = σ(W3*a2 + b3)\n"
      "L = -(y*log(yhat) + (1 - y)*log(1 - yhat))\n"
      "L\n"
      "grad(L, W2)\n";
  Program p = analyse_text(net, "net.mc");
  CHECK(type_of(p, "a1") == "vector(2)");
  CHECK(type_of(p, "a2") == "vector(3)");
  CHECK(type_of(p, "yhat") == "scalar");  // W3*a2 is 1x1: a scalar
  CHECK(type_of(p, "L") == "scalar");
  CHECK(p.find("a1")->origin == Symbol::Origin::Defined);
  CHECK(p.find("W3")->origin == Symbol::Origin::Declared);
  // b2's flat list is read as a column.
  CHECK_IR(p.find("b2")->value, ir::literal(3, 1, {num(0.3), num(0.1), num(0.2)}));
  CHECK_IR(p.find("x")->value, num(2));
  REQUIRE(p.statements.size() == 14);
  CHECK(p.statements[0].kind == Statement::Kind::Declaration);
  CHECK(p.statements[8].kind == Statement::Kind::Definition);
  CHECK(p.statements[12].kind == Statement::Kind::Evaluate);
  const Statement& q = p.statements[13];
  CHECK(q.kind == Statement::Kind::Query);
  CHECK(q.op == QueryOp::Grad);
  CHECK(q.wrt == p.find("W2")->node);
  CHECK(q.expr == p.find("L")->node);
  // yhat's node is an intermediate variable whose definition is σ(W3*a2 + b3).
  Expr yhat = p.find("yhat")->node;
  REQUIRE(yhat->kind == Kind::Var);
  REQUIRE(yhat->args.size() == 1);
  CHECK_IR(yhat->args[0], ir::call(Fn::Sigmoid, {ir::add(ir::mul(p.find("W3")->node, p.find("a2")->node),
                                                         p.find("b3")->node)}));
  CHECK(p.statements[10].expr == yhat->args[0]);
}

TEST_CASE("derive(f, x) is a statement of its own, with f and the variable", "[sema]") {
  Program p = analyse_text("z = w'*x + b\nderive(max(0, z), w)");
  REQUIRE(p.statements.size() == 2);
  const Statement& d = p.statements[1];
  CHECK(d.kind == Statement::Kind::Derive);
  CHECK(d.op == QueryOp::Diff);
  CHECK(d.wrt == p.find("w")->node);
  CHECK(d.expr->kind == Kind::Call);
  CHECK(d.expr->fn == Fn::Max);
}

TEST_CASE("queries name the differentiation variable", "[sema]") {
  Program p = analyse_text("f = x'*A*x\ndiff(f, x)\nhessian(f, x)\ngrad(x'*A*x, A)");
  REQUIRE(p.statements.size() == 4);
  CHECK(p.statements[1].kind == Statement::Kind::Query);
  CHECK(p.statements[1].op == QueryOp::Diff);
  CHECK(p.statements[2].op == QueryOp::Hessian);
  CHECK(p.statements[3].op == QueryOp::Grad);
  CHECK(p.statements[1].wrt == p.find("x")->node);
  CHECK(p.statements[3].wrt == p.find("A")->node);
  CHECK(std::string(query_name(QueryOp::Hessian)) == "hessian");
}

TEST_CASE("units are analysed as one program", "[sema]") {
  Program p = analyse_texts({"x, w: vector(n); b: scalar", "max(0, w'*x + b)"});
  CHECK(p.find("w")->origin == Symbol::Origin::Declared);
  CHECK(p.find("b")->origin == Symbol::Origin::Declared);
  CHECK(p.symbol_order == std::vector<std::string>{"x", "w", "b"});
  CHECK(p.statements.size() == 3);
  CHECK(p.dims == std::vector<std::string>{"n"});
}

TEST_CASE("declarations hold for the whole program", "[sema]") {
  Program p = analyse_text("y = A*x\nA : matrix(3, 2)");
  CHECK(type_of(p, "x") == "vector(2)");
  CHECK(type_of(p, "y") == "vector(3)");
}

TEST_CASE("declared values", "[sema]") {
  Program p = analyse_text("W : matrix(n, 2) = [1, 2; 3, 4; 5, 6]\nx : vector(n) = [1, 2, 3]\nc : scalar = -0.5");
  CHECK_IR(p.find("W")->value, ir::literal(3, 2, {num(1), num(2), num(3), num(4), num(5), num(6)}));
  CHECK(p.find("W")->shape == Shape::matrix(n, Dim::lit(2)));
  CHECK_IR(p.find("x")->value, ir::literal(3, 1, {num(1), num(2), num(3)}));
  CHECK_IR(p.find("c")->value, num(-0.5));
  p = analyse_text("v : vector(n) = vector(2)");
  CHECK_IR(p.find("v")->value, ir::mul(num(2), ir::ones(Shape::vector(n))));
}

TEST_CASE("type strings are declaration syntax", "[sema]") {
  CHECK(type_string(Shape::scalar()) == "scalar");
  CHECK(type_string(Shape::vector(n)) == "vector(n)");
  CHECK(type_string(Shape::row(n)) == "matrix(1, n)");
  CHECK(type_string(Shape::matrix(m, Dim::lit(3))) == "matrix(m, 3)");
}

TEST_CASE("nodes carry their source locations", "[sema]") {
  Program p = analyse_text("x : vector(n)\ny = 2*x + 1");
  Expr def = p.statements[1].expr;
  CHECK(def->loc.line == 2);
  CHECK(def->loc.col == 5);
  CHECK(def->loc.len == 7);
  CHECK(def->args[0]->loc.col == 5);
  CHECK(def->args[0]->loc.len == 3);
}

TEST_CASE("indices are checked again once sizes are known", "[sema]") {
  // x[5] types while x's length is unknown; the literal fixes it to 3 later.
  try {
    analyse_text("y = x[5]\nx + [1; 2; 3]");
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::IndexOutOfRange);
    CHECK(e.text() == "index 5 is out of range for vector(3)");
    CHECK(e.loc().line == 1);
  }
  CHECK_IR(last_expr(analyse_text("y = x[2]\nx + [1; 2; 3]")),
           ir::add(ir::var("x", Shape::vector(Dim::lit(3))), ir::literal(3, 1, {num(1), num(2), num(3)})));
}

TEST_CASE("a 1x1 product is a scalar and broadcasts", "[sema]") {
  Program p = analyse_text("W3 : matrix(1, 3)\nW3*h + x");
  CHECK(type_of(p, "h") == "vector(3)");
  CHECK(type_of(p, "x") == "vector(n)");
  CHECK(last_expr(p)->shape == Shape::vector(n));
  p = analyse_text("(w'*x)*A + B");
  CHECK(type_of(p, "A") == "matrix(m, k)");
  CHECK(type_of(p, "B") == "matrix(m, k)");
}

TEST_CASE("statement-level details", "[sema]") {
  Program p = analyse_text("x : vector(n)\nz = 2*x\nz'*z");
  REQUIRE(p.statements.size() == 3);
  CHECK(p.statements[0].names == std::vector<std::string>{"x"});
  CHECK(p.statements[1].names == std::vector<std::string>{"z"});
  CHECK_IR(p.statements[1].expr, ir::mul(num(2), vec("x", "n")));
  Expr z = p.find("z")->node;
  CHECK(z->args.size() == 1);
  CHECK(z->args[0] == p.statements[1].expr);
  CHECK_IR(last_expr(p), ir::mul(ir::transpose(z), z));
  CHECK(last_expr(p)->args[1] == z);  // uses of z share its node
  CHECK(p.find("z")->loc.line == 2);
  CHECK(p.find("x")->value == nullptr);
}

TEST_CASE("names declared together share their value", "[sema]") {
  Program p = analyse_text("x, w : vector(3) = [1; 2; 3]");
  CHECK(p.find("x")->value == p.find("w")->value);
  CHECK_IR(p.find("w")->value, ir::literal(3, 1, {num(1), num(2), num(3)}));
}

TEST_CASE("the grammar's example programs type-check", "[sema]") {
  auto load = [](const char* name) {
    std::ifstream in(std::string(MCALC_SOURCE_DIR) + "/grammar/examples/" + name);
    std::ostringstream os;
    os << in.rdbuf();
    REQUIRE(!os.str().empty());
    return analyse_text(os.str(), name);
  };
  Program p = load("network_1_2_3_1.mc");
  CHECK(type_of(p, "a2") == "vector(3)");
  CHECK(type_of(p, "yhat") == "scalar");
  CHECK(p.statements.back().kind == Statement::Kind::Query);
  CHECK(p.statements.back().wrt == p.find("W1")->node);

  p = load("mse_cost.mc");
  CHECK(type_of(p, "cost") == "scalar");
  CHECK(p.dims == std::vector<std::string>{"N", "n"});

  p = load("neuron.mc");
  CHECK(last_expr(p)->is_scalar());

  p = load("cross_entropy.mc");
  CHECK(p.statements.back().op == QueryOp::Grad);

  p = load("quadratic_form.mc");
  CHECK(type_of(p, "A") == "matrix(n, n)");
  CHECK(type_of(p, "v") == "vector(n)");  // the letter convention: v is a vector, v'*x a scalar
  CHECK(type_of(p, "f") == "scalar");

  p = load("vector_chain_rule.mc");
  CHECK(type_of(p, "f") == "vector(2)");
}
