// Whether two expressions of one shape are equal for every value of their
// inputs. Layer 2 of docs/checking.md: both are expanded at concrete sizes
// with fully symbolic, generic entries (src/expand) and compared exactly;
// layer 3, for entries GiNaC cannot decide: random points at 40 significant
// digits (CLN through GiNaC's numeric), on both sides of every kink.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>

#include "check/internal.hpp"
#include "mcalc/topo.hpp"

namespace mcalc::check::detail {
namespace {

using GiNaC::ex;
using GiNaC::matrix;
using GiNaC::numeric;

constexpr long kDigits = 100;
/// Relative tolerance at 100 digits: 20 digits of margin for cancellation;
/// a difference of 1e-9 (or 1e-30) relative is seen at once.
const numeric kTol = numeric(10).power(-80);
constexpr int kPointsPerSize = 8;
constexpr int kAttempts = 80;

/// GiNaC's global precision, set for one comparison.
struct Precision {
  long saved = GiNaC::Digits;
  Precision() { GiNaC::Digits = kDigits; }
  ~Precision() { GiNaC::Digits = saved; }
};

/// A double as the exact rational it is (1e-9 stays 1e-9 to the last bit,
/// instead of turning every sum it enters into double precision).
ex exact(double v) {
  if (v == 0 || !std::isfinite(v)) return numeric(0);
  int e = 0;
  double m = std::frexp(v, &e);
  numeric r(static_cast<long>(std::ldexp(m, 53)));
  e -= 53;
  numeric two(2);
  return e >= 0 ? r * two.power(e) : r / two.power(-e);
}

struct Rationalize : GiNaC::map_function {
  ex operator()(const ex& x) override {
    if (GiNaC::is_exactly_a<numeric>(x)) {
      const numeric& n = GiNaC::ex_to<numeric>(x);
      if (n.is_real() && !n.is_rational()) return exact(n.to_double());
      return x;
    }
    return x.map(*this);
  }
};
ex rationalize(const ex& x) {
  Rationalize r;
  return r(x);
}

/// Numbers, symbols, + and * and integer powers: a rational function of the entries, or with
/// `natural` powers only a polynomial; with `calls`, function calls whose arguments are such forms
/// count as atoms too.
bool rational_form(const ex& x, bool natural, bool calls) {
  if (GiNaC::is_a<numeric>(x)) return GiNaC::ex_to<numeric>(x).is_rational();
  if (GiNaC::is_a<GiNaC::symbol>(x)) return true;
  const bool call = GiNaC::is_a<GiNaC::function>(x);
  if (GiNaC::is_a<GiNaC::power>(x)) {
    if (!GiNaC::is_a<numeric>(x.op(1))) return false;
    const numeric& e = GiNaC::ex_to<numeric>(x.op(1));
    return (natural ? e.is_pos_integer() : e.is_integer()) && rational_form(x.op(0), natural, calls);
  }
  if (GiNaC::is_a<GiNaC::add>(x) || GiNaC::is_a<GiNaC::mul>(x) || (calls && call)) {
    for (std::size_t k = 0; k < x.nops(); ++k)
      if (!rational_form(x.op(k), natural, calls)) return false;
    return true;
  }
  return false;
}
bool is_rational_function(const ex& x) { return rational_form(x, false, false); }
bool is_polynomial(const ex& x) { return rational_form(x, true, false); }
/// A polynomial in symbols and in calls of functions whose arguments are such polynomials too.
bool is_polynomial_in_calls(const ex& x) { return rational_form(x, true, true); }

/// One entry of answer - expected: zero, nonzero (proved), or undecided.
Same decide_entry(const ex& a, const ex& b) {
  // Function arguments expanded too: calls equal as polynomials are then one atom (step(X*(w + v)) and
  // step(X*w + X*v)), and the canonical expansion settles everything normal() could below.
  ex d = rationalize(a - b).expand(GiNaC::expand_options::expand_function_args);
  if (d.is_zero()) return Same::Equal;
  if (GiNaC::is_a<numeric>(d)) return Same::Different;
  // An expanded polynomial that is not zero is not zero: normal() would only say so again, at a cost.
  if (is_polynomial(d)) return Same::Different;
  // Nor can normal() prove zero a polynomial in calls whose arguments are expanded polynomials: it
  // treats the calls as atoms, and the expansion has combined equal ones already. Points decide it.
  if (is_polynomial_in_calls(d)) return Same::Undecided;
  ex n = d.normal();
  if (n.is_zero()) return Same::Equal;
  if (is_rational_function(d) || GiNaC::is_a<numeric>(n)) return Same::Different;
  return Same::Undecided;
}

// ---- high-precision values -----------------------------------------------

struct Undefined {};  // a value outside a function's domain (or not real)

class Evaluator {
 public:
  explicit Evaluator(const GiNaC::exmap& values) : values_(values) {}

