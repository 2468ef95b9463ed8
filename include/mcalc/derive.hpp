#pragma once
// Derivations: a derivative shown step by step, the way the lecture derives
// the gradient of a neuron's activation.
//
//  1. Intermediate variables: one per operation of f on a path to the
//     variable, each with its type. Names the program gave (z = w'*x + b) are
//     kept; the others are u1, u2, ...
//  2. Local partials: the derivative of each intermediate by each name its
//     definition uses (every other name held fixed), in numerator layout, with
//     the name of the rule that gives it.
//  3. Chain rule: d v/d x = Σ ∂v/∂u · du/dx over the names u that v uses (a
//     sum over paths where a name is reached twice), each simplified, with
//     the simplifier's identities that simplification used (1'*diag(x) = x').
//  4. Result: exactly derivative(f, x, layout), with its layout and shape;
//     a result with one step(u) factor also in cases form (u <= 0, u > 0).
//
// Jacobians are matrices when f, the variable and every intermediate on the
// way are scalars or vectors; derive refuses a matrix there with the located
// error Msg::DeriveMatrix (take grad, which handles matrices).
#include <cstddef>
#include <string>
#include <vector>

#include "mcalc/diff.hpp"
#include "mcalc/ir.hpp"
#include "mcalc/simplify.hpp"

namespace mcalc {

struct Derivation {
  Expr f, wrt;
  Layout layout = Layout::Numerator;

  struct Intermediate {
    Expr var;            // ir::var(name, shape, definition); the definition uses earlier names
    bool given = false;  // the program named it
  };
  /// Operands first; the last one is f.
  std::vector<Intermediate> intermediates;

  struct Partial {
    std::size_t of = 0;  // index into intermediates
    Expr by;             // wrt, or the var of an earlier intermediate
    Expr jacobian;       // ∂of/∂by in numerator layout, in terms of the names
    std::string rule;    // the rule that gives it, e.g. "matrix product"
  };
  std::vector<Partial> partials;

  struct Chain {
    std::size_t of = 0;                 // index into intermediates
    std::vector<std::size_t> partials;  // the partials of `of` (one per name it uses)
    Expr value;                         // d of/d wrt, numerator layout, simplified
    std::vector<Rule> identities;       // the simplifier's rules used to simplify it, in the order first used
  };
  /// One per intermediate, in order.
  std::vector<Chain> chain;

  Expr result;  // derivative(f, wrt, layout): the same expression diff gives

  /// Piecewise results: the argument u of the one step(u) factor, a scalar,
  /// and the result where u <= 0 and where u > 0, simplified. Null otherwise.
  Expr condition, where_nonpositive, where_positive;
};

/// The derivation of diff(f, wrt) in `layout`. UserError (located):
/// Msg::DeriveMatrix for a matrix variable or intermediate, and the errors of
/// derivative().
Derivation derive(const Expr& f, const Expr& wrt, Layout layout = Layout::Numerator);

/// The name of the rule that differentiates node `n` ("matrix product",
/// "Hadamard product", "elementwise function", ...).
std::string rule_name(const Node& n);

}  // namespace mcalc
