// The only instantiation of the grammar (compiling it is what takes time).
#include "parser/config.hpp"
#include "parser/expression_def.hpp"

namespace mcalc::parser {

BOOST_SPIRIT_INSTANTIATE(program_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(expression_input_type, iterator_type, context_type)

}  // namespace mcalc::parser
