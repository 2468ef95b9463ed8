// The vector chain rule and total derivatives through intermediate variables,
// bracket literals and indexing, and linear growth of a deep network's gradient.
#include <catch2/catch.hpp>

#include <set>

#include "diff/common.hpp"
#include "mcalc/simplify.hpp"

using namespace dtest;

namespace {
std::size_t distinct_nodes(const Expr& e) {
  std::set<const Node*> seen;
  std::function<void(const Expr&)> go = [&](const Expr& x) {
    if (!seen.insert(x.get()).second) return;
    for (const auto& a : x->args) go(a);
  };
  go(e);
  return seen.size();
}

/// An L-layer sigmoid network with intermediate variables z_k, a_k.
struct Deep {
  std::vector<Expr> W, b;
  Expr x = vec("x"), loss;
  std::vector<In> ins;
  explicit Deep(int L) {
    ins.push_back({x});
    Expr a = x;
    for (int k = 1; k <= L; ++k) {
      W.push_back(mat(("W" + std::to_string(k)).c_str()));
      b.push_back(vec(("b" + std::to_string(k)).c_str()));
      ins.push_back({W.back()});
      ins.push_back({b.back()});
      Expr z = ir::var("z" + std::to_string(k), Shape::vector(n), ir::add(ir::mul(W.back(), a), b.back()));
      a = ir::var("a" + std::to_string(k), Shape::vector(n), fn(Fn::Sigmoid, z));
    }
    loss = fn(Fn::Sum, a);
  }
};
}  // namespace

TEST_CASE("intermediate variables are followed through every path", "[diff][chain]") {
  auto w = vec("w"), x = vec("x");
  // u = w .* x; y = sum(u); diff(y, w) = x'
  auto u = ir::var("u", Shape::vector(n), ir::hadamard(w, x));
  auto y = ir::var("y", Shape::scalar(), fn(Fn::Sum, u));
  expect_diff(y, w, "x'", {{w}, {x}});
  // Two paths from w: p = w .* w through u and directly: d/dw sum(u + w) = 2*w' + ones(n)'
  auto p = ir::var("p", Shape::vector(n), ir::hadamard(w, w));
  expect_diff(fn(Fn::Sum, ir::add(p, w)), w, "", {{w}});
  expect_grad(fn(Fn::Sum, ir::add(p, w)), w, "2*w + ones(n)", {{w}});
  // Jacobians multiply in order: d sigmoid(W*x)/dx = diag(s .* (1 - s)) W with s named.
  auto W = mat("W", m, n);
  auto s = ir::var("s", Shape::vector(m), fn(Fn::Sigmoid, ir::mul(W, x)));
  expect_diff(s, x, "diag(s.*(1 - s))*W", {{W}, {x}});
  expect_diff(fn(Fn::Sin, fn(Fn::Exp, x)), x, "diag(cos(exp(x)).*exp(x))", {{x}});
}

TEST_CASE("bracket literals stack rows, indexing picks unit rows", "[diff][chain]") {
  auto x = sc("x"), y = sc("y"), v = vec("v");
  fdtest::MinSize at_least(3);
  expect_diff(ir::literal(2, 1, {ir::mul(x, y), ir::add(x, y)}), x, "[y; 1]", {{x}, {y}});
  expect_diff(ir::literal(1, 2, {ir::mul(x, y), ir::pow(x, num(2))}), x, "[y; 2*x]", {{x}, {y}});
  expect_diff(ir::literal(1, 2, {ir::mul(x, y), ir::pow(x, num(2))}), x, "[y, 2*x]", {{x}, {y}}, Layout::Denominator);
  expect_diff(ir::index(v, 3), v, "unit(3, n)'", {{v}});
  // [v[1]; v[2]*v[1]] with respect to v: rows e_1' and v[2] e_1' + v[1] e_2'.
  expect_diff(ir::literal(2, 1, {ir::index(v, 1), ir::mul(ir::index(v, 2), ir::index(v, 1))}), v, "", {{v}});
  // A bracket of scalars of a vector: its gradient.
  expect_grad(fn(Fn::Sum, ir::literal(2, 1, {ir::index(v, 1), ir::pow(ir::index(v, 2), num(2))})), v,
              "2*v[2]*unit(2, n) + unit(1, n)", {{v}});
}

TEST_CASE("a deep network's gradient grows linearly with depth", "[diff][chain]") {
  std::vector<std::size_t> sizes, nodes;
  for (int L : {4, 8, 16}) {
    Deep net(L);
    Expr g = gradient(net.loss, net.W[0]);
    sizes.push_back(expr_size(g));
    nodes.push_back(distinct_nodes(g));
    CHECK(fdtest::forbidden_pattern(g) == "");
    if (L == 4) fdtest::check_gradient(net.loss, net.W[0], g, net.ins, 2);
  }
  INFO("printed sizes " << sizes[0] << ", " << sizes[1] << ", " << sizes[2]);
  // Doubling the depth at most doubles the result (plus a constant).
  CHECK(sizes[2] - sizes[1] <= 2 * (sizes[1] - sizes[0]) + 8);
  CHECK(sizes[2] <= 5 * sizes[0] + 40);
  CHECK(nodes[2] <= 5 * nodes[0] + 40);
}

TEST_CASE("a bracket of functions of a vector of known length: the Jacobian as a bracket", "[diff][chain]") {
  // Parr & Howard's J = [∇f; ∇g] for f(x, y) = 3x²y, g(x, y) = 2x + y⁸, with (x, y) = v.
  auto v = ir::var("v", Shape::vector(Dim::lit(2)));
  auto x = ir::index(v, 1), y = ir::index(v, 2);
  auto f = ir::mul(ir::mul(num(3), ir::pow(x, num(2))), y);
  auto g = ir::add(ir::mul(num(2), x), ir::pow(y, num(8)));
  expect_diff(ir::literal(2, 1, {f, g}), v, "[6*v[1]*v[2], 3*v[1]^2; 2, 8*v[2]^7]", {{v}});
  expect_diff(ir::literal(2, 1, {f, g}), v, "[6*v[1]*v[2], 2; 3*v[1]^2, 8*v[2]^7]", {{v}}, Layout::Denominator);
}
