#pragma once
/// \file
/// Stage 1: text -> syntax tree (Spirit X3). Syntax errors are UserErrors with
/// a location and a sentence in words ("expected ')' to close the call to sin").
#include <memory>
#include <string>

#include "mcalc/ast.hpp"
#include "mcalc/errors.hpp"

namespace mcalc {

/// A parsed unit of source: owns the text, the tree and the positions of its nodes.
class Parsed {
 public:
  const ast::Program& program() const { return *program_; }
  const std::shared_ptr<const SourceText>& source() const { return source_; }
  /// The source location of any position-tagged node of this tree.
  Loc loc(const ast::x3::position_tagged& node) const;

  /// The same source and positions with a rewritten tree, whose nodes keep
  /// the position tags of the nodes they came from (parse_values turns
  /// `X = load("X.npy")` into a declaration of the shape read).
  Parsed with_program(ast::Program program) const {
    return Parsed(source_, std::make_shared<ast::Program>(std::move(program)), impl_);
  }

  struct Impl;  // the X3 position cache (parser/parse.cpp)
  Parsed(std::shared_ptr<const SourceText> src, std::shared_ptr<ast::Program> prog, std::shared_ptr<Impl> impl)
      : source_(std::move(src)), program_(std::move(prog)), impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const SourceText> source_;
  std::shared_ptr<ast::Program> program_;
  std::shared_ptr<Impl> impl_;
};

/// Parses a program: statements separated by newlines or ';', '#' comments.
Parsed parse_program(std::string text, std::string origin = "<input>");
/// Parses exactly one expression (an EXPR argument): the program has one ExprStatement.
Parsed parse_expression(std::string text, std::string origin = "<expr>");

}  // namespace mcalc
