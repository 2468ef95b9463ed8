// Harness: the answer checker. The fuzz bytes are a student's answer to one of
// the lecture's questions (the first byte picks the question and the layout);
// check_answer must end in a verdict (an invalid or too complex answer is a
// verdict too), never an internal error or a crash. A `correct` verdict must be
// deterministic: checking the same answer again with another seed agrees.
#include "fuzz/common.hpp"
#include "mcalc/check.hpp"

namespace check = mcalc::check;

int one_input(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static const check::Question questions[] = {
      {"x", "x", "x: vector(n)", mcalc::QueryOp::Diff},
      {"w.*x", "w", "w, x: vector(n)", mcalc::QueryOp::Diff},
      {"max(0, w'*x + b)", "w", "w, x: vector(n); b: scalar", mcalc::QueryOp::Diff},
      {"sum((y - max(0, X*w + b)).^2)/N", "w", "X: matrix(N, n); y: vector(N); w: vector(n); b: scalar",
       mcalc::QueryOp::Grad},
      {"sin(x^2)", "x", "x: scalar", mcalc::QueryOp::Diff},
      {"x'*A*x", "x", "x: vector(n); A: matrix(n, n)", mcalc::QueryOp::Grad},
      {"x'*A*x", "x", "x: vector(n); A: matrix(n, n)", mcalc::QueryOp::Hessian},
      {"-y*log(sigmoid(z)) - (1 - y)*log(1 - sigmoid(z))", "z", "y, z: scalar", mcalc::QueryOp::Diff},
  };
  const std::size_t nq = sizeof questions / sizeof questions[0];
  const check::Question& q = questions[data[0] % nq];
  check::Options o;
  o.layout = (data[0] / nq) % 3 == 0 ? check::LayoutChoice::Any : check::LayoutChoice::Numerator;
  const std::string answer = mcalc::fuzz::text_of(data, size, 1);
  check::Result r = check::check_answer(q, answer, o);  // an internal error escapes and is the finding
  if (r.verdict == check::Verdict::Correct) {
    o.seed = 7;
    if (check::check_answer(q, answer, o).verdict != check::Verdict::Correct) {
      std::cerr << "finding: 'correct' depends on the random seed for the answer:\n" << answer << "\n";
      std::abort();
    }
  }
  return 0;
}