  numeric operator()(const ex& x) {
    const GiNaC::basic* key = &GiNaC::ex_to<GiNaC::basic>(x);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second.second;
    numeric v = value(x);
    if (!v.is_real()) throw Undefined{};
    memo_.emplace(key, std::make_pair(x, v));  // keeping x keeps its address from being reused
    return v;
  }

 private:
  numeric value(const ex& x) {
    using GiNaC::is_a;
    if (is_a<numeric>(x)) return GiNaC::ex_to<numeric>(rationalize(x));
    if (is_a<GiNaC::symbol>(x)) {
      auto it = values_.find(x);
      if (it == values_.end()) throw Undefined{};
      return GiNaC::ex_to<numeric>(it->second);
    }
    if (is_a<GiNaC::add>(x)) {
      numeric s = 0;
      for (std::size_t k = 0; k < x.nops(); ++k) s += (*this)(x.op(k));
      return s;
    }
    if (is_a<GiNaC::mul>(x)) {
      numeric p = 1;
      for (std::size_t k = 0; k < x.nops(); ++k) p *= (*this)(x.op(k));
      return p;
    }
    if (is_a<GiNaC::power>(x)) {
      numeric b = (*this)(x.op(0)), e = (*this)(x.op(1));
      if (b.is_zero() && !e.is_positive()) throw Undefined{};
      if (b.is_zero()) return 0;  // 0^e = 0 for e > 0 (exp(e log 0) would be GiNaC's pole error)
      if (!e.is_integer() && b.is_negative()) throw Undefined{};
      if (e.is_integer() && GiNaC::abs(e) > 100000) throw Undefined{};
      if (!e.is_integer()) return GiNaC::exp(e * GiNaC::log(b));
      return b.power(e);
    }
    if (is_a<GiNaC::function>(x)) return call(GiNaC::ex_to<GiNaC::function>(x).get_name(), x);
    throw Undefined{};
  }

  numeric call(const std::string& f, const ex& x) {
    numeric a = (*this)(x.op(0));
    auto pos = [](const numeric& t) { return t.is_positive(); };
    if (f == "sin") return GiNaC::sin(a);
    if (f == "cos") return GiNaC::cos(a);
    if (f == "tan") return GiNaC::tan(a);
    if (f == "asin" || f == "acos") {
      if (GiNaC::abs(a) > 1) throw Undefined{};
      return f == "asin" ? GiNaC::asin(a) : GiNaC::acos(a);
    }
    if (f == "atan") return GiNaC::atan(a);
    if (f == "exp") return GiNaC::exp(a);
    if (f == "log") {
      if (!pos(a)) throw Undefined{};
      return GiNaC::log(a);
    }
    if (f == "abs") return GiNaC::abs(a);
    if (f == "tanh") return GiNaC::tanh(a);
    if (f == "sinh") return GiNaC::sinh(a);
    if (f == "cosh") return GiNaC::cosh(a);
    if (f == "conjugate" || f == "real_part") return a;  // every value here is real
    if (f == "imag_part") return 0;
    if (f == "csgn" || f == "mc_sign") return pos(a) ? 1 : a.is_zero() ? 0 : -1;
    if (f == "mc_sigmoid") return numeric(1) / (numeric(1) + GiNaC::exp(-a));
    if (f == "mc_relu") return pos(a) ? a : numeric(0);
    if (f == "mc_step") return pos(a) ? 1 : 0;
    if (f == "mc_heaviside") return a.is_negative() ? 0 : 1;
    if (f == "mc_softplus") return GiNaC::log(numeric(1) + GiNaC::exp(a));
    if (f == "mc_leaky_relu") return pos(a) ? a : (*this)(x.op(1)) * a;
    if (f == "mc_max" || f == "mc_min") {
      numeric b = (*this)(x.op(1));
      return (f == "mc_max") == (a < b) ? b : a;
    }
    throw Undefined{};  // a function this evaluator does not know: never "equal"
  }

