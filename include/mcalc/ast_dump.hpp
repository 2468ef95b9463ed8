#pragma once
/// \file
/// A debug form of the syntax tree, one S-expression per statement; the parser's
/// golden tests (tests/corpus/parser/*.ast) compare against it.
///   (define z (w' * x + b))      -> (define z ((post w ') * x + b))
/// Chains print infix inside one pair of parentheses, `(a + b - c)`; unary
/// operators `(- x)`; postfix chains `(post x ' [2])`; calls `(call f a b)`;
/// brackets `(bracket (row a b) (row c d))`; declarations
/// `(declare (x w) (vector n) [value])`; expression statements `(expr e)`.
#include <string>

#include "mcalc/ast.hpp"

namespace mcalc::ast {

std::string dump(const Program& program);
std::string dump(const Operand& operand);
/// The spelling of an operator in the dump (and in error messages).
const char* spelling(BinOp op);
const char* spelling(UnOp op);

}  // namespace mcalc::ast
