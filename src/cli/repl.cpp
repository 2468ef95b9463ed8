// The interactive session (`mcalc repl`, or `mcalc` alone on a terminal):
// GNU readline for editing, history (~/.mcalc_history) and tab completion.
//
// A session is a growing program. Each line runs as a `run` request whose
// --let is the session's declarations and definitions so far, so a line's
// errors point into the line itself; when it succeeds, its declarations and
// definitions join the session. Lines starting with ':' are commands.
#include "cli/repl.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "mcalc/driver.hpp"
#include "mcalc/errors.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/version.hpp"

namespace mcalc::cli {
namespace {

const char* const kHelp =
    "Type declarations (x, w: vector(n)), definitions (z = W*x + b), expressions and queries\n"
    "(grad(f, x), diff(f, x), hessian(f, x)); declarations and definitions stay for the session.\n"
    "Values come with declarations: x : vector(3) = [1; 2; 3]. Tab completes names and functions.\n"
    "Commands:\n"
    "  :types                       the names of the session and their types\n"
    "  :layout numerator|denominator  the layout of diff (now: {layout})\n"
    "  :format text|json|latex|markdown  the output format (now: {format})\n"
    "  :load FILE.mc                run a program file; its declarations and definitions stay\n"
    "  :reset                       forget every name\n"
    "  :help                        this text\n"
    "  :quit                        leave (or Ctrl-D)\n";

const char* const kCommands[] = {":types", ":layout", ":format", ":load", ":reset", ":help", ":quit"};

struct Session {
  std::string context;  // declarations and definitions so far, one per line
  driver::Request base;
};

Session* g_session = nullptr;  // for the completion callback (readline has no user data)

/// The byte offset of character column `col` (1-based) in `line`.
std::size_t byte_of(const std::string& line, int col) {
  std::size_t b = 0;
  for (int c = 1; c < col && b < line.size(); ++c) {
    ++b;
    while (b < line.size() && (static_cast<unsigned char>(line[b]) & 0xC0) == 0x80) ++b;
  }
  return b;
}

/// The declarations and definitions of `text` (a parsed program), one per line.
std::string kept_statements(const Parsed& parsed) {
  std::vector<std::string> lines;
  std::istringstream in(parsed.source()->text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::string out;
  for (const auto& st : parsed.program().statements) {
    const ast::x3::position_tagged* tag = nullptr;
    if (const auto* d = boost::get<ast::Declaration>(&st.get())) tag = d;
    if (const auto* d = boost::get<ast::Definition>(&st.get())) tag = d;
    if (!tag) continue;
    Loc l = parsed.loc(*tag);
    MCALC_ASSERT(l.valid() && l.line <= static_cast<int>(lines.size()), "a statement without a location");
    const std::string& line = lines[static_cast<std::size_t>(l.line - 1)];
    std::size_t b = byte_of(line, l.col), e = byte_of(line, l.col + l.len);
    out += line.substr(b, e - b) + "\n";
  }
  return out;
}

/// Runs program text in the session; on success its declarations and definitions stay.
void run_in_session(Session& s, const std::string& text, const std::string& origin) {
  driver::Request r = s.base;
  r.verb = driver::Verb::Run;
  r.input = text;
  r.origin = origin;
  r.let = s.context;
  int code = driver::run(r, std::cout, std::cerr);
  if (code != driver::Ok && code != driver::CheckFailed) return;
  s.context += kept_statements(parse_program(text, origin));
}

void show_types(const Session& s) {
  if (s.context.empty()) {
    std::cout << "no names yet\n";
    return;
  }
  std::vector<ValueSpec> loaded;  // read again, only for their shapes
  Program p = analyse(read_loads(parse_program(s.context, "session"), loaded));
  for (const auto& [name, type] : reported_types(p)) std::cout << "  " << name << " : " << type << '\n';
}

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
}

/// A ':' command; false to leave the session.
bool command(Session& s, const std::string& line) {
  std::istringstream in(line);
  std::string cmd, arg;
  in >> cmd;
  std::getline(in, arg);
  arg = trim(arg);
  // Sets `field` from the argument when `parse` knows it.
  auto choose = [&](auto& field, auto parse, std::initializer_list<const char*> allowed, const char* what) {
    for (const char* a : allowed)
      if (arg == a) {
        field = *parse(arg);
        std::cout << what << ": " << arg << '\n';
        return;
      }
    std::cerr << "error: " << cmd << " takes one of";
    for (const char* a : allowed) std::cerr << ' ' << a;
    std::cerr << (arg.empty() ? "" : ", not '" + arg + "'") << '\n';
  };
  if (cmd == ":quit" || cmd == ":q" || cmd == ":exit") return false;
  if (cmd == ":help") {
    std::string h = kHelp;
    h.replace(h.find("{layout}"), 8, driver::layout_name(s.base.layout));
    h.replace(h.find("{format}"), 8, driver::format_name(s.base.format));
    std::cout << h;
  } else if (cmd == ":types") {
    show_types(s);
  } else if (cmd == ":layout") {
    choose(s.base.layout, driver::parse_layout, {"numerator", "denominator"}, "layout");
  } else if (cmd == ":format") {
    choose(s.base.format, driver::parse_format, {"text", "json", "latex", "markdown"}, "format");
  } else if (cmd == ":reset") {
    s.context.clear();
    std::cout << "every name forgotten\n";
  } else if (cmd == ":load") {
    std::ifstream f(arg, std::ios::binary);
    if (arg.empty() || !f) {
      std::cerr << render_error(UserError(Msg::CannotReadFile, {arg}));
    } else {
      run_in_session(s, std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()), arg);
    }
  } else {
    std::cerr << "error: unknown command '" << cmd << "'; :help lists the commands\n";
  }
  return true;
}

// ---- completion ---------------------------------------------------------------

std::vector<std::string> g_candidates;

char* candidate(const char* text, int state) {
  static std::size_t next;
  if (state == 0) next = 0;
  const std::string prefix(text);
  while (next < g_candidates.size()) {
    const std::string& c = g_candidates[next++];
    if (c.compare(0, prefix.size(), prefix) == 0) return strdup(c.c_str());
  }
  return nullptr;
}

char** complete(const char* text, int start, int /*end*/) {
  g_candidates.clear();
  if (start == 0 && text[0] == ':') {
    g_candidates.assign(std::begin(kCommands), std::end(kCommands));
  } else if (start > 0 && rl_line_buffer[0] == ':') {
    std::string line(rl_line_buffer);
    if (line.rfind(":layout", 0) == 0) g_candidates = {"numerator", "denominator"};
    if (line.rfind(":format", 0) == 0) g_candidates = {"text", "json", "latex", "markdown"};
    if (line.rfind(":load", 0) == 0) return nullptr;  // readline's file names
  } else {
    g_candidates = function_names();
    if (g_session && !g_session->context.empty()) {
      try {
        std::vector<ValueSpec> loaded;
        Program p = analyse(read_loads(parse_program(g_session->context, "session"), loaded));
        for (const auto& [name, type] : reported_types(p)) g_candidates.push_back(name);
        for (const auto& d : p.dims) g_candidates.push_back(d);
      } catch (const UserError&) {
        // the context always analyses; nothing to add if it somehow does not
      }
    }
  }
  rl_attempted_completion_over = 1;  // no file names outside :load
  return rl_completion_matches(text, candidate);
}

std::string history_file() {
  const char* home = std::getenv("HOME");
  return home && *home ? std::string(home) + "/.mcalc_history" : std::string{};
}

}  // namespace

