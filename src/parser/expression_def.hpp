#pragma once
// The mcalc grammar in X3. Rule names are the names of grammar/mcalc.ebnf;
// keep the two in step. Errors: every '>' (expectation) failure ends in
// syntax_error(), which turns the name of the expected rule into words
// (syntax_error.cpp). Names of the small inline rules below ("close_call",
// "entry_after_comma", ...) exist only to say precisely what was expected.
#include <boost/spirit/home/x3.hpp>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "mcalc/ast.hpp"
#include "mcalc/limits.hpp"
#include "parser/ast_adapted.hpp"
#include "parser/config.hpp"
#include "parser/expression.hpp"

namespace mcalc::parser {
namespace x3 = boost::spirit::x3;
namespace ascii = x3::ascii;

// ---- handlers --------------------------------------------------------------

/// Records the source range of a node in the position cache. Only on rules
/// whose attribute is the node struct itself (Boost 1.74 does not tag through
/// forward_ast).
struct annotate_position {
  template <typename Node, typename Iterator, typename Context>
  void on_success(Iterator const& first, Iterator const& last, Node& node, Context const& context) const {
    x3::get<state_tag>(context).get().tag(node, first, last);
  }
};

/// Turns an expectation failure inside the rule into a located UserError.
struct report_errors {
  template <typename Iterator, typename Exception, typename Context>
  x3::error_handler_result on_error(Iterator& first, Iterator const& /*last*/, Exception const& x,
                                    Context const& context) const {
    syntax_error(x3::get<state_tag>(context).get(), first, x.where(), x.which());
  }
};

// ---- nesting guard -----------------------------------------------------------

/// depth_guard[p]: counts how deeply p is active; beyond
/// limits::max_nesting_depth the parse stops with NestingTooDeep instead of
/// recursing further (so deep input can never overflow the stack). Every
/// nesting construct -- '(', calls, brackets, indices, unary signs, '^' --
/// passes through the unary rule, which carries the guard.
template <typename Subject>
struct depth_guard_directive : x3::unary_parser<Subject, depth_guard_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, depth_guard_directive<Subject>>;
  static bool const is_pass_through_unary = true;
  static bool const handles_container = Subject::handles_container;

  constexpr depth_guard_directive(Subject const& subject) : base_type(subject) {}

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext, Attribute& attr) const {
    ParseState& state = x3::get<state_tag>(context).get();
    if (state.depth >= limits::max_nesting_depth) {
      Iterator at = first;
      x3::skip_over(at, last, context);
      nesting_error(state, at);
    }
    ++state.depth;
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{state.depth};
    return this->subject.parse(first, last, context, rcontext, attr);
  }
};

struct depth_guard_gen {
  template <typename Subject>
  constexpr depth_guard_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
      Subject const& subject) const {
    return {x3::as_parser(subject)};
  }
};
inline constexpr depth_guard_gen depth_guard{};

// ---- lexical rules -------------------------------------------------------------

/// Unsigned reals (the sign is the unary operator). A '.' belongs to a number
/// only when a digit follows it, so `1./x` is `1 ./ x` and `2.*x` is `2 .* x`;
/// a leading dot is allowed (`.5`). `inf` and `nan` are names, not numbers.
struct number_policies : x3::ureal_policies<double> {
  static bool const allow_leading_dot = true;
  static bool const allow_trailing_dot = false;
  static bool const expect_dot = false;

  template <typename Iterator>
  static bool parse_dot(Iterator& first, Iterator const& last) {
    if (first == last || *first != '.') return false;
    Iterator next = first;
    ++next;
    if (next == last || !std::isdigit(static_cast<unsigned char>(*next))) return false;
    first = next;
    return true;
  }
  template <typename Iterator, typename Attribute>
  static bool parse_nan(Iterator&, Iterator const&, Attribute&) {
    return false;
  }
  template <typename Iterator, typename Attribute>
  static bool parse_inf(Iterator&, Iterator const&, Attribute&) {
    return false;
  }
};
inline x3::real_parser<double, number_policies> const unsigned_real{};

/// A number: its extent as unsigned_real reads it, its value from strtod,
/// which rounds correctly (X3 accumulates the digits in a double, which is off
/// by a few units in the last place past 15 digits, so that a printed number
/// would not read back as itself). mcalc never changes the C locale.
struct exact_real_parser : x3::parser<exact_real_parser> {
  using attribute_type = double;
  static bool const has_attribute = true;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext const&, Attribute& attr) const {
    x3::skip_over(first, last, context);
    Iterator end = first;
    double approximate = 0;
    if (!unsigned_real.parse(end, last, context, x3::unused, approximate)) return false;
    const std::string text(first, end);
    x3::traits::move_to(std::strtod(text.c_str(), nullptr), attr);
    first = end;
    return true;
  }
};
inline exact_real_parser const exact_real{};

