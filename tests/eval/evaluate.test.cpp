// The evaluator against hand-computed values: every node kind, every
// function, scalar broadcasting.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define MCALC_HAVE_MALLINFO2 1
#endif

#include "helpers.hpp"

using namespace mcalc;
using namespace mcalc::test;

namespace {
const Dim n = Dim::sym("n");
const Expr x = ir::var("x", Shape::vector(n)), y = ir::var("y", Shape::vector(n));
const Expr A = ir::var("A", Shape::matrix(n, n)), B = ir::var("B", Shape::matrix(n, n));
const Expr a = ir::var("a", Shape::scalar()), b = ir::var("b", Shape::scalar());
Expr num(double v) { return ir::num(v); }

Bindings values() {
  Bindings bs;
  bs.values["x"] = col({1, 2, 3});
  bs.values["y"] = col({4, -5, 6});
  bs.values["A"] = mat({{2, 1, 0}, {1, 3, 1}, {0, 1, 4}});
  bs.values["B"] = mat({{1, 2, 0}, {0, 1, 0}, {3, 0, 1}});
  bs.values["a"] = scalar(2);
  bs.values["b"] = scalar(-0.5);
  bs.dims["n"] = 3;
  return bs;
}
Eigen::MatrixXd ev(const Expr& e) { return evaluate(e, values()); }
double ev1(const Expr& e) {
  Eigen::MatrixXd m = ev(e);
  REQUIRE(m.rows() == 1);
  REQUIRE(m.cols() == 1);
  return m(0, 0);
}
}  // namespace

TEST_CASE("eval: leaves", "[eval]") {
  CHECK(ev1(num(2.5)) == 2.5);
  CHECK_MAT(ev(x), col({1, 2, 3}));
  CHECK(ev1(a) == 2);
  CHECK(ev1(ir::dim_size(n)) == 3);
}

TEST_CASE("eval: arithmetic", "[eval]") {
  CHECK_MAT(ev(ir::add(x, y)), col({5, -3, 9}));
  CHECK_MAT(ev(ir::sub(x, y)), col({-3, 7, -3}));
  CHECK_MAT(ev(ir::neg(x)), col({-1, -2, -3}));
  CHECK_MAT(ev(ir::mul(A, x)), col({4, 10, 14}));
  CHECK_MAT(ev(ir::mul(A, B)), mat({{2, 5, 0}, {4, 5, 1}, {12, 1, 4}}));
  CHECK_MAT(ev(ir::mul(a, x)), col({2, 4, 6}));
  CHECK_MAT(ev(ir::mul(x, a)), col({2, 4, 6}));
  CHECK(ev1(ir::mul(ir::transpose(x), y)) == 4 - 10 + 18);
  CHECK_MAT(ev(ir::mul(x, ir::transpose(y))), mat({{4, -5, 6}, {8, -10, 12}, {12, -15, 18}}));
  CHECK_MAT(ev(ir::div(x, a)), col({0.5, 1, 1.5}));
  CHECK_MAT(ev(ir::hadamard(x, y)), col({4, -10, 18}));
  CHECK_MAT(ev(ir::elem_div(x, y)), col({0.25, -0.4, 0.5}));
  CHECK(ev1(ir::dot(x, y)) == 12);
  CHECK(ev1(ir::pow(a, num(3))) == 8);
  CHECK(ev1(ir::pow(a, b)) == Approx(std::pow(2.0, -0.5)));
  CHECK_MAT(ev(ir::elem_pow(x, num(2))), col({1, 4, 9}));
  CHECK_MAT(ev(ir::elem_pow(x, y)), col({1, std::pow(2.0, -5), 729}));
  CHECK_MAT(ev(ir::transpose(x)), mat({{1, 2, 3}}));
  CHECK_MAT(ev(ir::transpose(B)), mat({{1, 0, 3}, {2, 1, 0}, {0, 0, 1}}));
  CHECK(ev1(ir::index(x, 2)) == 2);
  CHECK(ev1(ir::index(ir::transpose(y), 3)) == 6);
  CHECK(ev1(ir::index(B, 3, 1)) == 3);
  CHECK(ev1(ir::index(ir::mul(A, x), 3)) == 14);
  CHECK_MAT(ev(ir::literal(2, 2, {a, b, ir::add(a, b), num(4)})), mat({{2, -0.5}, {1.5, 4}}));
  CHECK_MAT(ev(ir::literal(1, 3, {num(1), num(2), num(3)})), mat({{1, 2, 3}}));
}

