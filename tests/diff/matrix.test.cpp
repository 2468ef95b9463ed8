// Linear algebra: products on either side, transpose, tr, det, logdet, inv,
// matrix powers, diag, indexing; gradients of scalars with respect to matrices.
#include <catch2/catch.hpp>

#include "diff/common.hpp"

using namespace dtest;

TEST_CASE("matrix products on either side", "[diff][matrix]") {
  auto x = vec("x"), W = mat("W", m, n), V = mat("V", n, m), a = vec("a"), b = vec("b", m);
  expect_diff(ir::mul(W, x), x, "W", {{W}, {x}});
  expect_diff(ir::mul(T(x), V), x, "V'", {{V}, {x}});
  expect_diff(ir::mul(T(x), T(W)), x, "W", {{W}, {x}});
  expect_diff(T(ir::mul(W, x)), x, "W", {{W}, {x}});
  // d(b'Wx)/dW: gradient b x' (shape of W); numerator layout x b' (shape of W').
  expect_grad(ir::mul(T(b), ir::mul(W, x)), W, "b*x'", {{W}, {x}, {b}});
  expect_diff(ir::mul(T(b), ir::mul(W, x)), W, "x*b'", {{W}, {x}, {b}});
  expect_diff(ir::mul(T(b), ir::mul(W, x)), W, "b*x'", {{W}, {x}, {b}}, Layout::Denominator);
  auto X = mat("X");
  expect_grad(ir::mul(T(a), ir::mul(X, a)), X, "a*a'", {{X}, {a}});
}

TEST_CASE("gradients of scalar functions of matrices", "[diff][matrix]") {
  auto A = mat("A"), X = mat("X"), a = vec("a");
  expect_grad(fn(Fn::Tr, ir::mul(A, X)), X, "A'", {{A}, {X}});           // ∇_X tr(AX) = Aᵀ
  expect_diff(fn(Fn::Tr, ir::mul(A, X)), X, "A", {{A}, {X}});            // numerator: shape of Xᵀ
  expect_grad(fn(Fn::Tr, ir::mul(X, A)), X, "A'", {{A}, {X}});
  expect_grad(fn(Fn::Tr, X), X, "eye(n)", {{X}});
  expect_grad(fn(Fn::Tr, ir::mul(ir::mul(T(X), A), X)), X, "(A + A')*X", {{A}, {X}});
  expect_grad(fn(Fn::Logdet, X), X, "inv(X)'", {{X, Dist::Spd}});           // ∇_X log det X = X⁻ᵀ
  expect_grad(fn(Fn::Det, X), X, "det(X)*inv(X)'", {{X, Dist::Spd}});
  expect_grad(ir::mul(ir::mul(T(a), fn(Fn::Inv, X)), a), X, "-(inv(X)'*(a*a')*inv(X)')", {{X, Dist::Spd}, {a}});
  expect_grad(fn(Fn::Sum, fn(Fn::Inv, X)), X, "-(inv(X)'*ones(n, n)*inv(X)')", {{X, Dist::Spd}});
  expect_grad(fn(Fn::Tr, ir::pow(X, num(2))), X, "2*X'", {{X}});
  expect_grad(fn(Fn::Tr, ir::pow(X, num(3))), X, "3*X'^2", {{X}});
  expect_grad(fn(Fn::Tr, ir::pow(X, num(-1))), X, "-inv(X)'^2", {{X, Dist::Spd}});
  expect_grad(fn(Fn::Sum, ir::pow(X, num(-2))), X, "-(inv(X)'^2*ones(n, n)*inv(X)' + inv(X)'*ones(n, n)*inv(X)'^2)",
              {{X, Dist::Spd}});  // d(X^-2) = -X^-1 dX X^-2 - X^-2 dX X^-1
  expect_grad(fn(Fn::Sum, fn(Fn::DiagVec, X)), X, "eye(n)", {{X}});
  fdtest::MinSize at_least(2);
  expect_grad(ir::index(X, 1, 2), X, "unit(1, n)*unit(2, n)'", {{X}});
  auto Y = mat("Y", m, n), W = mat("W", m, n);
  expect_grad(fn(Fn::Sum, ir::hadamard(W, Y)), W, "Y", {{W}, {Y}});
}

