// Command-line goldens: each tests/corpus/cli/<case>.cmd holds one `mcalc ...`
// command line (run by /bin/sh from the repository root, with `mcalc` standing
// for the built binary) and a first line `# exit: N`; <case>.out and <case>.err
// hold exactly what it must print on standard output and standard error.
// MCALC_UPDATE_GOLDEN=1 rewrites the .out/.err files (review the diff!).
#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>
#include <sys/wait.h>

#include "golden.hpp"

namespace fs = std::filesystem;
using namespace mcalc::test;

namespace {
struct Run {
  int code;
  std::string out, err;
};

Run run_command(const std::string& command_line, const fs::path& scratch) {
  std::string bin = MCALC_BINARY;
  std::string cmd = std::regex_replace(command_line, std::regex("(^|\\| )mcalc\\b"), "$1" + bin);
  fs::path out = scratch / "stdout", err = scratch / "stderr";
  std::string full = "cd '" + source_dir().string() + "' && (" + cmd + ") >'" + out.string() + "' 2>'" +
                     err.string() + "' </dev/null";
  int status = std::system(full.c_str());
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return {code, read_file(out), read_file(err)};
}
}  // namespace

TEST_CASE("command-line goldens of tests/corpus/cli", "[cli][golden]") {
  auto cases = corpus(source_dir() / "tests" / "corpus" / "cli", "", ".cmd");
  REQUIRE(cases.size() >= 20);
  fs::path scratch = fs::temp_directory_path() / ("mcalc-cli-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  for (const auto& c : cases) {
    std::istringstream in(read_file(c));
    std::string header, command;
    std::getline(in, header);
    std::getline(in, command);
    std::smatch m;
    REQUIRE(std::regex_match(header, m, std::regex("# exit: ([0-9]+)")));
    int expected_code = std::stoi(m[1]);
#if defined(MCALC_SANITIZE)
    // Sanitizer builds have no address-space limit (ASan's shadow memory): --max-memory cannot bite there.
    if (command.find("--max-memory") != std::string::npos) continue;
#endif
    Run r = run_command(command, scratch);
    fs::path out_file = fs::path(c).replace_extension(".out"), err_file = fs::path(c).replace_extension(".err");
    if (update_goldens()) {
      write_file(out_file, r.out);
      write_file(err_file, r.err);
    }
    INFO(c.filename().string() << ": " << command);
    CHECK(r.code == expected_code);
    CHECK(r.out == read_file(out_file));
    CHECK(r.err == read_file(err_file));
  }
  fs::remove_all(scratch);
}