  const GiNaC::exmap& values_;
  std::unordered_map<const GiNaC::basic*, std::pair<ex, numeric>> memo_;
};

/// Arguments u of kinks (step(u), relu(u), abs(u), max(u, v) as u - v, ...).
void kinks(const ex& x, std::set<ex, GiNaC::ex_is_less>& seen, std::vector<ex>& out) {
  if (!seen.insert(x).second) return;
  if (GiNaC::is_a<GiNaC::function>(x)) {
    const std::string f = GiNaC::ex_to<GiNaC::function>(x).get_name();
    if (f == "mc_step" || f == "mc_heaviside" || f == "mc_relu" || f == "mc_sign" || f == "abs" ||
        f == "csgn" || f == "mc_leaky_relu")
      out.push_back(x.op(0));
    if (f == "mc_max" || f == "mc_min") out.push_back(x.op(0) - x.op(1));
  }
  for (std::size_t k = 0; k < x.nops(); ++k) kinks(x.op(k), seen, out);
}

std::string sizes_text(const Sizes& s) {
  std::string out, sep;
  for (const auto& [d, v] : s) out += sep + d + "=" + std::to_string(v), sep = ",";
  return out;
}

/// "n=2,3,4" or "n=2,3,4; m=3,4,2" or "n=1" for the decided-by line.
std::string sizes_list(const std::vector<Sizes>& all) {
  if (all.empty() || all[0].empty()) return "the given sizes";
  std::string out, sep;
  for (const auto& [d, v] : all[0]) {
    out += sep + d + "=";
    std::string comma;
    for (const auto& s : all) out += comma + std::to_string(s.at(d)), comma = ",";
    sep = "; ";
  }
  return out;
}

std::string points_text(int n) {
  return std::to_string(n) + (n == 1 ? " random point" : " random points") + " at " + std::to_string(kDigits) +
         " digits";
}

std::string number_text(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  std::string s = buf;
  return s == "-0" ? "0" : s;
}

/// A value as the language writes literals: 0.5, [1; 2], [1, 2], [1, 2; 3, 4].
std::string literal(const std::vector<std::vector<double>>& m, int digits) {
  if (m.size() == 1 && m[0].size() == 1) return number_text(m[0][0], digits);
  std::string out = "[";
  const bool column = m[0].size() == 1;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (i) out += column ? "; " : "; ";
    for (std::size_t j = 0; j < m[i].size(); ++j) out += (j ? ", " : "") + number_text(m[i][j], digits);
  }
  return out + "]";
}

using Grid = std::vector<std::vector<double>>;

struct Point {
  GiNaC::exmap values;
};

class Sampler {
 public:
  Sampler(const Problem& p, const Sizes& sizes, const Variant& v, unsigned seed)
      : p_(p), sizes_(sizes), variant_(v), rng_(seed) {}

  /// A random point: entries uniform in (-2, 2) rounded to 6 decimals (later
  /// attempts positive, and square matrices shifted to be well conditioned).
  Point draw(int attempt) {
    Point pt;
    std::uniform_int_distribution<long> any(-2000000, 2000000), positive(100000, 2000000),
        wide(-200000000, 200000000);
    for (const auto& var : p_.inputs) {
      matrix m = variable_entries(var, sizes_);
      const bool square = m.rows() == m.cols() && m.rows() > 1;
      for (unsigned i = 0; i < m.rows(); ++i)
        for (unsigned j = 0; j < m.cols(); ++j) {
          // (-2, 2), then (0.1, 2) for log and sqrt, then (-200, 200) to cross far kinks
          long k = attempt < kAttempts / 2 ? any(rng_) : attempt < 3 * kAttempts / 4 ? positive(rng_) : wide(rng_);
          if (k > -10000 && k < 10000) k += 20000;  // away from 0
          numeric v(k, 1000000);
          if (square && i == j && attempt >= kAttempts / 4) v += m.rows();
          if (variant_.symmetric && square && i > j) continue;  // A_ij := A_ji
          pt.values[m(i, j)] = v;
        }
    }
    return pt;
  }

