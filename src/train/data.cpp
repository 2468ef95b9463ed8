// Reading a data set from CSV. A header row names the columns; every column
// binds to one entry of a declared data name:
//   x            a scalar x (per sample), or a vector(N) x over the sample dimension
//   x1..xk       the entries of a vector(k) x (also x[1]..x[k]), or the columns of X : matrix(N, k)
// Every error names the line and column (a located UserError on the CSV text).
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "mcalc/train.hpp"

namespace mcalc::train {
namespace {

struct Field {
  std::string text;
  int col = 1;  // 1-based, in characters
  int len = 1;
};

struct Line {
  int number = 0;
  std::vector<Field> fields;
};

/// Columns counted in characters (UTF-8 continuation bytes do not count).
int char_col(const std::string& s, std::size_t byte) {
  int col = 1;
  for (std::size_t k = 0; k < byte && k < s.size(); ++k)
    if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) ++col;
  return col;
}

Line split(const std::string& text, int number) {
  Line line;
  line.number = number;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(',', start);
    std::size_t stop = end == std::string::npos ? text.size() : end;
    std::size_t b = start, e = stop;
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    Field f;
    f.text = text.substr(b, e - b);
    f.col = char_col(text, b);
    f.len = std::max(1, char_col(text, e) - f.col);
    line.fields.push_back(std::move(f));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return line;
}

bool parse_number(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

/// Where one column goes: entry `entry` (0-based) of data name `name`.
struct Target {
  std::string name;
  long entry = 0;
};

bool is_vectorised(const Shape& s) { return !s.rows.is_const() && s.cols.is_const(); }

/// Entries of one sample: rows x cols per sample, or the columns of a batch.
long entries_of(const Shape& s) { return is_vectorised(s) ? s.cols.value() : s.rows.value() * s.cols.value(); }

/// The expected column names of a data name ("x", or "x1..x3").
std::string expected_columns(const std::string& name, long k) {
  return k == 1 ? "'" + name + "'" : "'" + name + "1'..'" + name + std::to_string(k) + "'";
}

}  // namespace

Eigen::MatrixXd Dataset::value(const Program& prog, const std::string& name, long begin, long end) const {
  const Eigen::MatrixXd& c = columns.at(name);
  if (vectorised) return c.middleRows(begin, end - begin);
  const Shape& s = prog.find(name)->shape;
  Eigen::RowVectorXd row = c.row(begin);
  // A vector(k) sample is a column, a vector(k)' sample a row (entries in column-major order).
  return Eigen::Map<const Eigen::MatrixXd>(row.data(), s.rows.value(), s.cols.value());
}

Dataset read_csv(const std::string& text, const std::string& origin, const Program& prog) {
  auto src = std::make_shared<SourceText>(SourceText{text, origin});
  auto at = [&](int line, int col, int len = 1) {
    Loc l;
    l.line = line;
    l.col = col;
    l.len = len;
    l.src = src;
    return l;
  };

  // Lines, without line ends; blank lines are skipped (they carry no sample).
  std::vector<Line> lines;
  {
    std::size_t start = 0;
    int number = 0;
    while (start <= text.size()) {
      std::size_t nl = text.find('\n', start);
      std::string raw = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      ++number;
      bool blank = raw.find_first_not_of(" \t") == std::string::npos;
      if (!blank) lines.push_back(split(raw, number));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  if (lines.empty()) throw UserError(Msg::DataEmpty, at(1, 1));

  // The header: every column names an entry of a data name.
  const Line& header = lines[0];
  Dataset d;
  std::vector<Target> targets;
  std::map<std::string, std::vector<int>> entry_cols;  // name -> header field index per entry (-1: missing)
  std::map<std::string, int> first_col;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    const Field& f = header.fields[k];
    double v;
    if (parse_number(f.text, v)) throw UserError(Msg::DataNoHeader, at(header.number, f.col, f.len), {f.text});
    for (std::size_t j = 0; j < k; ++j)
      if (header.fields[j].text == f.text)
        throw UserError(Msg::DataDuplicateColumn, at(header.number, f.col, f.len), {f.text});
    // x, x[3] or x3.
    std::string name = f.text;
    long index = 0;
    if (!prog.find(name)) {
      std::size_t open = name.find('[');
      if (open != std::string::npos && name.back() == ']') {
        std::string digits = name.substr(open + 1, name.size() - open - 2);
        if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos) {
          index = std::atol(digits.c_str());
          name = name.substr(0, open);
        }
      } else {
        std::size_t d0 = name.find_last_not_of("0123456789");
        if (d0 != std::string::npos && d0 + 1 < name.size()) {
          index = std::atol(name.c_str() + d0 + 1);
          name = name.substr(0, d0 + 1);
        }
      }
    }
    const Symbol* s = prog.find(name);
    if (!s || index < 0 || (index == 0 && name != f.text))
      throw UserError(Msg::DataBadColumnName, at(header.number, f.col, f.len), {f.text});
    if (s->origin == Symbol::Origin::Defined)
      throw UserError(Msg::DataNotData, at(header.number, f.col, f.len), {f.text, name, "is defined by an expression"});
    if (!is_vectorised(s->shape) && (!s->shape.rows.is_const() || !s->shape.cols.is_const()))
      throw UserError(
          Msg::DataNotData, at(header.number, f.col, f.len),
          {f.text, name, "is " + s->shape.str() + " (declare its size, or make its rows the sample dimension)"});
    long k_entries = entries_of(s->shape);
    if ((k_entries == 1) != (index == 0) || index > k_entries)
      throw UserError(Msg::DataColumnCount, at(header.number, f.col, f.len),
                      {s->shape.str(), name, expected_columns(name, k_entries), "'" + f.text + "'"});
    auto& cols = entry_cols[name];
    if (cols.empty()) {
      cols.assign(static_cast<std::size_t>(k_entries), -1);
      first_col[name] = f.col;
      d.names.push_back(name);
    }
    long entry = index == 0 ? 0 : index - 1;
    if (cols[static_cast<std::size_t>(entry)] >= 0)  // x3 and x[3] both given
      throw UserError(Msg::DataDuplicateColumn, at(header.number, f.col, f.len), {f.text});
    cols[static_cast<std::size_t>(entry)] = static_cast<int>(k);
    targets.push_back({name, entry});
  }
  for (const auto& name : d.names) {
    const auto& cols = entry_cols[name];
    for (std::size_t e = 0; e < cols.size(); ++e)
      if (cols[e] < 0)
        throw UserError(Msg::DataMissingColumn, at(header.number, first_col[name]),
                        {name + std::to_string(e + 1), prog.find(name)->shape.str(), name});
  }
  // One mode for all: per sample, or the whole batch at once.
  for (const auto& name : d.names) {
    const Shape& s0 = prog.find(d.names[0])->shape;
    const Shape& s = prog.find(name)->shape;
    if (is_vectorised(s) != is_vectorised(s0))
      throw UserError(Msg::DataModeMix, at(header.number, first_col[name]), {d.names[0], s0.str(), name, s.str()});
  }
  d.vectorised = is_vectorised(prog.find(d.names[0])->shape);

  // The rows.
  long n = static_cast<long>(lines.size()) - 1;
  if (n == 0) throw UserError(Msg::DataNoRows, at(header.number, 1));
  for (const auto& name : d.names) d.columns[name] = Eigen::MatrixXd(n, static_cast<long>(entry_cols[name].size()));
  for (long r = 0; r < n; ++r) {
    const Line& line = lines[static_cast<std::size_t>(r + 1)];
    if (line.fields.size() != header.fields.size()) {
      const Field& f =
          line.fields.size() > header.fields.size() ? line.fields[header.fields.size()] : line.fields.back();
      int col = line.fields.size() > header.fields.size() ? f.col : f.col + f.len;
      throw UserError(Msg::DataRagged, at(line.number, col),
                      {std::to_string(line.fields.size()), std::to_string(header.fields.size())});
    }
    for (std::size_t k = 0; k < line.fields.size(); ++k) {
      const Field& f = line.fields[k];
      double v;
      if (!parse_number(f.text, v))
        throw UserError(Msg::DataNotNumber, at(line.number, f.col, f.len), {f.text, header.fields[k].text});
      if (!std::isfinite(v))
        throw UserError(Msg::DataNotFinite, at(line.number, f.col, f.len), {f.text, header.fields[k].text});
      d.columns[targets[k].name](r, targets[k].entry) = v;
    }
  }
  d.rows = n;
  return d;
}

}  // namespace mcalc::train
