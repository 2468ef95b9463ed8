#pragma once
// Derivations: a derivative shown step by step, the way the lecture derives
// the gradient of a neuron's activation.
//
//  1. Intermediate variables: one per operation of f on a path to the
//     variable, each with its type. Names the program gave (z = w'*x + b) are
//     kept; the others are u1, u2, ...
//  2. Local partials: the derivative of each intermediate by each name its
//     definition uses (every other name held fixed), in numerator layout, with
//     the names of the rules the differentiator's trace recorded for it.
//  3. Chain rule: d v/d x = Σ ∂v/∂u · du/dx over the names u that v uses (a
//     sum over paths where a name is reached twice), each simplified, with
//     the simplifier's identities that simplification used (1'*diag(x) = x').
//  4. Result: exactly derivative(f, x, layout), with its layout and shape;
//     a result with one step(u) factor also in cases form (u <= 0, u > 0).
//
// A scalar f with a matrix on the way (a network's weight matrix, W*x by
// W), or through two products with a matrix or more (a network's layers), is
// derived by backpropagation instead of steps 2-3, as the lecture's
// backpropagation slides do:
//
//  2'. Adjoints: δv = ∂f/∂v, with the shape of v, for every intermediate v
//      from f down to the variable: the sum over the intermediates u that use
//      v of (∂u/∂v)ᵀ δu in closed form (the differentiator's reverse mode on
//      u's operation alone), e.g. delta_a1 = W2ᵀ*delta_u2 (matrix product),
//      delta_z1 = delta_a1 ⊙ a1 ⊙ (1 - a1) (elementwise function): the
//      recurrence δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ′(z⁽ˡ⁾), one line per operation,
//      so a derivation grows linearly with depth. The last is the gradient by
//      the variable (its shape); the result is diff's, in the layout asked.
//
// A non-scalar f with a matrix on the way is refused with a located
// Msg::NotDifferentiable (diff gives its Jacobian by vec).
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

  /// Backpropagation (steps 2'): the adjoints in the order computed, from f's
  /// operands down; the last one is the gradient by wrt (of == intermediates.size(),
  /// no var). Empty for a chain of Jacobians (then partials and chain are filled).
  struct Adjoint {
    std::size_t of = 0;  // index into intermediates; intermediates.size() for wrt
    Expr var;            // ir::var("delta_<name>", shape of the name, value); null for wrt
    struct Term {
      std::size_t from = 0;  // the intermediate whose operation uses the name
      std::string rule;      // the rules of that operation, e.g. "matrix product"
      Expr value;            // (∂from/∂name)ᵀ δfrom in closed form, simplified
    };
    std::vector<Term> terms;
    /// The sum of the terms as written, before simplification (`value` when there are none).
    Expr written() const;
    Expr value;                    // the sum of the terms, simplified
    std::vector<Rule> identities;  // the simplifier's rules used for the sum
  };
  std::vector<Adjoint> adjoints;
  bool backprop() const { return !adjoints.empty(); }

  Expr result;  // derivative(f, wrt, layout): the same expression diff gives

  /// Piecewise results: the argument u of the one step(u) factor, a scalar,
  /// and the result where u <= 0 and where u > 0, simplified. Null otherwise.
  Expr condition, where_nonpositive, where_positive;
};

/// How a derivation is written: Auto is backpropagation for a scalar f with a
/// matrix or two layers on the way and the chain of Jacobians otherwise.
enum class DeriveMethod { Auto, Chain, Backprop };

/// The derivation of diff(f, wrt) in `layout`. UserError (located):
/// Msg::NotDifferentiable for a matrix on the way of a chain of Jacobians, or
/// backpropagation of a non-scalar f, and the errors of derivative().
Derivation derive(const Expr& f, const Expr& wrt, Layout layout = Layout::Numerator,
                  DeriveMethod method = DeriveMethod::Auto);

/// The name of the rule that differentiates node `n` ("matrix product",
/// "Hadamard product", "elementwise function", ...).
std::string rule_name(const Node& n);

}  // namespace mcalc
