// Syntax errors in words. The grammar names what it expects (rule names such
// as "close_call"); this file maps those names to sentences, looks at the
// source around the failure point for context (the called function, the
// opening bracket, the operator before a missing operand, the token found)
// and throws the located UserError. Rule names never reach the user.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>

#include "mcalc/limits.hpp"
#include "parser/parse_state.hpp"

namespace mcalc::parser {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Operators and letters of more than one byte (UTF-8 or two ASCII characters).
constexpr std::string_view kLongTokens[] = {".*", "./", ".^", "==", "⊙", "∘", "⊗", "⊘", "·", "ᵀ", "σ"};
constexpr std::string_view kAsciiPunctuation = "+-*/.^'()[],;:=#\"";

bool starts_with_at(std::string_view text, std::size_t pos, std::string_view what) {
  return text.compare(pos, what.size(), what) == 0;
}

/// Skips blanks and comments, as the grammar's skipper does.
std::size_t skip_forward(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    if (is_blank(text[pos])) {
      ++pos;
    } else if (text[pos] == '#') {
      while (pos < text.size() && text[pos] != '\n') ++pos;
    } else {
      break;
    }
  }
  return pos;
}

/// For a failure at the end of a line: the position just after the last token
/// of that line (before trailing blanks and a comment), where the caret goes.
std::size_t end_of_content(std::string_view text, std::size_t pos) {
  std::size_t line_start = text.rfind('\n', pos == 0 ? std::string_view::npos : pos - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  // There are no string literals, so the first '#' of a line starts its comment.
  std::size_t hash = text.find('#', line_start);
  std::size_t end = (hash != std::string_view::npos && hash < pos) ? hash : pos;
  while (end > line_start && is_blank(text[end - 1])) --end;
  return end;
}

/// Byte length of the UTF-8 sequence starting at pos (1 for a stray byte).
std::size_t utf8_length(std::string_view text, std::size_t pos) {
  std::size_t n = 1;
  while (pos + n < text.size() && is_continuation(text[pos + n]) && n < 4) ++n;
  return n;
}

/// Byte length of the token starting at pos (pos is not blank, not the end).
std::size_t token_length(std::string_view text, std::size_t pos) {
  char c = text[pos];
  if (is_ident_start(c)) {
    std::size_t end = pos;
    while (end < text.size() && is_ident_char(text[end])) ++end;
    return end - pos;
  }
  if (is_digit(c) || (c == '.' && pos + 1 < text.size() && is_digit(text[pos + 1]))) {
    std::size_t end = pos;
    while (end < text.size() && is_digit(text[end])) ++end;
    if (end + 1 < text.size() && text[end] == '.' && is_digit(text[end + 1])) {
      ++end;
      while (end < text.size() && is_digit(text[end])) ++end;
    }
    if (end < text.size() && (text[end] == 'e' || text[end] == 'E')) {
      std::size_t e = end + 1;
      if (e < text.size() && (text[e] == '+' || text[e] == '-')) ++e;
      if (e < text.size() && is_digit(text[e])) {
        while (e < text.size() && is_digit(text[e])) ++e;
        end = e;
      }
    }
    return end - pos;
  }
  for (std::string_view t : kLongTokens)
    if (starts_with_at(text, pos, t)) return t.size();
  return utf8_length(text, pos);
}

/// The token that ends just before pos (blanks skipped backwards).
std::string token_before(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (end > 0 && is_blank(text[end - 1])) --end;
  if (end == 0) return {};
  for (std::string_view t : kLongTokens)
    if (end >= t.size() && text.compare(end - t.size(), t.size(), t) == 0) return std::string(t);
  std::size_t start = end - 1;
  if (is_ident_char(text[start])) {
    while (start > 0 && is_ident_char(text[start - 1])) --start;
  } else {
    while (start > 0 && is_continuation(text[start])) --start;
  }
  return std::string(text.substr(start, end - start));
}

/// Whether the character at pos can appear in an mcalc program at all.
bool known_character(std::string_view text, std::size_t pos) {
  char c = text[pos];
  if (is_ident_char(c) || is_blank(c) || c == '\n') return true;
  if (static_cast<unsigned char>(c) < 0x80) return kAsciiPunctuation.find(c) != std::string_view::npos;
  for (std::string_view t : kLongTokens)
    if (static_cast<unsigned char>(t[0]) >= 0x80 && starts_with_at(text, pos, t)) return true;
  return false;
}

/// Decodes the code point of a well-formed UTF-8 sequence, or -1.
long code_point(std::string_view seq) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(seq[i]); };
  if (seq.size() == 2 && (b(0) & 0xE0) == 0xC0) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (seq.size() == 3 && (b(0) & 0xF0) == 0xE0) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  if (seq.size() == 4 && (b(0) & 0xF8) == 0xF0)
    return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  return -1;
}

