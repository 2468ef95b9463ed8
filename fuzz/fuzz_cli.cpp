// Harness: the command layer on arbitrary text. The first byte picks the verb
// (and --check or derive's backpropagation, --layout); the rest is EXPR; --wrt is its first name. Every
// outcome must be a result or a located user error: exit code 3 (an internal
// error) or a crash is a finding, and so is a failed --check of a smooth
// expression.
#include "fuzz/common.hpp"

using mcalc::driver::Request;
using mcalc::driver::Verb;

int one_input(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  Request req;
  const Verb verbs[] = {Verb::Parse, Verb::CheckTypes, Verb::Diff, Verb::Grad, Verb::Hessian, Verb::Derive};
  req.verb = verbs[data[0] % 6];
  req.input = mcalc::fuzz::text_of(data, size, 1);
  req.timeout = 0;  // libFuzzer's -timeout bounds each run
  bool derivative = req.verb == Verb::Diff || req.verb == Verb::Grad || req.verb == Verb::Hessian ||
                    req.verb == Verb::Derive;
  if (derivative) {
    auto names = mcalc::fuzz::names_in(req.input);
    if (names.empty()) return 0;
    req.wrt = names[(data[0] / 6) % names.size()];
    // derive has no --check: the bit asks for backpropagation instead.
    if (req.verb == Verb::Derive) {
      if (data[0] & 0x80) req.method = mcalc::DeriveMethod::Backprop;
    } else {
      req.check = (data[0] & 0x80) != 0;
    }
    if (data[0] & 0x40) req.layout = mcalc::Layout::Denominator;
  }
  int rc = mcalc::fuzz::run_checked(req);
  if (rc == mcalc::driver::CheckFailed && mcalc::fuzz::smooth(req.input)) {
    std::cerr << "finding: --check failed for a smooth expression:\n" << req.input << "\nwrt " << req.wrt << "\n";
    std::abort();
  }
  return 0;
}
