// Every standalone LaTeX document among the command-line goldens (a command
// with --standalone) compiles with pdflatex -halt-on-error (TeX Live from
// Debian's texlive-latex-base and texlive-latex-recommended, installed by
// scripts/setup.sh).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <unistd.h>

#include "golden.hpp"

namespace fs = std::filesystem;
using namespace mcalc::test;

TEST_CASE("standalone LaTeX goldens compile with pdflatex", "[cli][latex]") {
  REQUIRE(std::system("command -v pdflatex >/dev/null 2>&1") == 0);
  fs::path scratch = fs::temp_directory_path() / ("mcalc-pdflatex-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  int documents = 0;
  for (const auto& c : corpus(source_dir() / "tests" / "corpus" / "cli", "", ".cmd")) {
    if (read_file(c).find("--standalone") == std::string::npos) continue;
    std::string name = c.stem().string();
    write_file(scratch / (name + ".tex"), read_file(fs::path(c).replace_extension(".out")));
    std::string cmd = "cd '" + scratch.string() + "' && pdflatex -halt-on-error -interaction=nonstopmode '" + name +
                      ".tex' >'" + name + ".log.txt' 2>&1";
    int rc = std::system(cmd.c_str());
    INFO(name << ": " << read_file(scratch / (name + ".log.txt")));
    CHECK(rc == 0);
    CHECK(fs::exists(scratch / (name + ".pdf")));
    ++documents;
  }
  CHECK(documents >= 3);
  fs::remove_all(scratch);
}
