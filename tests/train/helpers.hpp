#pragma once
// Shared helpers of the training tests.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "mcalc/driver.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/train.hpp"

namespace train_test {

inline std::string source_path(const std::string& rel) { return std::string(MCALC_SOURCE_DIR) + "/" + rel; }

inline std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  REQUIRE(f.good());
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline mcalc::Program analyse_text(const std::string& text, const std::string& origin = "test.mc") {
  return mcalc::analyse(mcalc::parse_program(text, origin));
}

/// `actual` printed with `decimals` digits after the point is `printed`.
inline bool rounds_to(double actual, double printed, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::fabs(std::round(actual * scale) - std::round(printed * scale)) < 0.5;
}

/// Runs the driver on a request; returns the exit code, fills out and err.
inline int run(const mcalc::driver::Request& r, std::string& out, std::string& err) {
  std::ostringstream o, e;
  int code = mcalc::driver::run(r, o, e);
  out = o.str();
  err = e.str();
  return code;
}

}  // namespace train_test
