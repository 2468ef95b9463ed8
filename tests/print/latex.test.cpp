// Exact strings of the LaTeX printer.
#include <catch2/catch.hpp>

#include "ir_builders.hpp"
#include "latex_reader.hpp"
#include "mcalc/print.hpp"

using namespace mcalc;

using namespace mcalc::test::build;

TEST_CASE("latex: names", "[print][latex]") {
  CHECK(to_latex(vec("x")) == "\\mathbf{x}");
  CHECK(to_latex(ir::var("x", Shape::row(n))) == "\\mathbf{x}");
  CHECK(to_latex(mat("A")) == "A");
  CHECK(to_latex(sc("b")) == "b");
  CHECK(to_latex(sc("alpha")) == "\\alpha");
  CHECK(to_latex(vec("theta")) == "\\boldsymbol{\\theta}");
  CHECK(to_latex(ir::var("W2", Shape::matrix(Dim::lit(3), Dim::lit(2)))) == "W_{2}");
  CHECK(to_latex(ir::var("a1", Shape::vector(Dim::lit(2)))) == "\\mathbf{a}_{1}");
  CHECK(to_latex(ir::var("y_hat", Shape::scalar())) == "y_{hat}");
  CHECK(to_latex(ir::var("loss", Shape::scalar())) == "\\mathit{loss}");
  CHECK(to_latex(ir::dim_size(N)) == "N");
  CHECK(to_latex(ir::dim_size(Dim::lit(4))) == "4");
}

TEST_CASE("latex: numbers", "[print][latex]") {
  CHECK(to_latex(num(2)) == "2");
  CHECK(to_latex(num(0.5)) == "0.5");
  CHECK(to_latex(num(-3)) == "-3");
  CHECK(to_latex(num(1e-7)) == "1 \\times 10^{-7}");
  CHECK(to_latex(num(2.5e20)) == "2.5 \\times 10^{20}");
}

TEST_CASE("latex: constants", "[print][latex]") {
  CHECK(to_latex(ir::ones(Shape::vector(n))) == "\\mathbf{1}");
  CHECK(to_latex(ir::ones(Shape::row(n))) == "\\mathbf{1}^\\top");
  CHECK(to_latex(ir::ones(Shape::matrix(m, n))) == "\\mathbf{1}_{m \\times n}");
  CHECK(to_latex(ir::zeros(Shape::vector(n))) == "\\mathbf{0}");
  CHECK(to_latex(ir::zeros(Shape::row(n))) == "\\mathbf{0}^\\top");
  CHECK(to_latex(ir::zeros(Shape::matrix(m, n))) == "\\mathbf{0}_{m \\times n}");
  CHECK(to_latex(ir::eye(n)) == "I");
  CHECK(to_latex(ir::unit(3, n)) == "\\mathbf{e}_{3}");
  CHECK(to_latex(ir::mul(ir::transpose(ir::ones(Shape::vector(n))), vec("v"))) == "\\mathbf{1}^\\top \\mathbf{v}");
}

