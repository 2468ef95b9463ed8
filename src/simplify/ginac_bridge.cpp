// IR <-> GiNaC, and the GiNaC functions of the language that GiNaC lacks.
#include "simplify/ginac_bridge.hpp"

#include <algorithm>
#include <cmath>

#include <cln/float.h>

#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace gx {

using GiNaC::ex;
using GiNaC::numeric;

// ---- functions GiNaC lacks, each with its derivative ---------------------
DECLARE_FUNCTION_1P(mc_sigmoid)
DECLARE_FUNCTION_1P(mc_relu)
DECLARE_FUNCTION_1P(mc_step)
DECLARE_FUNCTION_1P(mc_heaviside)
DECLARE_FUNCTION_1P(mc_softplus)
DECLARE_FUNCTION_1P(mc_sign)
DECLARE_FUNCTION_1P(mc_abs)
DECLARE_FUNCTION_2P(mc_leaky_relu)
DECLARE_FUNCTION_2P(mc_max)
DECLARE_FUNCTION_2P(mc_min)

namespace {

const numeric& ex_to_num(const ex& x) { return GiNaC::ex_to<numeric>(x); }
bool real_num(const ex& x) { return GiNaC::is_exactly_a<numeric>(x) && ex_to_num(x).is_real(); }

// sigmoid(t) = 1/(1 + exp(-t));  sigmoid'(t) = sigmoid(t)*(1 - sigmoid(t))
ex sigmoid_eval(const ex& x) { return mc_sigmoid(x).hold(); }
ex sigmoid_deriv(const ex& x, unsigned) { return mc_sigmoid(x) * (1 - mc_sigmoid(x)); }

// relu(t) = max(0, t);  relu'(t) = step(t)
ex relu_eval(const ex& x) {
  if (real_num(x)) return ex_to_num(x).is_positive() ? x : ex(0);
  return mc_relu(x).hold();
}
ex relu_deriv(const ex& x, unsigned) { return mc_step(x); }

// step(t) = [t > 0], heaviside(t) = [t >= 0], sign(t): derivative 0 away from the kink at 0
ex step_eval(const ex& x) {
  if (real_num(x)) return ex_to_num(x).is_positive() ? 1 : 0;
  return mc_step(x).hold();
}
ex heaviside_eval(const ex& x) {
  if (real_num(x)) return ex_to_num(x).is_negative() ? 0 : 1;
  return mc_heaviside(x).hold();
}
ex sign_eval(const ex& x) {
  if (real_num(x)) return ex_to_num(x).is_positive() ? 1 : ex_to_num(x).is_zero() ? 0 : -1;
  return mc_sign(x).hold();
}
ex zero_deriv(const ex&, unsigned) { return 0; }

// abs(t) on the reals; abs'(t) = sign(t). GiNaC's own abs is complex: its
// derivative (conjugate(t) + t)/(2 abs(t)) leaves D[0](conjugate) behind in
// second derivatives and chain rules, which no real substitution removes.
ex abs_eval(const ex& x) {
  if (real_num(x)) return GiNaC::abs(ex_to_num(x));
  return mc_abs(x).hold();
}
ex abs_deriv(const ex& x, unsigned) { return mc_sign(x); }

// softplus(t) = log(1 + exp(t));  softplus'(t) = sigmoid(t)
ex softplus_eval(const ex& x) { return mc_softplus(x).hold(); }
ex softplus_deriv(const ex& x, unsigned) { return mc_sigmoid(x); }

// leaky_relu(u, a) = u for u > 0, a*u otherwise;
// d/du = a + (1 - a)*step(u),  d/da = (1 - step(u))*u
ex leaky_eval(const ex& u, const ex& a) { return mc_leaky_relu(u, a).hold(); }
ex leaky_deriv(const ex& u, const ex& a, unsigned p) {
  return p == 0 ? a + (1 - a) * mc_step(u) : (1 - mc_step(u)) * u;
}

// max(a, b) ("piecewise max"): at a tie a = b the branches share the derivative,
//   d/da = step(a - b),  d/db = 1 - step(a - b),
// so that d max(u, u) = du. When a is a number, the tie goes to a instead,
//   d/db = step(b - a),  d/da = 1 - step(b - a),
// which keeps the ReLU convention d max(0, z)/dz = step(z) (0 at the kink).
// min(a, b) ("piecewise min") likewise with the comparison reversed.
ex max_eval(const ex& a, const ex& b) {
  if (real_num(a) && real_num(b)) return ex_to_num(a) < ex_to_num(b) ? b : a;
  if (a.is_equal(b)) return a;
  return mc_max(a, b).hold();
}
ex max_deriv(const ex& a, const ex& b, unsigned p) {
  if (GiNaC::is_a<numeric>(a)) return p == 1 ? mc_step(b - a) : 1 - mc_step(b - a);
  return p == 0 ? mc_step(a - b) : 1 - mc_step(a - b);
}
ex min_eval(const ex& a, const ex& b) {
  if (real_num(a) && real_num(b)) return ex_to_num(a) < ex_to_num(b) ? a : b;
  if (a.is_equal(b)) return a;
  return mc_min(a, b).hold();
}
ex min_deriv(const ex& a, const ex& b, unsigned p) {
  if (GiNaC::is_a<numeric>(a)) return p == 1 ? mc_step(a - b) : 1 - mc_step(a - b);
  return p == 0 ? mc_step(b - a) : 1 - mc_step(b - a);
}

}  // namespace

