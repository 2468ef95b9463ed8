// Exact strings of the text printer, for every node kind, every function and
// every parenthesisation rule of the language.
#include <catch2/catch.hpp>

#include "ir_builders.hpp"
#include "mcalc/print.hpp"

using namespace mcalc;

using namespace mcalc::test::build;

TEST_CASE("text: leaves", "[print][text]") {
  CHECK(to_text(num(2)) == "2");
  CHECK(to_text(num(0.5)) == "0.5");
  CHECK(to_text(num(0.1)) == "0.1");
  CHECK(to_text(num(1e-3)) == "0.001");
  CHECK(to_text(num(1e-7)) == "1e-07");
  CHECK(to_text(num(123456789)) == "123456789");
  CHECK(to_text(num(-2)) == "-2");
  CHECK(to_text(num(-0.0)) == "0");
  CHECK(to_text(num(1.0 / 3)) == "0.3333333333333333");
  CHECK(to_text(vec("x")) == "x");
  CHECK(to_text(sc("alpha")) == "alpha");
  CHECK(to_text(ir::dim_size(N)) == "N");
  CHECK(to_text(ir::dim_size(Dim::lit(3))) == "3");
}

TEST_CASE("text: numbers read back exactly", "[print][text]") {
  for (double v : {0.1, 0.7739, 1.0 / 3, 2.0 / 3, 1e-300, 6.02214076e23, 0.30000000000000004, 123.456}) {
    std::string s = to_text(num(v));
    CHECK(std::stod(s) == v);
  }
}

TEST_CASE("text: constants", "[print][text]") {
  CHECK(to_text(ir::ones(Shape::vector(n))) == "ones(n)");
  CHECK(to_text(ir::ones(Shape::row(n))) == "ones(n)'");
  CHECK(to_text(ir::ones(Shape::matrix(m, n))) == "ones(m, n)");
  CHECK(to_text(ir::ones(Shape::vector(Dim::lit(3)))) == "ones(3)");
  CHECK(to_text(ir::zeros(Shape::vector(n))) == "zeros(n)");
  CHECK(to_text(ir::zeros(Shape::row(n))) == "zeros(n)'");
  CHECK(to_text(ir::zeros(Shape::matrix(m, n))) == "zeros(m, n)");
  CHECK(to_text(ir::eye(n)) == "eye(n)");
  CHECK(to_text(ir::eye(Dim::lit(2))) == "eye(2)");
  CHECK(to_text(ir::unit(2, n)) == "unit(2, n)");
  CHECK(to_text(ir::neg(ir::eye(n))) == "-eye(n)");
  CHECK(to_text(ir::transpose(ir::ones(Shape::vector(n)))) == "ones(n)'");
  CHECK(to_text(ir::mul(ir::ones(Shape::row(n)), vec("v"))) == "ones(n)'*v");
  CHECK(to_text(ir::pow(ir::index(ir::ones(Shape::row(n)), 1), num(2))) == "ones(n)'[1]^2");
}

TEST_CASE("text: operators and spacing", "[print][text]") {
  auto x = vec("x"), w = vec("w"), y = vec("y"), b = sc("b"), a = sc("a"), c = sc("c"), A = mat("A");
  CHECK(to_text(ir::add(ir::mul(ir::transpose(w), x), b)) == "w'*x + b");
  CHECK(to_text(ir::sub(x, y)) == "x - y");
  CHECK(to_text(ir::neg(x)) == "-x");
  CHECK(to_text(ir::mul(A, x)) == "A*x");
  CHECK(to_text(ir::div(x, b)) == "x/b");
  CHECK(to_text(ir::hadamard(x, y)) == "x.*y");
  CHECK(to_text(ir::elem_div(x, y)) == "x./y");
  CHECK(to_text(ir::dot(x, y)) == "dot(x, y)");
  CHECK(to_text(ir::pow(a, num(2))) == "a^2");
  CHECK(to_text(ir::elem_pow(x, num(2))) == "x.^2");
  CHECK(to_text(ir::transpose(x)) == "x'");
  CHECK(to_text(ir::index(x, 2)) == "x[2]");
  CHECK(to_text(ir::index(A, 1, 2)) == "A[1, 2]");
  CHECK(to_text(ir::mul(ir::mul(num(2), a), ir::call(Fn::Cos, {ir::pow(a, num(2))}))) == "2*a*cos(a^2)");
  auto z = ir::add(ir::mul(ir::transpose(w), x), b);
  CHECK(to_text(ir::mul(ir::call(Fn::Step, {z}), ir::transpose(x))) == "step(w'*x + b)*x'");
  CHECK(to_text(ir::sub(ir::call(Fn::Sigmoid, {c}), a)) == "sigmoid(c) - a");
  (void)y;
}

