// Randomised property test: well-typed expressions generated from the
// language's constructs (fixed seed) are differentiated and compared with
// central finite differences at random points and sizes, away from kinks.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "diff/common.hpp"

using namespace dtest;

namespace {

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  std::mt19937& rng() { return rng_; }

  Expr a = sc("a"), b = sc("b"), x = vec("x"), y = vec("y"), A = mat("A"), B = mat("B");

  int pick(int k) { return std::uniform_int_distribution<int>(0, k - 1)(rng_); }
  Expr constant() { return num(std::uniform_int_distribution<int>(1, 4)(rng_) * 0.5); }

  /// 1 + u.^2 (or 1 + u^2): a positive operand for log, sqrt and division.
  Expr positive(const Expr& u) {
    return ir::add(num(1), u->is_scalar() ? ir::pow(u, num(2)) : ir::elem_pow(u, num(2)));
  }

  Expr unary(const Expr& u) {
    switch (pick(12)) {
      case 0: return fn(Fn::Sin, u);
      case 1: return fn(Fn::Cos, u);
      case 2: return fn(Fn::Tanh, u);
      case 3: return fn(Fn::Sigmoid, u);
      case 4: return fn(Fn::Softplus, u);
      case 5: return fn(Fn::Relu, u);
      case 6: return fn(Fn::Abs, u);
      case 7: return fn(Fn::Atan, u);
      case 8: return fn(Fn::Log, positive(u));
      case 9: return fn(Fn::Sqrt, positive(u));
      case 10: return fn(Fn::Exp, fn(Fn::Tanh, u));
      default: return fn(Fn::LeakyRelu, u, num(0.1));
    }
  }

  Expr scalar(int d) {
    if (d <= 0) {
      switch (pick(3)) {
        case 0: return a;
        case 1: return b;
        default: return constant();
      }
    }
    switch (pick(16)) {
      case 0: return ir::add(scalar(d - 1), scalar(d - 1));
      case 1: return ir::sub(scalar(d - 1), scalar(d - 1));
      case 2: return ir::mul(scalar(d - 1), scalar(d - 1));
      case 3: return ir::div(scalar(d - 1), positive(scalar(d - 1)));
      case 4: return unary(scalar(d - 1));
      case 5: return fn(Fn::Sum, vector(d - 1));
      case 6: return ir::dot(vector(d - 1), vector(d - 1));
      case 7: return ir::mul(T(vector(d - 1)), vector(d - 1));
      case 8: return fn(Fn::Mean, vector(d - 1));
      case 9: return fn(Fn::Logsumexp, vector(d - 1));
      case 10: return fn(Fn::Tr, matrix(d - 1));
      case 11: return ir::mul(ir::mul(T(vector(d - 1)), matrix(d - 1)), vector(d - 1));
      case 12: return fn(Fn::Max, scalar(d - 1), scalar(d - 1));
      case 13: return ir::pow(scalar(d - 1), num(2));
      case 14: return fn(Fn::Norm2, positive(vector(d - 1)));
      default: return ir::neg(scalar(d - 1));
    }
  }

  Expr vector(int d) {
    if (d <= 0) return pick(2) ? x : y;
    switch (pick(14)) {
      case 0: return ir::add(vector(d - 1), vector(d - 1));
      case 1: return ir::sub(vector(d - 1), vector(d - 1));
      case 2: return ir::mul(scalar(d - 1), vector(d - 1));
      case 3: return ir::hadamard(vector(d - 1), vector(d - 1));
      case 4: return ir::elem_div(vector(d - 1), positive(vector(d - 1)));
      case 5: return unary(vector(d - 1));
      case 6: return ir::mul(matrix(d - 1), vector(d - 1));
      case 7: return fn(Fn::Softmax, vector(d - 1));
      case 8: return ir::add(vector(d - 1), scalar(d - 1));
      case 9: return fn(Fn::Max, num(0), vector(d - 1));
      case 10: return fn(Fn::Min, vector(d - 1), vector(d - 1));
      case 11: return ir::elem_pow(vector(d - 1), num(2));
      case 12: return ir::mul(T(matrix(d - 1)), vector(d - 1));
      default: return ir::neg(vector(d - 1));
    }
  }

  Expr matrix(int d) {
    if (d <= 0) return pick(2) ? A : B;
    switch (pick(7)) {
      case 0: return ir::add(matrix(d - 1), matrix(d - 1));
      case 1: return ir::mul(matrix(d - 1), matrix(d - 1));
      case 2: return ir::mul(scalar(d - 1), matrix(d - 1));
      case 3: return T(matrix(d - 1));
      case 4: return ir::hadamard(matrix(d - 1), matrix(d - 1));
      case 5: return fn(Fn::DiagOf, vector(d - 1));
      default: return unary(matrix(d - 1));
    }
  }

