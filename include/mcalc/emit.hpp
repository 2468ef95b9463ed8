#pragma once
/// \file
/// Code generation: a derivative as a self-contained NumPy, PyTorch or
/// C++/Eigen function that returns the value of f and the derivative
/// (`--emit numpy|torch|cpp`, docs/codegen.md).
///
/// The code is written from the DAG of f and its derivative in topological
/// order (ir::topo_order): a node used more than once is computed once into a
/// temporary, an intermediate variable under its own name. diag(v) stays
/// structural in products (v * A, never diag(v) @ A); softplus, logsumexp and
/// sigmoid use stable forms (logaddexp, max-shifted sums, expit), and
/// log(1 + u) is log1p(u).
#include <string>
#include <vector>

#include "mcalc/diff.hpp"
#include "mcalc/ir.hpp"
#include "mcalc/sema.hpp"

namespace mcalc {

enum class EmitTarget { NumPy, Torch, Cpp };

/// "numpy", "torch", "cpp"; anything else is a BadOption UserError.
EmitTarget emit_target(const std::string& name);

/// One function to emit: value_and_grad(inputs...) -> (f, op(f, wrt)).
struct EmitFunction {
  std::string name = "value_and_grad";  ///< the function's name (--name)
  Expr f;                               ///< the expression
  Expr wrt;                             ///< the variable (an ir::var input)
  QueryOp op = QueryOp::Grad;
  Layout layout = Layout::Numerator;
  Expr derivative;                      ///< op(f, wrt) in `layout`, as the differentiator gave it
  /// The inputs, in this order as parameters: every input variable f depends
  /// on (through intermediate variables too) and wrt, in the program's order.
  std::vector<std::pair<std::string, Shape>> inputs;
};

/// The inputs of `f` and `wrt` in the program's declaration order (a defined name where f is cut at it).
std::vector<std::pair<std::string, Shape>> emit_inputs(const Program& prog, const Expr& f, const Expr& wrt);

/// A self-contained module (Python) or header (C++) with the functions, each
/// documented with the shapes, the layout and the formula, with shape checks on
/// the inputs. With `check`, a function check_<name> beside each compares the
/// derivative with central differences of the value and returns the largest
/// relative error.
std::string emit_module(EmitTarget target, const std::vector<EmitFunction>& functions, bool check);

}  // namespace mcalc
