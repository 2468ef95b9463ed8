#pragma once
// A small recursive-descent reader of the mcalc language for the sema tests:
// it builds the syntax tree of include/mcalc/ast.hpp with position tags, so
// sema can be tested with located errors independently of the X3 grammar.
// It accepts well-formed input only (a malformed test input is a test bug).
#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mcalc/ast.hpp"
#include "mcalc/errors.hpp"
#include "sema/analyser.hpp"

namespace mcalc::testing {

class MiniParsed {
 public:
  /// `verbose` builds the trees the X3 grammar builds: a Chain at every
  /// precedence level and a Postfix around every primary, operators or not.
  MiniParsed(std::string text, std::string origin, bool verbose = false)
      : src_(std::make_shared<const SourceText>(SourceText{std::move(text), std::move(origin)})), verbose_(verbose) {
    parse_program();
  }
  const ast::Program& program() const { return program_; }
  sema::Unit unit() const {
    return sema::Unit{&program_, [this](const ast::x3::position_tagged& n) { return loc(n); }};
  }
  Loc loc(const ast::x3::position_tagged& n) const {
    if (n.id_first < 0) return {};
    auto [b, e] = spans_.at(static_cast<std::size_t>(n.id_first));
    const std::string& t = src_->text;
    int line = 1, col = 1;
    for (std::size_t i = 0; i < b; ++i) {
      if (t[i] == '\n') { ++line; col = 1; }
      else if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80) ++col;
    }
    int len = 0;
    for (std::size_t i = b; i < e; ++i)
      if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80) ++len;
    return Loc{line, col, len > 0 ? len : 1, src_};
  }

 private:
  using Operand = ast::Operand;
  const std::string& s() const { return src_->text; }

  [[noreturn]] void bad(const char* what) const {
    throw std::logic_error(std::string("mini parser: ") + what + " at offset " + std::to_string(pos_) + " in '" +
                           s() + "'");
  }
  template <typename N>
  void tag(N& n, std::size_t b) {
    n.id_first = n.id_last = static_cast<int>(spans_.size());
    spans_.emplace_back(b, last_end_);
  }
  void skip() {
    while (pos_ < s().size()) {
      char c = s()[pos_];
      if (c == ' ' || c == '\t' || c == '\r') ++pos_;
      else if (c == '#') { while (pos_ < s().size() && s()[pos_] != '\n') ++pos_; }
      else break;
    }
  }
  bool at(const char* lit) {
    skip();
    return s().compare(pos_, std::char_traits<char>::length(lit), lit) == 0;
  }
  bool eat(const char* lit) {
    if (!at(lit)) return false;
    pos_ += std::char_traits<char>::length(lit);
    last_end_ = pos_;
    return true;
  }
  void expect(const char* lit) { if (!eat(lit)) bad(lit); }
  bool name_start() {
    skip();
    if (pos_ >= s().size()) return false;
    char c = s()[pos_];
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || s().compare(pos_, 2, "σ") == 0;
  }
  ast::Name name() {
    skip();
    std::size_t b = pos_;
    if (s().compare(pos_, 2, "σ") == 0) pos_ += 2;
    else while (pos_ < s().size() && (std::isalnum(static_cast<unsigned char>(s()[pos_])) || s()[pos_] == '_')) ++pos_;
    if (pos_ == b) bad("name");
    last_end_ = pos_;
    ast::Name n;
    n.name = s().substr(b, pos_ - b);
    tag(n, b);
    return n;
  }
  ast::Number number() {
    skip();
    std::size_t b = pos_;
    auto digits = [&] { while (pos_ < s().size() && std::isdigit(static_cast<unsigned char>(s()[pos_]))) ++pos_; };
    digits();
    if (pos_ + 1 < s().size() && s()[pos_] == '.' && std::isdigit(static_cast<unsigned char>(s()[pos_ + 1]))) {
      ++pos_;
      digits();
    }
    if (pos_ < s().size() && (s()[pos_] == 'e' || s()[pos_] == 'E')) {
      ++pos_;
      if (s()[pos_] == '+' || s()[pos_] == '-') ++pos_;
      digits();
    }
    last_end_ = pos_;
    ast::Number n;
    n.value = std::strtod(s().substr(b, pos_ - b).c_str(), nullptr);
    tag(n, b);
    return n;
  }

  void parse_program() {
    for (;;) {
      while (eat(";") || eat("\n")) {}
      skip();
      if (pos_ >= s().size()) break;
      program_.statements.push_back(statement());
      skip();
      if (pos_ < s().size() && !at(";") && !at("\n")) bad("end of statement");
    }
  }

  ast::Statement statement() {
    skip();
    std::size_t b = pos_;
    // Declaration: name {, name} ':'
    std::size_t save = pos_;
    if (name_start()) {
      std::vector<ast::Name> names{name()};
      while (eat(",") && name_start()) names.push_back(name());
      if (eat(":")) {
        ast::Declaration d;
        d.names = std::move(names);
        skip();
        std::size_t tb = pos_;
        d.type.kind = name().name;
        if (eat("(")) {
          d.type.dims.push_back(expr());
          while (eat(",")) d.type.dims.push_back(expr());
          expect(")");
        }
        tag(d.type, tb);
        if (eat("=")) d.value = expr();
        tag(d, b);
        return ast::Statement(std::move(d));
      }
      pos_ = save;
      ast::Name n = name();
      if (at("=") && !at("==")) {
        expect("=");
        ast::Definition def;
        def.name = n;
        def.value = expr();
        tag(def, b);
        return ast::Statement(std::move(def));
      }
      pos_ = save;
    }
    ast::ExprStatement es;
    es.expr = expr();
    tag(es, b);
    return ast::Statement(std::move(es));
  }

  // A level of left-associative binary operators.
  template <typename Next>
  Operand level(Next next, const std::vector<std::pair<const char*, ast::BinOp>>& ops) {
    skip();
    std::size_t b = pos_;
    ast::Chain c;
    c.first = (this->*next)();
    for (;;) {
      skip();
      std::size_t ob = pos_;
      const std::pair<const char*, ast::BinOp>* hit = nullptr;
      for (const auto& o : ops)
        if (at(o.first)) { hit = &o; break; }
      if (!hit) break;
      // '*' must not be taken from '.*' etc.; '.' operators are listed first.
      eat(hit->first);
      ast::Operation op;
      op.op = hit->second;
      op.operand = (this->*next)();
      tag(op, ob);
      c.rest.push_back(std::move(op));
    }
    if (c.rest.empty() && !verbose_) return c.first;
    tag(c, b);
    return Operand(ast::x3::forward_ast<ast::Chain>(std::move(c)));
  }
  Operand expr() { return level(&MiniParsed::term, {{"+", ast::BinOp::Add}, {"-", ast::BinOp::Sub}}); }
  Operand term() {
    return level(&MiniParsed::unary, {{".*", ast::BinOp::Hadamard}, {"./", ast::BinOp::ElemDiv},
                                      {"*", ast::BinOp::Mul}, {"/", ast::BinOp::Div},
                                      {"⊙", ast::BinOp::Hadamard}, {"∘", ast::BinOp::Hadamard},
                                      {"⊗", ast::BinOp::Hadamard}, {"⊘", ast::BinOp::ElemDiv},
                                      {"·", ast::BinOp::Dot}});
  }
  Operand unary() {
    skip();
    std::size_t b = pos_;
    for (auto [lit, op] : {std::pair{"-", ast::UnOp::Neg}, std::pair{"+", ast::UnOp::Pos}}) {
      if (eat(lit)) {
        ast::Unary u;
        u.op = op;
        u.operand = unary();
        tag(u, b);
        return Operand(ast::x3::forward_ast<ast::Unary>(std::move(u)));
      }
    }
    return power();
  }
  Operand power() {
    skip();
    std::size_t b = pos_;
    Operand base = postfix();
    skip();
    std::size_t ob = pos_;
    ast::BinOp op;
    if (eat(".^")) op = ast::BinOp::ElemPow;
    else if (eat("^")) op = ast::BinOp::Pow;
    else if (!verbose_) return base;
    else {
      ast::Chain c;
      c.first = std::move(base);
      tag(c, b);
      return Operand(ast::x3::forward_ast<ast::Chain>(std::move(c)));
    }
    ast::Chain c;
    c.first = std::move(base);
    ast::Operation o;
    o.op = op;
    o.operand = unary();
    tag(o, ob);
    c.rest.push_back(std::move(o));
    tag(c, b);
    return Operand(ast::x3::forward_ast<ast::Chain>(std::move(c)));
  }
  Operand postfix() {
    skip();
    std::size_t b = pos_;
    Operand base = primary();
    ast::Postfix p;
    for (;;) {
      std::size_t ob = pos_;  // postfix operators follow without spaces
      if (pos_ < s().size() && s()[pos_] == '\'') {
        ++pos_;
        last_end_ = pos_;
        ast::Transpose t;
        tag(t, ob);
        p.ops.push_back(ast::PostfixOp(t));
      } else if (s().compare(pos_, 3, "ᵀ") == 0) {
        pos_ += 3;
        last_end_ = pos_;
        ast::Transpose t;
        tag(t, ob);
        p.ops.push_back(ast::PostfixOp(t));
      } else if (pos_ < s().size() && s()[pos_] == '[') {
        ++pos_;
        ast::Subscript sub;
        sub.indices.push_back(expr());
        while (eat(",")) sub.indices.push_back(expr());
        expect("]");
        tag(sub, ob);
        p.ops.push_back(ast::PostfixOp(std::move(sub)));
      } else {
        break;
      }
    }
    if (p.ops.empty() && !verbose_) return base;
    p.base = std::move(base);
    tag(p, b);
    return Operand(ast::x3::forward_ast<ast::Postfix>(std::move(p)));
  }
  Operand primary() {
    skip();
    std::size_t b = pos_;
    if (pos_ < s().size() && std::isdigit(static_cast<unsigned char>(s()[pos_]))) return Operand(number());
    if (eat("(")) {
      Operand inner = expr();
      expect(")");
      ast::Chain c;  // a parenthesised expression: a chain without operators
      c.first = std::move(inner);
      tag(c, b);
      return Operand(ast::x3::forward_ast<ast::Chain>(std::move(c)));
    }
    if (eat("[")) {
      ast::Bracket br;
      if (!at("]")) {
        br.rows.emplace_back();
        br.rows.back().push_back(expr());
        for (;;) {
          if (eat(",")) br.rows.back().push_back(expr());
          else if (eat(";")) { br.rows.emplace_back(); br.rows.back().push_back(expr()); }
          else break;
        }
      }
      expect("]");
      tag(br, b);
      return Operand(ast::x3::forward_ast<ast::Bracket>(std::move(br)));
    }
    if (name_start()) {
      ast::Name n = name();
      if (pos_ < s().size() && s()[pos_] == '(') {
        eat("(");
        ast::Call c;
        c.function = n;
        if (!at(")")) {
          c.args.push_back(expr());
          while (eat(",")) c.args.push_back(expr());
        }
        expect(")");
        tag(c, b);
        return Operand(ast::x3::forward_ast<ast::Call>(std::move(c)));
      }
      return Operand(std::move(n));
    }
    bad("operand");
  }

  std::shared_ptr<const SourceText> src_;
  ast::Program program_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;
  std::size_t pos_ = 0;
  std::size_t last_end_ = 0;
  bool verbose_ = false;
};

}  // namespace mcalc::testing
