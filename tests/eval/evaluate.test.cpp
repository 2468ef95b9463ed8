// The evaluator against hand-computed values: every node kind, every
// function, scalar broadcasting.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

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
  // a long chain is evaluated without recursing once per link (the IR itself
  // is destroyed recursively, which bounds the length tested here)
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
