// Entry-by-entry comparison of two expanded matrices: a symbolic proof when
// GiNaC can give one, else agreement at random points in double precision.
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "mcalc/expand.hpp"

namespace mcalc {
namespace {

using GiNaC::ex;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Relative tolerance of the numeric comparison. Both sides are evaluated in
/// double precision from expressions of a few hundred operations at most, so
/// their rounding error is ~1e-13 relative; a wrong rule differs by O(1).
constexpr double kTol = 1e-9;
constexpr int kPointsNeeded = 3;
constexpr int kAttempts = 40;

double call(const std::string& f, const std::vector<double>& a) {
  double x = a[0];
  auto step = [](double t) { return t > 0 ? 1.0 : 0.0; };
  if (f == "sin") return std::sin(x);
  if (f == "cos") return std::cos(x);
  if (f == "tan") return std::tan(x);
  if (f == "asin") return std::asin(x);
  if (f == "acos") return std::acos(x);
  if (f == "atan") return std::atan(x);
  if (f == "exp") return std::exp(x);
  if (f == "log") return x > 0 ? std::log(x) : kNaN;
  if (f == "abs" || f == "mc_abs") return std::fabs(x);
  if (f == "tanh") return std::tanh(x);
  if (f == "sinh") return std::sinh(x);
  if (f == "cosh") return std::cosh(x);
  if (f == "conjugate" || f == "real_part") return x;  // every value here is real
  if (f == "imag_part") return 0.0;
  if (f == "csgn" || f == "mc_sign") return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
  if (f == "mc_sigmoid") return 1 / (1 + std::exp(-x));
  if (f == "mc_relu") return x > 0 ? x : 0.0;
  if (f == "mc_step") return step(x);
  if (f == "mc_heaviside") return x >= 0 ? 1.0 : 0.0;
  if (f == "mc_softplus") return std::log1p(std::exp(x));
  if (f == "mc_leaky_relu") return x > 0 ? x : a[1] * x;
  if (f == "mc_max") return std::max(a[0], a[1]);
  if (f == "mc_min") return std::min(a[0], a[1]);
  return kNaN;  // a function this evaluator does not know: never "equal"
}

double eval(const ex& x, const std::map<std::string, double>& values) {
  using GiNaC::is_a;
  if (is_a<GiNaC::numeric>(x)) {
    const auto& n = GiNaC::ex_to<GiNaC::numeric>(x);
    return n.is_real() ? n.to_double() : kNaN;
  }
  if (is_a<GiNaC::symbol>(x)) {
    auto it = values.find(GiNaC::ex_to<GiNaC::symbol>(x).get_name());
    return it == values.end() ? kNaN : it->second;
  }
  if (is_a<GiNaC::add>(x)) {
    double s = 0;
    for (std::size_t k = 0; k < x.nops(); ++k) s += eval(x.op(k), values);
    return s;
  }
  if (is_a<GiNaC::mul>(x)) {
    double p = 1;
    for (std::size_t k = 0; k < x.nops(); ++k) p *= eval(x.op(k), values);
    return p;
  }
  if (is_a<GiNaC::power>(x)) {
    double b = eval(x.op(0), values), e = eval(x.op(1), values);
    if (b < 0 && e != std::floor(e)) return kNaN;
    return std::pow(b, e);
  }
  if (is_a<GiNaC::function>(x)) {
    std::vector<double> a;
    for (std::size_t k = 0; k < x.nops(); ++k) a.push_back(eval(x.op(k), values));
    return call(GiNaC::ex_to<GiNaC::function>(x).get_name(), a);
  }
  if (is_a<GiNaC::constant>(x)) return GiNaC::ex_to<GiNaC::numeric>(x.evalf()).to_double();
  return kNaN;
}

void collect(const ex& x, std::set<std::string>& names) {
  if (GiNaC::is_a<GiNaC::symbol>(x)) names.insert(GiNaC::ex_to<GiNaC::symbol>(x).get_name());
  for (std::size_t k = 0; k < x.nops(); ++k) collect(x.op(k), names);
}

std::size_t nodes(const ex& x) {
  std::size_t n = 1;
  for (std::size_t k = 0; k < x.nops(); ++k) n += nodes(x.op(k));
  return n;
}

/// Beyond this many nodes, expand() and normal() of a difference can take
/// minutes (rational functions of a 4 x 4 inverse): such entries go straight
/// to the numeric comparison.
constexpr std::size_t kSymbolicLimit = 4000;

bool proved_zero(const ex& d) {
  if (d.is_zero()) return true;
  if (nodes(d) > kSymbolicLimit) return false;
  try {
    if (d.expand().is_zero()) return true;
    if (d.normal().is_zero()) return true;
  } catch (const std::exception&) {
    // normal() can fail (e.g. a division by zero it uncovers): no proof.
  }
  return false;
}

bool close(double a, double b) {
  return std::fabs(a - b) <= kTol * std::max({1.0, std::fabs(a), std::fabs(b)});
}

}  // namespace

double numeric_value(const ex& x, const std::map<std::string, double>& values) { return eval(x, values); }

const char* entry_check_name(EntryCheck c) {
  switch (c) {
    case EntryCheck::Symbolic: return "symbolic";
    case EntryCheck::Numeric: return "numeric";
    case EntryCheck::Mismatch: return "mismatch";
    case EntryCheck::Undecided: return "undecided";
  }
  return "?";
}

std::string CrossCheck::summary() const {
  std::ostringstream os;
  long total = symbolic + numeric + mismatched + undecided;
  os << total << (total == 1 ? " entry: " : " entries: ");
  std::vector<std::string> parts;
  if (symbolic) parts.push_back(std::to_string(symbolic) + " equal symbolically");
  if (numeric) parts.push_back(std::to_string(numeric) + " equal at random points");
  if (mismatched) parts.push_back(std::to_string(mismatched) + " DIFFERENT");
  if (undecided) parts.push_back(std::to_string(undecided) + " undecided");
  for (std::size_t k = 0; k < parts.size(); ++k) os << (k ? ", " : "") << parts[k];
  for (const auto& f : failures) os << "\n  " << f;
  return os.str();
}

CrossCheck cross_check(const GiNaC::matrix& closed, const GiNaC::matrix& expected, unsigned seed) {
  MCALC_ASSERT(closed.rows() == expected.rows() && closed.cols() == expected.cols(),
               "cross-check of matrices of different sizes");
  CrossCheck r;
  r.closed = closed;
  r.expected = expected;
  r.how.assign(closed.rows(), std::vector<EntryCheck>(closed.cols(), EntryCheck::Symbolic));

  // Entries GiNaC cannot prove equal are compared at random points: magnitudes
  // in [0.2, 0.9] (inside the domain of log, sqrt, asin, acos), alternately
  // positive only and of random sign, then larger ones in [1.1, 2].
  std::vector<std::pair<unsigned, unsigned>> open;
  std::set<std::string> names;
  for (unsigned i = 0; i < closed.rows(); ++i)
    for (unsigned j = 0; j < closed.cols(); ++j) {
      if (proved_zero(closed(i, j) - expected(i, j))) continue;
      open.emplace_back(i, j);
      collect(closed(i, j), names);
      collect(expected(i, j), names);
    }
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> small(0.2, 0.9), large(1.1, 2.0);
  std::bernoulli_distribution coin(0.5);
  std::vector<int> agreed(open.size(), 0);
  std::vector<std::string> bad(open.size());
  for (int attempt = 0; attempt < kAttempts && !open.empty(); ++attempt) {
    std::map<std::string, double> point;
    for (const auto& n : names) {
      int kind = attempt % 3;
      double v = kind == 2 ? large(rng) : small(rng);
      if (kind == 1 && coin(rng)) v = -v;
      point[n] = v;
    }
    for (std::size_t k = 0; k < open.size(); ++k) {
      if (!bad[k].empty() || agreed[k] >= kPointsNeeded) continue;
      auto [i, j] = open[k];
      double a = eval(closed(i, j), point), b = eval(expected(i, j), point);
      if (!std::isfinite(a) || !std::isfinite(b)) continue;  // outside a domain: another point
      if (close(a, b)) {
        ++agreed[k];
        continue;
      }
      std::ostringstream os;
      os.precision(10);
      os << a << " vs " << b << " at";
      for (const auto& [n, v] : point) os << ' ' << n << " = " << v;
      bad[k] = os.str();
    }
  }
  for (std::size_t k = 0; k < open.size(); ++k) {
    auto [i, j] = open[k];
    EntryCheck c = !bad[k].empty() ? EntryCheck::Mismatch
                   : agreed[k] >= kPointsNeeded ? EntryCheck::Numeric
                                                : EntryCheck::Undecided;
    r.how[i][j] = c;
    if (c == EntryCheck::Numeric) continue;
    std::ostringstream os;
    os << "entry (" << i + 1 << ", " << j + 1 << "): closed form " << entry_text(closed(i, j)) << ", GiNaC "
       << entry_text(expected(i, j));
    if (c == EntryCheck::Mismatch) os << " (" << bad[k] << ")";
    else os << " (no point where both are finite)";
    r.failures.push_back(os.str());
  }
  for (const auto& row : r.how)
    for (EntryCheck c : row) {
      r.symbolic += c == EntryCheck::Symbolic;
      r.numeric += c == EntryCheck::Numeric;
      r.mismatched += c == EntryCheck::Mismatch;
      r.undecided += c == EntryCheck::Undecided;
    }
  return r;
}

}  // namespace mcalc
