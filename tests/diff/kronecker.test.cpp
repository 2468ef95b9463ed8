// Jacobians by a matrix and of a matrix in the vec/Kronecker convention of
// matrix differential calculus (Magnus & Neudecker): d vec(f)/d vec(X)ᵀ with
// column-major vec, numerator layout (transposed in denominator layout), and
// Hessians by a matrix, (mn) x (mn). Each closed form is checked against
// finite differences of vec(f) by vec(X) at random points, in both layouts.
#include <catch2/catch.hpp>

#include "diff/common.hpp"

using namespace dtest;

namespace {
const Dim p = Dim::sym("p"), q = Dim::sym("q");

/// diff(f, wrt) in both layouts: the numerator form's text, and finite differences in each.
void expect_vec_jacobian(const Expr& f, const Expr& wrt, const std::string& want, const std::vector<In>& ins) {
  expect_diff(f, wrt, want, ins, Layout::Numerator);
  Expr d = expect_diff(f, wrt, "", ins, Layout::Denominator);
  CHECK(d->shape == Shape(Shape{wrt->shape.rows * wrt->shape.cols, f->shape.rows * f->shape.cols}));
}
}  // namespace

TEST_CASE("a vector or matrix by a matrix: kron forms", "[diff][kronecker]") {
  auto x = vec("x"), W = mat("W", m, n), b = vec("b", m);
  auto A = mat("A", p, m), X = mat("X", m, n), B = mat("B", n, q), C = mat("C", p, q), S = mat("S");
  expect_vec_jacobian(ir::mul(W, x), W, "kron(x', eye(m))", {{W}, {x}});
  expect_vec_jacobian(fn(Fn::Sigmoid, ir::add(ir::mul(W, x), b)), W,
                      "diag(sigmoid(W*x + b).*(1 - sigmoid(W*x + b)))*kron(x', eye(m))",
                      {{W}, {x}, {b}});
  expect_vec_jacobian(ir::mul(ir::mul(A, X), B), X, "kron(B', A)", {{A}, {X}, {B}});
  expect_vec_jacobian(fn(Fn::Inv, S), S, "-kron(inv(S)', inv(S))", {{S, Dist::Spd}});
  // vec(X') = K vec(X): the commutation matrix K(m, n)
  expect_vec_jacobian(T(X), X, "commutation(m, n)", {{X}});
  expect_vec_jacobian(ir::mul(C, T(ir::mul(X, B))), X, "kron(eye(m), C*B')*commutation(m, n)", {{C}, {X}, {B}});
  // elementwise and scaled: vec(X .* X) and (sum of X) X
  expect_vec_jacobian(ir::hadamard(X, X), X, "2*diag(vec(X))", {{X}});
  expect_vec_jacobian(ir::mul(fn(Fn::Sum, X), X), X, "", {{X}});
  expect_vec_jacobian(ir::mul(X, fn(Fn::Tr, ir::mul(T(X), X))), X, "", {{X}});
}

TEST_CASE("a matrix by a vector: matrix-valued f through vec", "[diff][kronecker]") {
  auto x = vec("x"), a = vec("a"), A = mat("A");
  expect_vec_jacobian(ir::mul(x, T(x)), x, "kron(x, eye(n)) + kron(eye(n), x)", {{x}});
  // a vector f whose differential passes through a matrix Hadamard product
  expect_diff(ir::mul(ir::hadamard(ir::mul(x, T(x)), A), x), x, "", {{x}, {A}});
  expect_diff(ir::mul(ir::mul(A, ir::mul(x, T(x))), a), x, "a'*x*A + A*x*a'", {{x}, {A}, {a}});
}

TEST_CASE("Hessians by a matrix: d vec(grad)/d vec(W)'", "[diff][kronecker][hessian]") {
  auto x = vec("x"), y = vec("y", m), W = mat("W", m, n), S = mat("S");
  Expr r = ir::sub(ir::mul(W, x), y);
  Expr f = ir::pow(fn(Fn::Norm2, r), num(2));
  Expr h = hessian(f, W);
  CHECK(to_text(h) == "2*kron(x*x', eye(m))");
  CHECK(h->shape == Shape(Shape{m * n, m * n}));
  fdtest::check_hessian(f, W, h, {{W}, {x}, {y}});
  Expr g = fn(Fn::Logdet, S);
  Expr hg = hessian(g, S);
  CHECK(to_text(hg) == "-(kron(inv(S), inv(S)')*commutation(n, n))");
  fdtest::check_hessian(g, S, hg, {{S, Dist::Spd}});
  Expr t = fn(Fn::Sum, fn(Fn::Sigmoid, ir::mul(W, x)));
  fdtest::check_hessian(t, W, hessian(t, W), {{W}, {x}});
}

TEST_CASE("vec, kron and commutation differentiate by their rules", "[diff][kronecker]") {
  auto X = mat("X", m, n), A = mat("A", p, q), a = sc("a");
  // d vec(X) = vec(dX): the identity; d kron(a A, X) by the scalar a: kron(A, X)
  expect_vec_jacobian(fn(Fn::Vec, X), X, "eye(m*n)", {{X}});
  expect_diff(fn(Fn::Kron, ir::mul(a, A), X), a, "kron(A, X)", {{a}, {A}, {X}});
  // The gradient through vec or kron, and Jacobians through kron by a matrix, are located errors.
  Loc loc{1, 5, 6, std::make_shared<SourceText>(SourceText{"sum(vec(X))", "<expr>"})};
  Expr v = ir::located(fn(Fn::Vec, X), loc);
  try {
    gradient(fn(Fn::Sum, v), X);
    FAIL("expected NotDifferentiable");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::NotDifferentiable);
    CHECK(e.loc().col == 5);
  }
  try {
    derivative(ir::located(fn(Fn::Kron, A, X), loc), X);
    FAIL("expected NotDifferentiable");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::NotDifferentiable);
    CHECK(e.loc().col == 5);
  }
}
