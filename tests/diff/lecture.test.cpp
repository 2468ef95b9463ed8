// Every derivative on the lecture's pages (CPE 486/586, "Introducing Deep
// Learning: Neural Networks", after Parr & Howard), symbolically and against
// finite differences, and the 1-2-3-1 network's gradients against the
// numbers the lecture computes by hand.
#include <catch2/catch.hpp>

#include "diff/common.hpp"

using namespace dtest;

TEST_CASE("lecture: classwork, the Jacobian of the identity", "[diff][lecture]") {
  auto x = vec("x");
  expect_diff(x, x, "eye(n)", {{x}});
}

TEST_CASE("lecture: table of elementwise binary operations", "[diff][lecture]") {
  auto w = vec("w"), x = vec("x");
  expect_diff(ir::add(w, x), w, "eye(n)", {{w}, {x}});
  expect_diff(ir::sub(w, x), w, "eye(n)", {{w}, {x}});
  expect_diff(ir::hadamard(w, x), w, "diag(x)", {{w}, {x}});
  expect_diff(ir::elem_div(w, x), w, "diag(1./x)", {{w}, {x, Dist::Positive}});
}

TEST_CASE("lecture: vector-scalar operation", "[diff][lecture]") {
  auto x = vec("x"), z = sc("z");
  expect_diff(ir::add(x, z), z, "ones(n)", {{x}, {z}});
  expect_diff(ir::add(x, z), x, "eye(n)", {{x}, {z}});
}

TEST_CASE("lecture: vector sum reduction", "[diff][lecture]") {
  auto x = vec("x");
  expect_diff(fn(Fn::Sum, x), x, "ones(n)'", {{x}});
  // gamma = sum(f(x)): the derivative moves inside the sum.
  expect_diff(fn(Fn::Sum, ir::elem_pow(x, num(2))), x, "2*x'", {{x}});
  expect_diff(fn(Fn::Sum, fn(Fn::Sin, x)), x, "cos(x)'", {{x}});
}

TEST_CASE("lecture: single-variable chain rule and total derivatives", "[diff][lecture]") {
  auto x = sc("x");
  expect_diff(fn(Fn::Sin, ir::pow(x, num(2))), x, "2*x*cos(x^2)", {{x}});
  // With the intermediate variable u = x^2 the result is written in u.
  auto u = ir::var("u", Shape::scalar(), ir::pow(x, num(2)));
  expect_diff(fn(Fn::Sin, u), x, "2*x*cos(u)", {{x}});
  // Law of total derivatives: u1 = x^2, y = u2(x, u1) = x*u1: dy/dx = u1 + x*(2x).
  auto u1 = ir::var("u1", Shape::scalar(), ir::pow(x, num(2)));
  auto y = ir::var("y", Shape::scalar(), ir::mul(x, u1));
  // The result is written in the intermediate variable: u1 + x*2x = 3*u1 (= 3x^2).
  expect_diff(y, x, "3*u1", {{x}});
}

TEST_CASE("lecture: vector chain rule example", "[diff][lecture]") {
  auto x = sc("x");
  auto y = ir::literal(2, 1, {fn(Fn::Log, ir::pow(x, num(2))), fn(Fn::Sin, ir::mul(num(3), x))});
  expect_diff(y, x, "[2/x; 3*cos(3*x)]", {{x}});
  // Through the intermediate vector g = [x^2; 3x] and f(g) = [log(g1); sin(g2)].
  auto g = ir::var("g", Shape::vector(Dim::lit(2)), ir::literal(2, 1, {ir::pow(x, num(2)), ir::mul(num(3), x)}));
  auto f = ir::literal(2, 1, {fn(Fn::Log, ir::index(g, 1)), fn(Fn::Sin, ir::index(g, 2))});
  expect_diff(f, x, "[2*x/g[1]; 3*cos(g[2])]", {{x}});
}

