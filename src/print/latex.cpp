// The LaTeX printer: the text printer's traversal and precedence table with
// the hooks that LaTeX writes differently (names, scripts, \frac, bmatrix, ...).
#include <cctype>
#include <set>

#include "mcalc/print.hpp"

namespace mcalc {
namespace {
const std::set<std::string>& greek() {
  static const std::set<std::string> names = {
      "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
      "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
      "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"};
  return names;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '_') out += "\\_";
    else out += c;
  }
  return out;
}

// A name's base and subscript: W2 -> (W, 2), y_hat -> (y, hat), x -> (x, "").
std::pair<std::string, std::string> split_name(const std::string& name) {
  auto us = name.find('_');
  if (us != std::string::npos && us > 0 && us + 1 < name.size())
    return {name.substr(0, us), name.substr(us + 1)};
  std::size_t k = name.size();
  while (k > 0 && std::isdigit(static_cast<unsigned char>(name[k - 1]))) --k;
  if (k > 0 && k < name.size()) return {name.substr(0, k), name.substr(k)};
  return {name, ""};
}

// A name in math mode: Greek letters as \alpha, a single letter as is, longer
// names upright-italic as one word; bold when it denotes a vector.
std::string math_name(const std::string& name, bool bold) {
  auto [base, sub] = split_name(name);
  std::string b;
  if (greek().count(base)) b = bold ? "\\boldsymbol{\\" + base + "}" : "\\" + base;
  else if (bold) b = "\\mathbf{" + escape(base) + "}";
  else if (base.size() == 1) b = base;
  else b = "\\mathit{" + escape(base) + "}";
  // A Greek letter subscripted by a name is subscripted by that name as a name: delta_z2 is δ_{z_2}.
  bool named_sub = greek().count(base) && !sub.empty() && std::isalpha(static_cast<unsigned char>(sub[0]));
  if (!sub.empty()) b += "_{" + (named_sub ? math_name(sub, false) : escape(sub)) + "}";
  return b;
}

bool is_vector_shape(const Shape& s) { return s.is_col() || s.is_row(); }
}  // namespace

std::string to_latex(const Expr& e) {
  LatexPrinter p;
  return p.print(e);
}

// Differences from the text table. LaTeX reads juxtaposition (the matrix
// product A x) tighter than the elementwise operators ⊙ ⊘ and the inner
// product ·, which bind tighter than + −:
//   + −  <  ⊙ ⊘ ·  <  juxtaposition  <  unary −  <  ^  <  ^\top _{i}  <  atoms
// so `(A*x).*y*z'` prints \left(A \mathbf{x} \odot \mathbf{y}\right) \mathbf{z}^\top. The Kronecker
// product ⊗ (kron) is at the level of ⊙.
// \frac{}{} is an atom, subscripted x_{2} is an atom, A^{-1} is a postfix form.
Prec LatexPrinter::prec(const Expr& e) const {
  switch (e->kind) {
    case Kind::Div: return Prec::Atom;
    case Kind::Hadamard: return Prec::Elem;
    case Kind::ElemDiv: return Prec::Elem;
    case Kind::Dot: return Prec::Elem;
    case Kind::Index: return Prec::Atom;
    case Kind::Call: return e->fn == Fn::Inv ? Prec::Postfix : e->fn == Fn::Kron ? Prec::Elem : Prec::Atom;
    default: return TextPrinter::prec(e);
  }
}

std::string LatexPrinter::parens(const std::string& s) const { return "\\left(" + s + "\\right)"; }

// 1e-05 -> 1 \times 10^{-5}
std::string LatexPrinter::number(double v) const {
  std::string s = TextPrinter::number(v);
  auto e = s.find('e');
  if (e == std::string::npos) return s;
  std::string mant = s.substr(0, e), ex = s.substr(e + 1);
  if (!ex.empty() && ex[0] == '+') ex.erase(0, 1);
  bool neg = !ex.empty() && ex[0] == '-';
  std::size_t z = neg ? 1 : 0;
  while (z + 1 < ex.size() && ex[z] == '0') ex.erase(z, 1);
  return mant + " \\times 10^{" + ex + "}";
}

std::string LatexPrinter::name(const Node& var) const { return math_name(var.name, is_vector_shape(var.shape)); }

std::string LatexPrinter::dim_size(const Dim& d) const {
  if (d.is_const()) return d.str();
  std::string s = d.coefficient() == 1 ? "" : std::to_string(d.coefficient());  // 2mn
  for (const auto& name : d.symbols()) s += (s.empty() || std::isdigit(static_cast<unsigned char>(s.back())) ? "" : " ") + math_name(name, false);
  return s;
}

