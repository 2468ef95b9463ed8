#pragma once
/// \file
/// Printers of the IR: re-parseable text (the language itself, with minimal
/// parentheses) and LaTeX. Both share one precedence table and one traversal;
/// the LaTeX printer derives from the text printer and overrides hooks only.
#include <cstddef>
#include <string>
#include <vector>

#include "mcalc/ir.hpp"

namespace mcalc {

/// The text form of an expression: parsing and analysing it gives back an
/// equal IR tree (ir::equal), and printing that again gives the same text.
std::string to_text(const Expr& e);
/// A LaTeX rendering (math mode, without the surrounding $...$).
std::string to_latex(const Expr& e);
/// The text form of `e` with at most `max_nodes` nodes printed, "..." in
/// place of the rest: bounded cost on any DAG, for ordering keys and messages.
std::string to_text_bounded(const Expr& e, std::size_t max_nodes);

/// A result with its shared subexpressions named once: `body` and the
/// definitions in `where` print each subexpression once, so the printed size
/// grows with the DAG, not with the tree it unfolds to.
struct Shared {
  Expr body;
  /// Intermediate variables (ir::var with a definition), operands first: a
  /// definition uses only names before it.
  std::vector<Expr> where;
};
/// Names every subexpression of `e` that printing would repeat (used twice or
/// more where it prints, and not as short as a name: a leaf, x', -x). The new
/// names are <letter><n> (a1, a2, ...; the first letter of a, t, s, u, v none
/// of whose numbered names is in `taken` or in e) and avoid every name in
/// `taken` and in e. One pass over ir::topo_order(e).
Shared name_shared(const Expr& e, const std::vector<std::string>& taken = {});
/// "body" alone, or "body\n  where a1 = ..., a2 = ...".
std::string to_text(const Shared& s);

/// Binding strength of a printed form, weakest first. Elem is LaTeX's level
/// of ⊙ ⊘ · (looser than juxtaposition, tighter than + −); the text language
/// has .* ./ at the level of *, so the text printer never uses it.
enum class Prec { Add, Elem, Mul, Unary, Pow, Postfix, Atom };

/// The text printer. The traversal (print) is a strict switch over ir::Kind;
/// each form goes through a virtual hook so that another notation changes
/// only the hooks it writes differently.
class TextPrinter {
 public:
  /// `max_nodes`: print at most that many nodes, "..." for the rest.
  explicit TextPrinter(std::size_t max_nodes = static_cast<std::size_t>(-1)) : budget_(max_nodes) {}
  virtual ~TextPrinter() = default;
  std::string print(const Expr& e);

 protected:
  /// How tightly the printed form of `e` binds.
  virtual Prec prec(const Expr& e) const;
  /// `e` printed, parenthesised when it binds less tightly than `min`.
  std::string operand(const Expr& e, Prec min);
  virtual std::string parens(const std::string& s) const;

  // ---- leaves
  virtual std::string number(double v) const;
  virtual std::string name(const Node& var) const;
  virtual std::string dim_size(const Dim& d) const;
  virtual std::string ones_zeros(const Node& n) const;  // Ones and Zeros
  virtual std::string eye(const Node& n) const;
  virtual std::string unit(const Node& n) const;

  // ---- operators; `e` is the whole node
  virtual std::string add(const Expr& e);  // Add and Sub
  virtual std::string neg(const Expr& e);
  virtual std::string mul(const Expr& e);
  virtual std::string div(const Expr& e);
  virtual std::string hadamard(const Expr& e);
  virtual std::string elem_div(const Expr& e);
  virtual std::string dot(const Expr& e);
  virtual std::string pow(const Expr& e);  // Pow and ElemPow
  virtual std::string transpose(const Expr& e);
  virtual std::string index(const Expr& e);
  virtual std::string call(const Expr& e);
  virtual std::string literal(const Expr& e);

  /// `left op right` for a left-associative operator at `level`.
  std::string infix(const Expr& e, Prec level, const std::string& op);
  /// The comma-separated argument list of a call, without parentheses.
  std::string arguments(const Expr& e);

 private:
  std::size_t budget_;  // nodes still to print
};

/// The LaTeX printer: vectors bold, ^\top, \odot, \oslash, \frac, bmatrix, ...
class LatexPrinter : public TextPrinter {
 protected:
  Prec prec(const Expr& e) const override;
  std::string parens(const std::string& s) const override;
  std::string number(double v) const override;
  std::string name(const Node& var) const override;
  std::string dim_size(const Dim& d) const override;
  std::string ones_zeros(const Node& n) const override;
  std::string eye(const Node& n) const override;
  std::string unit(const Node& n) const override;
  std::string mul(const Expr& e) override;
  std::string div(const Expr& e) override;
  std::string hadamard(const Expr& e) override;
  std::string elem_div(const Expr& e) override;
  std::string dot(const Expr& e) override;
  std::string pow(const Expr& e) override;
  std::string transpose(const Expr& e) override;
  std::string index(const Expr& e) override;
  std::string call(const Expr& e) override;
  std::string literal(const Expr& e) override;

 private:
  /// `e` as the base of a superscript or subscript: grouped when it is not
  /// an atom or already carries a script (x^\top, W_{2}).
  std::string script_base(const Expr& e);
};

}  // namespace mcalc
