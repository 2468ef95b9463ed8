// mcalc's side of the benchmarks (bench/run.sh runs it next to bench/peers.py).
// Same problems and sizes as the peers, timed as the median of repeated runs
// after a warm-up. Prints one JSON object.
#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "mcalc/diff.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"

using namespace mcalc;
using Clock = std::chrono::steady_clock;

namespace {
double median_seconds(const std::function<void()>& fn, int repeat = 15) {
  fn();  // warm-up
  auto t0 = Clock::now();
  fn();
  double one = std::max(std::chrono::duration<double>(Clock::now() - t0).count(), 1e-7);
  int number = std::max(1, static_cast<int>(0.02 / one));
  std::vector<double> samples;
  for (int r = 0; r < repeat; ++r) {
    auto s = Clock::now();
    for (int k = 0; k < number; ++k) fn();
    samples.push_back(std::chrono::duration<double>(Clock::now() - s).count() / number);
  }
  std::nth_element(samples.begin(), samples.begin() + repeat / 2, samples.end());
  return samples[repeat / 2];
}

struct Query {
  Program prog;
  Expr f, wrt;
};

Query analyse_query(const std::string& let, const std::string& expr, const std::string& wrt) {
  Parsed l = parse_program(let, "--let"), e = parse_expression(expr), w = parse_expression(wrt, "--wrt");
  Program p = analyse({&l, &e, &w});
  Expr f = p.statements[p.statements.size() - 2].expr, x = p.statements.back().expr;
  return {std::move(p), f, x};
}

Eigen::MatrixXd uniform(long r, long c, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(-1, 1);
  Eigen::MatrixXd m(r, c);
  for (long k = 0; k < m.size(); ++k) m.data()[k] = u(rng);
  return m;
}
}  // namespace

int main(int argc, char** argv) {
  long N = argc > 1 ? std::atol(argv[1]) : 1000, n = argc > 2 ? std::atol(argv[2]) : 100,
       hn = argc > 3 ? std::atol(argv[3]) : 200;
  nlohmann::ordered_json out;
  out["N"] = N;
  out["n"] = n;
  out["hessian_n"] = hn;
  out["eigen_threads"] = Eigen::nbThreads();

  const std::string mse_let = "X: matrix(N, n); y: vector(N); w: vector(n); b: scalar";
  const std::string mse = "sum((y - max(0, X*w + b)).^2)/N";

  // Symbolic: text in, simplified closed-form gradient out.
  std::string closed;
  out["symbolic_mse_grad"] = median_seconds([&] {
    Query q = analyse_query(mse_let, mse, "w");
    closed = to_text(gradient(q.f, q.wrt));
  });
  out["symbolic_mse_grad_result"] = closed;
  out["symbolic_grad_xAx"] = median_seconds([&] {
    Query q = analyse_query("x: vector(n); A: matrix(n)", "x'*A*x", "x");
    closed = to_text(gradient(q.f, q.wrt));
  });
  out["symbolic_grad_xAx_result"] = closed;
  out["symbolic_hessian_xAx"] = median_seconds([&] {
    Query q = analyse_query("x: vector(n); A: matrix(n)", "x'*A*x", "x");
    closed = to_text(hessian(q.f, q.wrt));
  });
  out["symbolic_hessian_xAx_result"] = closed;

  // Numeric: the closed-form gradient evaluated with Eigen (a fresh evaluator
  // each time, borrowing the bindings; mse_grad_w_owning copies them first).
  std::mt19937 rng(1);
  Query q = analyse_query(mse_let, mse, "w");
  Expr g = gradient(q.f, q.wrt);
  Bindings b;
  b.values["X"] = uniform(N, n, rng);
  b.values["w"] = uniform(n, 1, rng);
  b.values["y"] = uniform(N, 1, rng);
  b.values["b"] = Eigen::MatrixXd::Constant(1, 1, 0.1);
  b.dims = {{"N", N}, {"n", n}};
  out["mse_grad_w"] = median_seconds([&] { Evaluator::borrowing(b).evaluate(g); });
  out["mse_grad_w_owning"] = median_seconds([&] { Evaluator(b).evaluate(g); });

  // Hessian of x'Ax: derive once, evaluate the closed form A + A'.
  Query h = analyse_query("x: vector(n); A: matrix(n)", "x'*A*x", "x");
  Expr H = hessian(h.f, h.wrt);
  Bindings hb;
  hb.values["A"] = uniform(hn, hn, rng);
  hb.values["x"] = uniform(hn, 1, rng);
  hb.dims = {{"n", hn}};
  out["hessian_xAx"] = median_seconds([&] { Evaluator::borrowing(hb).evaluate(H); });
  out["hessian_xAx_with_derivation"] = median_seconds([&] {
    Query hq = analyse_query("x: vector(n); A: matrix(n)", "x'*A*x", "x");
    Evaluator::borrowing(hb).evaluate(hessian(hq.f, hq.wrt));
  });
  std::cout << out.dump(2) << std::endl;
}
