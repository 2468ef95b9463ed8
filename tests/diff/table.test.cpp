// The derivatives whose text the contract fixes exactly (numerator layout;
// `x, w: vector(n); b, z: scalar`, and `x, y: scalar` in the scalar rows),
// each also checked against finite differences.
#include <catch2/catch.hpp>

#include "diff/harness.hpp"

using namespace mcalc;
using fdtest::In;
using fdtest::Dist;

namespace {
const Dim n = Dim::sym("n");
Expr vec(const char* s) { return ir::var(s, Shape::vector(n)); }
Expr sc(const char* s) { return ir::var(s, Shape::scalar()); }
Expr num(double v) { return ir::num(v); }

void row(const Expr& f, const Expr& wrt, const std::string& want, const std::vector<In>& ins) {
  Expr d = derivative(f, wrt);
  INFO("diff(" << to_text(f) << ", " << wrt->name << ")");
  CHECK(to_text(d) == want);
  CHECK(fdtest::forbidden_pattern(d) == "");
  fdtest::check_numeric(f, wrt, d, ins);
}
}  // namespace

TEST_CASE("table: identity, sums and differences", "[diff][table]") {
  auto x = vec("x"), w = vec("w"), z = sc("z");
  row(x, x, "eye(n)", {{x}});
  row(ir::add(w, x), w, "eye(n)", {{w}, {x}});
  row(ir::sub(w, x), x, "-eye(n)", {{w}, {x}});
  row(ir::hadamard(w, x), w, "diag(x)", {{w}, {x}});
  row(ir::add(x, z), z, "ones(n)", {{x}, {z}});
}

TEST_CASE("table: reductions and the neuron", "[diff][table]") {
  auto x = vec("x"), w = vec("w"), b = sc("b");
  row(ir::call(Fn::Sum, {x}), x, "ones(n)'", {{x}});
  row(ir::call(Fn::Sum, {ir::hadamard(w, x)}), w, "x'", {{w}, {x}});
  auto z = ir::add(ir::mul(ir::transpose(w), x), b);
  row(z, w, "x'", {{w}, {x}, {b}});
  row(z, b, "1", {{w}, {x}, {b}});
  row(ir::call(Fn::Max, {num(0), z}), w, "step(w'*x + b)*x'", {{w}, {x}, {b}});
}

TEST_CASE("table: scalar chain rule, vector chain rule, cross-entropy", "[diff][table]") {
  auto x = sc("x"), y = sc("y"), z = sc("z");
  row(ir::call(Fn::Sin, {ir::pow(x, num(2))}), x, "2*x*cos(x^2)", {{x}});
  auto lit = ir::literal(2, 1, {ir::call(Fn::Log, {ir::pow(x, num(2))}), ir::call(Fn::Sin, {ir::mul(num(3), x)})});
  row(lit, x, "[2/x; 3*cos(3*x)]", {{x}});
  auto s = ir::call(Fn::Sigmoid, {z});
  auto L = ir::neg(ir::add(ir::mul(y, ir::call(Fn::Log, {s})),
                           ir::mul(ir::sub(num(1), y), ir::call(Fn::Log, {ir::sub(num(1), s)}))));
  row(L, z, "sigmoid(z) - y", {{y, Dist::Unit01}, {z}});
}
