#pragma once
// The elementwise functions of the language on doubles, said once: the fused
// loops (fused.cpp) and the structured path (run.cpp) both call these.
#include <algorithm>
#include <cmath>

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

/// Calls `k` with the function of the unary elementwise `f` as a callable
/// object (a lambda the compiler inlines into the caller's loop). Returns
/// false for a function that is not unary elementwise.
template <class K>
bool with_unary(Fn f, K&& k) {
  switch (f) {
    case Fn::Sin: k([](double x) { return std::sin(x); }); return true;
    case Fn::Cos: k([](double x) { return std::cos(x); }); return true;
    case Fn::Tan: k([](double x) { return std::tan(x); }); return true;
    case Fn::Asin: k([](double x) { return std::asin(x); }); return true;
    case Fn::Acos: k([](double x) { return std::acos(x); }); return true;
    case Fn::Atan: k([](double x) { return std::atan(x); }); return true;
    case Fn::Exp: k([](double x) { return std::exp(x); }); return true;
    case Fn::Log: k([](double x) { return std::log(x); }); return true;
    case Fn::Sqrt: k([](double x) { return std::sqrt(x); }); return true;
    case Fn::Abs: k([](double x) { return std::fabs(x); }); return true;
    case Fn::Sign: k([](double x) { return sign(x); }); return true;
    case Fn::Tanh: k([](double x) { return std::tanh(x); }); return true;
    case Fn::Sigmoid: k([](double x) { return sigmoid(x); }); return true;
    case Fn::Relu: k([](double x) { return relu(x); }); return true;
    case Fn::Softplus: k([](double x) { return softplus(x); }); return true;
    case Fn::Step: k([](double x) { return step(x); }); return true;
    case Fn::Heaviside: k([](double x) { return heaviside(x); }); return true;
    case Fn::None:
    case Fn::LeakyRelu:
    case Fn::Max:
    case Fn::Min:
    case Fn::Sum:
    case Fn::Mean:
    case Fn::Norm2:
    case Fn::Norm1:
    case Fn::Logsumexp:
    case Fn::Softmax:
    case Fn::Tr:
    case Fn::Det:
    case Fn::Logdet:
    case Fn::Inv:
    case Fn::DiagOf:
    case Fn::DiagVec: return false;
  }
  return false;
}

/// Binary elementwise operations with scalar broadcasting (the node kinds and
/// the binary functions), as one enumeration for the fused loops.
enum class Bin { Add, Sub, Mul, Div, Pow, Max, Min, LeakyRelu };

template <class K>
void with_binary(Bin b, K&& k) {
  switch (b) {
    case Bin::Add: k([](double x, double y) { return x + y; }); return;
    case Bin::Sub: k([](double x, double y) { return x - y; }); return;
    case Bin::Mul: k([](double x, double y) { return x * y; }); return;
    case Bin::Div: k([](double x, double y) { return x / y; }); return;
    case Bin::Pow: k([](double x, double y) { return std::pow(x, y); }); return;
    case Bin::Max: k([](double x, double y) { return std::fmax(x, y); }); return;
    case Bin::Min: k([](double x, double y) { return std::fmin(x, y); }); return;
    // leaky_relu(u, alpha)
    case Bin::LeakyRelu: k([](double u, double alpha) { return u > 0 ? u : alpha * u; }); return;
  }
}

inline double apply(Bin b, double x, double y) {
  double r = 0;
  with_binary(b, [&](auto f) { r = f(x, y); });
  return r;
}

}  // namespace mcalc::eval::fn