TEST_CASE("lecture: gradient of the neuron activation", "[diff][lecture]") {
  auto w = vec("w"), x = vec("x"), b = sc("b");
  // u = w ⊗ x, gamma = sum(u): d gamma/dw = 1' diag(x) = x'
  auto u = ir::var("u", Shape::vector(n), ir::hadamard(w, x));
  auto gamma = ir::var("gamma", Shape::scalar(), fn(Fn::Sum, u));
  expect_diff(gamma, w, "x'", {{w}, {x}});
  expect_diff(u, w, "diag(x)", {{w}, {x}});
  CHECK(to_text(derivative(gamma, u)) == "ones(n)'");  // d gamma/du, u held independent
  auto uin = vec("u");
  expect_diff(fn(Fn::Sum, uin), uin, "ones(n)'", {{uin}});
  // y = w·x + b: dy/dw = x', dy/db = 1
  auto y = ir::add(ir::dot(w, x), b);
  expect_diff(y, w, "x'", {{w}, {x}, {b}});
  expect_diff(y, b, "1", {{w}, {x}, {b}});
  // activation = max(0, w·x + b): 0' where w·x + b <= 0, x' where > 0
  auto act = fn(Fn::Max, num(0), ir::add(ir::mul(T(w), x), b));
  Expr dw = expect_diff(act, w, "step(w'*x + b)*x'", {{w}, {x}, {b}});
  Expr db = expect_diff(act, b, "step(w'*x + b)", {{w}, {x}, {b}});
  REQUIRE(step_conditions(dw).size() == 1);
  CHECK(to_text(step_conditions(dw)[0]) == "w'*x + b");
  CHECK(to_text(step_conditions(db)[0]) == "w'*x + b");
  // With the intermediate z = w·x + b the result reads in z.
  auto z = ir::var("z", Shape::scalar(), ir::add(ir::dot(w, x), b));
  expect_diff(fn(Fn::Max, num(0), z), w, "step(z)*x'", {{w}, {x}, {b}});
  expect_diff(fn(Fn::Max, num(0), z), b, "step(z)", {{w}, {x}, {b}});
}

TEST_CASE("lecture: gradient of the MSE cost of a ReLU neuron", "[diff][lecture]") {
  auto X = mat("X", N, n), y = vec("y", N), w = vec("w"), b = sc("b");
  auto zz = ir::add(ir::mul(X, w), b);
  auto C = ir::div(fn(Fn::Sum, ir::elem_pow(ir::sub(y, fn(Fn::Max, num(0), zz)), num(2))), ir::dim_size(N));
  std::vector<In> ins{{X}, {y}, {w}, {b}};
  expect_grad(C, w, "(2/N)*X'*((X*w + b - y).*step(X*w + b))", ins);
  expect_grad(C, b, "(2/N)*sum((X*w + b - y).*step(X*w + b))", ins);
  expect_diff(C, w, "(2/N)*((X*w + b - y).*step(X*w + b))'*X", ins);
  // The lecture's intermediate variables u = max(0, Xw + b), v = y - u, C = sum(v.^2)/N.
  auto u = ir::var("u", Shape::vector(N), fn(Fn::Max, num(0), zz));
  auto v = ir::var("v", Shape::vector(N), ir::sub(y, u));
  auto C2 = ir::var("C", Shape::scalar(), ir::div(fn(Fn::Sum, ir::elem_pow(v, num(2))), ir::dim_size(N)));
  expect_grad(C2, w, "(-2/N)*X'*(v.*step(X*w + b))", ins);
  expect_grad(C2, b, "(-2/N)*sum(v.*step(X*w + b))", ins);
}

namespace {
// The 1-2-3-1 network of the lecture: one feature, layers of 2 and 3 sigmoid
// neurons, one sigmoid output, cross-entropy loss.
struct Net {
  Dim one = Dim::lit(1), two = Dim::lit(2), three = Dim::lit(3);
  Expr x = vec("x", one), y = sc("y");
  Expr W1 = mat("W1", two, one), b1 = vec("b1", two), W2 = mat("W2", three, two), b2 = vec("b2", three);
  Expr W3 = mat("W3", one, three), b3 = sc("b3");
  Expr z1 = ir::var("z1", Shape::vector(two), ir::add(ir::mul(W1, x), b1));
  Expr a1 = ir::var("a1", Shape::vector(two), fn(Fn::Sigmoid, z1));
  Expr z2 = ir::var("z2", Shape::vector(three), ir::add(ir::mul(W2, a1), b2));
  Expr a2 = ir::var("a2", Shape::vector(three), fn(Fn::Sigmoid, z2));
  Expr z3 = ir::var("z3", Shape::scalar(), ir::add(ir::mul(W3, a2), b3));
  Expr yhat = ir::var("yhat", Shape::scalar(), fn(Fn::Sigmoid, z3));
  Expr L = ir::var("L", Shape::scalar(),
                   ir::neg(ir::add(ir::mul(y, fn(Fn::Log, yhat)),
                                   ir::mul(ir::sub(num(1), y), fn(Fn::Log, ir::sub(num(1), yhat))))));
  Bindings values() const {
    Bindings b;
    auto m = [](int r, int c, std::initializer_list<double> v) {
      Eigen::MatrixXd M(r, c);
      auto it = v.begin();
      for (int i = 0; i < r; ++i)
        for (int j = 0; j < c; ++j) M(i, j) = *it++;
      return M;
    };
    b.values["x"] = m(1, 1, {2.0});
    b.values["y"] = m(1, 1, {1.0});
    b.values["W1"] = m(2, 1, {0.1, 0.1});
    b.values["b1"] = m(2, 1, {0.1, 0.2});
    b.values["W2"] = m(3, 2, {0.2, 0.1, 0.3, 0.2, 0.1, 0.3});
    b.values["b2"] = m(3, 1, {0.3, 0.1, 0.2});
    b.values["W3"] = m(1, 3, {0.4, 0.2, 0.6});
    b.values["b3"] = m(1, 1, {0.5});
    return b;
  }
};

void expect_values(const Expr& g, const Bindings& b, std::initializer_list<double> want, double tol) {
  Eigen::MatrixXd v = evaluate(g, b);
  INFO(to_text(g) << " =\n" << v);
  REQUIRE(static_cast<std::size_t>(v.size()) == want.size());
  auto it = want.begin();
  for (long i = 0; i < v.rows(); ++i)
    for (long j = 0; j < v.cols(); ++j) CHECK(std::abs(v(i, j) - *it++) <= tol);
}
}  // namespace

