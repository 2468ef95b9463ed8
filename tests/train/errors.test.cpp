// Golden tests of the training errors: tests/corpus/train/errors/NAME.args
// holds the arguments of one `mcalc` command (run from the repository root),
// NAME.err the exact standard error it must print, with exit code 2.
#include <array>
#include <cstdio>
#include <dirent.h>
#include <set>

#include "helpers.hpp"
#include "mcalc/errors.hpp"

using namespace train_test;

namespace {

const std::string kDir = "tests/corpus/train/errors";

std::vector<std::string> cases() {
  std::vector<std::string> out;
  DIR* d = opendir(source_path(kDir).c_str());
  REQUIRE(d != nullptr);
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 5 && n.substr(n.size() - 5) == ".args") out.push_back(n.substr(0, n.size() - 5));
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

/// Runs mcalc with `args` from the repository root; returns stderr, sets the exit code.
std::string run_mcalc(const std::string& args, int& code) {
  std::string cmd = "cd '" + std::string(MCALC_SOURCE_DIR) + "' && '" + MCALC_BINARY + "' " + args +
                    " 2>&1 >/dev/null; echo \"exit=$?\"";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  pclose(p);
  std::size_t at = out.rfind("exit=");
  REQUIRE(at != std::string::npos);
  code = std::atoi(out.c_str() + at + 5);
  return out.substr(0, at);
}

std::string trim_newline(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("training errors match their goldens", "[train][errors]") {
  auto names = cases();
  REQUIRE(names.size() >= 30);
  for (const auto& name : names) {
    SECTION(name) {
      std::string args = trim_newline(read(source_path(kDir + "/" + name + ".args")));
      std::string expected = read(source_path(kDir + "/" + name + ".err"));
      int code = -1;
      std::string err = run_mcalc(args, code);
      INFO("mcalc " << args);
      CHECK(code == 2);
      CHECK(err == expected);
    }
  }
}

TEST_CASE("every training message has a golden", "[train][errors]") {
  // The messages of the "training" section of messages.def.
  std::string def = read(source_path("include/mcalc/messages.def"));
  std::size_t at = def.find("// ---- training");
  REQUIRE(at != std::string::npos);
  std::set<std::string> ids;
  for (std::size_t p = def.find("MCALC_MSG(", at); p != std::string::npos; p = def.find("MCALC_MSG(", p + 1)) {
    std::size_t comma = def.find(',', p);
    ids.insert(def.substr(p + 10, comma - p - 10));
  }
  REQUIRE(ids.size() >= 20);
  std::string all;
  for (const auto& name : cases()) all += read(source_path(kDir + "/" + name + ".err"));
  for (mcalc::Msg m : mcalc::all_messages()) {
    if (!ids.count(mcalc::message_name(m))) continue;
    // The longest literal piece of the template must appear in some golden.
    std::string t = mcalc::message_template(m), best, cur;
    for (std::size_t k = 0; k <= t.size(); ++k) {
      if (k == t.size() || t[k] == '{') {
        if (cur.size() > best.size()) best = cur;
        cur.clear();
        while (k < t.size() && t[k] != '}') ++k;
      } else {
        cur += t[k];
      }
    }
    INFO(mcalc::message_name(m) << ": '" << best << "'");
    CHECK(all.find(best) != std::string::npos);
  }
}
