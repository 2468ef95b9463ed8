// The only instantiation of the grammar (compiling it is what takes time).
#include "parser/config.hpp"
#include "parser/expression_def.hpp"

namespace mcalc::parser {

program_type const& program() { return program_rule; }
expression_input_type const& expression_input() { return expression_input_rule; }

BOOST_SPIRIT_INSTANTIATE(program_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(expression_input_type, iterator_type, context_type)

}  // namespace mcalc::parser