 private:
  const Problem& p_;
  const Sizes& sizes_;
  const Variant& variant_;
  std::mt19937 rng_;
};

Grid values_of(const matrix& m, Evaluator& ev) {
  Grid g(m.rows(), std::vector<double>(m.cols()));
  for (unsigned i = 0; i < m.rows(); ++i)
    for (unsigned j = 0; j < m.cols(); ++j) g[i][j] = ev(m(i, j)).to_double();
  return g;
}

Counterexample make_counterexample(const Problem& p, const Sizes& sizes, const Variant& v, const Point& pt,
                                   const matrix& answer, const matrix& expected, const numeric& diff) {
  Counterexample cx;
  for (const auto& [d, n] : sizes) cx.sizes[d] = n;
  for (const auto& var : p.inputs) {
    matrix m = variable_entries(var, sizes);
    Grid g(m.rows(), std::vector<double>(m.cols()));
    for (unsigned i = 0; i < m.rows(); ++i)
      for (unsigned j = 0; j < m.cols(); ++j) {
        ex s = v.symmetric && m.rows() == m.cols() && i > j ? m(j, i) : m(i, j);
        g[i][j] = GiNaC::ex_to<numeric>(pt.values.at(s)).to_double();
      }
    cx.values.emplace_back(var->name, literal(g, 10));
  }
  Evaluator ev(pt.values);
  Grid a = values_of(answer, ev), e = values_of(expected, ev);
  // Enough digits that the two values print differently.
  int digits = 6;
  while (digits < 17 && literal(a, digits) == literal(e, digits)) ++digits;
  cx.answer = literal(a, digits);
  cx.expected = literal(e, digits);
  cx.difference = number_text(diff.to_double(), 3);
  return cx;
}

/// Symmetric variant: A_ij := A_ji below the diagonal of every square input.
GiNaC::exmap symmetric_map(const Problem& p, const Sizes& sizes) {
  GiNaC::exmap m;
  for (const auto& var : p.inputs) {
    matrix e = variable_entries(var, sizes);
    if (e.rows() != e.cols() || e.rows() < 2) continue;
    for (unsigned i = 0; i < e.rows(); ++i)
      for (unsigned j = 0; j < i; ++j) m[e(i, j)] = e(j, i);
  }
  return m;
}

std::vector<Sizes> assignments(const Problem& p, const Variant& v) {
  std::vector<Sizes> out;
  if (p.dims.empty()) return {Sizes{}};
  if (v.all_dims) {
    Sizes s;
    for (const auto& d : p.dims) s[d] = *v.all_dims;
    return {s};
  }
  // Sizes distinct from each other and from 1, rotated: n=2,3,4; m=3,4,2.
  const long k = static_cast<long>(p.dims.size()), m = std::max(3L, k);
  for (long r = 0; r < 3; ++r) {
    Sizes s;
    for (long i = 0; i < k; ++i) s[p.dims[static_cast<std::size_t>(i)]] = 2 + (i + r) % m;
    out.push_back(s);
  }
  if (p.uses_dim_size)  // a dimension used as a number: a polynomial in n needs more sizes
    for (long r = 0; r < 3; ++r) {
      Sizes s;
      for (long i = 0; i < k; ++i) s[p.dims[static_cast<std::size_t>(i)]] = 5 + (i + r) % m;
      out.push_back(s);
    }
  return out;
}

/// The largest |a - e| and max(1, |a|, |e|) over the entries at a point.
std::pair<numeric, numeric> gap(const matrix& a, const matrix& e, Evaluator& ev) {
  numeric worst = 0, scale = 1;
  for (unsigned i = 0; i < a.rows(); ++i)
    for (unsigned j = 0; j < a.cols(); ++j) {
      numeric x = ev(a(i, j)), y = ev(e(i, j));
      worst = std::max(worst, GiNaC::abs(x - y));
      scale = std::max(scale, std::max(GiNaC::abs(x), GiNaC::abs(y)));
    }
  return {worst, scale};
}

}  // namespace

