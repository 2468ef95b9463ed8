#pragma once
// The pieces of a derivation (mcalc derive) that the renderers share: the
// printers of the lecture's notation and the LaTeX align* body that the LaTeX
// and Markdown renderers both use.
#include <string>

#include "driver/format.hpp"
#include "driver/results.hpp"

namespace mcalc::driver {

/// Expressions of a derivation as text: the language with ᵀ and ⊙ (or ⊗).
std::string derivation_text(const Expr& e, bool otimes);
/// Expressions of a derivation as LaTeX: \odot (or \otimes).
std::string derivation_latex(const Expr& e, bool otimes);

/// "∂u1/∂w" for a local partial; "du1/dw" for a chain-rule derivative.
std::string partial_symbol_text(const Derivation::Partial& p, const Derivation& d);
std::string total_symbol_text(const Expr& of, const Expr& wrt);
std::string partial_symbol_latex(const Derivation::Partial& p, const Derivation& d);
std::string total_symbol_latex(const Expr& of, const Expr& wrt);

/// "∂a/∂z · dz/dw + ...": the chain rule's form for one intermediate.
std::string chain_form_text(const Derivation::Chain& c, const Derivation& d);
std::string chain_form_latex(const Derivation::Chain& c, const Derivation& d);

/// Backpropagation: "∂f/∂z2" for the adjoint of an intermediate, "grad(f, W)" for the variable.
std::string adjoint_symbol_text(const Derivation::Adjoint& a, const Derivation& d);
std::string adjoint_symbol_latex(const Derivation::Adjoint& a, const Derivation& d);
/// "matrix product, through u2; addition, through u3": the rules of each term.
std::string adjoint_rules(const Derivation::Adjoint& a, const Derivation& d, bool latex = false);

/// The whole derivation as the rows of an align* (or aligned) environment,
/// with \intertext-free section rows (\text{...}).
std::string derivation_align_rows(const DeriveResult& r, const NumberStyle& numbers);

}  // namespace mcalc::driver