TEST_CASE("latex: operators", "[print][latex]") {
  auto x = vec("x"), w = vec("w"), y = vec("y"), a = sc("a"), b = sc("b"), A = mat("A");
  CHECK(to_latex(ir::add(ir::mul(ir::transpose(w), x), b)) == "\\mathbf{w}^\\top \\mathbf{x} + b");
  CHECK(to_latex(ir::sub(x, y)) == "\\mathbf{x} - \\mathbf{y}");
  CHECK(to_latex(ir::neg(x)) == "-\\mathbf{x}");
  CHECK(to_latex(ir::hadamard(x, y)) == "\\mathbf{x} \\odot \\mathbf{y}");
  CHECK(to_latex(ir::elem_div(x, y)) == "\\mathbf{x} \\oslash \\mathbf{y}");
  CHECK(to_latex(ir::dot(x, y)) == "\\mathbf{x} \\cdot \\mathbf{y}");
  CHECK(to_latex(ir::div(a, b)) == "\\frac{a}{b}");
  CHECK(to_latex(ir::div(ir::add(a, b), ir::mul(a, b))) == "\\frac{a + b}{a b}");
  CHECK(to_latex(ir::pow(a, num(2))) == "a^{2}");
  CHECK(to_latex(ir::pow(a, ir::add(a, b))) == "a^{a + b}");
  CHECK(to_latex(ir::elem_pow(x, num(2))) == "\\mathbf{x}^{\\circ 2}");
  CHECK(to_latex(ir::transpose(x)) == "\\mathbf{x}^\\top");
  CHECK(to_latex(ir::transpose(ir::mul(A, x))) == "\\left(A \\mathbf{x}\\right)^\\top");
  CHECK(to_latex(ir::transpose(ir::transpose(x))) == "\\left(\\mathbf{x}^\\top\\right)^\\top");
  CHECK(to_latex(ir::pow(ir::transpose(a), num(2))) == "\\left(a^\\top\\right)^{2}");
  CHECK(to_latex(ir::index(x, 2)) == "\\mathbf{x}_{2}");
  CHECK(to_latex(ir::index(A, 1, 2)) == "A_{1,2}");
  CHECK(to_latex(ir::pow(ir::index(x, 2), num(2))) == "{\\mathbf{x}_{2}}^{2}");
  auto W2 = ir::var("W2", Shape::matrix(Dim::lit(3), Dim::lit(2)));
  CHECK(to_latex(ir::index(W2, 1, 2)) == "{W_{2}}_{1,2}");
  CHECK(to_latex(ir::transpose(W2)) == "{W_{2}}^\\top");
  CHECK(to_latex(ir::mul(num(2), a)) == "2 a");
  CHECK(to_latex(ir::mul(a, num(2))) == "a \\cdot 2");
  CHECK(to_latex(ir::mul(a, ir::neg(b))) == "a \\left(-b\\right)");
  CHECK(to_latex(ir::mul(ir::add(a, b), A)) == "\\left(a + b\\right) A");
  CHECK(to_latex(ir::neg(ir::add(a, b))) == "-\\left(a + b\\right)");
  auto X = ir::var("X", Shape::matrix(N, n)), e = ir::var("e", Shape::vector(N));
  CHECK(to_latex(ir::mul(ir::mul(ir::div(num(2), ir::dim_size(N)), ir::transpose(X)), e)) ==
        "\\frac{2}{N} X^\\top \\mathbf{e}");
}

TEST_CASE("latex: functions", "[print][latex]") {
  auto x = vec("x"), z = sc("z"), A = mat("A");
  CHECK(to_latex(ir::call(Fn::Sigmoid, {z})) == "\\sigma\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Sin, {z})) == "\\sin\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Cos, {z})) == "\\cos\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Tan, {z})) == "\\tan\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Asin, {z})) == "\\arcsin\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Acos, {z})) == "\\arccos\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Atan, {z})) == "\\arctan\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Exp, {z})) == "\\exp\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Log, {z})) == "\\log\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Tanh, {z})) == "\\tanh\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Sqrt, {z})) == "\\sqrt{z}");
  CHECK(to_latex(ir::call(Fn::Abs, {z})) == "\\left|z\\right|");
  CHECK(to_latex(ir::call(Fn::Sign, {z})) == "\\operatorname{sign}\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Relu, {z})) == "\\operatorname{relu}\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Softplus, {z})) == "\\operatorname{softplus}\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Step, {z})) == "\\operatorname{step}\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::Heaviside, {z})) == "\\operatorname{heaviside}\\left(z\\right)");
  CHECK(to_latex(ir::call(Fn::LeakyRelu, {z, num(0.01)})) == "\\operatorname{leaky\\_relu}\\left(z, 0.01\\right)");
  CHECK(to_latex(ir::call(Fn::Max, {num(0), x})) == "\\max\\left(0, \\mathbf{x}\\right)");
  CHECK(to_latex(ir::call(Fn::Min, {num(0), x})) == "\\min\\left(0, \\mathbf{x}\\right)");
  CHECK(to_latex(ir::call(Fn::Sum, {x})) == "\\operatorname{sum}\\left(\\mathbf{x}\\right)");
  CHECK(to_latex(ir::call(Fn::Mean, {x})) == "\\operatorname{mean}\\left(\\mathbf{x}\\right)");
  CHECK(to_latex(ir::call(Fn::Norm2, {x})) == "\\lVert \\mathbf{x}\\rVert_2");
  CHECK(to_latex(ir::call(Fn::Norm1, {x})) == "\\lVert \\mathbf{x}\\rVert_1");
  CHECK(to_latex(ir::call(Fn::Logsumexp, {x})) == "\\operatorname{logsumexp}\\left(\\mathbf{x}\\right)");
  CHECK(to_latex(ir::call(Fn::Softmax, {x})) == "\\operatorname{softmax}\\left(\\mathbf{x}\\right)");
  CHECK(to_latex(ir::call(Fn::Tr, {A})) == "\\operatorname{tr}\\left(A\\right)");
  CHECK(to_latex(ir::call(Fn::Det, {A})) == "\\det\\left(A\\right)");
  CHECK(to_latex(ir::call(Fn::Logdet, {A})) == "\\operatorname{logdet}\\left(A\\right)");
  CHECK(to_latex(ir::call(Fn::Inv, {A})) == "A^{-1}");
  CHECK(to_latex(ir::call(Fn::Inv, {ir::mul(A, A)})) == "\\left(A A\\right)^{-1}");
  CHECK(to_latex(ir::transpose(ir::call(Fn::Inv, {A}))) == "\\left(A^{-1}\\right)^\\top");
  CHECK(to_latex(ir::call(Fn::DiagOf, {x})) == "\\operatorname{diag}\\left(\\mathbf{x}\\right)");
  CHECK(to_latex(ir::call(Fn::DiagVec, {A})) == "\\operatorname{diag}\\left(A\\right)");
}