[[noreturn]] void unknown_character(const ParseState& state, std::size_t pos) {
  std::string_view text = state.source->text;
  std::size_t len = utf8_length(text, pos);
  std::string_view seq = text.substr(pos, len);
  unsigned char first = static_cast<unsigned char>(seq[0]);
  std::string shown, detail;
  char buf[32];
  if (first >= 0x20 && first < 0x7F) {
    shown = std::string(seq);
  } else if (long cp = code_point(seq); cp >= 0) {
    shown = std::string(seq);
    std::snprintf(buf, sizeof buf, " (U+%04lX)", cp);
    detail = buf;
  } else {
    // A control character or a byte that is not UTF-8: show its value.
    std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(first));
    shown = buf;
    len = 1;
  }
  Loc loc = state.lines.locate(state.source, pos, pos + len);
  loc.len = 1;
  throw UserError(Msg::SyntaxUnknownCharacter, loc, {shown, detail});
}

enum class Style {
  Expected,    // "expected <words>, found <token>"
  Unexpected,  // "unexpected <token> here; expected <words>" (what is left after a complete statement)
};

struct Words {
  Style style;
  const char* text;
};

// The words for each name a '>' can fail on. Placeholders: {prev} the token
// before the failure point, {callee} the function of the call, {open} where
// the open bracket or parenthesis is.
const std::map<std::string_view, Words>& words_table() {
  static const std::map<std::string_view, Words> table = {
      {"end_of_program", {Style::Expected, "a statement (a declaration, a definition or an expression)"}},
      {"end_of_statement", {Style::Unexpected, "an operator or the end of the statement"}},
      {"end_of_declaration", {Style::Unexpected, "'=' and a value, or the end of the statement"}},
      {"expression", {Style::Expected, "an expression"}},
      {"end_of_expression", {Style::Unexpected, "an operator or the end of the expression"}},
      {"name_after_comma", {Style::Expected, "a name to declare after ','"}},
      {"colon_after_names", {Style::Expected, "':' and a type after the names to declare"}},
      {"def_value", {Style::Expected, "an expression after '='"}},
      {"decl_value", {Style::Expected, "a value after '='"}},
      {"type_spec", {Style::Expected, "a type: scalar, vector(n) or matrix(m, n)"}},
      {"vector_dims", {Style::Expected, "'(' after 'vector', as in vector(n)"}},
      {"matrix_dims", {Style::Expected, "'(' after 'matrix', as in matrix(m, n) or matrix(n)"}},
      {"dimension", {Style::Expected, "a dimension (a name or a positive integer)"}},
      {"dimension_after_comma", {Style::Expected, "a dimension (a name or a positive integer) after ','"}},
      {"vector_close", {Style::Expected, "')' to close vector(n)"}},
      {"matrix_close", {Style::Expected, "')' to close matrix(m, n)"}},
      {"multiplicative", {Style::Expected, "an expression after '{prev}'"}},
      {"unary", {Style::Expected, "an expression after '{prev}'"}},
      {"index", {Style::Expected, "an index after '['"}},
      {"index_after_comma", {Style::Expected, "an index after ','"}},
      {"close_index", {Style::Expected, "']' to close the index opened at {open}"}},
      {"argument_after_comma", {Style::Expected, "an argument after ',' in the call to {callee}"}},
      {"close_call", {Style::Expected, "')' to close the call to {callee}"}},
      {"paren_content", {Style::Expected, "an expression after '('"}},
      {"close_paren", {Style::Expected, "')' to close the '(' opened at {open}"}},
      {"bracket_row", {Style::Expected, "an entry of the bracket literal after '['"}},
      {"entry_after_comma", {Style::Expected, "an entry after ','"}},
      {"row_after_semicolon", {Style::Expected, "an entry after ';'"}},
      {"close_bracket", {Style::Expected, "']' to close the bracket literal opened at {open}"}},
      {"close_quote", {Style::Expected, "'\"' to close the string opened at {open}"}},
  };
  return table;
}

std::string replace_all(std::string s, std::string_view from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string where_text(const Loc& loc) { return std::to_string(loc.line) + ":" + std::to_string(loc.col); }

}  // namespace