TEST_CASE("eval: matrix powers", "[eval]") {
  Eigen::MatrixXd Am = values().values["A"];
  CHECK_MAT(ev(ir::pow(A, num(2))), Am * Am);
  CHECK_MAT_TOL(ev(ir::pow(A, num(3))), Am * Am * Am, 1e-9);
  CHECK_MAT(ev(ir::pow(A, num(0))), Eigen::MatrixXd::Identity(3, 3));
  CHECK_MAT_TOL(ev(ir::pow(A, num(-1))), Am.inverse(), 1e-12);
  CHECK_MAT_TOL(ev(ir::pow(A, num(-2))), (Am * Am).inverse(), 1e-12);
}

TEST_CASE("eval: scalar broadcasting", "[eval]") {
  CHECK_MAT(ev(ir::add(x, a)), col({3, 4, 5}));
  CHECK_MAT(ev(ir::add(a, x)), col({3, 4, 5}));
  CHECK_MAT(ev(ir::sub(a, x)), col({1, 0, -1}));
  CHECK_MAT(ev(ir::sub(x, a)), col({-1, 0, 1}));
  CHECK_MAT(ev(ir::hadamard(a, x)), col({2, 4, 6}));
  CHECK_MAT(ev(ir::elem_div(num(1), x)), col({1, 0.5, 1.0 / 3}));
  CHECK_MAT(ev(ir::elem_div(x, a)), col({0.5, 1, 1.5}));
  CHECK_MAT(ev(ir::elem_pow(num(2), x)), col({2, 4, 8}));
  CHECK_MAT(ev(ir::call(Fn::Max, {num(0), y})), col({4, 0, 6}));
  CHECK_MAT(ev(ir::call(Fn::Min, {y, num(0)})), col({0, -5, 0}));
  CHECK_MAT(ev(ir::call(Fn::Max, {x, y})), col({4, 2, 6}));
  CHECK_MAT(ev(ir::add(A, b)), mat({{1.5, 0.5, -0.5}, {0.5, 2.5, 0.5}, {-0.5, 0.5, 3.5}}));
}

TEST_CASE("eval: elementwise functions", "[eval]") {
  const Expr z = ir::var("z", Shape::vector(n));
  Bindings bs;
  bs.values["z"] = col({-2, 0, 0.5});
  auto f = [&](Fn fn) { return evaluate(ir::call(fn, {z}), bs); };
  auto each = [](double (*g)(double)) { return col({g(-2), g(0), g(0.5)}); };
  CHECK_MAT(f(Fn::Sin), each(std::sin));
  CHECK_MAT(f(Fn::Cos), each(std::cos));
  CHECK_MAT(f(Fn::Tan), each(std::tan));
  CHECK_MAT(f(Fn::Atan), each(std::atan));
  CHECK_MAT(f(Fn::Exp), each(std::exp));
  CHECK_MAT(f(Fn::Tanh), each(std::tanh));
  CHECK_MAT(f(Fn::Sinh), each(std::sinh));
  CHECK_MAT(f(Fn::Cosh), each(std::cosh));
  CHECK_MAT(f(Fn::Abs), col({2, 0, 0.5}));
  CHECK_MAT(f(Fn::Sign), col({-1, 0, 1}));
  CHECK_MAT(f(Fn::Relu), col({0, 0, 0.5}));
  CHECK_MAT(f(Fn::Step), col({0, 0, 1}));        // 0 at the kink
  CHECK_MAT(f(Fn::Heaviside), col({0, 1, 1}));   // 1 at the kink
  CHECK_MAT_TOL(f(Fn::Sigmoid), col({1 / (1 + std::exp(2.0)), 0.5, 1 / (1 + std::exp(-0.5))}), 1e-15);
  CHECK_MAT_TOL(f(Fn::Softplus), col({std::log(1 + std::exp(-2.0)), std::log(2.0), std::log(1 + std::exp(0.5))}),
            1e-15);
  CHECK_MAT(evaluate(ir::call(Fn::LeakyRelu, {z, num(0.1)}), bs), col({-0.2, 0, 0.5}));
  bs.values["z"] = col({-0.5, 0.25, 1});
  CHECK_MAT(f(Fn::Asin), col({std::asin(-0.5), std::asin(0.25), std::asin(1.0)}));
  CHECK_MAT(f(Fn::Acos), col({std::acos(-0.5), std::acos(0.25), std::acos(1.0)}));
  bs.values["z"] = col({1, 4, 0.25});
  CHECK_MAT(f(Fn::Log), col({0, std::log(4.0), std::log(0.25)}));
  CHECK_MAT(f(Fn::Sqrt), col({1, 2, 0.5}));
}

