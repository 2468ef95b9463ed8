#pragma once
/// \file
/// The syntax tree produced by the Spirit X3 grammar (grammar/mcalc.ebnf).
/// Every node a later pass may blame is x3::position_tagged; Parsed::loc()
/// turns a node into a source location.
///
/// Each precedence level parses as a Chain: a first operand followed by
/// (operator, operand) pairs, as in the X3 calc examples; sema folds the chain
/// (left-associative, except '^' and '.^' which are right-associative and
/// therefore have at most one pair per chain, nesting on the right).
///
/// After parsing, levels the user did not use are removed: a Chain always has
/// at least one Operation and a Postfix at least one PostfixOp, and
/// parentheses leave no node of their own, so `(x)` is the Name x and
/// `a + b*c` is Chain{a, [(+, Chain{b, [(*, c)]})]}. Operator spellings are
/// not kept (.* ⊙ ∘ ⊗ are all BinOp::Hadamard; ./ ⊘ are BinOp::ElemDiv).
#include <string>
#include <vector>

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

namespace mcalc::ast {
namespace x3 = boost::spirit::x3;

enum class BinOp { Add, Sub, Mul, Div, Hadamard, ElemDiv, Dot, Pow, ElemPow };
enum class UnOp { Neg, Pos };

struct Number : x3::position_tagged {
  double value = 0;
};

struct Name : x3::position_tagged {
  std::string name;
};

/// "X.npy": a string in double quotes, the file (and member) name of load(...).
struct String : x3::position_tagged {
  std::string text;
};

struct Call;
struct Bracket;
struct Unary;
struct Postfix;
struct Chain;

struct Operand : x3::variant<Number, Name, String, x3::forward_ast<Call>, x3::forward_ast<Bracket>,
                             x3::forward_ast<Unary>, x3::forward_ast<Postfix>, x3::forward_ast<Chain>> {
  using base_type::base_type;
  using base_type::operator=;
};

/// One (operator, operand) pair of a chain.
struct Operation : x3::position_tagged {
  BinOp op;
  Operand operand;
};

/// `first op1 operand1 op2 operand2 ...` at one precedence level; also what a
/// parenthesised expression parses to.
struct Chain : x3::position_tagged {
  Operand first;
  std::vector<Operation> rest;
};

struct Unary : x3::position_tagged {
  UnOp op;
  Operand operand;
};

/// Postfix transpose (' or ᵀ) or indexing [i] / [i, j] (1-based).
struct Transpose : x3::position_tagged {
  char tag = '\'';  // '\'' for x', 'T' for xᵀ
};
struct Subscript : x3::position_tagged {
  std::vector<Operand> indices;
};
struct PostfixOp : x3::variant<Transpose, Subscript> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Postfix : x3::position_tagged {
  Operand base;
  std::vector<PostfixOp> ops;
};

struct Call : x3::position_tagged {
  Name function;
  std::vector<Operand> args;
};

/// [a, b; c, d]: ',' separates columns, ';' separates rows.
struct Bracket : x3::position_tagged {
  std::vector<std::vector<Operand>> rows;
};

/// scalar | vector(n) | matrix(m, n) | matrix(n). kind is "scalar", "vector" or
/// "matrix"; each dim is a Name or a Number (the parser accepts nothing else;
/// sema checks that a number is a positive integer).
struct TypeSpec : x3::position_tagged {
  std::string kind;
  std::vector<Operand> dims;
};

/// x, w : vector(n)  [= value]
struct Declaration : x3::position_tagged {
  std::vector<Name> names;
  TypeSpec type;
  boost::optional<Operand> value;
};

/// z = expr   (an intermediate variable)
struct Definition : x3::position_tagged {
  Name name;
  Operand value;
};

/// An expression to evaluate and print; diff/grad/hessian calls at the top
/// level are the queries.
struct ExprStatement : x3::position_tagged {
  Operand expr;
};

struct Statement : x3::variant<Declaration, Definition, ExprStatement> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Program : x3::position_tagged {
  std::vector<Statement> statements;
};

}  // namespace mcalc::ast
