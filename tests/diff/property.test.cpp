// Randomised property test: well-typed expressions generated from the
// language's constructs (fixed seed) are differentiated and compared with
// central finite differences at random points and sizes, away from kinks.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "diff/common.hpp"
#include "diff/random_expr.hpp"

using namespace dtest;

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
