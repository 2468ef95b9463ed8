// The plan against the reference evaluator (the tree-walking evaluator it
// replaced, tests/eval/reference.hpp): every derivative case of the corpus
// (the function and its closed-form derivative compiled into one plan) and
// every expression of the printer's round-trip corpus, at sizes 1 to 4 with
// random values; then the fused and BLAS paths at sizes where they run on
// several threads, the reuse of buffers across runs, and the warnings.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <random>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define MCALC_HAVE_MALLINFO2 1
#endif

#include "expand/cases.hpp"
#include "helpers.hpp"
#include "mcalc/diff.hpp"
#include "reference.hpp"

using namespace mcalc;

namespace {

// Values for every input of the program, every symbolic dimension at `size`.
Bindings random_values(const Program& prog, long size, std::mt19937& rng, double lo, double hi) {
  Bindings b;
  for (const auto& d : prog.dims) b.dims[d] = size;
  std::uniform_real_distribution<double> u(lo, hi);
  auto dim = [&](const Dim& d) { return d.is_const() ? d.value() : size; };
  for (const auto& [name, s] : prog.symbols) {
    if (s.origin == Symbol::Origin::Defined) continue;
    Eigen::MatrixXd m(dim(s.shape.rows), dim(s.shape.cols));
    for (long k = 0; k < m.size(); ++k) m.data()[k] = u(rng);
    b.values[name] = m;
  }
  return b;
}

// Entrywise agreement to 1e-9 relative; NaN agrees with NaN, an infinity with itself.
bool agree(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, std::string& why) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) {
    why = "sizes " + std::to_string(a.rows()) + " x " + std::to_string(a.cols()) + " and " +
          std::to_string(b.rows()) + " x " + std::to_string(b.cols());
    return false;
  }
  for (long k = 0; k < a.size(); ++k) {
    const double x = a.data()[k], y = b.data()[k];
    if (std::isnan(x) && std::isnan(y)) continue;
    if (x == y) continue;
    if (std::abs(x - y) <= 1e-9 * std::max(1.0, std::max(std::abs(x), std::abs(y)))) continue;
    why = "entry " + std::to_string(k) + ": " + std::to_string(x) + " vs " + std::to_string(y);
    return false;
  }
  return true;
}

// Runs both evaluators on the roots; they must agree on the values, or both
// refuse with the same message.
void compare(const std::vector<Expr>& roots, const Bindings& b, const std::string& what) {
  std::vector<Eigen::MatrixXd> want;
  std::string want_error;
  try {
    test::ReferenceEvaluator ref(b);
    for (const auto& r : roots) want.push_back(ref.evaluate(r));
  } catch (const UserError& e) {
    want_error = e.text();
  }
  std::string got_error;
  Plan plan(roots);
  try {
    plan.run(b);
  } catch (const UserError& e) {
    got_error = e.text();
  }
  INFO(what);
  if (!want_error.empty() || !got_error.empty()) {
    CHECK(got_error == want_error);
    return;
  }
  for (std::size_t k = 0; k < roots.size(); ++k) {
    std::string why;
    const bool ok = agree(plan.value(k), want[k], why);
    if (!ok) FAIL_CHECK("root " << k << ": " << why << "\n" << plan.listing());
  }
}

}  // namespace

TEST_CASE("plan: agrees with the reference evaluator over the derivative corpus", "[eval][plan]") {
  std::mt19937 rng(2024);
  int compared = 0;
  for (const auto& c : etest::load_cases()) {
    etest::Analysed a = etest::analyse_case(c);
    const Expr d = etest::closed_form(c.op, a.f, a.wrt);
    for (long size = 1; size <= 4; ++size) {
      for (int trial = 0; trial < 2; ++trial) {
        Bindings b = trial == 0 ? random_values(a.prog, size, rng, 0.5, 1.5) : random_values(a.prog, size, rng, -1, 1);
        compare({a.f, d}, b, c.str() + " at size " + std::to_string(size));
        ++compared;
      }
      if (a.prog.dims.empty()) break;
    }
  }
  CHECK(compared > 500);
}

