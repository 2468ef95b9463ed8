// The text printer: the language itself with minimal parentheses, so that
// parsing the output gives back an equal IR tree (tests/print/roundtrip.test.cpp).
#include "mcalc/number.hpp"
#include "mcalc/print.hpp"

namespace mcalc {
namespace {
Prec next(Prec p) { return p == Prec::Atom ? Prec::Atom : static_cast<Prec>(static_cast<int>(p) + 1); }

// A row of ones/zeros prints as a transposed column: ones(n)'.
bool is_row_constant(const Node& n) { return n.shape.rows.is_one() && !n.shape.cols.is_one(); }
}  // namespace

std::string to_text(const Expr& e) {
  TextPrinter p;
  return p.print(e);
}

std::string to_text_bounded(const Expr& e, std::size_t max_nodes) {
  TextPrinter p(max_nodes);
  return p.print(e);
}

std::string TextPrinter::print(const Expr& e) {
  MCALC_ASSERT(e != nullptr, "printing a null expression");
  if (budget_ == 0) return "...";
  --budget_;
  switch (e->kind) {
    case Kind::Num: return number(e->num);
    case Kind::Var: return name(*e);
    case Kind::DimSize: return dim_size(e->dim);
    case Kind::Add: return add(e);
    case Kind::Sub: return add(e);
    case Kind::Neg: return neg(e);
    case Kind::Mul: return mul(e);
    case Kind::Div: return div(e);
    case Kind::Hadamard: return hadamard(e);
    case Kind::ElemDiv: return elem_div(e);
    case Kind::Dot: return dot(e);
    case Kind::Pow: return pow(e);
    case Kind::ElemPow: return pow(e);
    case Kind::Transpose: return transpose(e);
    case Kind::Index: return index(e);
    case Kind::Call: return call(e);
    case Kind::Literal: return literal(e);
    case Kind::Ones: return ones_zeros(*e);
    case Kind::Zeros: return ones_zeros(*e);
    case Kind::Eye: return eye(*e);
    case Kind::Unit: return unit(*e);
  }
  MCALC_UNREACHABLE("unknown node kind");
  return {};
}

// The one precedence table of the language:
//   + -  <  * / .* ./  <  unary -  <  ^ .^ (right-assoc)  <  postfix ' [i]  <  atoms
Prec TextPrinter::prec(const Expr& e) const {
  switch (e->kind) {
    case Kind::Num: return e->num < 0 ? Prec::Unary : Prec::Atom;  // -2 reads as a unary minus
    case Kind::Var: return Prec::Atom;
    case Kind::DimSize: return Prec::Atom;
    case Kind::Add: return Prec::Add;
    case Kind::Sub: return Prec::Add;
    case Kind::Neg: return Prec::Unary;
    case Kind::Mul: return Prec::Mul;
    case Kind::Div: return Prec::Mul;
    case Kind::Hadamard: return Prec::Mul;
    case Kind::ElemDiv: return Prec::Mul;
    case Kind::Dot: return Prec::Atom;  // printed as dot(a, b)
    case Kind::Pow: return Prec::Pow;
    case Kind::ElemPow: return Prec::Pow;
    case Kind::Transpose: return Prec::Postfix;
    case Kind::Index: return Prec::Postfix;
    case Kind::Call: return Prec::Atom;
    case Kind::Literal: return Prec::Atom;
    case Kind::Ones: return is_row_constant(*e) ? Prec::Postfix : Prec::Atom;
    case Kind::Zeros: return is_row_constant(*e) ? Prec::Postfix : Prec::Atom;
    case Kind::Eye: return Prec::Atom;
    case Kind::Unit: return Prec::Atom;
  }
  MCALC_UNREACHABLE("unknown node kind");
  return Prec::Atom;
}

std::string TextPrinter::operand(const Expr& e, Prec min) {
  std::string s = print(e);
  return prec(e) < min ? parens(s) : s;
}

std::string TextPrinter::parens(const std::string& s) const { return "(" + s + ")"; }

// Shortest text that reads back as the same double; integers without a dot.
std::string TextPrinter::number(double v) const { return format_number(v, NumberStyle::exact()); }

std::string TextPrinter::name(const Node& var) const { return var.name; }

std::string TextPrinter::dim_size(const Dim& d) const { return d.str(); }

// ones(n) is n x 1, ones(n)' is 1 x n, ones(m, n) otherwise.
std::string TextPrinter::ones_zeros(const Node& n) const {
  std::string f = n.kind == Kind::Ones ? "ones" : "zeros";
  if (n.shape.cols.is_one()) return f + "(" + n.shape.rows.str() + ")";
  if (n.shape.rows.is_one()) return f + "(" + n.shape.cols.str() + ")'";
  return f + "(" + n.shape.rows.str() + ", " + n.shape.cols.str() + ")";
}

std::string TextPrinter::eye(const Node& n) const { return "eye(" + n.shape.rows.str() + ")"; }

std::string TextPrinter::unit(const Node& n) const {
  return "unit(" + std::to_string(n.i) + ", " + n.shape.rows.str() + ")";
}

std::string TextPrinter::infix(const Expr& e, Prec level, const std::string& op) {
  return operand(e->args[0], level) + op + operand(e->args[1], next(level));
}

std::string TextPrinter::add(const Expr& e) {
  return infix(e, Prec::Add, e->kind == Kind::Add ? " + " : " - ");
}

std::string TextPrinter::neg(const Expr& e) { return "-" + operand(e->args[0], Prec::Unary); }

// A scalar quotient as the left factor of a product is parenthesised on
// purpose, (2/N)*X'*e, so that it does not read as 2/(N*X'*e).
std::string TextPrinter::mul(const Expr& e) {
  const Expr& a = e->args[0];
  std::string left = (a->kind == Kind::Div && a->is_scalar()) ? parens(print(a)) : operand(a, Prec::Mul);
  return left + "*" + operand(e->args[1], Prec::Unary);
}

std::string TextPrinter::div(const Expr& e) { return infix(e, Prec::Mul, "/"); }
std::string TextPrinter::hadamard(const Expr& e) { return infix(e, Prec::Mul, ".*"); }
std::string TextPrinter::elem_div(const Expr& e) { return infix(e, Prec::Mul, "./"); }

std::string TextPrinter::dot(const Expr& e) { return "dot(" + arguments(e) + ")"; }

// Right-associative: a^b^c is a^(b^c); the exponent is a unary-level operand (2^-1).
std::string TextPrinter::pow(const Expr& e) {
  const char* op = e->kind == Kind::Pow ? "^" : ".^";
  return operand(e->args[0], Prec::Postfix) + op + operand(e->args[1], Prec::Unary);
}

std::string TextPrinter::transpose(const Expr& e) { return operand(e->args[0], Prec::Postfix) + "'"; }

std::string TextPrinter::index(const Expr& e) {
  std::string s = operand(e->args[0], Prec::Postfix) + "[" + std::to_string(e->i);
  if (e->j > 0) s += ", " + std::to_string(e->j);
  return s + "]";
}


std::string TextPrinter::arguments(const Expr& e) {
  std::string s;
  for (std::size_t k = 0; k < e->args.size(); ++k) {
    if (k) s += ", ";
    s += print(e->args[k]);
  }
  return s;
}

std::string TextPrinter::call(const Expr& e) { return std::string(fn_name(e->fn)) + "(" + arguments(e) + ")"; }

// [a, b; c, d]: ',' between columns, ';' between rows.
std::string TextPrinter::literal(const Expr& e) {
  std::string s = "[";
  for (long r = 0; r < e->lit_rows; ++r) {
    if (r) s += "; ";
    for (long c = 0; c < e->lit_cols; ++c) {
      if (c) s += ", ";
      s += print(e->args[static_cast<std::size_t>(r * e->lit_cols + c)]);
    }
  }
  return s + "]";
}

}  // namespace mcalc