TEST_CASE("eval: activations are stable for large arguments", "[eval]") {
  const Expr z = ir::var("z", Shape::vector(n));
  Bindings bs;
  bs.values["z"] = col({-1000, 1000, 40});
  CHECK_MAT(evaluate(ir::call(Fn::Sigmoid, {z}), bs), col({0, 1, 1 / (1 + std::exp(-40.0))}));
  CHECK_MAT(evaluate(ir::call(Fn::Softplus, {z}), bs), col({0, 1000, 40 + std::log1p(std::exp(-40.0))}));
  CHECK(evaluate(ir::call(Fn::Logsumexp, {z}), bs)(0, 0) == Approx(1000.0));
  CHECK_MAT(evaluate(ir::call(Fn::Softmax, {z}), bs), col({0, 1, std::exp(-960.0)}));
}

TEST_CASE("eval: reductions and vector functions", "[eval]") {
  CHECK(ev1(ir::call(Fn::Sum, {x})) == 6);
  CHECK(ev1(ir::call(Fn::Sum, {A})) == 13);
  CHECK(ev1(ir::call(Fn::Mean, {x})) == 2);
  CHECK(ev1(ir::call(Fn::Mean, {A})) == Approx(13.0 / 9));
  CHECK(ev1(ir::call(Fn::Norm2, {x})) == Approx(std::sqrt(14.0)));
  CHECK(ev1(ir::call(Fn::Norm2, {A})) == Approx(std::sqrt(4 + 1 + 1 + 9 + 1 + 1 + 16.0)));  // Frobenius
  CHECK(ev1(ir::call(Fn::Norm1, {y})) == 15);
  CHECK(ev1(ir::call(Fn::Norm1, {ir::neg(A)})) == 13);  // entrywise
  CHECK(ev1(ir::call(Fn::Logsumexp, {x})) == Approx(std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0))));
  CHECK(ev1(ir::call(Fn::Logsumexp, {ir::transpose(x)})) == Approx(3.40760596444438));
  double s = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  CHECK_MAT_TOL(ev(ir::call(Fn::Softmax, {x})), col({std::exp(1.0) / s, std::exp(2.0) / s, std::exp(3.0) / s}), 1e-15);
}

TEST_CASE("eval: matrix functions", "[eval]") {
  CHECK(ev1(ir::call(Fn::Tr, {A})) == 9);
  CHECK(ev1(ir::call(Fn::Det, {A})) == Approx(18));  // 2*(12-1) - 1*(4-0)
  CHECK(ev1(ir::call(Fn::Det, {B})) == Approx(1));   // 1*(1 - 0) - 2*(0 - 0) + 0
  CHECK(ev1(ir::call(Fn::Logdet, {A})) == Approx(std::log(18.0)));
  Eigen::MatrixXd Am = values().values["A"];
  CHECK_MAT_TOL(ev(ir::call(Fn::Inv, {A})), Am.inverse(), 1e-14);
  CHECK_MAT_TOL(ev(ir::mul(ir::call(Fn::Inv, {A}), A)), Eigen::MatrixXd::Identity(3, 3), 1e-14);
  CHECK_MAT(ev(ir::call(Fn::DiagOf, {x})), mat({{1, 0, 0}, {0, 2, 0}, {0, 0, 3}}));
  CHECK_MAT(ev(ir::call(Fn::DiagVec, {A})), col({2, 3, 4}));
  CHECK_MAT(ev(ir::call(Fn::DiagVec, {ir::call(Fn::DiagOf, {y})})), col({4, -5, 6}));
  CHECK(ev1(ir::call(Fn::Tr, {ir::call(Fn::DiagOf, {x})})) == 6);
  CHECK(ev1(ir::call(Fn::Det, {ir::call(Fn::DiagOf, {x})})) == 6);
  CHECK(ev1(ir::call(Fn::Logdet, {ir::call(Fn::DiagOf, {x})})) == Approx(std::log(6.0)));
  CHECK_MAT(ev(ir::call(Fn::Inv, {ir::call(Fn::DiagOf, {x})})), mat({{1, 0, 0}, {0, 0.5, 0}, {0, 0, 1.0 / 3}}));
  // a large determinant: log det from the LU factors does not overflow
  const Dim k = Dim::lit(400);
  Bindings big;
  big.values["M"] = 10.0 * Eigen::MatrixXd::Identity(400, 400);
  CHECK(evaluate(ir::call(Fn::Logdet, {ir::var("M", Shape::matrix(k, k))}), big)(0, 0) ==
        Approx(400 * std::log(10.0)));
}