std::vector<Expr> exprs_in_order(const std::vector<Expr>& roots, const ir::Topo& topo) {
  std::vector<Expr> nodes(topo.size());
  std::vector<Expr> stack(roots.begin(), roots.end());
  while (!stack.empty()) {
    Expr e = stack.back();
    stack.pop_back();
    auto& slot = nodes[topo.index.at(e.get())];
    if (slot) continue;
    slot = e;
    for (const auto& a : e->args) stack.push_back(a);
  }
  return nodes;
}

Problem problem_of(const std::vector<Expr>& roots, unsigned seed) {
  Problem p;
  p.seed = seed;
  std::set<std::string> dims, names;
  auto note = [&](const Dim& d) {
    for (const auto& name : d.symbols())
      if (dims.insert(name).second) p.dims.push_back(name);
  };
  ir::Topo topo = ir::topo_order(roots);
  for (const Expr& e : exprs_in_order(roots, topo)) {
    note(e->shape.rows);
    note(e->shape.cols);
    if (e->kind == Kind::DimSize) {
      note(e->dim);
      p.uses_dim_size = true;
    }
    if (e->kind == Kind::Call && e->fn == Fn::Mean) p.uses_dim_size = true;
    if (e->kind == Kind::Var && e->args.empty() && names.insert(e->name).second) p.inputs.push_back(e);
  }
  return p;
}

