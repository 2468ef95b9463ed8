#pragma once
// The elementwise functions of the language on doubles, said once: the fused
// loops (fused.cpp) and the structured path (run.cpp) both call these.
#include <algorithm>
#include <cmath>
#include <string>

#include "mcalc/ir.hpp"

namespace mcalc::eval::fn {

// Numerically stable forms of the activation functions.
inline double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  double e = std::exp(z);
  return e / (1.0 + e);
}
inline double softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }
inline double sign(double z) { return z > 0 ? 1.0 : (z < 0 ? -1.0 : (std::isnan(z) ? z : 0.0)); }
inline double relu(double z) { return z > 0 ? z : 0.0; }
inline double step(double z) { return z > 0 ? 1.0 : 0.0; }
inline double heaviside(double z) { return z >= 0 ? 1.0 : 0.0; }

inline double leaky_relu(double u, double alpha) { return u > 0 ? u : alpha * u; }

/// Calls `k` with the function of the unary elementwise `f` as a callable
/// object (a lambda the compiler inlines into the caller's loop). Returns
/// false for a function that is not unary elementwise.
template <class K>
bool with_unary(Fn f, K&& k) {
  switch (f) {
#define MCALC_FN_ELEMENTWISE(Id, name, flags, latex, kernel, ...) \
  case Fn::Id: k([](double x) { return kernel; }); return true;
#define MCALC_FN_ELEMENTWISE2(Id, ...) case Fn::Id:
#define MCALC_FN_MATRIX(Id, ...) case Fn::Id:
#include "mcalc/functions.def"
    case Fn::None: return false;
  }
  return false;
}

/// Binary elementwise operations with scalar broadcasting (the node kinds and
/// the binary functions), as one enumeration for the fused loops.
enum class Bin {
  Add, Sub, Mul, Div, Pow,
#define MCALC_FN_ELEMENTWISE2(Id, ...) Id,
#include "mcalc/functions.def"
};

/// The Bin of a binary elementwise function.
inline Bin bin_of(Fn f) {
  switch (f) {
#define MCALC_FN_ELEMENTWISE2(Id, ...) case Fn::Id: return Bin::Id;
#define MCALC_FN_ELEMENTWISE(Id, ...) case Fn::Id:
#define MCALC_FN_MATRIX(Id, ...) case Fn::Id:
#include "mcalc/functions.def"
    case Fn::None: break;
  }
  MCALC_UNREACHABLE(std::string("not a binary elementwise function: ") + fn_name(f));
}

template <class K>
void with_binary(Bin b, K&& k) {
  switch (b) {
    case Bin::Add: k([](double x, double y) { return x + y; }); return;
    case Bin::Sub: k([](double x, double y) { return x - y; }); return;
    case Bin::Mul: k([](double x, double y) { return x * y; }); return;
    case Bin::Div: k([](double x, double y) { return x / y; }); return;
    case Bin::Pow: k([](double x, double y) { return std::pow(x, y); }); return;
#define MCALC_FN_ELEMENTWISE2(Id, name, family, flags, rule, latex, kernel, ...) \
  case Bin::Id: k([](double x, double y) { return kernel; }); return;
#include "mcalc/functions.def"
  }
}

inline double apply(Bin b, double x, double y) {
  double r = 0;
  with_binary(b, [&](auto f) { r = f(x, y); });
  return r;
}

}  // namespace mcalc::eval::fn