/// [A-Za-z_][A-Za-z0-9_]* or σ (U+03C3, the sigmoid alias).
inline auto const identifier =
    x3::lexeme[(ascii::alpha | ascii::char_('_')) >> *(ascii::alnum | ascii::char_('_'))] | x3::string("σ");

/// Statements end at ';', a newline or the end of the input.
inline auto const separator = x3::lit(';') | x3::lit('\n');

// ---- operator tables -------------------------------------------------------------

struct add_op_table : x3::symbols<ast::BinOp> {
  add_op_table() { add("+", ast::BinOp::Add)("-", ast::BinOp::Sub); }
};
struct mul_op_table : x3::symbols<ast::BinOp> {
  mul_op_table() {
    add("*", ast::BinOp::Mul)("/", ast::BinOp::Div)              //
        (".*", ast::BinOp::Hadamard)("⊙", ast::BinOp::Hadamard)  //
        ("∘", ast::BinOp::Hadamard)("⊗", ast::BinOp::Hadamard)   //
        ("./", ast::BinOp::ElemDiv)("⊘", ast::BinOp::ElemDiv)("·", ast::BinOp::Dot);
  }
};
struct pow_op_table : x3::symbols<ast::BinOp> {
  pow_op_table() { add("^", ast::BinOp::Pow)(".^", ast::BinOp::ElemPow); }
};
struct unary_op_table : x3::symbols<ast::UnOp> {
  unary_op_table() { add("-", ast::UnOp::Neg)("+", ast::UnOp::Pos); }
};
inline add_op_table const add_op;
inline mul_op_table const mul_op;
inline pow_op_table const pow_op;
inline unary_op_table const unary_op;

// ---- rule ids ------------------------------------------------------------------

struct program_class : report_errors, annotate_position {};
struct expression_input_class : report_errors {};
struct statement_class : report_errors {};
struct declaration_class : report_errors, annotate_position {};
struct names_class : report_errors {};
struct type_spec_class : report_errors, annotate_position {};
struct dimension_class : report_errors {};
struct definition_class : report_errors, annotate_position {};
struct expr_statement_class : report_errors, annotate_position {};
struct expression_class : report_errors, annotate_position {};
struct add_operation_class : report_errors, annotate_position {};
struct multiplicative_class : report_errors, annotate_position {};
struct mul_operation_class : report_errors, annotate_position {};
struct unary_class : report_errors {};
struct unary_expr_class : report_errors, annotate_position {};
struct power_class : report_errors, annotate_position {};
struct pow_operation_class : report_errors, annotate_position {};
struct postfix_class : report_errors, annotate_position {};
struct postfix_op_class : report_errors {};
struct transpose_class : report_errors, annotate_position {};
struct subscript_class : report_errors, annotate_position {};
struct primary_class : report_errors {};
struct number_class : report_errors, annotate_position {};
struct name_class : report_errors, annotate_position {};
struct string_class : report_errors, annotate_position {};
struct call_class : report_errors, annotate_position {};
struct paren_class : report_errors {};
struct bracket_class : report_errors, annotate_position {};
struct bracket_row_class : report_errors {};

// ---- rules -------------------------------------------------------------------------

program_type const program_rule = "program";
expression_input_type const expression_input_rule = "expression_input";
x3::rule<statement_class, ast::Statement> const statement = "statement";
x3::rule<declaration_class, ast::Declaration> const declaration = "declaration";
x3::rule<names_class, std::vector<ast::Name>> const names = "names";
x3::rule<type_spec_class, ast::TypeSpec> const type_spec = "type_spec";
x3::rule<dimension_class, ast::Operand> const dimension = "dimension";
x3::rule<definition_class, ast::Definition> const definition = "definition";
x3::rule<expr_statement_class, ast::ExprStatement> const expr_statement = "expr_statement";
x3::rule<expression_class, ast::Chain> const expression = "expression";
x3::rule<add_operation_class, ast::Operation> const add_operation = "add_operation";
x3::rule<multiplicative_class, ast::Chain> const multiplicative = "multiplicative";
x3::rule<mul_operation_class, ast::Operation> const mul_operation = "mul_operation";
x3::rule<unary_class, ast::Operand> const unary = "unary";
x3::rule<unary_expr_class, ast::Unary> const unary_expr = "unary_expr";
x3::rule<power_class, ast::Chain> const power = "power";
x3::rule<pow_operation_class, ast::Operation> const pow_operation = "pow_operation";
x3::rule<postfix_class, ast::Postfix> const postfix = "postfix";
x3::rule<postfix_op_class, ast::PostfixOp> const postfix_op = "postfix_op";
x3::rule<transpose_class, ast::Transpose> const transpose = "transpose";
x3::rule<subscript_class, ast::Subscript> const subscript = "subscript";
x3::rule<primary_class, ast::Operand> const primary = "primary";
x3::rule<number_class, ast::Number> const number = "number";
x3::rule<name_class, ast::Name> const name = "name";
x3::rule<string_class, ast::String> const string_lit = "string";
x3::rule<call_class, ast::Call> const call = "call";
x3::rule<paren_class, ast::Chain> const paren = "paren";
x3::rule<bracket_class, ast::Bracket> const bracket = "bracket";
x3::rule<bracket_row_class, std::vector<ast::Operand>> const bracket_row = "bracket_row";

