#pragma once
/// \file
/// Component expansion at concrete sizes: every entry of an expression as a
/// GiNaC expression in the entries of its input variables (x1, x2, ... for a
/// vector x, A11, A12, ... for a matrix A, row-major), the way the lecture
/// writes Jacobians out as matrices of ∂fᵢ/∂xⱼ.
///
/// It is a second, independent check of the differentiator: the expansion of
/// mcalc's closed-form derivative must equal GiNaC's own entry-wise
/// derivative of the expanded function (cross_check). The expansion knows no
/// matrix-calculus rule: products are sums of products of entries, det is
/// GiNaC's determinant, inv GiNaC's matrix inverse, and elementwise functions
/// are GiNaC functions (src/simplify/ginac_bridge.cpp) with scalar derivative
/// rules only.
#include <ginac/ginac.h>

#include <map>
#include <string>
#include <vector>

#include "mcalc/diff.hpp"
#include "mcalc/ir.hpp"

namespace mcalc {

/// Sizes of the symbolic dimensions: {"n": 3, "m": 2}.
using Sizes = std::map<std::string, long>;

/// The largest size the expansion writes out (an n x n Jacobian has n² entries,
/// a determinant n! terms).
constexpr long kMaxExpandSize = 10;
/// The largest matrix whose det, logdet or inv is expanded (by minors: n! terms).
constexpr long kMaxExpandMinors = 6;

/// The size of `d` at `sizes`: its value when literal, else sizes[name].
/// Throws Msg::ExpandNeedsSize (unlocated) when the name is missing, and
/// Msg::ExpandTooLarge beyond kMaxExpandSize.
long concrete_size(const Dim& d, const Sizes& sizes);

/// Throws Msg::ExpandNeedsSize, located at the first input variable of `e`
/// (or at `e`) whose shape has a dimension missing from `sizes`.
void require_sizes(const Expr& e, const Sizes& sizes);

/// The printed name of entry (i, j) (0-based) of the input variable `name`
/// of shape `s`: the name itself for a scalar, x1, x2, ... for a vector (or a
/// row vector), A11, A12, ... for a matrix (row-major; A1_10 once an index has
/// two digits).
std::string entry_name(const std::string& name, const Shape& s, long i, long j);

/// The real GiNaC symbol of entry (i, j) of the input variable `var`. The same
/// variable and entry always give the same symbol (process-wide).
GiNaC::symbol entry_symbol(const Expr& var, long i, long j);

/// The entries of the input variable `var` at `sizes` (its shape).
GiNaC::matrix variable_entries(const Expr& var, const Sizes& sizes);

/// Every entry of `e` at `sizes` (a rows x cols matrix, 1 x 1 for a scalar).
/// Intermediate variables are expanded through their definitions. Located
/// UserErrors: ExpandNeedsSize, IndexOutOfRange (an index beyond the concrete
/// size), SingularMatrix (inv or a negative power of a singular constant).
GiNaC::matrix expand(const Expr& e, const Sizes& sizes);

/// GiNaC's own derivatives of expand(f) entry by entry, arranged as
/// derivative(f, wrt, layout) arranges them: numerator layout len(f) x len(wrt)
/// (f scalar: the shape of wrtᵀ), denominator layout transposed.
GiNaC::matrix expanded_jacobian(const Expr& f, const Expr& wrt, const Sizes& sizes,
                                Layout layout = Layout::Numerator);
/// ∂f/∂wrt_ij entry by entry: the shape of wrt (f scalar).
GiNaC::matrix expanded_gradient(const Expr& f, const Expr& wrt, const Sizes& sizes);
/// ∂²f/∂x_i∂x_j: n x n (f scalar, wrt a scalar or a column vector).
GiNaC::matrix expanded_hessian(const Expr& f, const Expr& wrt, const Sizes& sizes);

/// How one entry of a cross-check was decided.
enum class EntryCheck {
  Symbolic,   // GiNaC proved the difference zero (as is, expand() or normal())
  Numeric,    // equal at several random points, to a relative 1e-9
  Mismatch,   // different at some point
  Undecided,  // no point where both sides are finite reals
};
const char* entry_check_name(EntryCheck c);  // "symbolic", "numeric", "mismatch", "undecided"

struct CrossCheck {
  GiNaC::matrix closed;    // the expansion of the closed form
  GiNaC::matrix expected;  // GiNaC's entry-wise derivative
  std::vector<std::vector<EntryCheck>> how;  // per entry
  long symbolic = 0, numeric = 0, mismatched = 0, undecided = 0;
  /// "entry (2, 1): closed form 2*x1, GiNaC 3*x1 (at x1 = 0.3: 0.6 vs 0.9)" per failed entry.
  std::vector<std::string> failures;
  bool passed() const { return mismatched == 0 && undecided == 0; }
  /// "9 entries: 7 symbolic, 2 numeric" (and the failures, one per line).
  std::string summary() const;
};

/// Compares two matrices of the same shape entry by entry: symbolically when
/// GiNaC can prove the difference zero, else at random points (seeded).
CrossCheck cross_check(const GiNaC::matrix& closed, const GiNaC::matrix& expected, unsigned seed = 1);

/// The value of a GiNaC expression of entry symbols at the given values (by
/// symbol name), in double precision; NaN outside a function's domain. Knows
/// GiNaC's functions and the language's (sigmoid, relu, ...).
double numeric_value(const GiNaC::ex& x, const std::map<std::string, double>& values);

/// The form of x that is printed: the smallest of x, x.expand() and x.normal().
GiNaC::ex simplified(const GiNaC::ex& x);
/// An entry in the language's text form with a deterministic order of terms
/// and factors (through the IR printer): "2*x1*cos(x1^2)".
std::string entry_text(const GiNaC::ex& x);
/// An entry in LaTeX (through the IR's LaTeX printer): "2 x_{1} \cos\left(x_{1}^{2}\right)".
std::string entry_latex(const GiNaC::ex& x);
/// simplified() and entry_text() of every entry, row by row.
std::vector<std::vector<std::string>> matrix_entries(const GiNaC::matrix& m);
/// The matrix as the lecture writes it, one row a line, columns aligned:
///   [ x1, 0,  0  ]
///   [ 0,  x2, 0  ]
std::string matrix_text(const GiNaC::matrix& m);
/// \begin{bmatrix} x_{1} & 0 \\ 0 & x_{2} \end{bmatrix}
std::string matrix_latex(const GiNaC::matrix& m);

}  // namespace mcalc
