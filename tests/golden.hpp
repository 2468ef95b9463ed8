#pragma once
// Shared helpers of the golden-file tests: read a file, list a corpus folder,
// compare with (or, with MCALC_UPDATE_GOLDEN=1, rewrite) an expected file.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mcalc::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream os;
  os << f.rdbuf();
  return os.str();
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

/// The files of tests/corpus/<folder> with the given extension, sorted.
inline std::vector<std::filesystem::path> corpus(const std::string& folder, const std::string& ext) {
  std::vector<std::filesystem::path> out;
  std::filesystem::path dir = std::filesystem::path(MCALC_SOURCE_DIR) / "tests" / "corpus" / folder;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

inline bool updating_goldens() {
  const char* v = std::getenv("MCALC_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

}  // namespace mcalc::testing
