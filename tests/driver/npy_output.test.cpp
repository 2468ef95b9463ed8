// --format npy: the value of eval and of a derivative written as a NumPy
// array (what --output FILE receives), read back with load_matrix.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "mcalc/driver.hpp"
#include "mcalc/eval.hpp"

namespace fs = std::filesystem;
using namespace mcalc;

TEST_CASE("eval and grad write their value with --format npy", "[driver][npy]") {
  fs::path dir = fs::temp_directory_path() / ("mcalc-npy-out-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  driver::Request r;
  r.verb = driver::Verb::Eval;
  r.input = "A*x";
  r.at = "A = [1, 2; 3, 4; 5, 6]; x = [1; -1]";
  r.format = driver::Format::Npy;
  // Runs the request, writes its output to `name`, reads it back.
  auto written = [&](const std::string& name) {
    std::ostringstream out, err;
    REQUIRE(driver::run(r, out, err) == driver::Ok);
    CHECK(err.str().empty());
    std::ofstream((dir / name).string(), std::ios::binary) << out.str();
    return load_matrix((dir / name).string(), "", Loc{});
  };
  Eigen::MatrixXd y = written("y.npy");
  REQUIRE(y.rows() == 3);
  REQUIRE(y.cols() == 1);
  CHECK(y(0, 0) == -1);
  CHECK(y(1, 0) == -1);
  CHECK(y(2, 0) == -1);

  // grad(x'*A*x) = (A + A')*x
  r.verb = driver::Verb::Grad;
  r.input = "x'*A*x";
  r.wrt = "x";
  r.at = "A = [1, 2; 3, 4]; x = [1; 2]";
  Eigen::MatrixXd g = written("g.npy");
  REQUIRE(g.rows() == 2);
  REQUIRE(g.cols() == 1);
  CHECK(g(0, 0) == 2 * 1 + 5 * 2);
  CHECK(g(1, 0) == 5 * 1 + 8 * 2);

  // The Hessian (a matrix) keeps its orientation.
  r.verb = driver::Verb::Hessian;
  Eigen::MatrixXd h = written("h.npy");
  CHECK(h == (Eigen::MatrixXd(2, 2) << 2, 5, 5, 8).finished());
  fs::remove_all(dir);
}
