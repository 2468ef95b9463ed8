#pragma once
// The mcalc grammar (grammar/mcalc.ebnf): the two entry rules, declared here
// and instantiated for context_type in expression.cpp.
#include <boost/spirit/home/x3.hpp>

#include "mcalc/ast.hpp"

namespace mcalc::parser {
namespace x3 = boost::spirit::x3;

struct program_class;
struct expression_input_class;

using program_type = x3::rule<program_class, ast::Program>;
using expression_input_type = x3::rule<expression_input_class, ast::Chain>;

BOOST_SPIRIT_DECLARE(program_type, expression_input_type)

/// A whole program: statements separated by newlines or ';'.
program_type const& program();
/// Exactly one expression (blank lines around it allowed).
expression_input_type const& expression_input();

}  // namespace mcalc::parser
