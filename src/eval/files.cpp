// Values from files (load("X.npy"), load("data.npz", "X"), load("y.csv"),
// load("A.mtx")) and results written back as .npy. Every problem with a file is
// a located UserError: at the load(...) call for the file as a whole, at the
// line and column inside a text file (CSV, Matrix Market) where it applies.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <zlib.h>

#include "mcalc/eval.hpp"
#include "mcalc/limits.hpp"
#include "value.hpp"

namespace mcalc {
namespace {

std::string read_bytes(const std::string& path, const Loc& at) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw UserError(Msg::CannotReadFile, at, {path});
  std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) throw UserError(Msg::CannotReadFile, at, {path});
  return data;
}

bool ends_with(const std::string& s, const std::string& tail) {
  if (s.size() < tail.size()) return false;
  return std::equal(tail.rbegin(), tail.rend(), s.rbegin(),
                    [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

/// rows x cols must fit the element limit before anything is allocated.
void check_elements(long rows, long cols, const Loc& at) {
  if (rows < 0 || cols < 0) MCALC_UNREACHABLE("negative size");
  eval::check_size(rows, cols, at);
}

// ---- .npy -------------------------------------------------------------------------

std::uint32_t le(const std::string& s, std::size_t pos, int bytes) {
  std::uint32_t v = 0;
  for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(s[pos + static_cast<std::size_t>(k)]);
  return v;
}

/// The value of `key` in the header dictionary: {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }.
std::string header_field(const std::string& header, const std::string& key) {
  auto k = header.find("'" + key + "'");
  if (k == std::string::npos) return {};
  auto colon = header.find(':', k);
  if (colon == std::string::npos) return {};
  std::size_t b = header.find_first_not_of(' ', colon + 1);
  if (b == std::string::npos) return {};
  std::size_t e;
  if (header[b] == '\'') {
    e = header.find('\'', b + 1);
    return e == std::string::npos ? std::string{} : header.substr(b + 1, e - b - 1);
  }
  if (header[b] == '(') {
    e = header.find(')', b);
    return e == std::string::npos ? std::string{} : header.substr(b, e - b + 1);
  }
  e = header.find_first_of(",}", b);
  return e == std::string::npos ? std::string{} : header.substr(b, e - b);
}

Eigen::MatrixXd parse_npy(const std::string& data, const std::string& name, const Loc& at) {
  auto bad = [&](const std::string& why) { return UserError(Msg::NpyMalformed, at, {name, why}); };
  if (data.size() < 10 || data.compare(0, 6, "\x93NUMPY") != 0) throw bad("it does not start with \\x93NUMPY");
  const int major = static_cast<unsigned char>(data[6]);
  if (major < 1 || major > 3) throw bad("unknown format version " + std::to_string(major));
  const int len_bytes = major == 1 ? 2 : 4;
  const std::size_t start = 8 + static_cast<std::size_t>(len_bytes);
  if (data.size() < start) throw bad("the header is cut short");
  const std::size_t hlen = le(data, 8, len_bytes);
  if (data.size() < start + hlen) throw bad("the header is cut short");
  const std::string header = data.substr(start, hlen);
  const std::string descr = header_field(header, "descr");
  const std::string order = header_field(header, "fortran_order");
  const std::string shape = header_field(header, "shape");
  if (descr.empty() || order.empty() || shape.empty()) throw bad("the header lacks descr, fortran_order or shape");
  if (order != "True" && order != "False") throw bad("fortran_order is '" + order + "'");
  const bool fortran = order == "True";
  int width = 0;
  bool swap = false;
  if (descr == "<f8" || descr == "=f8" || descr == ">f8") width = 8;
  if (descr == "<f4" || descr == "=f4" || descr == ">f4") width = 4;
  if (width == 0) throw UserError(Msg::NpyUnsupported, at, {name, "dtype '" + descr + "'"});
  swap = descr[0] == '>';
  // shape: (), (n,), (r, c)
  std::vector<long> dims;
  {
    std::string inner = shape.substr(1, shape.size() - 2);
    std::stringstream ss(inner);
    std::string item;
    while (std::getline(ss, item, ',')) {
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (item.empty()) continue;
      char* end = nullptr;
      errno = 0;
      long v = std::strtol(item.c_str(), &end, 10);
      if (*end != '\0' || errno != 0 || v < 0) throw bad("shape " + shape);
      dims.push_back(v);
    }
  }
  if (dims.size() > 2)
    throw UserError(Msg::NpyUnsupported, at, {name, "an array of " + std::to_string(dims.size()) + " dimensions"});
  const long rows = dims.empty() ? 1 : dims[0];
  const long cols = dims.size() == 2 ? dims[1] : 1;
  check_elements(rows, cols, at);
  const std::size_t count = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  const std::size_t body = start + hlen;
  if (data.size() - body < count * static_cast<std::size_t>(width))
    throw bad("the data is shorter than the shape " + shape + " needs");
  Eigen::MatrixXd m(rows, cols);
  for (std::size_t k = 0; k < count; ++k) {
    unsigned char b[8];
    std::memcpy(b, data.data() + body + k * static_cast<std::size_t>(width), static_cast<std::size_t>(width));
    if (swap) std::reverse(b, b + width);
    double v;
    if (width == 8) {
      std::memcpy(&v, b, 8);
    } else {
      float f;
      std::memcpy(&f, b, 4);
      v = f;
    }
    // C order fills row by row, Fortran order column by column.
    const long r = fortran ? static_cast<long>(k) % rows : static_cast<long>(k) / cols;
    const long c = fortran ? static_cast<long>(k) / rows : static_cast<long>(k) % cols;
    m(r, c) = v;
  }
  return m;
}

// ---- .npz (a zip archive of .npy members) ------------------------------------

struct ZipMember {
  std::string name;
  int method = 0;
  std::uint32_t compressed = 0, size = 0, offset = 0;
};

std::vector<ZipMember> zip_directory(const std::string& z, const std::string& path, const Loc& at) {
  auto bad = [&](const std::string& why) { return UserError(Msg::NpzMalformed, at, {path, why}); };
  if (z.size() < 22) throw bad("it is too short to be a zip archive");
  // The end-of-central-directory record: the last "PK\5\6" (a comment may follow it).
  std::size_t eocd = std::string::npos;
  for (std::size_t p = z.size() - 22 + 1; p-- > 0 && z.size() - p <= 22 + 65535;)
    if (le(z, p, 4) == 0x06054b50u) {
      eocd = p;
      break;
    }
  if (eocd == std::string::npos) throw bad("it is not a zip archive");
  const std::size_t n = le(z, eocd + 10, 2);
  std::size_t p = le(z, eocd + 16, 4);
  std::vector<ZipMember> out;
  for (std::size_t k = 0; k < n; ++k) {
    if (p + 46 > z.size() || le(z, p, 4) != 0x02014b50u) throw bad("its central directory is damaged");
    ZipMember m;
    m.method = static_cast<int>(le(z, p + 10, 2));
    m.compressed = le(z, p + 20, 4);
    m.size = le(z, p + 24, 4);
    const std::size_t name_len = le(z, p + 28, 2), extra = le(z, p + 30, 2), comment = le(z, p + 32, 2);
    m.offset = le(z, p + 42, 4);
    if (m.compressed == 0xffffffffu || m.size == 0xffffffffu || m.offset == 0xffffffffu)
      throw bad("it is a zip64 archive (members over 4 GiB), which load does not read");
    if (p + 46 + name_len > z.size()) throw bad("its central directory is damaged");
    m.name = z.substr(p + 46, name_len);
    out.push_back(m);
    p += 46 + name_len + extra + comment;
  }
  return out;
}

std::string zip_extract(const std::string& z, const ZipMember& m, const std::string& path, const Loc& at) {
  auto bad = [&](const std::string& why) { return UserError(Msg::NpzMalformed, at, {path, why}); };
  const std::size_t p = m.offset;
  if (p + 30 > z.size() || le(z, p, 4) != 0x04034b50u) throw bad("the member '" + m.name + "' is damaged");
  const std::size_t data = p + 30 + le(z, p + 26, 2) + le(z, p + 28, 2);
  if (data + m.compressed > z.size()) throw bad("the member '" + m.name + "' is cut short");
  // The element limit bounds what an archive may expand to.
  if (m.size > limits::max_elements * 8 + 65536)
    throw UserError(Msg::TooManyElements, at, {std::to_string(m.size / 8), std::to_string(limits::max_elements)});
  if (m.method == 0) return z.substr(data, m.compressed);
  if (m.method != 8)
    throw bad("the member '" + m.name + "' uses zip compression method " + std::to_string(m.method) +
              " (load reads stored and deflated members)");
  std::string out(m.size, '\0');
  z_stream s{};
  if (inflateInit2(&s, -MAX_WBITS) != Z_OK) throw bad("zlib could not start");
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data() + data));
  s.avail_in = m.compressed;
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = m.size;
  const int rc = inflate(&s, Z_FINISH);
  const std::size_t produced = s.total_out;
  inflateEnd(&s);
  if (rc != Z_STREAM_END || produced != m.size) throw bad("the member '" + m.name + "' does not inflate");
  return out;
}

Eigen::MatrixXd load_npz(const std::string& path, const std::string& member, const Loc& at) {
  const std::string z = read_bytes(path, at);
  const std::vector<ZipMember> members = zip_directory(z, path, at);
  std::string names;
  for (const auto& m : members) {
    std::string shown = ends_with(m.name, ".npy") ? m.name.substr(0, m.name.size() - 4) : m.name;
    names += (names.empty() ? "" : ", ") + std::string("'") + shown + "'";
  }
  const ZipMember* found = nullptr;
  if (member.empty()) {
    if (members.size() != 1) {
      std::string first = members.empty() ? "X" : members.front().name.substr(0, members.front().name.size() - 4);
      throw UserError(Msg::NpzNeedsMember, at, {path, names.empty() ? "none" : names, first});
    }
    found = &members.front();
  } else {
    for (const auto& m : members)
      if (m.name == member + ".npy" || m.name == member) found = &m;
    if (!found) throw UserError(Msg::NpzNoMember, at, {path, member, names.empty() ? "none" : names});
  }
  return parse_npy(zip_extract(z, *found, path, at), path + "[" + found->name + "]", at);
}

// ---- text files: CSV and Matrix Market -----------------------------------------

/// A text file as a source, so that errors inside it point at its line and column.
struct TextFile {
  std::shared_ptr<const SourceText> src;
  /// Byte offset of each line's start.
  std::vector<std::size_t> starts;
  explicit TextFile(std::string text, const std::string& path)
      : src(std::make_shared<const SourceText>(SourceText{std::move(text), path})) {
    starts.push_back(0);
    for (std::size_t k = 0; k < src->text.size(); ++k)
      if (src->text[k] == '\n') starts.push_back(k + 1);
  }
  std::size_t lines() const { return starts.size(); }
  std::string line(std::size_t k) const {  // 0-based; without '\n' or '\r'
    std::size_t e = k + 1 < starts.size() ? starts[k + 1] - 1 : src->text.size();
    std::string s = src->text.substr(starts[k], e - starts[k]);
    if (!s.empty() && s.back() == '\r') s.pop_back();
    return s;
  }
  /// The location of bytes [b, b + len) of line k (0-based); columns count characters.
  Loc loc(std::size_t k, std::size_t b, std::size_t len) const {
    const std::string l = line(k);
    auto chars = [&](std::size_t from, std::size_t to) {
      int n = 0;
      for (std::size_t i = from; i < to && i < l.size(); ++i) n += (static_cast<unsigned char>(l[i]) & 0xC0) != 0x80;
      return n;
    };
    Loc out;
    out.line = static_cast<int>(k) + 1;
    out.col = chars(0, b) + 1;
    out.len = std::max(1, chars(b, b + len));
    out.src = src;
    return out;
  }
};

/// A whole field as a finite or infinite double (NaN and inf are numbers in data files).
bool parse_double(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && errno != ERANGE;
}

struct Field {
  std::string text;
  std::size_t begin;  // byte offset in the line
};

std::vector<Field> split_csv(const std::string& line) {
  std::vector<Field> out;
  std::size_t b = 0;
  while (true) {
    std::size_t e = line.find(',', b);
    std::size_t stop = e == std::string::npos ? line.size() : e;
    std::size_t fb = line.find_first_not_of(" \t", b);
    if (fb == std::string::npos || fb > stop) fb = stop;
    std::size_t fe = stop;
    while (fe > fb && (line[fe - 1] == ' ' || line[fe - 1] == '\t')) --fe;
    out.push_back({line.substr(fb, fe - fb), fb});
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return out;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

Eigen::MatrixXd load_csv(const std::string& path, const Loc& at) {
  TextFile f(read_bytes(path, at), path);
  std::vector<std::vector<double>> rows;
  std::size_t width = 0, first_line = 0;
  bool header_seen = false;
  for (std::size_t k = 0; k < f.lines(); ++k) {
    const std::string line = f.line(k);
    if (blank(line)) continue;
    std::vector<Field> fields = split_csv(line);
    std::vector<double> values(fields.size());
    bool all = true, none = true;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      bool ok = parse_double(fields[c].text, values[c]);
      all = all && ok;
      none = none && !ok;
    }
    if (rows.empty() && !header_seen && !all && none) {  // a header: names, not numbers
      header_seen = true;
      width = fields.size();
      first_line = k;
      continue;
    }
    if (width == 0) {
      width = fields.size();
      first_line = k;
    }
    if (fields.size() != width)
      throw UserError(Msg::CsvRagged, f.loc(k, 0, line.size()),
                      {std::to_string(fields.size()), std::to_string(width), std::to_string(first_line + 1)});
    for (std::size_t c = 0; c < fields.size(); ++c) {
      double v;
      if (!parse_double(fields[c].text, v))
        throw UserError(Msg::CsvNotNumber, f.loc(k, fields[c].begin, fields[c].text.size()),
                        {fields[c].text.empty() ? "an empty field" : "'" + fields[c].text + "'"});
    }
    check_elements(static_cast<long>(rows.size() + 1), static_cast<long>(width), at);
    rows.push_back(std::move(values));
  }
  if (rows.empty()) throw UserError(Msg::FileNoData, at, {path});
  Eigen::MatrixXd m(static_cast<long>(rows.size()), static_cast<long>(width));
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < width; ++c) m(static_cast<long>(r), static_cast<long>(c)) = rows[r][c];
  return m;
}

std::vector<Field> split_words(const std::string& line) {
  std::vector<Field> out;
  std::size_t b = 0;
  while ((b = line.find_first_not_of(" \t", b)) != std::string::npos) {
    std::size_t e = line.find_first_of(" \t", b);
    if (e == std::string::npos) e = line.size();
    out.push_back({line.substr(b, e - b), b});
    b = e;
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Eigen::MatrixXd load_mtx(const std::string& path, const Loc& at) {
  TextFile f(read_bytes(path, at), path);
  auto expected = [&](std::size_t k, const Field* w, const std::string& what) {
    const std::string l = f.line(k);
    return UserError(Msg::MtxExpected, w ? f.loc(k, w->begin, w->text.size()) : f.loc(k, l.size(), 1), {what});
  };
  // %%MatrixMarket matrix <coordinate|array> <real|integer|pattern> <general|symmetric|skew-symmetric>
  const std::vector<Field> h = split_words(f.line(0));
  if (h.size() != 5 || h[0].text != "%%MatrixMarket" || lower(h[1].text) != "matrix")
    throw expected(0, h.empty() ? nullptr : &h[0], "the header line '%%MatrixMarket matrix <format> <field> <symmetry>'");
  const std::string format = lower(h[2].text), field = lower(h[3].text), symmetry = lower(h[4].text);
  if (format != "coordinate" && format != "array") throw expected(0, &h[2], "'coordinate' or 'array'");
  if (field != "real" && field != "integer" && field != "double" && field != "pattern")
    throw UserError(Msg::MtxUnsupported, f.loc(0, h[3].begin, h[3].text.size()), {field});
  if (symmetry != "general" && symmetry != "symmetric" && symmetry != "skew-symmetric")
    throw UserError(Msg::MtxUnsupported, f.loc(0, h[4].begin, h[4].text.size()), {symmetry});
  if (field == "pattern" && format == "array") throw UserError(Msg::MtxUnsupported, f.loc(0, h[3].begin, 7), {"pattern array"});
  const bool coordinate = format == "coordinate";
  const int nvalues = field == "pattern" ? 0 : 1;

  std::size_t k = 1;
  auto next_line = [&]() -> bool {  // skips comments and blank lines
    while (k < f.lines() && (blank(f.line(k)) || f.line(k)[f.line(k).find_first_not_of(" \t")] == '%')) ++k;
    return k < f.lines();
  };
  auto integer = [&](const Field& w, long& v, const char* what) {
    char* end = nullptr;
    errno = 0;
    v = std::strtol(w.text.c_str(), &end, 10);
    if (*end != '\0' || errno != 0 || v < 0) throw expected(k, &w, what);
  };
  auto number = [&](const Field& w, double& v) {
    if (!parse_double(w.text, v)) throw expected(k, &w, "a number");
  };
  if (!next_line()) throw expected(f.lines() - 1, nullptr, coordinate ? "the size line 'rows cols entries'" : "the size line 'rows cols'");
  std::vector<Field> size = split_words(f.line(k));
  const std::size_t size_words = coordinate ? 3 : 2;
  if (size.size() != size_words)
    throw expected(k, size.size() > size_words ? &size[size_words] : nullptr,
                   coordinate ? "the size line 'rows cols entries'" : "the size line 'rows cols'");
  long rows, cols, entries = 0;
  integer(size[0], rows, "the number of rows");
  integer(size[1], cols, "the number of columns");
  if (coordinate) integer(size[2], entries, "the number of entries");
  check_elements(rows, cols, at);
  if (symmetry != "general" && rows != cols)
    throw UserError(Msg::MtxUnsupported, f.loc(k, size[0].begin, size[1].begin + size[1].text.size() - size[0].begin),
                    {"a " + symmetry + " matrix that is not square"});
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(rows, cols);
  ++k;
  if (coordinate) {
    if (entries > rows * cols) throw expected(k - 1, &size[2], "at most rows*cols entries");
    for (long e = 0; e < entries; ++e, ++k) {
      if (!next_line()) throw expected(f.lines() - 1, nullptr, "entry " + std::to_string(e + 1) + " of " + std::to_string(entries));
      std::vector<Field> w = split_words(f.line(k));
      if (w.size() != static_cast<std::size_t>(2 + nvalues))
        throw expected(k, w.size() > static_cast<std::size_t>(2 + nvalues) ? &w[static_cast<std::size_t>(2 + nvalues)] : nullptr,
                       nvalues ? "'row column value'" : "'row column'");
      long i, j;
      double v = 1;
      integer(w[0], i, "a row index");
      integer(w[1], j, "a column index");
      if (nvalues) number(w[2], v);
      if (i < 1 || i > rows || j < 1 || j > cols)
        throw UserError(Msg::MtxIndex, f.loc(k, w[0].begin, w[1].begin + w[1].text.size() - w[0].begin),
                        {std::to_string(i), std::to_string(j), std::to_string(rows), std::to_string(cols)});
      m(i - 1, j - 1) = v;
      if (symmetry == "symmetric" && i != j) m(j - 1, i - 1) = v;
      if (symmetry == "skew-symmetric" && i != j) m(j - 1, i - 1) = -v;
    }
  } else {
    // Column-major; symmetric arrays give the lower triangle only.
    for (long c = 0; c < cols; ++c)
      for (long r = symmetry == "general" ? 0 : (symmetry == "symmetric" ? c : c + 1); r < rows; ++r, ++k) {
        if (!next_line()) throw expected(f.lines() - 1, nullptr, "the entry in row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1));
        std::vector<Field> w = split_words(f.line(k));
        if (w.size() != 1) throw expected(k, w.size() > 1 ? &w[1] : nullptr, "one number per line");
        double v;
        number(w[0], v);
        m(r, c) = v;
        if (symmetry == "symmetric") m(c, r) = v;
        if (symmetry == "skew-symmetric") m(c, r) = -v;
      }
  }
  if (next_line()) {
    std::vector<Field> w = split_words(f.line(k));
    throw expected(k, &w[0], "the end of the file after the last entry");
  }
  return m;
}

}  // namespace

Eigen::MatrixXd load_matrix(const std::string& path, const std::string& member, const Loc& at) {
  const bool npz = ends_with(path, ".npz");
  if (!member.empty() && !npz) throw UserError(Msg::LoadMemberNotNpz, at, {path, member});
  if (npz) return load_npz(path, member, at);
  if (ends_with(path, ".npy")) return parse_npy(read_bytes(path, at), path, at);
  if (ends_with(path, ".csv")) return load_csv(path, at);
  if (ends_with(path, ".mtx")) return load_mtx(path, at);
  throw UserError(Msg::LoadFormat, at, {path});
}

void save_npy(const std::string& path, const Eigen::MatrixXd& value, const Shape& shape) {
  std::ofstream f(path, std::ios::binary);
  if (!f) throw UserError(Msg::CannotWriteFile, {path});
  write_npy(f, value, shape);
  f.close();
  if (!f) throw UserError(Msg::CannotWriteFile, {path});
}

void write_npy(std::ostream& f, const Eigen::MatrixXd& value, const Shape& shape) {
  std::string dims;
  if (shape.is_scalar()) dims = "()";
  else if (shape.cols.is_one()) dims = "(" + std::to_string(value.rows()) + ",)";
  else dims = "(" + std::to_string(value.rows()) + ", " + std::to_string(value.cols()) + ")";
  std::string header = "{'descr': '<f8', 'fortran_order': True, 'shape': " + dims + ", }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
  std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  const unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<unsigned char>(header.size() & 0xff),
                                 static_cast<unsigned char>(header.size() >> 8)};
  f.write(reinterpret_cast<const char*>(pre), 10);
  f << header;
  // Eigen stores column by column: exactly Fortran order, little-endian on every platform Debian builds for.
  static_assert(sizeof(double) == 8, "IEEE double");
  f.write(reinterpret_cast<const char*>(value.data()), static_cast<std::streamsize>(value.size() * 8));
}

}  // namespace mcalc