REGISTER_FUNCTION(mc_sigmoid, eval_func(sigmoid_eval).derivative_func(sigmoid_deriv))
REGISTER_FUNCTION(mc_relu, eval_func(relu_eval).derivative_func(relu_deriv))
REGISTER_FUNCTION(mc_step, eval_func(step_eval).derivative_func(zero_deriv))
REGISTER_FUNCTION(mc_heaviside, eval_func(heaviside_eval).derivative_func(zero_deriv))
REGISTER_FUNCTION(mc_sign, eval_func(sign_eval).derivative_func(zero_deriv))
REGISTER_FUNCTION(mc_abs, eval_func(abs_eval).derivative_func(abs_deriv))
REGISTER_FUNCTION(mc_softplus, eval_func(softplus_eval).derivative_func(softplus_deriv))
REGISTER_FUNCTION(mc_leaky_relu, eval_func(leaky_eval).derivative_func(leaky_deriv))
REGISTER_FUNCTION(mc_max, eval_func(max_eval).derivative_func(max_deriv))
REGISTER_FUNCTION(mc_min, eval_func(min_eval).derivative_func(min_deriv))

ex apply_fn(Fn f, const std::vector<ex>& a) {
  switch (f) {
#define MCALC_FN_ELEMENTWISE(Id, name, flags, latex, kernel, ginac, ...) \
  case Fn::Id: {                                                        \
    const ex& x = a[0];                                                 \
    return ginac;                                                       \
  }
#define MCALC_FN_ELEMENTWISE2(Id, name, family, flags, rule, latex, kernel, ginac, ...) \
  case Fn::Id: {                                                                        \
    const ex &x = a[0], &y = a[1];                                                      \
    return ginac;                                                                       \
  }
#define MCALC_FN_MATRIX(Id, ...) case Fn::Id:
#include "mcalc/functions.def"
    case Fn::None:
      break;
  }
  MCALC_ASSERT(false, std::string("not an elementwise function: ") + fn_name(f));
  return 0;
}

ex sign_of(const ex& x) { return mc_sign(x); }

namespace {
struct Serial {
  unsigned serial;
  Fn fn;
};
/// The GiNaC function serial of each elementwise function that is a GiNaC
/// function (sqrt is a power), and GiNaC's own abs, read off the forms of
/// apply_fn.
const std::vector<Serial>& serials() {
  static const std::vector<Serial> table = [] {
    std::vector<Serial> t{{GiNaC::abs_SERIAL::serial, Fn::Abs}};
    const GiNaC::symbol x("x"), y("y");
    auto add = [&](Fn f, std::vector<ex> args) {
      ex e = apply_fn(f, args);
      if (GiNaC::is_a<GiNaC::function>(e)) t.push_back({GiNaC::ex_to<GiNaC::function>(e).get_serial(), f});
    };
#define MCALC_FN_ELEMENTWISE(Id, ...) add(Fn::Id, {x});
#define MCALC_FN_ELEMENTWISE2(Id, ...) add(Fn::Id, {x, y});
#include "mcalc/functions.def"
    return t;
  }();
  return table;
}
}  // namespace