TEST_CASE("eval: the adjugate, singular matrices included", "[eval][adj]") {
  auto adj = [](const Expr& e) { return ir::call(Fn::Adj, {e}); };
  Eigen::MatrixXd Am = values().values["A"];
  // invertible: adj(A) = det(A) inv(A)
  CHECK_MAT_TOL(ev(adj(A)), Am.determinant() * Am.inverse(), 1e-12);
  // cofactors by hand: B = [1 2 0; 0 1 0; 3 0 1], adj(B) = [1 -2 0; 0 1 0; -3 6 1]
  CHECK_MAT_TOL(ev(adj(B)), mat({{1, -2, 0}, {0, 1, 0}, {-3, 6, 1}}), 1e-12);
  // singular: adj([1 1; 1 1]) = [1 -1; -1 1]; a rank-2 3 x 3 has a rank-1 adjugate; rank 1 gives 0
  const Dim two = Dim::lit(2), three = Dim::lit(3);
  Bindings s;
  s.values["S"] = mat({{1, 1}, {1, 1}});
  s.values["R"] = mat({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});  // adj = [-3 6 -3; 6 -12 6; -3 6 -3]
  s.values["Q"] = mat({{1, 2, 3}, {2, 4, 6}, {3, 6, 9}});
  CHECK_MAT_TOL(evaluate(adj(ir::var("S", Shape::matrix(two, two))), s), mat({{1, -1}, {-1, 1}}), 1e-12);
  CHECK_MAT_TOL(evaluate(adj(ir::var("R", Shape::matrix(three, three))), s),
                mat({{-3, 6, -3}, {6, -12, 6}, {-3, 6, -3}}), 1e-12);
  CHECK_MAT_TOL(evaluate(adj(ir::var("Q", Shape::matrix(three, three))), s), Eigen::MatrixXd::Zero(3, 3), 1e-12);
  // structured operands: diag(x) with x = (1, 2, 3) gives diag(6, 3, 2); a zero entry is fine
  CHECK_MAT(ev(adj(ir::call(Fn::DiagOf, {x}))), mat({{6, 0, 0}, {0, 3, 0}, {0, 0, 2}}));
  CHECK_MAT(ev(adj(ir::call(Fn::DiagOf, {ir::sub(x, ir::mul(num(2), ir::ones(Shape::vector(n))))}))),
            mat({{0, 0, 0}, {0, -1, 0}, {0, 0, 0}}));
  CHECK_MAT(ev(adj(ir::mul(num(2), ir::eye(n)))), 4.0 * Eigen::MatrixXd::Identity(3, 3));
  CHECK(ev1(adj(a)) == 1);  // the adjugate of a 1 x 1 matrix
  // det(S)*inv(S)', the gradient of det as it prints, is evaluated as adj(S)' where S is singular
  const Expr S = ir::var("S", Shape::matrix(two, two));
  CHECK_MAT_TOL(evaluate(ir::mul(ir::call(Fn::Det, {S}), ir::transpose(ir::call(Fn::Inv, {S}))), s),
                mat({{1, -1}, {-1, 1}}), 1e-12);
  CHECK_MAT_TOL(evaluate(ir::mul(ir::mul(ir::mul(num(2), ir::call(Fn::Det, {S})), S), ir::call(Fn::Inv, {S})), s),
                2.0 * mat({{1, 1}, {1, 1}}) * mat({{1, -1}, {-1, 1}}), 1e-12);
}

