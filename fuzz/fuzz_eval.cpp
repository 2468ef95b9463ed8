// Harness: evaluation with values. Every name of the expression gets a value
// by the letter convention (a-g scalars, h-z vectors of 2, A-Z 2x2 matrices),
// drawn from the fuzz bytes; eval and diff --at must end in a result or a
// located user error.
#include "fuzz/common.hpp"

using mcalc::driver::Request;
using mcalc::driver::Verb;

int one_input(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  Request req;
  req.verb = data[0] % 2 == 0 ? Verb::Eval : Verb::Diff;
  req.input = mcalc::fuzz::text_of(data, size, 2);
  req.timeout = 0;
  auto names = mcalc::fuzz::names_in(req.input);
  if (names.empty()) return 0;
  std::size_t k = 0;
  auto number = [&]() {  // a value from the input bytes, in [-2, 2]
    std::uint8_t b = data[(k++ * 7 + data[1]) % size];
    return std::to_string((static_cast<int>(b) - 128) / 64.0);
  };
  std::string at;
  for (const auto& n : names) {
    char c = n[0];
    std::string v;
    if (c >= 'h' && c <= 'z') v = "[" + number() + "; " + number() + "]";
    else if (c >= 'A' && c <= 'Z') v = "[" + number() + ", " + number() + "; " + number() + ", " + number() + "]";
    else v = number();
    at += (at.empty() ? "" : "; ") + n + " = " + v;
  }
  req.at = at;
  if (req.verb == Verb::Diff) req.wrt = names[data[1] % names.size()];
  mcalc::fuzz::run_checked(req);
  return 0;
}