TEST_CASE("plan: agrees with the reference evaluator over the printer's corpus", "[eval][plan]") {
  std::ifstream in(std::string(MCALC_SOURCE_DIR) + "/tests/corpus/roundtrip.txt");
  REQUIRE(in.good());
  std::string line, let;
  std::mt19937 rng(7);
  int compared = 0;
  while (std::getline(in, line)) {
    if (line.rfind("# let:", 0) == 0) let = line.substr(6);
    if (line.empty() || line[0] == '#') continue;
    const std::string expr = line.substr(0, line.find(" => "));
    Parsed l = parse_program(let, "--let"), e = parse_expression(expr);
    Program p = analyse({&l, &e});
    const Expr f = p.statements.back().expr;
    for (long size : {1L, 3L}) {
      compare({f}, random_values(p, size, rng, 0.5, 1.5), expr + " at size " + std::to_string(size));
      ++compared;
    }
  }
  CHECK(compared > 300);
}

namespace {
struct Problem {
  std::vector<Parsed> units;
  Program prog;
  Expr f;
  std::vector<Expr> wrt;
};
Problem problem(const std::string& let, const std::string& expr, const std::vector<std::string>& wrt) {
  Problem q;
  q.units.push_back(parse_program(let, "--let"));
  q.units.push_back(parse_expression(expr));
  for (const auto& w : wrt) q.units.push_back(parse_expression(w, "--wrt"));
  std::vector<const Parsed*> ptrs;
  for (const auto& u : q.units) ptrs.push_back(&u);
  q.prog = analyse(ptrs);
  const auto& st = q.prog.statements;
  q.f = st[st.size() - 1 - wrt.size()].expr;
  for (std::size_t k = 0; k < wrt.size(); ++k) q.wrt.push_back(st[st.size() - wrt.size() + k].expr);
  return q;
}
}  // namespace

TEST_CASE("plan: the MSE-ReLU value and gradients in one pass over X", "[eval][plan][fused]") {
  Problem q = problem("X: matrix(N, n); y: vector(N); w: vector(n); b: scalar", "sum((y - max(0, X*w + b)).^2)/N",
                      {"w", "b"});
  const std::vector<Expr> roots{q.f, gradient(q.f, q.wrt[0]), gradient(q.f, q.wrt[1])};
  Plan plan(roots);
  // One fused region holds X*w and the reduction X'*r: X is read once.
  const std::string listing = plan.listing();
  INFO(listing);
  CHECK(listing.find("fused {") != std::string::npos);
  CHECK(listing.find("fused {", listing.find("fused {") + 1) == std::string::npos);
  std::mt19937 rng(3);
  for (long N : {1L, 7L, 5000L, 40000L}) {
    Bindings b = random_values(q.prog, 1, rng, -1, 1);
    b.dims = {{"N", N}, {"n", 24}};
    b.values["X"] = Eigen::MatrixXd::Random(N, 24);
    b.values["y"] = Eigen::MatrixXd::Random(N, 1);
    b.values["w"] = Eigen::MatrixXd::Random(24, 1);
    compare(roots, b, "N = " + std::to_string(N));
  }
}