TEST_CASE("eval: constants", "[eval]") {
  CHECK_MAT(ev(ir::ones(Shape::vector(n))), col({1, 1, 1}));
  CHECK_MAT(ev(ir::ones(Shape::row(n))), mat({{1, 1, 1}}));
  CHECK_MAT(ev(ir::zeros(Shape::matrix(Dim::lit(2), n))), Eigen::MatrixXd::Zero(2, 3));
  CHECK_MAT(ev(ir::eye(n)), Eigen::MatrixXd::Identity(3, 3));
  CHECK_MAT(ev(ir::unit(2, n)), col({0, 1, 0}));
  CHECK_MAT(ev(ir::add(ir::eye(n), A)), mat({{3, 1, 0}, {1, 4, 1}, {0, 1, 5}}));
  CHECK_MAT(ev(ir::sub(A, ir::mul(a, ir::eye(n)))), mat({{0, 1, 0}, {1, 1, 1}, {0, 1, 2}}));
  CHECK_MAT(ev(ir::mul(ir::ones(Shape::matrix(n, n)), x)), col({6, 6, 6}));
  CHECK_MAT(ev(ir::mul(ir::transpose(x), ir::ones(Shape::matrix(n, n)))), mat({{6, 6, 6}}));
  CHECK_MAT(ev(ir::mul(ir::ones(Shape::vector(n)), ir::ones(Shape::row(n)))), Eigen::MatrixXd::Ones(3, 3));
  CHECK_MAT(ev(ir::add(ir::ones(Shape::vector(n)), a)), col({3, 3, 3}));
  CHECK_MAT(ev(ir::call(Fn::Exp, {ir::zeros(Shape::vector(n))})), col({1, 1, 1}));
  CHECK_MAT(ev(ir::call(Fn::Exp, {ir::eye(n)})), mat({{std::exp(1.0), 1, 1}, {1, std::exp(1.0), 1}, {1, 1, std::exp(1.0)}}));
  CHECK_MAT(ev(ir::call(Fn::Sin, {ir::mul(a, ir::eye(n))})), std::sin(2.0) * Eigen::MatrixXd::Identity(3, 3));
  CHECK_MAT(ev(ir::hadamard(ir::eye(n), A)), mat({{2, 0, 0}, {0, 3, 0}, {0, 0, 4}}));
  CHECK_MAT(ev(ir::call(Fn::DiagOf, {ir::ones(Shape::vector(n))})), Eigen::MatrixXd::Identity(3, 3));
  CHECK(ev1(ir::call(Fn::Det, {ir::ones(Shape::matrix(n, n))})) == 0);
  CHECK(ev1(ir::call(Fn::Norm2, {ir::ones(Shape::matrix(Dim::lit(2), n))})) == Approx(std::sqrt(6.0)));
  CHECK_MAT(ev(ir::mul(ir::call(Fn::DiagOf, {x}), ir::ones(Shape::matrix(n, Dim::lit(2))))),
            mat({{1, 1}, {2, 2}, {3, 3}}));
  CHECK_MAT(ev(ir::pow(ir::call(Fn::DiagOf, {x}), num(2))), mat({{1, 0, 0}, {0, 4, 0}, {0, 0, 9}}));
}

TEST_CASE("eval: intermediate variables and shared nodes", "[eval]") {
  // z = w'*x + b is evaluated through its definition
  const Expr z = ir::var("z", Shape::scalar(), ir::add(ir::mul(ir::transpose(x), y), b));
  CHECK(ev1(z) == 11.5);
  CHECK(ev1(ir::mul(z, z)) == 11.5 * 11.5);
  // a DAG of 2^200 paths: each shared node is computed once
  Expr e = x;
  for (int k = 0; k < 200; ++k) e = ir::mul(num(0.5), ir::add(e, e));
  CHECK_MAT(ev(e), col({1, 2, 3}));
  // a long chain is evaluated without recursing once per link
  Expr chain = a;
  for (int k = 0; k < 50000; ++k) chain = ir::add(chain, b);
  CHECK(ev1(chain) == Approx(2 - 0.5 * 50000));
  // an evaluator keeps its values across calls
  Evaluator evaluator(values());
  CHECK(evaluator.scalar(ir::call(Fn::Sum, {e})) == 6);
  CHECK_MAT(evaluator.evaluate(ir::hadamard(e, x)), col({1, 4, 9}));
}

TEST_CASE("eval: dimension sizes come from values", "[eval]") {
  const Dim N = Dim::sym("N");
  const Expr X = ir::var("X", Shape::matrix(N, n)), t = ir::var("t", Shape::vector(N));
  Bindings bs;
  bs.values["X"] = mat({{1, 2}, {3, 4}, {5, 6}, {7, 8}});
  bs.values["t"] = col({1, 1, 1, 1});
  // sum(t)/N + sum(X)/n with N = 4, n = 2 from the values of t and X
  CHECK(evaluate(ir::add(ir::div(ir::call(Fn::Sum, {t}), ir::dim_size(N)),
                         ir::div(ir::call(Fn::Sum, {X}), ir::dim_size(n))), bs)(0, 0) == 19);
  // ones(n) needs n, fixed by X elsewhere in the expression
  CHECK_MAT(evaluate(ir::add(ir::mul(ir::call(Fn::Sum, {X}), ir::ones(Shape::vector(n))),
                             ir::mul(ir::transpose(X), t)), bs),
            col({36 + 16, 36 + 20}));
  // given sizes are used as they are
  Bindings sizes;
  sizes.dims["n"] = 4;
  CHECK_MAT(evaluate(ir::ones(Shape::vector(n)), sizes), col({1, 1, 1, 1}));
}