// ones: \mathbf{1} (column), \mathbf{1}^\top (row), \mathbf{1}_{m \times n} (matrix).
std::string LatexPrinter::ones_zeros(const Node& n) const {
  std::string b = n.kind == Kind::Ones ? "\\mathbf{1}" : "\\mathbf{0}";
  if (n.shape.cols.is_one()) return b;
  if (n.shape.rows.is_one()) return b + "^\\top";
  return b + "_{" + n.shape.rows.str() + " \\times " + n.shape.cols.str() + "}";
}

std::string LatexPrinter::eye(const Node&) const { return "I"; }

std::string LatexPrinter::unit(const Node& n) const { return "\\mathbf{e}_{" + std::to_string(n.i) + "}"; }

// Juxtaposition, with \cdot where two numbers or a sign would run together.
std::string LatexPrinter::mul(const Expr& e) {
  std::string left = operand(e->args[0], Prec::Mul);
  std::string right = operand(e->args[1], Prec::Pow);  // a \left(-b\right)
  bool digit = !right.empty() && std::isdigit(static_cast<unsigned char>(right[0]));
  return left + (digit ? " \\cdot " : " ") + right;
}

std::string LatexPrinter::div(const Expr& e) {
  return "\\frac{" + print(e->args[0]) + "}{" + print(e->args[1]) + "}";
}

std::string LatexPrinter::hadamard(const Expr& e) { return infix(e, Prec::Elem, " \\odot "); }
std::string LatexPrinter::elem_div(const Expr& e) { return infix(e, Prec::Elem, " \\oslash "); }

// A right operand that starts with a digit is grouped: `\cdot 2` is the
// product by a number (see mul), never the inner product.
std::string LatexPrinter::dot(const Expr& e) {
  std::string left = operand(e->args[0], Prec::Elem);
  std::string right = operand(e->args[1], Prec::Mul);
  if (!right.empty() && std::isdigit(static_cast<unsigned char>(right[0]))) right = parens(right);
  return left + " \\cdot " + right;
}

std::string LatexPrinter::script_base(const Expr& e) {
  std::string s = print(e);
  if (prec(e) < Prec::Atom) return parens(s);
  if (s.find('^') != std::string::npos || s.find('_') != std::string::npos) return "{" + s + "}";
  return s;
}

// x^{2}; the elementwise power is the Hadamard power x^{\circ 2}.
std::string LatexPrinter::pow(const Expr& e) {
  std::string ex = print(e->args[1]);
  return script_base(e->args[0]) + (e->kind == Kind::Pow ? "^{" : "^{\\circ ") + ex + "}";
}

std::string LatexPrinter::transpose(const Expr& e) { return script_base(e->args[0]) + "^\\top"; }

std::string LatexPrinter::index(const Expr& e) {
  std::string s = script_base(e->args[0]) + "_{" + std::to_string(e->i);
  if (e->j > 0) s += "," + std::to_string(e->j);
  return s + "}";
}

std::string LatexPrinter::call(const Expr& e) {
  if (e->fn == Fn::Inv) return script_base(e->args[0]) + "^{-1}";  // A^{-1}, the base parenthesised as a power's
  // A \otimes B at the level of \odot (looser than juxtaposition), its operands grouped unless tighter
  if (e->fn == Fn::Kron) return operand(e->args[0], Prec::Mul) + " \\otimes " + operand(e->args[1], Prec::Mul);
  if (e->fn == Fn::Commutation) return "K_{" + print(e->args[0]) + ", " + print(e->args[1]) + "}";
  const std::string latex = fn_spec(e->fn).latex;
  const auto hole = latex.find('#');
  if (hole == std::string::npos) return latex + "\\left(" + arguments(e) + "\\right)";
  return latex.substr(0, hole) + arguments(e) + latex.substr(hole + 1);
}

std::string LatexPrinter::literal(const Expr& e) {
  std::string s = "\\begin{bmatrix}";
  for (long r = 0; r < e->lit_rows; ++r) {
    if (r) s += " \\\\ ";
    for (long c = 0; c < e->lit_cols; ++c) {
      if (c) s += " & ";
      s += print(e->args[static_cast<std::size_t>(r * e->lit_cols + c)]);
    }
  }
  return s + "\\end{bmatrix}";
}

}  // namespace mcalc