TEST_CASE("text: parenthesisation", "[print][text]") {
  auto x = vec("x"), a = sc("a"), b = sc("b"), c = sc("c"), A = mat("A"), B = mat("B"), C = mat("C");
  // additive level, left-assoc
  CHECK(to_text(ir::add(ir::add(a, b), c)) == "a + b + c");
  CHECK(to_text(ir::add(a, ir::add(b, c))) == "a + (b + c)");
  CHECK(to_text(ir::sub(a, ir::add(b, c))) == "a - (b + c)");
  CHECK(to_text(ir::sub(a, ir::sub(b, c))) == "a - (b - c)");
  CHECK(to_text(ir::sub(ir::sub(a, b), c)) == "a - b - c");
  CHECK(to_text(ir::sub(a, num(-2))) == "a - -2");
  CHECK(to_text(ir::add(a, ir::neg(b))) == "a + -b");
  // multiplicative level binds tighter than additive
  CHECK(to_text(ir::mul(ir::add(a, b), c)) == "(a + b)*c");
  CHECK(to_text(ir::mul(c, ir::add(a, b))) == "c*(a + b)");
  CHECK(to_text(ir::add(ir::mul(a, b), c)) == "a*b + c");
  CHECK(to_text(ir::mul(ir::mul(A, B), C)) == "A*B*C");
  CHECK(to_text(ir::mul(A, ir::mul(B, C))) == "A*(B*C)");
  CHECK(to_text(ir::div(a, ir::mul(b, c))) == "a/(b*c)");
  CHECK(to_text(ir::div(ir::div(a, b), c)) == "a/b/c");
  CHECK(to_text(ir::div(a, ir::div(b, c))) == "a/(b/c)");
  CHECK(to_text(ir::hadamard(x, ir::hadamard(x, x))) == "x.*(x.*x)");
  CHECK(to_text(ir::mul(a, num(-2))) == "a*-2");
  CHECK(to_text(ir::mul(num(-2), a)) == "-2*a");
  CHECK(to_text(ir::mul(a, ir::neg(b))) == "a*-b");
  // the deliberate case: a scalar quotient as a left factor
  auto X = ir::var("X", Shape::matrix(N, n)), e = ir::var("e", Shape::vector(N));
  auto two_over_N = ir::div(num(2), ir::dim_size(N));
  CHECK(to_text(ir::mul(ir::mul(two_over_N, ir::transpose(X)), e)) == "(2/N)*X'*e");
  CHECK(to_text(ir::mul(ir::div(A, b), x)) == "A/b*x");
  // unary minus
  CHECK(to_text(ir::neg(ir::add(a, b))) == "-(a + b)");
  CHECK(to_text(ir::neg(ir::mul(a, b))) == "-(a*b)");
  CHECK(to_text(ir::mul(ir::neg(a), b)) == "-a*b");
  CHECK(to_text(ir::neg(ir::pow(a, num(2)))) == "-a^2");
  CHECK(to_text(ir::pow(ir::neg(a), num(2))) == "(-a)^2");
  CHECK(to_text(ir::pow(num(-2), num(2))) == "(-2)^2");
  CHECK(to_text(ir::neg(ir::neg(a))) == "--a");
  CHECK(to_text(ir::neg(num(-2))) == "--2");
  // power: right-assoc, unary exponent
  CHECK(to_text(ir::pow(a, ir::pow(b, c))) == "a^b^c");
  CHECK(to_text(ir::pow(ir::pow(a, b), c)) == "(a^b)^c");
  CHECK(to_text(ir::pow(num(2), num(-1))) == "2^-1");
  CHECK(to_text(ir::pow(a, ir::neg(b))) == "a^-b");
  CHECK(to_text(ir::pow(a, ir::mul(b, c))) == "a^(b*c)");
  CHECK(to_text(ir::pow(ir::mul(a, b), c)) == "(a*b)^c");
  CHECK(to_text(ir::elem_pow(x, ir::elem_pow(x, x))) == "x.^x.^x");
  CHECK(to_text(ir::elem_pow(ir::elem_pow(x, x), x)) == "(x.^x).^x");
  CHECK(to_text(ir::pow(ir::transpose(a), num(2))) == "a'^2");
  CHECK(to_text(ir::pow(A, num(-1))) == "A^-1");
  // postfix
  CHECK(to_text(ir::transpose(ir::transpose(x))) == "x''");
  CHECK(to_text(ir::transpose(ir::mul(A, x))) == "(A*x)'");
  CHECK(to_text(ir::transpose(ir::neg(x))) == "(-x)'");
  CHECK(to_text(ir::transpose(ir::pow(A, num(2)))) == "(A^2)'");
  CHECK(to_text(ir::index(ir::mul(A, x), 2)) == "(A*x)[2]");
  CHECK(to_text(ir::index(ir::transpose(x), 2)) == "x'[2]");
  CHECK(to_text(ir::transpose(ir::index(x, 2))) == "x[2]'");
  CHECK(to_text(ir::neg(ir::transpose(x))) == "-x'");
  // calls and literals take whole expressions
  CHECK(to_text(ir::call(Fn::Sin, {ir::add(a, b)})) == "sin(a + b)");
  CHECK(to_text(ir::literal(2, 1, {ir::add(a, b), ir::neg(c)})) == "[a + b; -c]");
}

