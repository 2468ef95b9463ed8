#include "sema/functions.hpp"

#include "mcalc/sema.hpp"

#include <algorithm>
#include <iterator>

namespace mcalc::sema {
namespace {

FnClass class_of(FnFamily f) {
  switch (f) {
    case FnFamily::Elementwise: return FnClass::Elementwise;
    case FnFamily::MaxMin: return FnClass::MaxMin;
    case FnFamily::LeakyRelu: return FnClass::LeakyRelu;
    case FnFamily::Reduction: return FnClass::Reduction;
    case FnFamily::Logsumexp: return FnClass::Logsumexp;
    case FnFamily::Softmax: return FnClass::Softmax;
    case FnFamily::SquareScalar: return FnClass::SquareScalar;
    case FnFamily::Inv: return FnClass::Inv;
    case FnFamily::DiagOf: case FnFamily::DiagVec: return FnClass::Diag;
    case FnFamily::Vec: return FnClass::Vec;
    case FnFamily::Kron: return FnClass::Kron;
    case FnFamily::Commutation: return FnClass::Commutation;
  }
  return FnClass::Elementwise;
}

// The functions of mcalc/functions.def and their aliases (diag's two forms
// are the one entry "diag" below, decided by the argument's type), then the
// language's other names: constructors, queries, and spellings with arguments
// of their own.
std::vector<FnInfo> make_functions() {
  std::vector<FnInfo> fs;
  auto add = [&fs](const char* name, Fn f) {
    FnFamily family = fn_spec(f).family;
    if (family == FnFamily::DiagOf || family == FnFamily::DiagVec) return;
    const bool two = family == FnFamily::MaxMin || family == FnFamily::Kron || family == FnFamily::Commutation;
    int min = two ? 2 : 1, max = two || family == FnFamily::LeakyRelu ? 2 : 1;
    fs.push_back({name, class_of(family), f, min, max});
  };
#define MCALC_FN_ELEMENTWISE(Id, name, ...) add(name, Fn::Id);
#define MCALC_FN_ELEMENTWISE2(Id, name, ...) add(name, Fn::Id);
#define MCALC_FN_MATRIX(Id, name, ...) add(name, Fn::Id);
#define MCALC_FN_ALIAS(alias, Id) add(alias, Fn::Id);
#include "mcalc/functions.def"
  const FnInfo others[] = {
      {"norm", FnClass::Reduction, Fn::Norm2, 1, 2},  // norm(x), norm(x, 2), norm(x, 1)
      {"diag", FnClass::Diag, Fn::None, 1, 1},
      {"dot", FnClass::Dot, Fn::None, 2, 2},
      {"transpose", FnClass::Transpose, Fn::None, 1, 1},
      {"ones", FnClass::Ones, Fn::None, 1, 2},
      {"zeros", FnClass::Zeros, Fn::None, 1, 2},
      {"eye", FnClass::Eye, Fn::None, 1, 1},
      {"unit", FnClass::Unit, Fn::None, 2, 2},
      {"vector", FnClass::VectorFill, Fn::None, 1, 1},
      {"matrix", FnClass::MatrixFill, Fn::None, 1, 1},
      {"diff", FnClass::Query, Fn::None, 2, 2},
      {"grad", FnClass::Query, Fn::None, 2, 2},
      {"hessian", FnClass::Query, Fn::None, 2, 2},
      {"derive", FnClass::Query, Fn::None, 2, 2},
  };
  fs.insert(fs.end(), std::begin(others), std::end(others));
  return fs;
}

const std::vector<FnInfo>& functions() {
  static const std::vector<FnInfo> fs = make_functions();
  return fs;
}

// Levenshtein distance over bytes (the known names are ASCII).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

const FnInfo* lookup_function(const std::string& name) {
  for (const auto& f : functions())
    if (name == f.name) return &f;
  return nullptr;
}

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  // Allow one edit for short names, two for longer ones, and never a
  // suggestion that shares nothing with the name.
  std::size_t limit = name.size() <= 4 ? 1 : 2;
  std::string best;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(name, c);
    if (d < best_d && d < c.size() && d < name.size()) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

std::string suggest_function(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& f : functions())
    if (static_cast<unsigned char>(f.name[0]) < 0x80) names.emplace_back(f.name);
  std::string best = closest_name(name, names);
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

}  // namespace mcalc::sema

namespace mcalc {
std::vector<std::string> function_names() {
  std::vector<std::string> names;
  for (const auto& f : sema::functions())
    if (static_cast<unsigned char>(f.name[0]) < 0x80) names.emplace_back(f.name);
  names.emplace_back("load");  // read by parse_values, not a function of expressions
  return names;
}
}  // namespace mcalc

namespace mcalc::sema {
std::string count_phrase(int min, int max, const char* noun) {
  // "entry" -> "entries", "argument" -> "arguments"
  std::string n(noun), plural = n.back() == 'y' ? n.substr(0, n.size() - 1) + "ies" : n + "s";
  if (min == max) return std::to_string(min) + " " + (min == 1 ? n : plural);
  return std::to_string(min) + " or " + std::to_string(max) + " " + plural;
}

}  // namespace mcalc::sema
