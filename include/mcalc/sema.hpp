#pragma once
/// \file
/// Stage 2: syntax tree -> typed IR. Resolves names and function aliases, infers
/// symbolic dimensions by unification, checks shapes, and reports located errors
/// ("cannot multiply matrix(m, n) by vector(k): n ≠ k").
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mcalc/ir.hpp"
#include "mcalc/parse.hpp"

namespace mcalc {


/// What a name denotes after analysis.
struct Symbol {
  std::string name;
  Shape shape;
  enum class Origin { Declared, Assumed, Defined } origin = Origin::Declared;
  Loc loc;      // where it was declared, defined or first used
  Expr value;   // Declared with "= value": the value expression (a constant), else null
  Expr node;    // the IR variable node (ir::var); for Defined, node->args[0] is the definition
};

struct Statement {
  enum class Kind { Declaration, Definition, Query, Evaluate, Check, Derive } kind;
  Loc loc;
  std::vector<std::string> names;  // Declaration: the declared names; Definition: the defined name
  Expr expr;                       // Definition: the definition; Query, Check, Derive: f; Evaluate: the expression
  QueryOp op = QueryOp::Diff;      // Query, Check (Derive: Diff)
  Expr wrt;                        // Query, Check, Derive: the variable node
  Expr answer;                     // Check: check(op(f, wrt), answer), the answer to compare with op(f, wrt)
};

/// A type-checked program: statements in order, every name's symbol, and the
/// dimension names in the order they were introduced.
struct Program {
  std::vector<Statement> statements;
  std::map<std::string, Symbol> symbols;
  std::vector<std::string> symbol_order;  // declaration/first-use order
  std::vector<std::string> dims;          // every symbolic dimension name
  const Symbol* find(const std::string& name) const {
    auto it = symbols.find(name);
    return it == symbols.end() ? nullptr : &it->second;
  }
};

/// Analyses several parsed units as one program, in order (e.g. the --let
/// declarations, then a program file or an EXPR). Dimensions are unified
/// across all of them. Throws UserError (located in the right unit).
Program analyse(const std::vector<const Parsed*>& units);
inline Program analyse(const Parsed& unit) { return analyse(std::vector<const Parsed*>{&unit}); }

/// The names of the language's functions as they are typed (ASCII spellings,
/// aliases included, and the queries diff, grad, hessian), in the order of the
/// one function table; for completion in the REPL.
std::vector<std::string> function_names();

/// A shape in declaration syntax: "scalar", "vector(n)", "matrix(m, n)" (a row
/// vector is "matrix(1, n)", as it would be declared).
std::string type_string(const Shape& s);
/// The type of a symbol in declaration syntax.
std::string type_string(const Symbol& s);
/// Every symbol's type in declaration/first-use order, as the command reports
/// them: {"x", "vector(n)"}, {"A", "matrix(n, n)"}. Whether a type was declared,
/// assumed by the letter convention or inferred for a definition is
/// Program::find(name)->origin.
std::vector<std::pair<std::string, std::string>> reported_types(const Program& p);

}  // namespace mcalc