 private:
  std::mt19937 rng_;
};

bool depends_on(const Expr& e, const std::string& name) {
  if (e->kind == Kind::Var && e->name == name) return true;
  for (const auto& a : e->args)
    if (depends_on(a, name)) return true;
  return false;
}

}  // namespace

TEST_CASE("property: random expressions agree with finite differences", "[diff][property]") {
  // A fixed seed; MCALC_PROPERTY_SEED explores others.
  const char* env = std::getenv("MCALC_PROPERTY_SEED");
  Gen g(env ? static_cast<unsigned>(std::stoul(env)) : 20261129u);
  std::vector<In> ins{{g.a}, {g.b}, {g.x}, {g.y}, {g.A}, {g.B}};
  int checked = 0, by_vec = 0, kinks = 0, attempts = 0;
  while (checked < 2000 && attempts < 8000) {
    ++attempts;
    int kind = g.pick(4);
    Expr f = kind == 0 ? g.scalar(1 + g.pick(3))
             : kind == 1 ? g.vector(1 + g.pick(3))
             : kind == 2 ? g.scalar(1 + g.pick(2))
                         : g.matrix(1 + g.pick(3));
    // A variable f depends on: tensor-shaped derivatives (a matrix f, anything by a matrix)
    // are the vec/Kronecker Jacobian, d vec(f)/d vec(X)'.
    std::vector<Expr> wrts;
    for (const auto& v : {g.a, g.b, g.x, g.y, g.A, g.B})
      if (depends_on(f, v->name)) wrts.push_back(v);
    if (wrts.empty()) continue;
    Expr wrt = wrts[static_cast<std::size_t>(g.pick(static_cast<int>(wrts.size())))];
    INFO("diff(" << to_text(f) << ", " << wrt->name << ")");
    Expr d = derivative(f, wrt);  // every derivative exists: no error
    if (mcalc::by_vec(QueryOp::Diff, f->shape, wrt->shape)) ++by_vec;
    INFO("diff(" << to_text(f) << ", " << wrt->name << ") = " << to_text(d));
    REQUIRE(fdtest::forbidden_pattern(d) == "");
    Bindings bnd;
    if (!fdtest::try_sample(g.rng(), ins, {f, d}, bnd)) {
      ++kinks;  // e.g. max(u, u): always at its kink
      continue;
    }
    Eigen::MatrixXd got = fdtest::as_jacobian(evaluate(d, bnd), f, wrt, Layout::Numerator);
    Eigen::MatrixXd want = fdtest::fd_jacobian(f, wrt->name, bnd);
    fdtest::expect_close(got, want, "random expression");
    ++checked;
  }
  INFO("checked " << checked << ", by vec " << by_vec << ", kink skips " << kinks);
  WARN("property test: checked " << checked << ", by vec " << by_vec << ", kink skips " << kinks);
  CHECK(checked >= 2000);
  CHECK(by_vec >= 200);  // the vec/Kronecker Jacobians are a good part of the sample
  CHECK(kinks < checked / 5);
}

TEST_CASE("property: random Hessians agree with finite differences of the gradient", "[diff][property][hessian]") {
  Gen g(77);
  std::vector<In> ins{{g.a}, {g.b}, {g.x}, {g.y}, {g.A}, {g.B}};
  int checked = 0, skipped = 0;
  for (int attempt = 0; attempt < 1500 && checked < 300; ++attempt) {
    Expr f = g.scalar(1 + g.pick(3));
    // by a vector, a scalar, or a matrix (d vec(grad)/d vec(A)')
    Expr wrt = attempt % 3 == 2 && depends_on(f, "A") ? g.A : depends_on(f, "x") ? g.x : depends_on(f, "a") ? g.a : nullptr;
    if (!wrt) continue;
    Expr h, grad;
    try {
      h = hessian(f, wrt);
      grad = gradient(f, wrt);
    } catch (const UserError& e) {
      INFO(to_text(f) << ": " << e.what());
      FAIL("every Hessian of a scalar exists");
    }
    INFO("hessian(" << to_text(f) << ", " << wrt->name << ") = " << to_text(h));
    REQUIRE(fdtest::forbidden_pattern(h) == "");
    Bindings bnd;
    if (!fdtest::try_sample(g.rng(), ins, {f, grad, h}, bnd)) {
      ++skipped;
      continue;
    }
    fdtest::expect_close(evaluate(h, bnd), fdtest::fd_jacobian(grad, wrt->name, bnd), "random Hessian");
    ++checked;
  }
  CHECK(checked >= 300);
  CHECK(skipped < checked / 4);
}