bool is_elementwise(const Expr& e) {
  switch (e->kind) {
    case Kind::Num: case Kind::Add: case Kind::Sub: case Kind::Neg: case Kind::Hadamard:
    case Kind::ElemDiv: case Kind::ElemPow: case Kind::Div:
      return true;
    case Kind::Mul: return e->args[0]->is_scalar() || e->args[1]->is_scalar();
    case Kind::Pow: return e->args[0]->is_scalar();
    case Kind::Call: return fn_is_elementwise(e->fn);
    case Kind::Var: case Kind::DimSize: case Kind::Dot: case Kind::Transpose: case Kind::Index:
    case Kind::Literal: case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
      return false;
  }
  return false;
}

namespace {
/// Integer exponents up to this are computed exactly by GiNaC.
constexpr double kExactPowerLimit = 64;

// CLN throws on a float that underflows; mcalc checks for underflow itself
// (ir_number), so CLN is told to round to zero instead.
const bool kUnderflowToZero = (cln::cl_inhibit_floating_point_underflow = true);

ex number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return numeric(static_cast<long>(v));
  if (std::fpclassify(v) == FP_SUBNORMAL) {  // CLN floats have no subnormals: the exact rational
    int e = 0;
    double m = std::frexp(v, &e);  // v = m 2^e, 0.5 <= |m| < 1
    return numeric(static_cast<long>(std::ldexp(m, 53))) * GiNaC::pow(numeric(2), e - 53);
  }
  for (long q = 2; q <= 1000; ++q) {
    double p = v * static_cast<double>(q);
    if (p == std::floor(p) && std::fabs(p) < 1e15 && static_cast<double>(static_cast<long>(p)) / q == v)
      return numeric(static_cast<long>(p), q);
  }
  return numeric(v);
}
}  // namespace

ex Bridge::atom(const Expr& e) {
  for (const auto& [x, s] : atoms_)
    if (x == e || ir::equal(x, e)) return s;
  atoms_.emplace_back(e, GiNaC::realsymbol("a" + std::to_string(atoms_.size())));
  return atoms_.back().second;
}

ex Bridge::bind(const Expr& e) {
  atoms_.emplace_back(e, GiNaC::realsymbol("t" + std::to_string(atoms_.size())));
  return atoms_.back().second;
}

ex Bridge::to(const Expr& e) {
  if (!is_elementwise(e)) return atom(e);
  const auto& a = e->args;
  switch (e->kind) {
    case Kind::Num: return number(e->num);
    case Kind::Add: return to(a[0]) + to(a[1]);
    case Kind::Sub: return to(a[0]) - to(a[1]);
    case Kind::Neg: return -to(a[0]);
    case Kind::Mul: case Kind::Hadamard: return to(a[0]) * to(a[1]);
    case Kind::Div: case Kind::ElemDiv: return to(a[0]) / to(a[1]);
    case Kind::Pow: case Kind::ElemPow: {
      // A power of numbers with a large or fractional exponent is folded in
      // double precision: GiNaC would compute 1.0001^(10^6) as an exact
      // rational of millions of digits.
      if (a[0]->kind == Kind::Num && a[1]->kind == Kind::Num &&
          (std::fabs(a[1]->num) > kExactPowerLimit || a[1]->num != std::floor(a[1]->num))) {
        double v = std::pow(a[0]->num, a[1]->num);
        if (std::isfinite(v)) return numeric(v);
        return atom(e);
      }
      return GiNaC::pow(to(a[0]), to(a[1]));
    }
    case Kind::Call: {
      std::vector<ex> xs;
      for (const auto& x : a) xs.push_back(to(x));
      return apply_fn(e->fn, xs);
    }
    default: break;
  }
  return atom(e);
}

Shape Bridge::shape_of(const ex& x) {
  for (const auto& [e, s] : atoms_)
    if (!e->is_scalar() && x.has(s)) return e->shape;
  return Shape::scalar();
}