TEST_CASE("lecture: cross-entropy through a sigmoid, the beautiful result", "[diff][lecture]") {
  auto y = sc("y"), z = sc("z");
  auto s = fn(Fn::Sigmoid, z);
  auto L = ir::neg(ir::add(ir::mul(y, fn(Fn::Log, s)), ir::mul(ir::sub(num(1), y), fn(Fn::Log, ir::sub(num(1), s)))));
  expect_diff(L, z, "sigmoid(z) - y", {{y, Dist::Unit01}, {z}});
  // dL/dyhat = -y/yhat + (1 - y)/(1 - yhat)
  auto yh = sc("yhat");
  auto L2 = ir::neg(
      ir::add(ir::mul(y, fn(Fn::Log, yh)), ir::mul(ir::sub(num(1), y), fn(Fn::Log, ir::sub(num(1), yh)))));
  expect_diff(L2, yh, "(yhat - y)/(yhat*(1 - yhat))", {{y, Dist::Unit01}, {yh, Dist::Unit01}});
  // dsigma/dz = sigma(z)(1 - sigma(z))
  expect_diff(s, z, "sigmoid(z)*(1 - sigmoid(z))", {{z}});
}

TEST_CASE("lecture: the 1-2-3-1 network's gradients", "[diff][lecture][network]") {
  Net net;
  Bindings b = net.values();
  // Symbolic forms: the output layer reads like the lecture, dL/dz3 = yhat - y.
  Expr gW3 = gradient(net.L, net.W3), gb3 = gradient(net.L, net.b3);
  CHECK(to_text(gW3) == "(yhat - y)*a2'");
  CHECK(to_text(gb3) == "yhat - y");
  CHECK(to_text(derivative(net.L, net.W3)) == "(yhat - y)*a2");
  // Backpropagation through the hidden layers, in the layers' names: dL/dz2 = (yhat - y) W3' .* a2(1 - a2).
  CHECK(to_text(gradient(net.L, net.W2)) == "(yhat - y)*(W3'.*(a2.*(1 - a2)))*a1'");
  CHECK(to_text(gradient(net.L, net.b2)) == "(yhat - y)*(a2.*W3'.*(1 - a2))");
  CHECK(to_text(gradient(net.L, net.b1)) == "(yhat - y)*(a1.*(1 - a1).*(W2'*(W3'.*(a2.*(1 - a2)))))");
  // The lecture's numbers (rounded there to 4 significant decimals; the
  // tolerance is one unit in the last printed place plus its rounding of the
  // intermediate values).
  expect_values(evaluate(net.yhat, b).size() ? net.yhat : net.yhat, b, {0.7739}, 1e-4);
  expect_values(gb3, b, {-0.2261}, 1e-4);
  expect_values(gW3, b, {-0.1394, -0.1349, -0.1374}, 2e-4);
  expect_values(gradient(net.L, net.b2), b, {-0.0214, -0.0109, -0.0323}, 1e-4);
  expect_values(gradient(net.L, net.W2), b, {-0.0123, -0.0128, -0.0063, -0.0065, -0.0186, -0.0194}, 1e-4);
  expect_values(gradient(net.L, net.b1), b, {-0.00264, -0.00337}, 2e-5);
  expect_values(gradient(net.L, net.W1), b, {-0.00528, -0.00674}, 4e-5);
  // And every gradient against finite differences at random points.
  std::vector<In> ins{{net.x}, {net.y, Dist::Unit01}, {net.W1}, {net.b1}, {net.W2}, {net.b2}, {net.W3}, {net.b3}};
  for (const auto& p : {net.W1, net.b1, net.W2, net.b2, net.W3, net.b3, net.x}) {
    Expr g = gradient(net.L, p);
    CHECK(fdtest::forbidden_pattern(g) == "");
    fdtest::check_gradient(net.L, p, g, ins, 2);
  }
}
