#pragma once
/// \file
/// User errors (located, from one catalogue: messages.def) are kept apart from
/// internal errors (broken invariants: a bug in mcalc, exit code 3).
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcalc {

/// One unit of source text (a program file, an EXPR argument, a --let or --at string).
struct SourceText {
  std::string text;
  std::string origin;  // "<expr>", "--let", "net.mc", ...
};

/// A place in the source: 1-based line and column (in characters, not bytes),
/// the length to underline, and the text it points into.
struct Loc {
  int line = 0;
  int col = 0;
  int len = 1;
  std::shared_ptr<const SourceText> src;
  bool valid() const { return line > 0 && src != nullptr; }
};

enum class Msg {
#define MCALC_MSG(id, text) id,
#include "mcalc/messages.def"
#undef MCALC_MSG
};

/// The template text of a catalogue entry, with {0}, {1}, ... placeholders.
const char* message_template(Msg id);
/// The identifier of a catalogue entry ("ShapeMismatch").
const char* message_name(Msg id);
/// All entries, in catalogue order.
std::vector<Msg> all_messages();
/// Fills the placeholders of a template.
std::string format_message(Msg id, const std::vector<std::string>& args);

/// An error in what the user typed. Always has a catalogue id and, where it
/// comes from the source, a location.
class UserError : public std::exception {
 public:
  UserError(Msg id, Loc loc, std::vector<std::string> args = {});
  UserError(Msg id, std::vector<std::string> args = {}) : UserError(id, Loc{}, std::move(args)) {}
  const char* what() const noexcept override { return text_.c_str(); }
  Msg id() const { return id_; }
  const Loc& loc() const { return loc_; }
  const std::string& text() const { return text_; }
  /// Further sentences printed under the caret ("note: ..."), such as how a
  /// type came about and the declaration that changes it.
  const std::vector<std::string>& notes() const { return notes_; }
  void add_note(std::string note) { notes_.push_back(std::move(note)); }
  /// Gives an error raised without a place (deep in a derivative, say) the
  /// place of the user's construct it arose from; a located error keeps its own.
  void locate(Loc loc) {
    if (!loc_.valid()) loc_ = std::move(loc);
  }

 private:
  Msg id_;
  Loc loc_;
  std::string text_;
  std::vector<std::string> notes_;
};

/// Renders an error the way the command prints it:
///   error: <origin>:3:7: cannot multiply matrix(m, n) by vector(k): n ≠ k
///     3 | y = A*x
///       |       ^
/// An error without a location is one line: "error: <text>".
std::string render_error(const UserError& e);
/// The same with "warning:" (a catalogue message that does not stop the command).
std::string render_warning(const UserError& w);
/// The same with the given word for the kind of diagnostic.
std::string render_diagnostic(const UserError& e, const char* kind);

/// A broken internal invariant: a bug in mcalc, never the user's fault.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void internal_failure(const char* cond, const char* file, int line, const std::string& what);

}  // namespace mcalc

/// Internal assertion; stays on in every build type.
#define MCALC_ASSERT(cond, what) \
  do { if (!(cond)) ::mcalc::internal_failure(#cond, __FILE__, __LINE__, (what)); } while (0)

/// Marks code that a complete switch never reaches (the compiler knows it does not return).
#define MCALC_UNREACHABLE(what) ::mcalc::internal_failure("unreachable", __FILE__, __LINE__, (what))
