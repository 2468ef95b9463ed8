// Golden tests of the training errors, in the command-line golden format:
// tests/corpus/cli/train_NAME.cmd holds a first line `# exit: N` and one
// `mcalc ...` command (run by /bin/sh from the repository root); NAME.out and
// NAME.err hold exactly what it must print on standard output and error. The
// data and programs they use live in tests/corpus/train/errors/.
#include <dirent.h>
#include <unistd.h>
#include <array>
#include <cstdio>
#include <set>

#include "helpers.hpp"
#include "mcalc/errors.hpp"

using namespace train_test;

namespace {

const std::string kDir = "tests/corpus/cli";

std::vector<std::string> cases() {
  std::vector<std::string> out;
  DIR* d = opendir(source_path(kDir).c_str());
  REQUIRE(d != nullptr);
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.rfind("train_", 0) == 0 && n.size() > 4 && n.substr(n.size() - 4) == ".cmd")
      out.push_back(n.substr(0, n.size() - 4));
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

/// Runs `mcalc args` from the repository root; returns stdout, fills stderr and the exit code.
std::string run_mcalc(const std::string& args, std::string& err, int& code) {
  std::string err_file = "/tmp/mcalc_train_err_" + std::to_string(::getpid());
  std::string cmd = "cd '" + std::string(MCALC_SOURCE_DIR) + "' && '" + MCALC_BINARY + "' " + args + " 2>'" + err_file +
                    "' </dev/null; echo \"exit=$?\"";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  pclose(p);
  std::size_t at = out.rfind("exit=");
  REQUIRE(at != std::string::npos);
  code = std::atoi(out.c_str() + at + 5);
  err = read(err_file);
  std::remove(err_file.c_str());
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
      std::string cmd = read(source_path(kDir + "/" + name + ".cmd"));
      REQUIRE(cmd.rfind("# exit: ", 0) == 0);
      int expected_code = std::atoi(cmd.c_str() + 8);
      std::string line = trim_newline(cmd.substr(cmd.find('\n') + 1));
      REQUIRE(line.rfind("mcalc ", 0) == 0);
      std::string args = line.substr(6);
      int code = -1;
      std::string err;
      std::string out = run_mcalc(args, err, code);
      INFO(line);
      CHECK(code == expected_code);
      CHECK(out == read(source_path(kDir + "/" + name + ".out")));
      CHECK(err == read(source_path(kDir + "/" + name + ".err")));
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