LineIndex::LineIndex(const std::string& text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

Loc LineIndex::locate(const std::shared_ptr<const SourceText>& src, std::size_t begin, std::size_t end) const {
  const std::string& text = src->text;
  begin = std::min(begin, text.size());
  end = std::max(begin, std::min(end, text.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), begin);
  std::size_t line_start = *(it - 1);
  auto count_chars = [&](std::size_t from, std::size_t to) {
    int n = 0;
    for (std::size_t i = from; i < to; ++i)
      if (!is_continuation(text[i])) ++n;
    return n;
  };
  std::size_t line_end = text.find('\n', begin);
  if (line_end == std::string::npos) line_end = text.size();
  Loc loc;
  loc.line = static_cast<int>(it - starts_.begin());
  loc.col = count_chars(line_start, begin) + 1;
  loc.len = std::max(1, count_chars(begin, std::min(end, line_end)));
  loc.src = src;
  return loc;
}

void nesting_error(const ParseState& state, source_iterator where) {
  std::size_t pos = state.offset(where);
  Loc loc = state.lines.locate(state.source, pos, pos + 1);
  loc.len = 1;
  throw UserError(Msg::NestingTooDeep, loc, {std::to_string(limits::max_nesting_depth)});
}

void syntax_error(const ParseState& state, source_iterator rule_first, source_iterator where,
                  const std::string& which) {
  std::string_view text = state.source->text;
  std::size_t pos = skip_forward(text, state.offset(where));
  bool at_end = pos >= text.size();
  bool at_line_end = at_end || text[pos] == '\n';

  if (!at_line_end && !known_character(text, pos)) unknown_character(state, pos);

  // What was found, and where the caret goes: on the token, or just after
  // the last token when the line or the input ended.
  std::string found;
  Loc loc;
  if (at_line_end) {
    found = at_end ? "the end of the input" : "the end of the line";
    std::size_t caret = end_of_content(text, pos);
    loc = state.lines.locate(state.source, caret, caret + 1);
    loc.len = 1;
  } else {
    std::size_t len = token_length(text, pos);
    std::string token(text.substr(pos, len));
    // norm(A, 'fro') as MATLAB writes it: say what mcalc writes instead.
    std::string_view before = text.substr(0, pos);
    std::size_t call = before.rfind("norm("), close = before.rfind(')');
    bool in_norm = call != std::string_view::npos && (close == std::string_view::npos || call > close);
    found = token != "'" ? "'" + token + "'"
            : in_norm    ? "\"'\" (a transpose; the Frobenius norm of A is norm(A))"
                         : "\"'\" (a transpose; a string is written in double quotes, as in load(\"X.npy\"))";
    loc = state.lines.locate(state.source, pos, pos + len);

    // A number the real parser refused (too large or too small for a double).
    if (is_digit(token[0]) || (token[0] == '.' && token.size() > 1)) {
      errno = 0;
      double value = std::strtod(token.c_str(), nullptr);
      if (errno == ERANGE || !std::isfinite(value)) throw UserError(Msg::SyntaxNumberRange, loc, {token});
    }
    // `1.` followed by something that is not .* ./ .^ : a trailing dot. Only
    // for a plain integer (not x1. or 1.5. or 1e5., which read differently).
    if (token == "." && pos > 0 && is_digit(text[pos - 1])) {
      std::size_t start = pos;
      while (start > 0 && is_digit(text[start - 1])) --start;
      bool plain = start == 0 || !(is_ident_char(text[start - 1]) || text[start - 1] == '.');
      std::string num(text.substr(start, pos - start));
      loc.len = 1;
      if (plain) throw UserError(Msg::SyntaxTrailingDot, loc, {num});
    }
  }

  auto entry = words_table().find(which);
  MCALC_ASSERT(entry != words_table().end(), "no words for the grammar rule '" + which + "'");
  Words words = entry->second;
  std::string what = words.text;

  if (what.find("{prev}") != std::string::npos) what = replace_all(what, "{prev}", token_before(text, pos));
  if (what.find("{callee}") != std::string::npos || what.find("{open}") != std::string::npos) {
    // The rule that failed started at the function name or the opening bracket.
    std::size_t start = skip_forward(text, state.offset(rule_first));
    what = replace_all(what, "{callee}", std::string(text.substr(start, token_length(text, start))));
    Loc open = state.lines.locate(state.source, start, start + 1);
    what = replace_all(what, "{open}", where_text(open));
  }
  if (which == "close_call") {
    if (token_before(text, pos) == "(")
      what = "an argument or " + what;
    else if (!at_line_end)
      what = "',' or " + what;
  }
  if (which == "end_of_declaration" &&
      text.substr(state.offset(rule_first), pos - state.offset(rule_first)).find('=') != std::string_view::npos) {
    what = "an operator or the end of the statement";  // the declaration already has its value
  }
  if (words.style == Style::Unexpected && !at_line_end && starts_with_at(text, pos, "==")) {
    what += "; mcalc has no comparison operators";
  } else if (words.style == Style::Unexpected && which != "end_of_expression" && !at_line_end && text[pos] == '=') {
    what += "; only a plain name can be defined with '=', as in z = w'*x + b";
  }
  if (which == "unary" && !at_line_end && text[pos] == '*' && token_before(text, pos) == "*") {
    what += " (a power is written x^2, not x**2)";
  }
  if (which == "close_bracket" && !at_line_end) {
    what = "',' between entries, ';' between rows, or " + what;
  }

  if (words.style == Style::Unexpected) {
    if (!at_line_end && (text[pos] == ')' || text[pos] == ']')) {
      throw UserError(Msg::SyntaxUnmatched, loc, {std::string(1, text[pos]), text[pos] == ')' ? "(" : "["});
    }
    MCALC_ASSERT(!at_line_end, "a statement cannot be left over at the end of a line");
    throw UserError(Msg::SyntaxUnexpected, loc, {found, what});
  }
  if (at_line_end) throw UserError(Msg::SyntaxExpected, loc, {what});
  throw UserError(Msg::SyntaxExpectedFound, loc, {what, found});
}

}  // namespace mcalc::parser