TEST_CASE("plan: the logistic Hessian as a rank-k update", "[eval][plan][gram]") {
  Problem q = problem("X: matrix(N, d); y: vector(N); w: vector(d)", "sum(log(1 + exp(-y .* (X*w))))", {"w"});
  const Expr H = hessian(q.f, q.wrt[0]);
  Plan plan({q.f, gradient(q.f, q.wrt[0]), H});
  INFO(plan.listing());
  CHECK(plan.listing().find("gram") != std::string::npos);
  std::mt19937 rng(4);
  for (long N : {1L, 3L, 3000L, 20000L}) {
    Bindings b;
    b.dims = {{"N", N}, {"d", 30}};
    b.values["X"] = Eigen::MatrixXd::Random(N, 30);
    b.values["y"] = Eigen::MatrixXd::Random(N, 1);
    b.values["w"] = Eigen::MatrixXd::Random(30, 1);
    compare({q.f, gradient(q.f, q.wrt[0]), H}, b, "N = " + std::to_string(N));
  }
  // X'*diag(s)*Y with different matrices, and a diagonal of mixed signs
  const Dim N = Dim::sym("N"), d = Dim::sym("d"), e = Dim::sym("e");
  const Expr X = ir::var("X", Shape::matrix(N, d)), Y = ir::var("Y", Shape::matrix(N, e));
  const Expr s = ir::var("s", Shape::vector(N));
  Bindings b;
  b.values["X"] = Eigen::MatrixXd::Random(5000, 12);
  b.values["Y"] = Eigen::MatrixXd::Random(5000, 7);
  b.values["s"] = Eigen::MatrixXd::Random(5000, 1);
  const Expr XdX = ir::mul(ir::mul(ir::transpose(X), ir::call(Fn::DiagOf, {s})), X);
  const Expr XdY = ir::mul(ir::num(3), ir::mul(ir::mul(ir::transpose(X), ir::call(Fn::DiagOf, {s})), Y));
  compare({XdX, XdY}, b, "X'*diag(s)*X and 3*X'*diag(s)*Y");
}

#ifdef MCALC_HAVE_MALLINFO2
TEST_CASE("plan: a second run with values of the same sizes allocates nothing", "[eval][plan]") {
  Problem q = problem("X: matrix(N, n); y: vector(N); w: vector(n); b: scalar", "sum((y - max(0, X*w + b)).^2)/N",
                      {"w", "b"});
  Plan plan({q.f, gradient(q.f, q.wrt[0]), gradient(q.f, q.wrt[1])});
  Bindings b;
  b.values["X"] = Eigen::MatrixXd::Random(20000, 16);
  b.values["y"] = Eigen::MatrixXd::Random(20000, 1);
  b.values["w"] = Eigen::MatrixXd::Random(16, 1);
  b.values["b"] = Eigen::MatrixXd::Constant(1, 1, 0.1);
  plan.run(b);
  const double first = plan.scalar(0);
  b.values["w"] = Eigen::MatrixXd::Random(16, 1);
  struct mallinfo2 before = mallinfo2();
  plan.run(b);
  struct mallinfo2 after = mallinfo2();
  CHECK(after.uordblks == before.uordblks);
  CHECK(after.hblkhd == before.hblkhd);
  CHECK(plan.scalar(0) != first);
}
#endif

TEST_CASE("plan: NaN and infinities are reported where they first arise", "[eval][plan]") {
  const Expr x = ir::var("x", Shape::vector(Dim::sym("n")));
  const Expr lg = ir::call(Fn::Log, {x});
  Plan plan({ir::call(Fn::Sum, {ir::add(lg, ir::num(1))})});
  Bindings b;
  b.values["x"] = test::col({1, -1, 2});
  plan.run(b);
  REQUIRE(plan.warnings().size() == 1);
  CHECK(plan.warnings()[0].id == Msg::NonFiniteValue);
  CHECK(format_message(plan.warnings()[0].id, plan.warnings()[0].args) == "NaN first arises here, in log(x)");
  b.values["x"] = test::col({1, 2, 3});
  plan.run(b);
  CHECK(plan.warnings().empty());
  Plan div({ir::div(ir::num(1), ir::sub(ir::var("a", Shape::scalar()), ir::num(2)))});
  Bindings a;
  a.values["a"] = test::scalar(2);
  div.run(a);
  REQUIRE(div.warnings().size() == 1);
  CHECK(format_message(div.warnings()[0].id, div.warnings()[0].args) == "an infinity first arises here, in 1/(a - 2)");
}

