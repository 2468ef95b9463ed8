#pragma once
// Shared pieces of the libFuzzer harnesses (fuzz/*.cpp): turning fuzz bytes
// into a request of the command layer, and the one verdict every harness
// enforces: an internal error (exit code 3) is a finding.
#include <cstddef>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include <algorithm>

#include "mcalc/driver.hpp"
#include "src/cli/large_stack.hpp"
#include "mcalc/ir.hpp"

namespace mcalc::fuzz {

/// Bytes as text, capped so that one input stays well inside the limits.
inline std::string text_of(const std::uint8_t* data, std::size_t size, std::size_t skip = 0) {
  if (size <= skip) return {};
  std::size_t n = std::min<std::size_t>(size - skip, 4096);
  return std::string(reinterpret_cast<const char*>(data + skip), n);
}

/// The names of an expression, in order of appearance (identifiers that are
/// not followed by '(').
inline std::vector<std::string> names_in(const std::string& s) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!(std::isalpha(c) || c == '_')) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
    std::string name = s.substr(i, j - i);
    std::size_t k = j;
    while (k < s.size() && s[k] == ' ') ++k;
    if ((k >= s.size() || s[k] != '(') && seen.insert(name).second) out.push_back(name);
    i = j;
  }
  return out;
}

/// Runs one request; an internal error is a finding (abort, so libFuzzer
/// keeps the input), as is any exit code outside 0..2.
inline int run_checked(const driver::Request& req) {
  std::ostringstream out, err;
  int rc = driver::run(req, out, err);
  if (rc == driver::InternalFailure || rc < 0 || rc > 2) {
    std::cerr << "finding: exit code " << rc << " for input:\n" << req.input << "\nwrt: " << req.wrt
              << "\nlet: " << req.let << "\n" << err.str();
    std::abort();
  }
  return rc;
}

/// Whether an expression uses only functions that are smooth wherever they are
/// defined: a failed comparison with finite differences is then a finding, not
/// a random point that fell on a kink (abs, max, step, ...).
inline bool smooth(const std::string& s) {
  // The functions with a kink in mcalc/functions.def (norm1 among them), max and min, and norm2 (not
  // differentiable at 0).
  static const std::vector<std::string> kinks = [] {
    std::vector<std::string> k{"max", "min", "norm"};
#define MCALC_FN_ELEMENTWISE(Id, name, flags, ...) \
  if ((flags) & fnflag::Kink) k.emplace_back(name);
#define MCALC_FN_ELEMENTWISE2(Id, name, family, flags, ...) \
  if ((flags) & fnflag::Kink) k.emplace_back(name);
#define MCALC_FN_MATRIX(Id, name, family, flags, ...) \
  if ((flags) & fnflag::Kink) k.emplace_back(name);
#include "mcalc/functions.def"
    return k;
  }();
  for (const auto& k : kinks)
    if (s.find(k) != std::string::npos) return false;
  return true;
}

}  // namespace mcalc::fuzz

/// Each harness defines one_input(data, size). libFuzzer's entry runs it on the stack the command line gives
/// its work (src/cli/large_stack.hpp), as the tests do, so that deep input meets the same limits as in `mcalc`
/// (nesting up to limits::max_nesting_depth) and not the smaller stack of libFuzzer's thread, where the
/// sanitizers' frames are several times larger.
int one_input(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return mcalc::cli::on_large_stack([&] { return one_input(data, size); });
}