Comparison compare(const Expr& answer, const Expr& expected, const Problem& p, const Variant& v) {
  Precision precision;
  const std::vector<Sizes> all = assignments(p, v);
  struct Expanded {
    Sizes sizes;
    matrix a, e;
    std::vector<std::pair<unsigned, unsigned>> undecided;
  };
  std::vector<Expanded> xs;
  bool any_undecided = false;
  const std::string exact_layer = "exact expansion at " + sizes_list(all);
  for (const Sizes& s : all) {
    Expanded x{s, matrix(1, 1), expand(expected, s), {}};
    try {
      x.a = expand(answer, s);
    } catch (const UserError& err) {
      // The answer has no value at these sizes (an index out of range, ...).
      Comparison c{Same::Different, "exact expansion at " + sizes_text(s), Counterexample{}};
      for (const auto& [d, n] : s) c.counterexample->sizes[d] = n;
      c.counterexample->answer = "undefined: " + err.text();
      c.counterexample->expected = "defined";
      return c;
    }
    if (v.symmetric) {
      GiNaC::exmap m = symmetric_map(p, s);
      x.a = GiNaC::ex_to<matrix>(x.a.subs(m));
      x.e = GiNaC::ex_to<matrix>(x.e.subs(m));
    }
    bool different = false;  // one entry proved different decides: the rest need no normal form
    for (unsigned i = 0; i < x.a.rows() && !different; ++i)
      for (unsigned j = 0; j < x.a.cols() && !different; ++j) {
        Same d = decide_entry(x.a(i, j), x.e(i, j));
        if (d == Same::Different) different = true;
        if (d == Same::Undecided) x.undecided.emplace_back(i, j);
      }
    any_undecided = any_undecided || !x.undecided.empty();
    xs.push_back(std::move(x));
    if (different) {
      // Proved different: find a point that shows it.
      Expanded& d = xs.back();
      Sampler sampler(p, d.sizes, v, p.seed);
      for (int attempt = 0; attempt < kAttempts; ++attempt) {
        Point pt = sampler.draw(attempt);
        try {
          Evaluator ev(pt.values);
          auto [worst, scale] = gap(d.a, d.e, ev);
          if (worst > kTol * scale)
            return {Same::Different, "exact expansion at " + sizes_text(d.sizes),
                    make_counterexample(p, d.sizes, v, pt, d.a, d.e, worst)};
        } catch (const Undefined&) {
        }
      }
      return {Same::Different, "exact expansion at " + sizes_text(d.sizes), std::nullopt};
    }
  }
  if (!any_undecided) return {Same::Equal, exact_layer, std::nullopt};

  // Layer 3: random points at 100 digits, on both sides of every kink.
  int points = 0;
  for (Expanded& x : xs) {
    std::vector<ex> ks;
    std::set<ex, GiNaC::ex_is_less> seen;
    for (unsigned i = 0; i < x.e.rows(); ++i)
      for (unsigned j = 0; j < x.e.cols(); ++j) kinks(x.e(i, j), seen, ks);
    const std::size_t expected_kinks = ks.size();  // the rest are the answer's own
    for (unsigned i = 0; i < x.a.rows(); ++i)
      for (unsigned j = 0; j < x.a.cols(); ++j) kinks(x.a(i, j), seen, ks);
    std::vector<std::array<bool, 2>> covered(ks.size(), {false, false});
    Sampler sampler(p, x.sizes, v, p.seed + 17u * static_cast<unsigned>(points + 1));
    int here = 0;
    auto all_covered = [&] {
      for (const auto& c : covered)
        if (!c[0] || !c[1]) return false;
      return true;
    };
    for (int attempt = 0;
         attempt < kAttempts && (here < kPointsPerSize || attempt < kAttempts / 2 || !all_covered()); ++attempt) {
      Point pt = sampler.draw(attempt);
      Evaluator ev(pt.values);
      bool fresh = false, near = false;
      try {
        for (std::size_t k = 0; k < ks.size(); ++k) {
          numeric u = ev(ks[k]);
          if (GiNaC::abs(u) < numeric(1, 1000000)) near = true;
          auto& c = covered[k][u.is_positive() ? 1 : 0];
          fresh = fresh || !c;
          c = true;
        }
      } catch (const Undefined&) {
        continue;
      }
      if (near) continue;  // too close to a kink
      if (here >= kPointsPerSize && !fresh) continue;
      numeric worst, scale;
      try {
        // The derivative must be defined here; the answer then must be too.
        for (unsigned i = 0; i < x.e.rows(); ++i)
          for (unsigned j = 0; j < x.e.cols(); ++j) ev(x.e(i, j));
      } catch (const Undefined&) {
        continue;
      }
      try {
        std::tie(worst, scale) = gap(x.a, x.e, ev);
      } catch (const Undefined&) {
        Counterexample cx = make_counterexample(p, x.sizes, v, pt, x.e, x.e, 0);
        cx.answer = "undefined";
        cx.difference = "undefined";
        return {Same::Different, points_text(points + here + 1), cx};
      }
      ++here;
      if (worst > kTol * scale)
        return {Same::Different, points_text(points + here),
                make_counterexample(p, x.sizes, v, pt, x.a, x.e, worst)};
    }
    if (here == 0) return {Same::Undecided, "no point where the derivative is defined", std::nullopt};
    // A kink of the answer that the derivative does not have, never crossed:
    // the answer may be wrong beyond it (step(x - 100)), so no verdict.
    for (std::size_t k = expected_kinks; k < ks.size(); ++k)
      if (!covered[k][0] || !covered[k][1]) {
        std::ostringstream os;
        os << ks[k];
        return {Same::Undecided, "the answer's kink at " + os.str() + " = 0 was on one side at every point tried",
                std::nullopt};
      }
    points += here;
  }
  std::string layer = points_text(points);
  if (!v.all_dims && !p.dims.empty()) layer += " (" + sizes_list(all) + ")";
  return {Same::Equal, layer, std::nullopt};
}

Expr replace(const Expr& root, const std::function<Expr(const Node&, const std::vector<Expr>& args)>& pick) {
  ir::Topo topo = ir::topo_order(root);
  std::vector<Expr> nodes = exprs_in_order({root}, topo);
  std::vector<Expr> out(topo.size());
  for (std::size_t k = 0; k < topo.size(); ++k) {
    const Expr& e = nodes[k];
    std::vector<Expr> args;
    bool same = true;
    for (const auto& a : e->args) {
      args.push_back(out[topo.index.at(a.get())]);
      same = same && args.back() == a;
    }
    Expr r = pick(*e, args);
    out[k] = r ? r : same ? e : ir::rebuild(e, std::move(args));
  }
  return out[topo.index.at(root.get())];
}

}  // namespace mcalc::check::detail