TEST_CASE("least squares: grad of norm2(W*x - y)^2", "[diff][matrix]") {
  auto x = vec("x"), y = vec("y", m), W = mat("W", m, n);
  auto f = ir::pow(fn(Fn::Norm2, ir::sub(ir::mul(W, x), y)), num(2));
  expect_grad(f, W, "2*(W*x - y)*x'", {{W}, {x}, {y}});                     // ∇_W ‖Wx − y‖² = 2(Wx − y)xᵀ
  expect_grad(f, x, "2*W'*(W*x - y)", {{W}, {x}, {y}});
  expect_diff(f, W, "2*x*(W*x - y)'", {{W}, {x}, {y}});
  expect_grad(fn(Fn::Sum, fn(Fn::Tanh, ir::mul(W, x))), W, "(1 - tanh(W*x).^2)*x'", {{W}, {x}});
}

TEST_CASE("matrices differentiated by a scalar: the tangent, shape of f", "[diff][matrix]") {
  auto A = mat("A"), B = mat("B"), z = sc("z"), x = vec("x");
  expect_diff(ir::mul(ir::mul(z, A), B), z, "A*B", {{A}, {B}, {z}});
  expect_diff(ir::mul(ir::mul(z, A), x), z, "A*x", {{A}, {x}, {z}});
  expect_diff(fn(Fn::Sin, ir::mul(z, A)), z, "cos(z*A).*A", {{A}, {z}});
  expect_diff(ir::pow(ir::add(A, ir::mul(z, B)), num(2)), z, "", {{A}, {B}, {z}});
  expect_diff(fn(Fn::Inv, ir::add(A, ir::mul(z, ir::eye(n)))), z, "-inv(A + z*eye(n))^2",
              {{A, Dist::Spd}, {z, Dist::Positive}});
  expect_diff(ir::pow(ir::add(A, ir::mul(z, ir::eye(n))), num(-2)), z, "-2*inv(A + z*eye(n))^3",
              {{A, Dist::Spd}, {z, Dist::Positive}});
  expect_diff(ir::mul(ir::mul(z, A), B), z, "(A*B)'", {{A}, {B}, {z}}, Layout::Denominator);
}

TEST_CASE("the adjugate: its differential where the matrix is invertible", "[diff][matrix][adj]") {
  // d adj(A) = (tr(adj(A) dA) adj(A) - adj(A) dA adj(A)) / det(A); checked against finite differences.
  auto A = mat("A"), B = mat("B"), X = mat("X"), z = sc("z");
  expect_diff(fn(Fn::Adj, ir::add(A, ir::mul(z, B))), z, "", {{A, Dist::Spd}, {B}, {z, Dist::Positive}});
  expect_grad(fn(Fn::Tr, ir::mul(fn(Fn::Adj, X), B)), X, "", {{X, Dist::Spd}, {B}});
  expect_grad(fn(Fn::Sum, fn(Fn::Adj, X)), X, "", {{X, Dist::Spd}});
  // adj(X) = det(X) inv(X), so tr(adj(X)) by X agrees with the product rule on det(X)*tr(inv(X)).
  expect_grad(fn(Fn::Tr, fn(Fn::Adj, X)), X, "", {{X, Dist::Spd}});
}

TEST_CASE("diag and indexing", "[diff][matrix]") {
  auto a = vec("a"), x = vec("x");
  expect_diff(ir::mul(fn(Fn::DiagOf, a), x), a, "diag(x)", {{a}, {x}});
  expect_grad(fn(Fn::Sum, ir::mul(fn(Fn::DiagOf, a), x)), a, "x", {{a}, {x}});
  fdtest::MinSize at_least(2);
  expect_diff(ir::index(x, 2), x, "unit(2, n)'", {{x}}, Layout::Numerator);
  expect_grad(ir::index(x, 2), x, "unit(2, n)", {{x}});
  auto X = mat("X");
  expect_grad(fn(Fn::Sum, ir::mul(X, fn(Fn::DiagVec, X))), X, "", {{X}});
}

TEST_CASE("a row vector by a matrix is its vec Jacobian", "[diff][matrix]") {
  auto x = vec("x"), V = mat("V", n, m);
  expect_diff(ir::mul(T(x), V), V, "kron(eye(m), x')", {{x}, {V}});
  expect_diff(ir::mul(T(x), V), V, "kron(eye(m), x)", {{x}, {V}}, Layout::Denominator);
}

TEST_CASE("Jacobians through matrix-valued intermediates of a vector wrt", "[diff][matrix]") {
  auto x = vec("x"), a = vec("a"), A = mat("A");
  auto M = ir::mul(x, T(x));  // the outer product x x' is a matrix depending on x
  expect_diff(ir::mul(M, a), x, "", {{x}, {a}});
  expect_diff(ir::mul(ir::mul(A, M), a), x, "", {{x}, {a}, {A}});
  expect_diff(ir::mul(M, x), x, "", {{x}});
}