/// named(key, p): p itself, with `key` as its name in expectation failures
/// (the key of the words table). Unlike an inline x3::rule it adds nothing to
/// the context, so wrapping the recursive rules costs no extra instantiations.
template <typename Subject>
struct named_parser : x3::unary_parser<Subject, named_parser<Subject>> {
  using base_type = x3::unary_parser<Subject, named_parser<Subject>>;
  static bool const is_pass_through_unary = true;
  static bool const handles_container = Subject::handles_container;

  constexpr named_parser(Subject const& subject, char const* key) : base_type(subject), key(key) {}

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext, Attribute& attr) const {
    return this->subject.parse(first, last, context, rcontext, attr);
  }

  char const* key;
};

template <typename Parser>
constexpr auto named(char const* key, Parser const& p) {
  return named_parser<typename x3::extension::as_parser<Parser>::value_type>{x3::as_parser(p), key};
}

}  // namespace mcalc::parser

namespace boost::spirit::x3 {
template <typename Subject>
struct get_info<mcalc::parser::named_parser<Subject>> {
  using result_type = std::string;
  std::string operator()(mcalc::parser::named_parser<Subject> const& p) const { return p.key; }
};
}  // namespace boost::spirit::x3

namespace mcalc::parser {

/// as<T>(p): p parsed into a fresh T (so sequences collapse into T as they
/// would in a rule of attribute T), then moved into the caller's attribute.
template <typename T, typename Subject>
struct typed_parser : x3::unary_parser<Subject, typed_parser<T, Subject>> {
  using base_type = x3::unary_parser<Subject, typed_parser<T, Subject>>;
  using attribute_type = T;
  static bool const has_attribute = true;
  static bool const handles_container = false;

  constexpr typed_parser(Subject const& subject) : base_type(subject) {}

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext, Attribute& attr) const {
    T value{};
    if (!this->subject.parse(first, last, context, rcontext, value)) return false;
    x3::traits::move_to(std::move(value), attr);
    return true;
  }
};

template <typename T, typename Parser>
constexpr auto as(Parser const& p) {
  return typed_parser<T, typename x3::extension::as_parser<Parser>::value_type>{x3::as_parser(p)};
}

// What an expectation failure can be about (keys of the words table).
inline auto const end_of_statement = named("end_of_statement", &(separator | x3::eoi));
inline auto const end_of_program = named("end_of_program", x3::eoi);
inline auto const end_of_expression = named("end_of_expression", x3::eoi);
inline auto const name_after_comma = named("name_after_comma", name);
inline auto const colon_after_names = named("colon_after_names", &x3::lit(':'));
inline auto const def_value = named("def_value", as<ast::Operand>(expression));
inline auto const decl_value = named("decl_value", as<ast::Operand>(expression));
inline auto const dimension_after_comma = named("dimension_after_comma", dimension);
inline auto const index = named("index", as<ast::Operand>(expression));
inline auto const index_after_comma = named("index_after_comma", as<ast::Operand>(expression));
inline auto const close_index = named("close_index", x3::lit(']'));
inline auto const argument = named("argument", as<ast::Operand>(expression));
inline auto const argument_after_comma = named("argument_after_comma", as<ast::Operand>(expression));
inline auto const close_call = named("close_call", x3::lit(')'));
inline auto const paren_content = named("paren_content", expression);
inline auto const close_paren = named("close_paren", x3::lit(')'));
inline auto const entry = named("entry", as<ast::Operand>(expression));
inline auto const entry_after_comma = named("entry_after_comma", as<ast::Operand>(expression));
inline auto const row_after_semicolon = named("row_after_semicolon", bracket_row);
inline auto const close_bracket = named("close_bracket", x3::lit(']'));
inline auto const close_quote = named("close_quote", x3::lit('"'));

/// After a declaration's type (and value): the end of the statement.
inline auto const end_of_declaration = named("end_of_declaration", &(separator | x3::eoi));
inline auto const vector_dims =
    named("vector_dims", as<std::vector<ast::Operand>>('(' > dimension > named("vector_close", x3::lit(')'))));
inline auto const matrix_dims =
    named("matrix_dims", as<std::vector<ast::Operand>>('(' > dimension > -(',' > dimension_after_comma) >
                                                       named("matrix_close", x3::lit(')'))));
