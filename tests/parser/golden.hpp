#pragma once
// Helpers for golden-file tests: list a corpus directory, read and (with
// MCALC_UPDATE_GOLDEN=1) rewrite the expected files.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mcalc::test {

inline std::filesystem::path source_dir() { return MCALC_SOURCE_DIR; }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

inline bool update_goldens() {
  const char* v = std::getenv("MCALC_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

/// Files in `dir` whose name starts with `prefix` and ends with `ext`, sorted.
inline std::vector<std::filesystem::path> corpus(const std::filesystem::path& dir, const std::string& prefix,
                                                 const std::string& ext) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind(prefix, 0) == 0 && e.path().extension() == ext) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace mcalc::test
