// The error corpus through the driver: every tests/corpus/errors/*.mc program
// fails with exactly its .err rendering and exit code 2; and every message of
// the catalogue is shown by at least one golden (errors/ or cli/).
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "golden.hpp"
#include "mcalc/driver.hpp"
#include "mcalc/errors.hpp"

namespace fs = std::filesystem;
using namespace mcalc::test;

namespace {
/// A regex matching any rendering of a catalogue template.
std::regex template_regex(const std::string& t) {
  std::string re;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 2 < t.size() && t[i + 2] == '}') {
      re += "[^\\n]*";
      i += 2;
    } else if (std::string("\\^$.|?*+()[]{}").find(t[i]) != std::string::npos) {
      re += '\\';
      re += t[i];
    } else {
      re += t[i];
    }
  }
  return std::regex("(error|warning): [^\\n]*" + re);  // warnings come from the catalogue too
}
}  // namespace

TEST_CASE("error goldens of tests/corpus/errors run through the driver", "[driver][golden]") {
  auto cases = corpus(source_dir() / "tests" / "corpus" / "errors", "", ".mc");
  REQUIRE(cases.size() >= 40);
  for (const auto& c : cases) {
    mcalc::driver::Request r;
    r.verb = mcalc::driver::Verb::Run;
    r.input = read_file(c);
    r.origin = c.filename().string();
    std::ostringstream out, err;
    int code = mcalc::driver::run(r, out, err);
    INFO(c.filename().string());
    CHECK(code == mcalc::driver::UserFailure);
    CHECK(out.str().empty());
    CHECK(err.str() == read_file(fs::path(c).replace_extension(".err")));
  }
}

TEST_CASE("every catalogue message has a golden", "[driver][golden]") {
  std::string all;
  for (const char* folder : {"errors", "cli"})
    for (const auto& f : corpus(source_dir() / "tests" / "corpus" / folder, "", ".err")) all += read_file(f);
  // Shown by unit tests instead: InputTooLarge needs a megabyte of input
  // (tests/parser), DuplicateValue is reached through the library's bind()
  // with hand-made values (tests/eval), as the command's --at text is a
  // program where sema reports a second definition first.
  const std::set<std::string> by_unit_test = {"InputTooLarge", "DuplicateValue"};
  for (mcalc::Msg id : mcalc::all_messages()) {
    std::string name = mcalc::message_name(id);
    if (by_unit_test.count(name)) continue;
    INFO(name << ": " << mcalc::message_template(id));
    CHECK(std::regex_search(all, template_regex(mcalc::message_template(id))));
  }
}
