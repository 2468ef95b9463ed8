#include "sema/functions.hpp"

#include "mcalc/sema.hpp"

#include <algorithm>
#include <iterator>

namespace mcalc::sema {
namespace {

constexpr FnInfo kFunctions[] = {
    {"sin", FnClass::Elementwise, Fn::Sin, 1, 1},
    {"cos", FnClass::Elementwise, Fn::Cos, 1, 1},
    {"tan", FnClass::Elementwise, Fn::Tan, 1, 1},
    {"asin", FnClass::Elementwise, Fn::Asin, 1, 1},
    {"acos", FnClass::Elementwise, Fn::Acos, 1, 1},
    {"atan", FnClass::Elementwise, Fn::Atan, 1, 1},
    {"exp", FnClass::Elementwise, Fn::Exp, 1, 1},
    {"log", FnClass::Elementwise, Fn::Log, 1, 1},
    {"ln", FnClass::Elementwise, Fn::Log, 1, 1},
    {"sqrt", FnClass::Elementwise, Fn::Sqrt, 1, 1},
    {"abs", FnClass::Elementwise, Fn::Abs, 1, 1},
    {"sign", FnClass::Elementwise, Fn::Sign, 1, 1},
    {"tanh", FnClass::Elementwise, Fn::Tanh, 1, 1},
    {"sigmoid", FnClass::Elementwise, Fn::Sigmoid, 1, 1},
    {"σ", FnClass::Elementwise, Fn::Sigmoid, 1, 1},
    {"relu", FnClass::Elementwise, Fn::Relu, 1, 1},
    {"softplus", FnClass::Elementwise, Fn::Softplus, 1, 1},
    {"step", FnClass::Elementwise, Fn::Step, 1, 1},
    {"heaviside", FnClass::Elementwise, Fn::Heaviside, 1, 1},
    {"leaky_relu", FnClass::LeakyRelu, Fn::LeakyRelu, 1, 2},
    {"max", FnClass::MaxMin, Fn::Max, 2, 2},
    {"min", FnClass::MaxMin, Fn::Min, 2, 2},
    {"sum", FnClass::Reduction, Fn::Sum, 1, 1},
    {"mean", FnClass::Reduction, Fn::Mean, 1, 1},
    {"norm2", FnClass::Reduction, Fn::Norm2, 1, 1},
    {"norm", FnClass::Reduction, Fn::Norm2, 1, 2},  // norm(x), norm(x, 2), norm(x, 1)
    {"norm1", FnClass::Reduction, Fn::Norm1, 1, 1},
    {"logsumexp", FnClass::Logsumexp, Fn::Logsumexp, 1, 1},
    {"softmax", FnClass::Softmax, Fn::Softmax, 1, 1},
    {"tr", FnClass::SquareScalar, Fn::Tr, 1, 1},
    {"trace", FnClass::SquareScalar, Fn::Tr, 1, 1},
    {"det", FnClass::SquareScalar, Fn::Det, 1, 1},
    {"logdet", FnClass::SquareScalar, Fn::Logdet, 1, 1},
    {"inv", FnClass::Inv, Fn::Inv, 1, 1},
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
};

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
  for (const auto& f : kFunctions)
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
  for (const auto& f : kFunctions)
    if (static_cast<unsigned char>(f.name[0]) < 0x80) names.emplace_back(f.name);
  std::string best = closest_name(name, names);
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

}  // namespace mcalc::sema

namespace mcalc {
std::vector<std::string> function_names() {
  std::vector<std::string> names;
  for (const auto& f : sema::kFunctions)
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
