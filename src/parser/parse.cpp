// parse_program / parse_expression: run the X3 grammar, then tidy the tree.
#include "mcalc/parse.hpp"

#include <boost/variant/apply_visitor.hpp>
#include <boost/variant/get.hpp>
#include <boost/variant/static_visitor.hpp>
#include <cmath>

#include "mcalc/limits.hpp"
#include "parser/config.hpp"
#include "parser/expression.hpp"

namespace mcalc {

struct Parsed::Impl {
  std::shared_ptr<parser::ParseState> state;
};

namespace {

/// After parsing, every precedence level is a Chain and every primary a
/// Postfix. Levels that did not use their operator (a Chain without
/// operations, a Postfix without postfix operators) are replaced by their
/// only operand, so the tree holds only the operations the user wrote. Also
/// rejects numbers that overflowed to infinity.
class Tidy : public boost::static_visitor<void> {
 public:
  explicit Tidy(const parser::ParseState& state) : state_(state) {}

  void operand(ast::Operand& op) {
    boost::apply_visitor(*this, op.get());
    if (auto* chain = boost::get<ast::x3::forward_ast<ast::Chain>>(&op.get())) {
      if (chain->get().rest.empty()) {
        ast::Operand only = std::move(chain->get().first);
        op = std::move(only);
      }
    } else if (auto* post = boost::get<ast::x3::forward_ast<ast::Postfix>>(&op.get())) {
      if (post->get().ops.empty()) {
        ast::Operand only = std::move(post->get().base);
        op = std::move(only);
      }
    }
  }

  void operator()(ast::Number& n) const {
    if (!std::isfinite(n.value)) {
      auto range = state_.positions.position_of(n);
      std::size_t b = state_.offset(range.begin()), e = state_.offset(range.end());
      throw UserError(Msg::SyntaxNumberRange, state_.lines.locate(state_.source, b, e),
                      {state_.source->text.substr(b, e - b)});
    }
  }
  void operator()(ast::Name&) const {}
  void operator()(ast::String&) const {}
  void operator()(ast::x3::forward_ast<ast::Call>& c) {
    for (auto& a : c.get().args) operand(a);
  }
  void operator()(ast::x3::forward_ast<ast::Bracket>& b) {
    for (auto& row : b.get().rows)
      for (auto& e : row) operand(e);
  }
  void operator()(ast::x3::forward_ast<ast::Unary>& u) { operand(u.get().operand); }
  void operator()(ast::x3::forward_ast<ast::Postfix>& p) {
    operand(p.get().base);
    for (auto& op : p.get().ops)
      if (auto* sub = boost::get<ast::Subscript>(&op.get()))
        for (auto& i : sub->indices) operand(i);
  }
  void operator()(ast::x3::forward_ast<ast::Chain>& c) { chain(c.get()); }

  void chain(ast::Chain& c) {
    operand(c.first);
    for (auto& o : c.rest) operand(o.operand);
  }

  void statement(ast::Statement& s) {
    if (auto* d = boost::get<ast::Declaration>(&s.get())) {
      for (auto& dim : d->type.dims) operand(dim);
      if (d->value) operand(*d->value);
    } else if (auto* def = boost::get<ast::Definition>(&s.get())) {
      operand(def->value);
    } else if (auto* e = boost::get<ast::ExprStatement>(&s.get())) {
      operand(e->expr);
    }
  }

 private:
  const parser::ParseState& state_;
};

std::shared_ptr<const SourceText> make_source(std::string text, std::string origin) {
  auto src = std::make_shared<const SourceText>(SourceText{std::move(text), std::move(origin)});
  if (src->text.size() > limits::max_input_bytes) {
    throw UserError(Msg::InputTooLarge, {std::to_string(src->text.size()), std::to_string(limits::max_input_bytes)});
  }
  return src;
}

template <typename Rule, typename Attribute>
void run(const Rule& rule, parser::ParseState& state, Attribute& attr) {
  namespace x3 = boost::spirit::x3;
  const std::string& text = state.source->text;
  parser::iterator_type first = text.begin();
  parser::iterator_type const last = text.end();
  auto const grammar = x3::with<parser::state_tag>(std::ref(state))[rule];
  bool ok = x3::phrase_parse(first, last, grammar, parser::skipper, attr);
  // Both entry rules end with an expectation of the end of the input, so a
  // failure always throws a located UserError before we get here.
  MCALC_ASSERT(ok && first == last, "the grammar stopped without reporting an error");
}

}  // namespace

Loc Parsed::loc(const ast::x3::position_tagged& node) const {
  if (!impl_ || node.id_first < 0 || node.id_last < 0) return Loc{0, 0, 1, source_};
  const auto& state = *impl_->state;
  const auto n = static_cast<int>(state.positions.get_positions().size());
  MCALC_ASSERT(node.id_first < n && node.id_last < n, "a syntax node from another parse");
  auto range = state.positions.position_of(node);
  return state.lines.locate(source_, state.offset(range.begin()), state.offset(range.end()));
}

Parsed parse_program(std::string text, std::string origin) {
  auto src = make_source(std::move(text), std::move(origin));
  auto state = std::make_shared<parser::ParseState>(src);
  auto program = std::make_shared<ast::Program>();
  run(parser::program(), *state, *program);
  Tidy tidy(*state);
  for (auto& s : program->statements) tidy.statement(s);
  return Parsed(src, std::move(program), std::make_shared<Parsed::Impl>(Parsed::Impl{state}));
}

Parsed parse_expression(std::string text, std::string origin) {
  auto src = make_source(std::move(text), std::move(origin));
  auto state = std::make_shared<parser::ParseState>(src);
  ast::Chain chain;
  run(parser::expression_input(), *state, chain);
  auto range = state->positions.position_of(chain);
  ast::ExprStatement statement;
  statement.expr = std::move(chain);
  state->tag(statement, range.begin(), range.end());
  auto program = std::make_shared<ast::Program>();
  program->statements.emplace_back(std::move(statement));
  state->tag(*program, src->text.begin(), src->text.end());
  Tidy tidy(*state);
  tidy.statement(program->statements.front());
  return Parsed(src, std::move(program), std::make_shared<Parsed::Impl>(Parsed::Impl{state}));
}

}  // namespace mcalc