TEST_CASE("text: functions", "[print][text]") {
  auto x = vec("x"), a = sc("a"), A = mat("A");
  struct Case { Fn f; const char* text; };
  const Case unary_vec[] = {
      {Fn::Sin, "sin(x)"},         {Fn::Cos, "cos(x)"},           {Fn::Tan, "tan(x)"},
      {Fn::Asin, "asin(x)"},       {Fn::Acos, "acos(x)"},         {Fn::Atan, "atan(x)"},
      {Fn::Exp, "exp(x)"},         {Fn::Log, "log(x)"},           {Fn::Sqrt, "sqrt(x)"},
      {Fn::Abs, "abs(x)"},         {Fn::Sign, "sign(x)"},         {Fn::Tanh, "tanh(x)"},
      {Fn::Sigmoid, "sigmoid(x)"}, {Fn::Relu, "relu(x)"},         {Fn::Softplus, "softplus(x)"},
      {Fn::Step, "step(x)"},       {Fn::Heaviside, "heaviside(x)"}, {Fn::Sum, "sum(x)"},
      {Fn::Mean, "mean(x)"},       {Fn::Norm2, "norm2(x)"},       {Fn::Norm1, "norm1(x)"},
      {Fn::Logsumexp, "logsumexp(x)"}, {Fn::Softmax, "softmax(x)"}, {Fn::DiagOf, "diag(x)"},
  };
  for (const auto& c : unary_vec) CHECK(to_text(ir::call(c.f, {x})) == c.text);
  const Case unary_mat[] = {
      {Fn::Tr, "tr(A)"}, {Fn::Det, "det(A)"}, {Fn::Logdet, "logdet(A)"},
      {Fn::Inv, "inv(A)"}, {Fn::DiagVec, "diag(A)"},
  };
  for (const auto& c : unary_mat) CHECK(to_text(ir::call(c.f, {A})) == c.text);
  CHECK(to_text(ir::call(Fn::LeakyRelu, {x, num(0.01)})) == "leaky_relu(x, 0.01)");
  CHECK(to_text(ir::call(Fn::LeakyRelu, {x, a})) == "leaky_relu(x, a)");
  CHECK(to_text(ir::call(Fn::Max, {num(0), x})) == "max(0, x)");
  CHECK(to_text(ir::call(Fn::Min, {x, a})) == "min(x, a)");
}

TEST_CASE("text: intermediate variables print by name", "[print][text]") {
  auto w = vec("w"), x = vec("x"), b = sc("b");
  auto z = ir::var("z", Shape::scalar(), ir::add(ir::mul(ir::transpose(w), x), b));
  CHECK(to_text(ir::mul(ir::call(Fn::Step, {z}), x)) == "step(z)*x");
  CHECK(to_text(ir::pow(z, num(2))) == "z^2");
}

TEST_CASE("text: literals", "[print][text]") {
  auto a = sc("a"), b = sc("b"), c = sc("c"), d = sc("d");
  CHECK(to_text(ir::literal(2, 2, {a, b, c, d})) == "[a, b; c, d]");
  CHECK(to_text(ir::literal(2, 1, {a, b})) == "[a; b]");
  CHECK(to_text(ir::literal(1, 3, {num(1), num(2), num(3)})) == "[1, 2, 3]");
  CHECK(to_text(ir::literal(1, 1, {num(-1)})) == "[-1]");
  CHECK(to_text(ir::transpose(ir::literal(2, 1, {a, b}))) == "[a; b]'");
}