int repl(const driver::Request& options) {
  Session s;
  s.base = options;
  g_session = &s;
  rl_readline_name = "mcalc";
  rl_attempted_completion_function = complete;
  rl_basic_word_break_characters = const_cast<char*>(" \t\n\"'`@$><=;|&{(,*+-/^.[]");
  const bool terminal = isatty(0) != 0;
  // History only on a terminal (a script piped in is not typed).
  const std::string hist = terminal ? history_file() : std::string{};
  if (!hist.empty() && read_history(hist.c_str()) != 0) write_history(hist.c_str());
  if (terminal) std::cout << "mcalc " << version << " - :help for help, Ctrl-D to leave\n";
  // One line: readline on a terminal, a plain line otherwise.
  auto next_line = [&](std::string& line) {
    if (!terminal) return static_cast<bool>(std::getline(std::cin, line));
    char* raw = readline("mcalc> ");
    if (!raw) return false;
    line = raw;
    std::free(raw);
    return true;
  };
  for (std::string line; next_line(line);) {
    std::string t = trim(line);
    if (t.empty()) continue;
    if (!hist.empty()) {
      add_history(line.c_str());
      append_history(1, hist.c_str());
    }
    if (t[0] == ':') {
      if (!command(s, t)) break;
    } else {
      run_in_session(s, line, "<input>");
    }
    std::cout.flush();
    std::cerr.flush();
  }
  if (!hist.empty()) history_truncate_file(hist.c_str(), 1000);
  if (terminal) std::cout << '\n';
  g_session = nullptr;
  return driver::Ok;
}

}  // namespace mcalc::cli
