#pragma once
// The types every X3 unit of the grammar agrees on: iterator, skipper, and the
// context that carries the parse state (position cache, nesting depth, source).
#include <boost/spirit/home/x3.hpp>
#include <string>

#include "parser/parse_state.hpp"

namespace mcalc::parser {
namespace x3 = boost::spirit::x3;

using iterator_type = std::string::const_iterator;

/// Blanks and comments are skipped between tokens; newlines are not, because
/// they separate statements.
inline auto const skipper = x3::ascii::blank | x3::lit('\r') | (x3::lit('#') >> *(x3::char_ - x3::lit('\n')));
using skipper_type = std::remove_const_t<decltype(skipper)>;

using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;

/// The parse state is reached through this tag (as X3's error_handler_tag in
/// the calc examples): rules annotate their nodes into its position cache and
/// report their errors through it.
struct state_tag;
using context_type = x3::context<state_tag, std::reference_wrapper<ParseState>, phrase_context_type>;

}  // namespace mcalc::parser