namespace {

/// A rational whose denominator divides 10^6 and has a factor 5 came from a decimal literal
/// (0.01): it is written as a decimal again, not as 1/100.
bool decimal(const numeric& n) {
  if (!n.is_rational() || n.is_integer()) return false;
  numeric d = n.denom();
  if (GiNaC::mod(d, 5) != 0) return false;  // 1/2, 1/4 stay fractions
  for (int k = 0; k < 6 && d != 1; ++k) {
    if (GiNaC::mod(d, 2) == 0) d = d / 2;
    if (GiNaC::mod(d, 5) == 0) d = d / 5;
  }
  return d == 1;
}

/// Thrown (and caught in Bridge::from) when GiNaC's form cannot be written in
/// the IR: a number beyond double precision, operands whose shapes GiNaC
/// combined though the IR cannot. A private type, so that no InternalError is
/// ever mistaken for it.
struct Unrepresentable {};

Expr finite_num(double v) {
  if (!std::isfinite(v)) throw Unrepresentable{};
  return ir::num(v);
}

/// Operands that must agree under scalar broadcasting.
const Expr& compatible(const Expr& a, const Expr& b) {
  if (!ir::broadcast_compatible(a->shape, b->shape)) throw Unrepresentable{};
  return a;
}

/// p/q that prints as a fraction: both parts exact doubles. Beyond 2^53 (2e-308 - 1, the exponent of
/// the derivative of x.^2e-308) the number is its value rounded to double, as the evaluator computes it.
bool small_fraction(const numeric& n) {
  static const numeric exact_limit = GiNaC::ex_to<numeric>(GiNaC::pow(numeric(2), 53));
  return n.is_rational() && abs(n.numer()) < exact_limit && n.denom() < exact_limit;
}

Expr ir_number(const numeric& n) {  // a non-negative rational or float
  if (!n.is_zero() && n.to_double() == 0) {
    // Below CLN's smallest double (it has no subnormals): scale up, convert, scale back.
    double d = std::ldexp((n * GiNaC::ex_to<numeric>(GiNaC::pow(numeric(2), 600))).to_double(), -600);
    if (d == 0) throw Unrepresentable{};  // below double precision altogether
    return ir::num(d);
  }
  if (n.is_integer() || decimal(n)) return finite_num(n.to_double());
  if (small_fraction(n)) return ir::div(finite_num(n.numer().to_double()), finite_num(n.denom().to_double()));
  return finite_num(n.to_double());
}

bool factor_less(const Expr& a, const Expr& b) {
  // Scalars before step(...) factors kept last (the cases the derivation shows).
  bool sa = simp::is_call(a, Fn::Step), sb = simp::is_call(b, Fn::Step);
  if (sa != sb) return sb;
  std::size_t za = expr_size(a), zb = expr_size(b);
  if (za != zb) return za < zb;
  return simp::key(a) < simp::key(b);
}

bool term_less(const Expr& a, const Expr& b) {  // larger terms first, then by key
  std::size_t za = expr_size(a), zb = expr_size(b);
  if (za != zb) return za > zb;
  return simp::key(a) < simp::key(b);
}

/// Product of IR factors in canonical order: scalars (as * chain), then
/// non-scalars (as .* chain); nullptr when empty.
Expr product(std::vector<Expr> fs) {
  std::stable_sort(fs.begin(), fs.end(), factor_less);
  Expr s, v;
  for (auto& f : fs) {
    if (f->is_scalar()) s = s ? ir::mul(s, f) : f;
    else v = v ? ir::hadamard(compatible(v, f), f) : f;
  }
  if (s && v) return ir::mul(s, v);
  return s ? s : v;
}

}  // namespace

