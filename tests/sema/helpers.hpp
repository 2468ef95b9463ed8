#pragma once
// Helpers for the sema tests: analyse program text, build expected IR.
#include <memory>
#include <string>
#include <vector>

#include "mcalc/ir.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/parse.hpp"

namespace mcalc::testing {

/// Analyses the texts as the units of one program (e.g. --let, then the program).
inline Program analyse_texts(const std::vector<std::string>& texts, const std::string& origin = "<input>") {
  std::vector<Parsed> parsed;
  parsed.reserve(texts.size());
  for (const auto& t : texts) parsed.push_back(parse_program(t, origin));
  std::vector<const Parsed*> units;
  for (const auto& p : parsed) units.push_back(&p);
  return analyse(units);
}
inline Program analyse_text(const std::string& text, const std::string& origin = "<input>") {
  return analyse_texts({text}, origin);
}

/// The expression of the last statement.
inline Expr last_expr(const Program& p) { return p.statements.back().expr; }

/// The error text analysing `text` throws ("" when it does not throw).
inline std::string error_text(const std::string& text) {
  try {
    analyse_text(text);
  } catch (const UserError& e) {
    return e.text();
  }
  return "";
}

/// An s-expression of the IR for failure messages: (mul (T x:vector(n)) A:matrix(n, n)).
inline std::string dump(const Expr& e) {
  if (!e) return "null";
  switch (e->kind) {
    case Kind::Num: {
      std::string s = std::to_string(e->num);
      return s;
    }
    case Kind::Var: return e->name + ":" + e->shape.str() + (e->args.empty() ? "" : "=" + dump(e->args[0]));
    case Kind::DimSize: return "#" + e->dim.str();
    case Kind::Ones: return "ones:" + e->shape.str();
    case Kind::Zeros: return "zeros:" + e->shape.str();
    case Kind::Eye: return "eye:" + e->shape.str();
    case Kind::Unit: return "unit" + std::to_string(e->i) + ":" + e->shape.str();
    case Kind::Add: case Kind::Sub: case Kind::Neg: case Kind::Mul: case Kind::Div: case Kind::Hadamard:
    case Kind::ElemDiv: case Kind::Dot: case Kind::Pow: case Kind::ElemPow: case Kind::Transpose:
    case Kind::Index: case Kind::Call: case Kind::Literal: break;
  }
  static const char* const names[] = {"num", "var", "dim", "add", "sub", "neg", "mul", "div", "hadamard",
                                      "elem_div", "dot", "pow", "elem_pow", "T", "index", "call", "lit"};
  std::string s = "(" + std::string(e->kind == Kind::Call ? fn_name(e->fn) : names[static_cast<int>(e->kind)]);
  if (e->kind == Kind::Index) s += " " + std::to_string(e->i) + "," + std::to_string(e->j);
  for (const auto& a : e->args) s += " " + dump(a);
  return s + ")";
}

inline Dim sym(const char* n) { return Dim::sym(n); }
inline Expr vec(const char* name, const char* n) { return ir::var(name, Shape::vector(Dim::sym(n))); }
inline Expr mat(const char* name, Dim m, Dim n) { return ir::var(name, Shape::matrix(m, n)); }
inline Expr sca(const char* name) { return ir::var(name, Shape::scalar()); }

}  // namespace mcalc::testing
