#include "mcalc/errors.hpp"

#include <algorithm>
#include <sstream>

namespace mcalc {
namespace {
struct Entry {
  const char* name;
  const char* text;
};
constexpr Entry kCatalogue[] = {
#define MCALC_MSG(id, text) {#id, text},
#include "mcalc/messages.def"
#undef MCALC_MSG
};

// Splits text into lines; returns line `n` (1-based) without its newline.
std::string_view source_line(std::string_view text, int n) {
  std::size_t start = 0;
  for (int k = 1; k < n; ++k) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  auto end = text.find('\n', start);
  auto line = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Display width of the first `chars` characters of a UTF-8 line (tabs kept as tabs).
std::string caret_padding(std::string_view line, int chars) {
  std::string pad;
  int seen = 0;
  for (std::size_t i = 0; i < line.size() && seen < chars; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    pad += (c == '\t') ? '\t' : ' ';
    ++seen;
  }
  while (seen++ < chars) pad += ' ';
  return pad;
}
constexpr int kWindow = 100;

std::size_t chars_in(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// The byte offset of character `chars` of a UTF-8 line (its size when past the end).
std::size_t byte_offset(std::string_view s, int chars) {
  int seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (seen++ == chars) return i;
  }
  return s.size();
}
}  // namespace

const char* message_template(Msg id) { return kCatalogue[static_cast<int>(id)].text; }
const char* message_name(Msg id) { return kCatalogue[static_cast<int>(id)].name; }

std::vector<Msg> all_messages() {
  std::vector<Msg> out;
  for (std::size_t i = 0; i < std::size(kCatalogue); ++i) out.push_back(static_cast<Msg>(i));
  return out;
}

std::string format_message(Msg id, const std::vector<std::string>& args) {
  std::string_view t = message_template(id);
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 2 < t.size() && t[i + 2] == '}' && t[i + 1] >= '0' && t[i + 1] <= '9') {
      std::size_t k = static_cast<std::size_t>(t[i + 1] - '0');
      MCALC_ASSERT(k < args.size(), std::string("missing argument for message ") + message_name(id));
      out += args[k];
      i += 2;
    } else {
      out += t[i];
    }
  }
  return out;
}

UserError::UserError(Msg id, Loc loc, std::vector<std::string> args)
    : id_(id), loc_(std::move(loc)), text_(format_message(id, args)) {}

std::string render_error(const UserError& e) {
  std::ostringstream os;
  const Loc& l = e.loc();
  if (!l.valid()) {
    os << "error: " << e.text() << '\n';
    for (const auto& n : e.notes()) os << "note: " << n << '\n';
    return os.str();
  }
  os << "error: " << l.src->origin << ':' << l.line << ':' << l.col << ": " << e.text() << '\n';
  std::string_view line = source_line(l.src->text, l.line);
  std::string num = std::to_string(l.line);
  // A long line is shown as a window of kWindow characters around the caret.
  int col = l.col - 1, len = std::max(l.len, 1);
  std::string shown(line);
  if (static_cast<int>(chars_in(line)) > kWindow) {
    int start = std::max(0, col - kWindow / 3);
    std::size_t from = byte_offset(line, start), to = byte_offset(line, start + kWindow);
    shown = (start > 0 ? "…" : "") + std::string(line.substr(from, to - from)) + (to < line.size() ? "…" : "");
    col = col - start + (start > 0 ? 1 : 0);
    len = std::min(len, kWindow - (col - (start > 0 ? 1 : 0)));
  }
  os << "  " << num << " | " << shown << '\n';
  os << "  " << std::string(num.size(), ' ') << " | " << caret_padding(shown, col) << '^'
     << std::string(len > 1 ? static_cast<std::size_t>(len - 1) : 0, '~') << '\n';
  for (const auto& n : e.notes()) os << "note: " << n << '\n';
  return os.str();
}

void internal_failure(const char* cond, const char* file, int line, const std::string& what) {
  std::ostringstream os;
  os << "internal error: " << what << " (" << cond << " at " << file << ':' << line << ")";
  throw InternalError(os.str());
}

}  // namespace mcalc