TEST_CASE("plan: limits are options", "[eval][plan][errors]") {
  const Dim N = Dim::sym("N");
  const Expr X = ir::var("X", Shape::matrix(N, Dim::lit(64)));
  const Expr w = ir::var("w", Shape::vector(Dim::lit(64)));
  Bindings b;
  b.values["X"] = Eigen::MatrixXd::Ones(1000, 64);
  b.values["w"] = Eigen::MatrixXd::Ones(64, 1);
  const Expr Xw = ir::call(Fn::Sum, {ir::mul(X, w)});
  EvalOptions few;
  few.max_elements = 50000;
  Plan refused({Xw}, few);
  try {
    refused.run(b);
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK(e.text() == "a value of 1000 x 64 elements is larger than the limit of 50000 (--max-elements)");
  }
  few.max_elements = 64000;
  Plan accepted({Xw}, few);
  accepted.run(b);
  CHECK(accepted.scalar(0) == 64000);
  // the work of one operation is bounded before it starts
  EvalOptions small;
  small.max_work = 1e6;
  const Expr A = ir::var("A", Shape::matrix(Dim::lit(200), Dim::lit(200)));
  Bindings ba;
  ba.values["A"] = Eigen::MatrixXd::Identity(200, 200);
  Plan det({ir::call(Fn::Det, {A})}, small);
  try {
    det.run(ba);
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::TooMuchWork);
    CHECK(e.text() == "det of a 200 x 200 matrix costs about 8e+06 multiply-adds, more than the limit of 1e+06 "
                      "(--max-work)");
  }
}

TEST_CASE("the cost of det, logdet and inv of a dense operand is checked before the operand is computed",
          "[eval][limits]") {
  // Found by the sanitizer job: det(exp(eye(7000))) built the dense 7000 x 7000 exp(eye) (seconds under
  // ASan) before det's --max-work check. Now the check comes when the sizes are bound: exp(eye(8000)) alone
  // is beyond --max-elements, so the error proves that nothing was computed first.
  const Expr I8000 = ir::eye(Dim::lit(8000));
  for (Fn f : {Fn::Det, Fn::Logdet, Fn::Inv}) {
    INFO(fn_name(f));
    Plan p({ir::call(f, {ir::call(Fn::Exp, {I8000})})});
    try {
      p.run(Bindings{});
      FAIL("no error");
    } catch (const UserError& e) {
      CHECK(e.id() == Msg::TooMuchWork);
      CHECK(e.text().rfind(std::string(fn_name(f)) + " of a 8000 x 8000 matrix costs about 5.12e+11", 0) == 0);
    }
  }
  // With a symbolic size, when the value binds it; an input is dense.
  const Dim n = Dim::sym("n");
  const Expr X = ir::var("X", Shape::matrix(n, n));
  EvalOptions small;
  small.max_work = 1e3;
  Plan inv({ir::call(Fn::Inv, {ir::add(ir::transpose(X), X)})}, small);
  Bindings bx;
  bx.values["X"] = Eigen::MatrixXd::Identity(20, 20);
  CHECK_THROWS_AS(inv.run(bx), UserError);
  // A structured operand stays cheap: det(eye(8000)) and det(diag(v)) are computed.
  Plan cheap({ir::call(Fn::Det, {I8000})});
  cheap.run(Bindings{});
  CHECK(cheap.scalar(0) == 1);
  const Expr v = ir::var("v", Shape::vector(n));
  Plan dv({ir::call(Fn::Det, {ir::call(Fn::DiagOf, {ir::mul(ir::num(2), v)})})}, small);
  Bindings bv;
  bv.values["v"] = Eigen::VectorXd::Constant(30, 1.0);
  dv.run(bv);
  CHECK(dv.scalar(0) == std::pow(2.0, 30));
}