// Products are computed as chains: transposes are read in place, scalar
// factors scale the smallest operand, and the chain is reassociated. The
// results must equal the straightforward computation.
namespace {
struct Problem {
  Dim m = Dim::sym("m"), k = Dim::sym("k"), p = Dim::sym("p");
  Expr X = ir::var("X", Shape::matrix(m, k)), Y = ir::var("Y", Shape::matrix(k, p));
  Expr u = ir::var("u", Shape::vector(m)), v = ir::var("v", Shape::vector(k));
  Expr c = ir::var("c", Shape::scalar());
  Bindings b;
  Problem(long M, long K, long P, std::mt19937& rng) {
    std::uniform_real_distribution<double> d(-1, 1);
    auto random = [&](long r, long cols) {
      Eigen::MatrixXd r_(r, cols);
      for (long i = 0; i < r_.size(); ++i) r_.data()[i] = d(rng);
      return r_;
    };
    b.values["X"] = random(M, K);
    b.values["Y"] = random(K, P);
    b.values["u"] = random(M, 1);
    b.values["v"] = random(K, 1);
    b.values["c"] = random(1, 1);
  }
};
Expr T(Expr e) { return ir::transpose(std::move(e)); }
Expr step(Expr e) { return ir::call(Fn::Step, {std::move(e)}); }
}  // namespace

TEST_CASE("eval: products with transposes and scalars equal the direct computation", "[eval][product]") {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<long> size(1, 12);
  for (int trial = 0; trial < 30; ++trial) {
    const long M = size(rng), K = size(rng), P = size(rng);
    Problem q(M, K, P, rng);
    const Eigen::MatrixXd &X = q.b.values["X"], &Y = q.b.values["Y"], &u = q.b.values["u"],
                          &v = q.b.values["v"];
    const double c = q.b.values["c"](0, 0);
    CAPTURE(M, K, P);
    auto ev = Evaluator::borrowing(q.b);
    const double tol = 1e-11;
    CHECK_MAT_TOL(ev.evaluate(ir::mul(T(q.X), q.u)), X.transpose() * u, tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(ir::mul(q.c, T(q.X)), q.u)), c * X.transpose() * u, tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(q.c, ir::mul(T(q.X), q.u))), c * (X.transpose() * u), tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(ir::mul(T(q.X), q.c), q.u)), c * X.transpose() * u, tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(ir::neg(T(q.X)), q.u)), -(X.transpose() * u), tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(T(ir::neg(q.X)), ir::mul(q.u, ir::num(0.5)))), -0.5 * X.transpose() * u,
                  tol);
    // (X*Y)'*u = Y'*(X'*u), X'*X*v = X'*(X*v), u'*X*v, v*v', c*v*v'
    CHECK_MAT_TOL(ev.evaluate(ir::mul(T(ir::mul(q.X, q.Y)), q.u)), (X * Y).transpose() * u, tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(ir::mul(T(q.Y), T(q.X)), q.u)), Y.transpose() * X.transpose() * u, tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(ir::mul(T(q.X), q.X), q.v)), X.transpose() * X * v, tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(ir::mul(T(q.u), q.X), q.v)), u.transpose() * X * v, tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(q.v, T(q.v))), v * v.transpose(), tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(ir::mul(q.c, q.v), T(q.v))), c * v * v.transpose(), tol);
    CHECK_MAT_TOL(ev.evaluate(T(ir::mul(q.X, q.v))), (X * v).transpose(), tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(T(q.Y), T(q.X))), (X * Y).transpose(), tol);
    CHECK_MAT_TOL(ev.evaluate(ir::mul(ir::mul(ir::mul(T(q.v), T(q.X)), q.X), q.Y)),
                  v.transpose() * X.transpose() * X * Y, tol);
    // sums read a transpose in place: X*X' + (X*X')', X' - X'
    const Expr G = ir::mul(q.X, T(q.X));
    CHECK_MAT_TOL(ev.evaluate(ir::add(G, T(G))), X * X.transpose() + (X * X.transpose()).transpose(), tol);
    CHECK_MAT_TOL(ev.evaluate(ir::sub(T(q.Y), T(q.Y))), Eigen::MatrixXd::Zero(P, K), tol);
    CHECK_MAT_TOL(ev.evaluate(ir::add(T(q.Y), q.c)), (Y.transpose().array() + c).matrix(), tol);

    // The MSE gradient's closed form (2/M)*X'*((X*v + c - u).*step(X*v + c)),
    // with z = X*v + c one shared node and with two equal nodes.
    const Eigen::ArrayXd z = (X * v).array() + c;
    const Eigen::MatrixXd want =
        (2.0 / M) * X.transpose() * ((z - u.array()) * (z > 0).cast<double>()).matrix();
    auto closed_form = [&](const Expr& z1, const Expr& z2) {
      return ir::mul(ir::mul(ir::div(ir::num(2), ir::dim_size(q.m)), T(q.X)),
                     ir::hadamard(ir::sub(z1, q.u), step(z2)));
    };
    const Expr shared = ir::add(ir::mul(q.X, q.v), q.c);
    CHECK_MAT_TOL(ev.evaluate(closed_form(shared, shared)), want, tol);
    CHECK_MAT_TOL(evaluate(closed_form(ir::add(ir::mul(q.X, q.v), q.c), ir::add(ir::mul(q.X, q.v), q.c)), q.b),
                  want, tol);
  }
}