inline auto type_keyword(char const* word) { return x3::lexeme[x3::string(word) >> !(ascii::alnum | x3::lit('_'))]; }

/// member<&Node::field>(p): the whole right-hand side of a rule whose node
/// struct has a single member (X3 does not treat a one-element struct as its
/// element): p parses straight into that member. The rule still receives the
/// node, so annotate_position tags it.
template <auto Member, typename Subject>
struct member_parser : x3::unary_parser<Subject, member_parser<Member, Subject>> {
  using base_type = x3::unary_parser<Subject, member_parser<Member, Subject>>;
  static bool const has_attribute = true;
  static bool const handles_container = false;

  constexpr member_parser(Subject const& subject) : base_type(subject) {}

  template <typename Iterator, typename Context, typename RContext, typename Node>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext, Node& node) const {
    return this->subject.parse(first, last, context, rcontext, node.*Member);
  }
};

template <auto Member, typename Parser>
constexpr auto member(Parser const& p) {
  return member_parser<Member, typename x3::extension::as_parser<Parser>::value_type>{x3::as_parser(p)};
}

// ---- statements ----

auto const program_rule_def =
    member<&ast::Program::statements>(*separator >> *(statement >> *separator) > end_of_program);

auto const expression_input_rule_def = (*x3::lit('\n') > expression) >> *x3::lit('\n') > end_of_expression;

auto const statement_def = declaration | definition | expr_statement;

auto const declaration_def = names >> ':' > type_spec > -('=' > decl_value) > end_of_declaration;

// One name directly before ':', or several separated by ',' (then ':' must follow).
auto const names_def = name >> -(+(',' > name_after_comma) > colon_after_names) >> &x3::lit(':');

auto const type_spec_def = (type_keyword("scalar") >> x3::attr(std::vector<ast::Operand>())) |
                           (type_keyword("vector") > vector_dims) | (type_keyword("matrix") > matrix_dims);

auto const dimension_def = name | number;

auto const definition_def = name >> x3::lexeme['=' >> !x3::lit('=')] > def_value > end_of_statement;

auto const expr_statement_def = member<&ast::ExprStatement::expr>(as<ast::Operand>(expression) > end_of_statement);

// ---- expressions, lowest precedence first ----

auto const expression_def = multiplicative >> *add_operation;  // + -, left-assoc
auto const add_operation_def = add_op > multiplicative;

auto const multiplicative_def = unary >> *mul_operation;  // * / .* ⊙ ∘ ⊗ ./ ⊘ ·, left-assoc
auto const mul_operation_def = mul_op > unary;

auto const unary_def = depth_guard[unary_expr | power];  // prefix - +
auto const unary_expr_def = unary_op > unary;

auto const power_def = postfix >> -pow_operation;  // ^ .^, right-assoc: the right operand is a unary
auto const pow_operation_def = pow_op > unary;

auto const postfix_def = primary >> *postfix_op;  // ' .' ᵀ [i] [i, j]
auto const postfix_op_def = transpose | subscript;
auto const transpose_def =
    member<&ast::Transpose::tag>((x3::lit('\'') >> x3::attr('\'')) | (x3::lit(".'") >> x3::attr('\'')) |
                                 (x3::lit("ᵀ") >> x3::attr('T')));
auto const subscript_def = member<&ast::Subscript::indices>('[' > index > *(',' > index_after_comma) > close_index);

auto const primary_def = number | string_lit | call | name | paren | bracket;
auto const number_def = member<&ast::Number::value>(exact_real);
auto const name_def = member<&ast::Name::name>(identifier);
// "X.npy": no escapes, no newline inside (file names of load(...)).
auto const string_lit_def =
    member<&ast::String::text>(x3::lexeme['"' > *(x3::char_ - x3::char_("\"\n")) > close_quote]);
auto const call_def = name >> '(' >
                      -as<std::vector<ast::Operand>>(argument > *(',' > argument_after_comma)) > close_call;
auto const paren_def = '(' > paren_content > close_paren;
auto const bracket_def = member<&ast::Bracket::rows>('[' > bracket_row > *(';' > row_after_semicolon) > close_bracket);
auto const bracket_row_def = entry > *(',' > entry_after_comma);

BOOST_SPIRIT_DEFINE(program_rule, expression_input_rule, statement, declaration, names, type_spec, dimension,
                    definition, expr_statement, expression, add_operation, multiplicative, mul_operation, unary,
                    unary_expr, power, pow_operation, postfix, postfix_op, transpose, subscript, primary, number, name, string_lit,
                    call, paren, bracket, bracket_row)

// As in the X3 calc examples, the accessors live with the definitions (this
// header is included by expression.cpp only).
program_type const& program() { return program_rule; }
expression_input_type const& expression_input() { return expression_input_rule; }

}  // namespace mcalc::parser