Expr Bridge::from_rec(const ex& x) {
  using GiNaC::is_a;
  if (is_a<numeric>(x)) {
    const numeric& n = ex_to_num(x);
    if (!n.is_real()) return nullptr;
    return n.is_negative() ? ir::neg(ir_number(-n)) : ir_number(n);
  }
  if (is_a<GiNaC::symbol>(x)) {
    for (const auto& [e, s] : atoms_)
      if (ex(s).is_equal(x)) return e;
    return nullptr;
  }
  if (is_a<GiNaC::add>(x)) {
    std::vector<Expr> pos, negs;
    for (std::size_t k = 0; k < x.nops(); ++k) {
      ex t = x.op(k);
      bool negative = false;
      if (is_a<numeric>(t)) negative = ex_to_num(t).is_negative();
      else if (is_a<GiNaC::mul>(t))
        for (std::size_t f = 0; f < t.nops(); ++f)
          if (is_a<numeric>(t.op(f)) && ex_to_num(t.op(f)).is_negative()) negative = true;
      Expr r = from_rec(negative ? ex(-t) : t);
      if (!r) return nullptr;
      (negative ? negs : pos).push_back(r);
    }
    std::stable_sort(pos.begin(), pos.end(), term_less);
    std::stable_sort(negs.begin(), negs.end(), term_less);
    Expr r;
    for (auto& p : pos) r = r ? ir::add(compatible(r, p), p) : p;
    for (auto& q : negs) r = r ? ir::sub(compatible(r, q), q) : ir::neg(q);
    return r;
  }
  if (is_a<GiNaC::mul>(x) || (is_a<GiNaC::power>(x) && is_a<numeric>(x.op(1)) && ex_to_num(x.op(1)).is_negative())) {
    // The factors, with the signs of their sums normalised. GiNaC keeps each
    // sum in a product monic (sigma*(1 - sigma) becomes -sigma*(sigma - 1));
    // a human writes a sum of a term and a constant as (1 - t), and puts a
    // remaining sign into a difference (yhat - y) rather than in front.
    numeric coef = 1;
    std::vector<ex> fs;
    auto collect = [&](const ex& f) {
      if (is_a<numeric>(f)) coef *= ex_to_num(f);
      else fs.push_back(f);
    };
    if (is_a<GiNaC::mul>(x)) {
      for (std::size_t k = 0; k < x.nops(); ++k) collect(x.op(k));
    } else {
      collect(x);
    }
    if (!coef.is_real()) return nullptr;
    auto negative_term = [](const ex& t) {
      if (is_a<numeric>(t)) return ex_to_num(t).is_real() && ex_to_num(t).is_negative();
      if (is_a<GiNaC::mul>(t))
        for (std::size_t f = 0; f < t.nops(); ++f)
          if (is_a<numeric>(t.op(f)) && ex_to_num(t.op(f)).is_real() && ex_to_num(t.op(f)).is_negative()) return true;
      return false;
    };
    // A sum factor: its base and integer exponent (1 for a plain sum).
    auto sum_factor = [](const ex& f, ex& base, long& k) {
      if (is_a<GiNaC::add>(f)) { base = f; k = 1; return true; }
      if (is_a<GiNaC::power>(f) && is_a<GiNaC::add>(f.op(0)) && is_a<numeric>(f.op(1)) &&
          ex_to_num(f.op(1)).is_integer()) {
        base = f.op(0);
        k = ex_to_num(f.op(1)).to_long();
        return true;
      }
      return false;
    };
    // A flipped sum is kept apart as (base, k): GiNaC would give the sign back
    // to the front if it were rebuilt as a power.
    std::vector<bool> flipped(fs.size(), false);
    std::vector<std::pair<ex, long>> flips(fs.size());
    auto flip = [&](std::size_t i, const ex& base, long k) {
      flips[i] = {(-base).expand(), k};
      flipped[i] = true;
      if (k % 2 != 0) coef = -coef;
    };
    for (std::size_t i = 0; i < fs.size(); ++i) {  // t - 1  ->  1 - t
      ex base;
      long k;
      if (!sum_factor(fs[i], base, k) || base.nops() != 2) continue;
      int c = is_a<numeric>(base.op(0)) ? 0 : is_a<numeric>(base.op(1)) ? 1 : -1;
      if (c < 0) continue;
      const std::size_t ci = static_cast<std::size_t>(c);
      if (!negative_term(base.op(ci)) || negative_term(base.op(1 - ci))) continue;
      flip(i, base, k);
    }
    if (coef.is_negative()) {  // -(y - yhat)*...  ->  (yhat - y)*...
      for (std::size_t i = 0; i < fs.size(); ++i) {
        ex base;
        long k;
        if (flipped[i] || !sum_factor(fs[i], base, k) || k % 2 == 0) continue;
        bool pos = false, neg = false;
        for (std::size_t t = 0; t < base.nops(); ++t) (negative_term(base.op(t)) ? neg : pos) = true;
        if (!pos || !neg) continue;
        flip(i, base, k);
        break;
      }
    }
    std::vector<Expr> num_f, den_f;
    for (std::size_t i = 0; i < fs.size(); ++i) {
      const ex& f = fs[i];
      if (flipped[i]) {
        Expr b = from_rec(flips[i].first);
        if (!b) return nullptr;
        long k = flips[i].second, a = k < 0 ? -k : k;
        Expr p = a == 1 ? b : b->is_scalar() ? ir::pow(b, ir::num(static_cast<double>(a)))
                                             : ir::elem_pow(b, ir::num(static_cast<double>(a)));
        (k < 0 ? den_f : num_f).push_back(p);
        continue;
      }
      if (is_a<GiNaC::power>(f) && is_a<numeric>(f.op(1)) && ex_to_num(f.op(1)).is_negative()) {
        Expr d = from_rec(GiNaC::pow(f.op(0), -f.op(1)));
        if (!d) return nullptr;
        den_f.push_back(d);
      } else {
        Expr n = from_rec(f);
        if (!n) return nullptr;
        num_f.push_back(n);
      }
    }
    if (!coef.is_real()) return nullptr;
    bool negative = coef.is_negative();
    if (negative) coef = -coef;
    if (small_fraction(coef) && !decimal(coef)) {
      if (coef.numer() != 1) num_f.insert(num_f.begin(), finite_num(coef.numer().to_double()));
      if (coef.denom() != 1) den_f.insert(den_f.begin(), finite_num(coef.denom().to_double()));
    } else {
      num_f.insert(num_f.begin(), ir_number(coef));
    }
    // Scalar and non-scalar parts of numerator and denominator.
    std::vector<Expr> ns, nv;
    for (auto& f : num_f) (f->is_scalar() ? ns : nv).push_back(f);
    Expr N_s = product(ns), N_v = product(nv), D = product(den_f);
    Expr r;
    if (!D) {
      r = N_s && N_v ? ir::mul(N_s, N_v) : N_s ? N_s : N_v ? N_v : ir::num(1);
    } else if (D->is_scalar()) {
      if (N_v) r = N_s ? ir::mul(ir::div(N_s, D), N_v) : ir::div(N_v, D);   // (2/N)*v, v/N
      else r = ir::div(N_s ? N_s : ir::num(1), D);                        // 2*x/N, 1/x
    } else {
      Expr N = N_s && N_v ? ir::mul(N_s, N_v) : N_s ? N_s : N_v ? N_v : ir::num(1);
      r = ir::elem_div(compatible(N, D), D);                              // 1 ./ x
    }
    return negative ? ir::neg(r) : r;
  }
  if (is_a<GiNaC::power>(x)) {
    Expr b = from_rec(x.op(0));
    if (!b) return nullptr;
    ex e = x.op(1);
    if (e.is_equal(numeric(1, 2))) return ir::call(Fn::Sqrt, {b});
    Expr p = from_rec(e);
    if (!p) return nullptr;
    if (b->is_scalar() && p->is_scalar()) return ir::pow(b, p);
    return ir::elem_pow(compatible(b, p), p);
  }
  if (is_a<GiNaC::function>(x)) {
    unsigned s = GiNaC::ex_to<GiNaC::function>(x).get_serial();
    std::vector<Expr> as;
    for (std::size_t k = 0; k < x.nops(); ++k) {
      Expr a = from_rec(x.op(k));
      if (!a) return nullptr;
      as.push_back(a);
    }
    auto same_shape = [&]() { return as.size() < 2 || ir::broadcast_compatible(as[0]->shape, as[1]->shape); };
    for (const auto& m : serials()) {
      if (m.serial != s) continue;
      if (m.fn == Fn::LeakyRelu && !as[1]->is_scalar()) return nullptr;
      if (!same_shape()) return nullptr;
      return ir::call(m.fn, as);
    }
    return nullptr;
  }
  return nullptr;
}

Expr Bridge::from(const ex& x, const Shape& want) {
  Expr r;
  try {
    r = from_rec(x);
  } catch (const Unrepresentable&) {
    return nullptr;
  }
  if (!r) return nullptr;
  if (r->shape == want) return r;
  if (r->is_scalar()) return simp::is_zero(r) ? simp::zero_of(want) : ir::mul(r, ir::ones(want));
  return nullptr;
}

}  // namespace gx
}  // namespace mcalc