TEST_CASE("eval: product chains are associated for the least work", "[eval][product]") {
  // Random chains of 3 to 9 factors with random transposes, against Eigen
  // multiplying left to right.
  std::mt19937 rng(99);
  std::uniform_int_distribution<long> size(1, 7);
  std::uniform_int_distribution<int> len(3, 9), coin(0, 1);
  for (int trial = 0; trial < 40; ++trial) {
    const int count = len(rng);
    std::vector<long> dims;
    for (int i = 0; i <= count; ++i) dims.push_back(size(rng));
    Bindings b;
    Expr chain;
    Eigen::MatrixXd want;
    for (int i = 0; i < count; ++i) {
      const bool t = coin(rng);
      const long r = dims[i], c = dims[i + 1];
      Eigen::MatrixXd m = Eigen::MatrixXd::Random(t ? c : r, t ? r : c);
      const std::string name = "F" + std::to_string(i);
      const Expr f = ir::var(name, Shape::matrix(Dim::lit(m.rows()), Dim::lit(m.cols())));
      b.values[name] = m;
      const Expr factor = t ? T(f) : f;
      const Eigen::MatrixXd value = t ? Eigen::MatrixXd(m.transpose()) : m;
      chain = i == 0 ? factor : ir::mul(chain, factor);
      want = i == 0 ? value : Eigen::MatrixXd(want * value);
    }
    CAPTURE(count);
    CHECK_MAT_TOL(evaluate(chain, b), want, 1e-10);
    CHECK_MAT_TOL(evaluate(ir::mul(ir::num(-2), chain), b), -2 * want, 1e-10);
  }
}

TEST_CASE("eval: long and shared product chains", "[eval][product]") {
  const Expr P = ir::var("P", Shape::matrix(Dim::lit(2), Dim::lit(2)));
  const Expr Q = ir::var("Q", Shape::matrix(Dim::lit(2), Dim::lit(2)));
  Bindings b;
  b.values["P"] = mat({{0, 1}, {1, 0}});  // P*P = I
  b.values["Q"] = mat({{1, 2}, {3, 4}});
  // Q*P*P*...*P with 50000 P's: one flattened chain, evaluated without
  // recursing once per link
  Expr chain = Q;
  for (int k = 0; k < 50000; ++k) chain = ir::mul(k % 2 ? chain : ir::mul(ir::num(-1), chain), P);
  CHECK_MAT(evaluate(chain, b), mat({{1, 2}, {3, 4}}));
  // P^(2^200) as a DAG of shared products: each is computed once
  Expr power = P;
  for (int k = 0; k < 200; ++k) power = ir::mul(power, power);
  CHECK_MAT(evaluate(ir::mul(power, Q), b), mat({{1, 2}, {3, 4}}));
}