TEST_CASE("latex: literals", "[print][latex]") {
  auto a = sc("a"), b = sc("b");
  CHECK(to_latex(ir::literal(2, 2, {a, b, num(1), num(2)})) == "\\begin{bmatrix}a & b \\\\ 1 & 2\\end{bmatrix}");
  CHECK(to_latex(ir::literal(2, 1, {a, b})) == "\\begin{bmatrix}a \\\\ b\\end{bmatrix}");
  CHECK(to_latex(ir::transpose(ir::literal(1, 2, {a, b}))) == "\\begin{bmatrix}a & b\\end{bmatrix}^\\top");
}

// Found by the robustness review: `(A*x).*y*z'` printed as
// `A \mathbf{x} \odot \mathbf{y} \mathbf{z}^\top`, which a reader takes for
// A x ⊙ (y zᵀ). Juxtaposition binds tighter than ⊙ ⊘ ·, which bind tighter
// than + −, and the printer's precedence says so.
TEST_CASE("latex: (A*x).*y*z' keeps the parentheses its meaning needs", "[print][latex][regression]") {
  auto x = vec("x"), y = vec("y"), z = vec("z"), w = vec("w"), A = mat("A"), B = mat("B"), a = sc("a");
  Expr e = ir::mul(ir::hadamard(ir::mul(A, x), y), ir::transpose(z));  // ((A*x).*y)*z'
  CHECK(to_latex(e) == "\\left(A \\mathbf{x} \\odot \\mathbf{y}\\right) \\mathbf{z}^\\top");
  CHECK(test::read_latex(to_latex(e)) == test::latex_tree(e));
  // Juxtaposition inside ⊙ needs no parentheses; ⊙ inside a product does.
  CHECK(to_latex(ir::hadamard(ir::mul(A, x), ir::mul(B, y))) == "A \\mathbf{x} \\odot B \\mathbf{y}");
  CHECK(to_latex(ir::mul(A, ir::hadamard(x, y))) == "A \\left(\\mathbf{x} \\odot \\mathbf{y}\\right)");
  CHECK(to_latex(ir::elem_div(ir::mul(A, x), y)) == "A \\mathbf{x} \\oslash \\mathbf{y}");
  CHECK(to_latex(ir::mul(ir::elem_div(x, y), a)) == "\\left(\\mathbf{x} \\oslash \\mathbf{y}\\right) a");
  CHECK(to_latex(ir::dot(ir::mul(A, x), y)) == "A \\mathbf{x} \\cdot \\mathbf{y}");
  CHECK(to_latex(ir::hadamard(ir::add(x, y), w)) == "\\left(\\mathbf{x} + \\mathbf{y}\\right) \\odot \\mathbf{w}");
  CHECK(to_latex(ir::add(ir::hadamard(x, y), w)) == "\\mathbf{x} \\odot \\mathbf{y} + \\mathbf{w}");
  // ⊙ is left-associative: a grouping on the right is kept.
  CHECK(to_latex(ir::hadamard(x, ir::hadamard(y, w))) ==
        "\\mathbf{x} \\odot \\left(\\mathbf{y} \\odot \\mathbf{w}\\right)");
  // The inner product never takes `\cdot 2` (the product by a number) for its right operand.
  CHECK(to_latex(ir::dot(x, ir::mul(num(2), y))) == "\\mathbf{x} \\cdot \\left(2 \\mathbf{y}\\right)");
  for (const Expr& t : {ir::hadamard(ir::mul(A, x), ir::mul(B, y)), ir::mul(A, ir::hadamard(x, y)),
                        ir::dot(x, ir::mul(num(2), y)), ir::mul(ir::elem_div(x, y), a)})
    CHECK(test::read_latex(to_latex(t)) == test::latex_tree(t));
}
