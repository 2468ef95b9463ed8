#pragma once
// The state of one parse: the source, the X3 position cache that maps node
// ids to source ranges, and the current nesting depth. Also the functions that
// turn an X3 failure into a located UserError with a sentence in words.
#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "mcalc/errors.hpp"

namespace mcalc::parser {

using source_iterator = std::string::const_iterator;

/// Line starts of a text, for turning byte offsets into 1-based line and
/// character columns.
class LineIndex {
 public:
  explicit LineIndex(const std::string& text);
  /// Location of the byte range [begin, end): column and length in UTF-8
  /// characters; the length stops at the end of the first line.
  Loc locate(const std::shared_ptr<const SourceText>& src, std::size_t begin, std::size_t end) const;

 private:
  std::vector<std::size_t> starts_;
};

struct ParseState {
  explicit ParseState(std::shared_ptr<const SourceText> src)
      : source(std::move(src)), lines(source->text), positions(source->text.begin(), source->text.end()) {}

  std::shared_ptr<const SourceText> source;
  LineIndex lines;
  boost::spirit::x3::position_cache<std::vector<source_iterator>> positions;
  int depth = 0;

  template <typename Node>
  void tag(Node& node, source_iterator first, source_iterator last) {
    positions.annotate(node, first, last);
  }

  std::size_t offset(source_iterator it) const { return static_cast<std::size_t>(it - source->text.begin()); }
};

/// Reports an expectation failure. `rule_first` is where the rule that holds
/// the failed '>' started (it gives context: the called function, the opening
/// bracket), `where` the failure point, `which` the name of what was expected
/// (a key of the words table in syntax_error.cpp).
[[noreturn]] void syntax_error(const ParseState& state, source_iterator rule_first, source_iterator where,
                               const std::string& which);

/// Reports that nesting exceeded limits::max_nesting_depth at `where`.
[[noreturn]] void nesting_error(const ParseState& state, source_iterator where);

}  // namespace mcalc::parser