TEST_CASE("eval: borrowed and shared bindings", "[eval][product]") {
  Bindings bs = values();
  const Expr e = ir::add(ir::mul(ir::transpose(A), x), ir::mul(a, y));
  const Eigen::MatrixXd want = bs.values["A"].transpose() * bs.values["x"] + 2 * bs.values["y"];
  auto borrowed = Evaluator::borrowing(bs);
  CHECK_MAT(borrowed.evaluate(e), want);
  Evaluator shared(std::make_shared<const Bindings>(values()));
  CHECK_MAT(shared.evaluate(e), want);
  Evaluator owned(values());
  CHECK_MAT(owned.evaluate(e), want);
  // a flat list for a column is still accepted when borrowed
  Bindings flat = values();
  flat.values["x"] = mat({{1, 2, 3}});
  CHECK_MAT(Evaluator::borrowing(flat).evaluate(ir::mul(A, x)), col({4, 10, 14}));
  CHECK(Evaluator::borrowing(flat).scalar(ir::mul(ir::transpose(x), x)) == 14);
  // errors are unchanged
  Bindings wrong = values();
  wrong.values["x"] = col({1, 2});
  CHECK_THROWS_AS(Evaluator::borrowing(wrong).evaluate(ir::mul(A, x)), UserError);
}

#ifdef MCALC_HAVE_MALLINFO2
namespace {
// Bytes of heap in use (small blocks and mmapped ones).
double heap_in_use() {
  struct mallinfo2 mi = mallinfo2();
  return static_cast<double>(mi.uordblks) + static_cast<double>(mi.hblkhd);
}
}  // namespace

TEST_CASE("eval: large bound values are not copied", "[eval][product]") {
  // An evaluator keeps every value it computed; with 24 MB bound to X and
  // 8 MB to each of x and y, a copy of any of them (the variable's value,
  // X', (2/M)*X') would stay in use after the evaluation.
  std::mt19937 rng(5);
  Problem q(3000, 1000, 1, rng);
  const Eigen::MatrixXd &X = q.b.values["X"], &u = q.b.values["u"], &v = q.b.values["v"];
  const double c = q.b.values["c"](0, 0);
  const Eigen::ArrayXd z = (X * v).array() + c;
  const Eigen::MatrixXd want = (2.0 / 3000) * X.transpose() * ((z - u.array()) * (z > 0).cast<double>()).matrix();
  const Expr shared = ir::add(ir::mul(q.X, q.v), q.c);
  const Expr g = ir::mul(ir::mul(ir::div(ir::num(2), ir::dim_size(q.m)), T(q.X)),
                         ir::hadamard(ir::sub(shared, q.u), step(shared)));
  const double bytes_X = 8.0 * static_cast<double>(X.size());
  const double before = heap_in_use();
  auto ev = Evaluator::borrowing(q.b);
  CHECK_MAT_TOL(ev.evaluate(g), want, 1e-10);
  CHECK(heap_in_use() - before < bytes_X / 20);

  const long big = 1 << 20;
  Bindings vectors;
  vectors.values["x"] = Eigen::VectorXd::LinSpaced(big, -1, 1);
  vectors.values["y"] = Eigen::VectorXd::Constant(big, 0.5);
  const double xy = vectors.values["x"].col(0).dot(vectors.values["y"].col(0));  // about 0
  const double held = heap_in_use();
  auto vec_ev = Evaluator::borrowing(vectors);
  CHECK(vec_ev.scalar(ir::mul(ir::transpose(x), y)) == Approx(xy).margin(1e-9));
  CHECK(vec_ev.scalar(ir::dot(x, y)) == Approx(xy).margin(1e-9));
  CHECK(vec_ev.scalar(ir::mul(ir::mul(ir::num(2), ir::transpose(y)), y)) == Approx(0.5 * big));
  CHECK(heap_in_use() - held < 8.0 * big / 20);
}
#endif

TEST_CASE("a 1 x 1 product inside a product scales it", "[eval][product]") {
  // x'*x*max(0, y)*x': the inner x'*x is a scalar, not a link of the matrix chain.
  Dim n = Dim::lit(2);
  auto x = ir::var("x", Shape::vector(n)), y = ir::var("y", Shape::vector(n));
  auto e = ir::mul(ir::mul(ir::mul(ir::transpose(x), x), ir::call(Fn::Max, {ir::num(0), y})), ir::transpose(x));
  Bindings b;
  b.values["x"] = Eigen::Vector2d(1, 2);
  b.values["y"] = Eigen::Vector2d(-1, 3);
  Eigen::MatrixXd want = 5.0 * Eigen::Vector2d(0, 3) * Eigen::RowVector2d(1, 2);
  CHECK((evaluate(e, b) - want).norm() == 0);
}
