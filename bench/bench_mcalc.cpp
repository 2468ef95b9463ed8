// mcalc's side of the benchmarks (bench/run.sh runs it next to bench/peers.py).
// Same problems, data and sizes as the peers (the data come from one integer
// hash both sides compute exactly), timed as the median of repeated runs after
// a warm-up. Prints one JSON object with the times and the results, which
// run.sh compares with the peers' to 1e-9 relative before any ratio counts.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
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
  std::vector<Parsed> units;
  Program prog;
  Expr f;
  std::vector<Expr> wrt;
};

Query analyse_query(const std::string& let, const std::string& expr, const std::vector<std::string>& wrt) {
  Query q;
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

// The benchmark data: entry (i, j) of array `seed` is an exact function of
// integers, in [-1, 1), computed the same way by bench/peers.py.
double hashed(std::uint64_t seed, std::uint64_t i, std::uint64_t j) {
  const std::uint64_t h = (i * 2654435761ULL + j * 40503ULL + seed * 2246822519ULL) % 4294967296ULL;
  return static_cast<double>(h) / 2147483648.0 - 1.0;
}
Eigen::MatrixXd data(long rows, long cols, std::uint64_t seed, double scale = 1.0) {
  Eigen::MatrixXd m(rows, cols);
  for (long j = 0; j < cols; ++j)
    for (long i = 0; i < rows; ++i) m(i, j) = scale * hashed(seed, static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(j));
  return m;
}

std::vector<double> flat(const Eigen::MatrixXd& m) { return std::vector<double>(m.data(), m.data() + m.size()); }

// The L-layer tanh network: a_k = tanh(W_k*a_{k-1}), a_0 = x, loss sum(a_L).
std::string tanh_program(int L) {
  std::string let = "x: vector(n)";
  for (int k = 1; k <= L; ++k) let += "; W" + std::to_string(k) + ": matrix(n)";
  for (int k = 1; k <= L; ++k)
    let += "; a" + std::to_string(k) + " = tanh(W" + std::to_string(k) + "*" + (k == 1 ? "x" : "a" + std::to_string(k - 1)) + ")";
  return let;
}
}  // namespace

int main() {
  nlohmann::ordered_json out;
  out["threads"] = thread_report();
  EvalOptions big;  // a library user's limits: X of 1,000,000 x 64 is 64 million entries
  big.max_elements = 200000000;
  big.max_work = 1e12;

  // 1. MSE-ReLU: value and the gradients by w and b, one plan.
  {
    Query q = analyse_query("X: matrix(N, n); y: vector(N); w: vector(n); b: scalar", "sum((y - max(0, X*w + b)).^2)/N",
                            {"w", "b"});
    const Expr gw = gradient(q.f, q.wrt[0]), gb = gradient(q.f, q.wrt[1]);
    out["mse_gradient_w"] = to_text(gw);
    for (long N : {500000L, 1000000L}) {
      const long n = 64;
      Bindings b;
      b.values["X"] = data(N, n, 1);
      b.values["y"] = data(N, 1, 2);
      b.values["w"] = data(n, 1, 3, 0.1);
      b.values["b"] = Eigen::MatrixXd::Constant(1, 1, 0.1);
      Plan plan({q.f, gw, gb}, big);
      plan.run(b);
      const std::string key = "mse_" + std::to_string(N);
      out[key]["value"] = plan.scalar(0);
      out[key]["grad_w"] = flat(plan.value(1));
      out[key]["grad_b"] = plan.scalar(2);
      out[key]["seconds"] = median_seconds([&] { plan.run(b); });
      if (N == 500000) out["mse_plan"] = plan.listing();
    }
  }

  // 2. Logistic loss: the Hessian by w.
  {
    Query q = analyse_query("X: matrix(N, d); y: vector(N); w: vector(d)", "sum(log(1 + exp(-y .* (X*w))))", {"w"});
    const Expr H = hessian(q.f, q.wrt[0]);
    out["logistic_hessian"] = to_text(H);
    for (long d : {300L, 100L}) {
      const long N = 10000;
      Bindings b;
      b.values["X"] = data(N, d, 4);
      b.values["y"] = data(N, 1, 5);
      b.values["w"] = data(d, 1, 6, 0.1);
      Plan plan({H}, big);
      plan.run(b);
      const std::string key = "hessian_" + std::to_string(d);
      out[key]["hessian"] = flat(plan.value(0));
      out[key]["seconds"] = median_seconds([&] { plan.run(b); }, 9);
      if (d == 300) out["hessian_plan"] = plan.listing();
    }
  }

  // 3. Symbolic: the gradient of the L-layer tanh network by W1, text in,
  // simplified text out (parse, type-check, differentiate, print).
  for (int L : {1, 2, 4, 8, 16, 32, 64}) {
    const std::string let = tanh_program(L);
    std::size_t chars = 0;
    const double s = median_seconds(
        [&] {
          Query q = analyse_query(let, "sum(a" + std::to_string(L) + ")", {"W1"});
          chars = to_text(gradient(q.f, q.wrt[0])).size();
        },
        5);
    out["tanh_" + std::to_string(L)] = {{"seconds", s}, {"chars", chars}};
  }
  std::cout << out.dump(1) << std::endl;
}
