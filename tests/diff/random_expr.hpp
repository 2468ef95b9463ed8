#pragma once
// Random well-typed expressions over a, b: scalar; x, y: vector(n); A, B: matrix(n, n), generated from
// the language's constructs with a seeded generator: the property tests of the differentiator and of
// derivations draw from it.
#include <random>
#include <string>

#include "ir_builders.hpp"
#include "mcalc/topo.hpp"

namespace dtest {
using namespace mcalc;
using namespace mcalc::test::build;

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  std::mt19937& rng() { return rng_; }

  Expr a = sc("a"), b = sc("b"), x = vec("x"), y = vec("y"), A = mat("A"), B = mat("B");

  int pick(int k) { return std::uniform_int_distribution<int>(0, k - 1)(rng_); }
  Expr constant() { return num(std::uniform_int_distribution<int>(1, 4)(rng_) * 0.5); }

  /// 1 + u.^2 (or 1 + u^2): a positive operand for log, sqrt and division.
  Expr positive(const Expr& u) {
    return ir::add(num(1), u->is_scalar() ? ir::pow(u, num(2)) : ir::elem_pow(u, num(2)));
  }

  Expr unary(const Expr& u) {
    switch (pick(12)) {
      case 0: return fn(Fn::Sin, u);
      case 1: return fn(Fn::Cos, u);
      case 2: return fn(Fn::Tanh, u);
      case 3: return fn(Fn::Sigmoid, u);
      case 4: return fn(Fn::Softplus, u);
      case 5: return fn(Fn::Relu, u);
      case 6: return fn(Fn::Abs, u);
      case 7: return fn(Fn::Atan, u);
      case 8: return fn(Fn::Log, positive(u));
      case 9: return fn(Fn::Sqrt, positive(u));
      case 10: return fn(Fn::Exp, fn(Fn::Tanh, u));
      default: return fn(Fn::LeakyRelu, u, num(0.1));
    }
  }

  Expr scalar(int d) {
    if (d <= 0) {
      switch (pick(3)) {
        case 0: return a;
        case 1: return b;
        default: return constant();
      }
    }
    switch (pick(16)) {
      case 0: return ir::add(scalar(d - 1), scalar(d - 1));
      case 1: return ir::sub(scalar(d - 1), scalar(d - 1));
      case 2: return ir::mul(scalar(d - 1), scalar(d - 1));
      case 3: return ir::div(scalar(d - 1), positive(scalar(d - 1)));
      case 4: return unary(scalar(d - 1));
      case 5: return fn(Fn::Sum, vector(d - 1));
      case 6: return ir::dot(vector(d - 1), vector(d - 1));
      case 7: return ir::mul(T(vector(d - 1)), vector(d - 1));
      case 8: return fn(Fn::Mean, vector(d - 1));
      case 9: return fn(Fn::Logsumexp, vector(d - 1));
      case 10: return fn(Fn::Tr, matrix(d - 1));
      case 11: return ir::mul(ir::mul(T(vector(d - 1)), matrix(d - 1)), vector(d - 1));
      case 12: return fn(Fn::Max, scalar(d - 1), scalar(d - 1));
      case 13: return ir::pow(scalar(d - 1), num(2));
      case 14: return fn(Fn::Norm2, positive(vector(d - 1)));
      default: return ir::neg(scalar(d - 1));
    }
  }

  Expr vector(int d) {
    if (d <= 0) return pick(2) ? x : y;
    switch (pick(14)) {
      case 0: return ir::add(vector(d - 1), vector(d - 1));
      case 1: return ir::sub(vector(d - 1), vector(d - 1));
      case 2: return ir::mul(scalar(d - 1), vector(d - 1));
      case 3: return ir::hadamard(vector(d - 1), vector(d - 1));
      case 4: return ir::elem_div(vector(d - 1), positive(vector(d - 1)));
      case 5: return unary(vector(d - 1));
      case 6: return ir::mul(matrix(d - 1), vector(d - 1));
      case 7: return fn(Fn::Softmax, vector(d - 1));
      case 8: return ir::add(vector(d - 1), scalar(d - 1));
      case 9: return fn(Fn::Max, num(0), vector(d - 1));
      case 10: return fn(Fn::Min, vector(d - 1), vector(d - 1));
      case 11: return ir::elem_pow(vector(d - 1), num(2));
      case 12: return ir::mul(T(matrix(d - 1)), vector(d - 1));
      default: return ir::neg(vector(d - 1));
    }
  }

  Expr matrix(int d) {
    if (d <= 0) return pick(2) ? A : B;
    switch (pick(7)) {
      case 0: return ir::add(matrix(d - 1), matrix(d - 1));
      case 1: return ir::mul(matrix(d - 1), matrix(d - 1));
      case 2: return ir::mul(scalar(d - 1), matrix(d - 1));
      case 3: return T(matrix(d - 1));
      case 4: return ir::hadamard(matrix(d - 1), matrix(d - 1));
      case 5: return fn(Fn::DiagOf, vector(d - 1));
      default: return unary(matrix(d - 1));
    }
  }

 private:
  std::mt19937 rng_;
};

/// True when e uses the variable `name` (through definitions).
inline bool depends_on(const Expr& e, const std::string& name) {
  for (const Node* n : ir::topo_order(e).order)
    if (n->kind == Kind::Var && n->name == name) return true;
  return false;
}

}  // namespace dtest
