// Harness: --expand at concrete sizes. Every name is declared by the letter
// convention with size 2 (a-g scalars, h-z vector(2), A-Z matrix(2)), so the
// expansion and its GiNaC cross-check always have sizes; the outcome must be
// a result or a located user error, and a failed cross-check of a smooth
// expression is a finding.
#include "fuzz/common.hpp"

using mcalc::driver::Request;
using mcalc::driver::Verb;

int one_input(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  Request req;
  const Verb verbs[] = {Verb::Diff, Verb::Grad, Verb::Hessian};
  req.verb = verbs[data[0] % 3];
  req.input = mcalc::fuzz::text_of(data, size, 1);
  req.timeout = 0;
  req.expand = true;
  auto names = mcalc::fuzz::names_in(req.input);
  if (names.empty()) return 0;
  std::string let;
  for (const auto& n : names) {
    char c = n[0];
    std::string type = c >= 'h' && c <= 'z' ? "vector(2)" : c >= 'A' && c <= 'Z' ? "matrix(2)" : "scalar";
    let += (let.empty() ? "" : "; ") + n + ": " + type;
  }
  req.let = let;
  req.wrt = names[(data[0] / 3) % names.size()];
  int rc = mcalc::fuzz::run_checked(req);
  if (rc == mcalc::driver::CheckFailed && mcalc::fuzz::smooth(req.input)) {
    std::cerr << "finding: --expand cross-check failed for a smooth expression:\n" << req.input << "\n";
    std::abort();
  }
  return 0;
}
