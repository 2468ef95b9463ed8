// The documents cannot drift from the implementation: every ```mcalc block of
// docs/language.md and every grammar/examples/*.mc program parses, type-checks,
// prints and (where it carries values) evaluates through the driver.
#include <catch2/catch.hpp>

#include <regex>

#include "golden.hpp"
#include "mcalc/driver.hpp"

namespace fs = std::filesystem;
using namespace mcalc::test;

namespace {
struct Program {
  std::string origin, text;
};

std::vector<Program> language_blocks() {
  std::vector<Program> out;
  std::istringstream in(read_file(source_dir() / "docs" / "language.md"));
  std::string line, block;
  bool inside = false;
  int start = 0, n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!inside && line == "```mcalc") {
      inside = true;
      block.clear();
      start = n + 1;
    } else if (inside && line == "```") {
      inside = false;
      out.push_back({"docs/language.md:" + std::to_string(start), block});
    } else if (inside) {
      block += line + "\n";
    }
  }
  return out;
}

void run_ok(const Program& p) {
  mcalc::driver::Request r;
  r.verb = mcalc::driver::Verb::Run;
  r.input = p.text;
  r.origin = p.origin;
  std::ostringstream out, err;
  int code = mcalc::driver::run(r, out, err);
  INFO(p.origin << "\n" << p.text << "\nstdout:\n" << out.str() << "stderr:\n" << err.str());
  CHECK(code == 0);
  CHECK(err.str().empty());
  // A program that carries values prints values ("expr = 0.7739"), not only shapes.
  if (std::regex_search(p.text, std::regex(":[^=\\n]*=")) && std::regex_search(p.text, std::regex("\\n[^:=\\n]+\\n")))
    CHECK(out.str().find(" = ") != std::string::npos);
}
}  // namespace

TEST_CASE("every mcalc block of docs/language.md runs", "[driver][docs]") {
  auto blocks = language_blocks();
  REQUIRE(blocks.size() >= 7);
  for (const auto& b : blocks) run_ok(b);
}

TEST_CASE("every grammar/examples program runs", "[driver][docs]") {
  auto files = corpus(source_dir() / "grammar" / "examples", "", ".mc");
  REQUIRE(files.size() >= 6);
  for (const auto& f : files) run_ok({f.filename().string(), read_file(f)});
}
