// Reading a grader's batch: JSON Lines or CSV with a header, one answer a
// record (id, expr, wrt, let, op, answer). A record that cannot be read is
// kept with its reason, so that the batch goes on and the output stays in
// input order.
#include <sstream>

#include "mcalc/check.hpp"

namespace mcalc::check {
namespace {

bool parse_op(const std::string& s, QueryOp& op) {
  if (s.empty() || s == "diff") op = QueryOp::Diff;
  else if (s == "grad") op = QueryOp::Grad;
  else if (s == "hessian") op = QueryOp::Hessian;
  else return false;
  return true;
}

/// Fields of a record by column name; checks the required ones.
Record make_record(const std::map<std::string, std::string>& fields, std::size_t line) {
  Record r;
  auto get = [&](const char* k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second;
  };
  r.id = get("id").empty() ? std::to_string(line) : get("id");
  r.question.expr = get("expr");
  r.question.wrt = get("wrt");
  r.question.let = get("let");
  r.answer = get("answer");
  std::string where = "record " + r.id + " (line " + std::to_string(line) + "): ";
  if (!parse_op(get("op"), r.question.op)) r.error = where + "op must be diff, grad or hessian, not '" + get("op") + "'";
  for (const char* k : {"expr", "wrt", "answer"})
    if (r.error.empty() && !fields.count(k)) r.error = where + "the field '" + k + "' is missing";
  return r;
}

/// One CSV record (RFC 4180 quoting); `pos` moves past it and its line end.
std::vector<std::string> csv_fields(const std::string& text, std::size_t& pos, std::size_t& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (; pos < text.size(); ++pos) {
    char ch = text[pos];
    if (quoted) {
      if (ch == '"' && pos + 1 < text.size() && text[pos + 1] == '"') out.back() += '"', ++pos;
      else if (ch == '"') quoted = false;
      else {
        if (ch == '\n') ++line;
        out.back() += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.emplace_back();
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      ++pos;
      ++line;
      return out;
    } else {
      out.back() += ch;
    }
  }
  ++line;
  return out;
}

}  // namespace

std::vector<Record> read_records(const std::string& text, bool csv) {
  std::vector<Record> out;
  if (csv) {
    std::size_t pos = 0, line = 1;
    std::vector<std::string> header = csv_fields(text, pos, line);
    while (pos < text.size()) {
      std::size_t at = line;
      std::vector<std::string> f = csv_fields(text, pos, line);
      if (f.size() == 1 && f[0].empty()) continue;  // a blank line
      std::map<std::string, std::string> fields;
      for (std::size_t k = 0; k < header.size() && k < f.size(); ++k) fields[header[k]] = f[k];
      Record r = make_record(fields, at);
      if (r.error.empty() && f.size() != header.size())
        r.error = "record " + r.id + " (line " + std::to_string(at) + "): it has " + std::to_string(f.size()) +
                  " fields, but the header has " + std::to_string(header.size());
      out.push_back(std::move(r));
    }
    return out;
  }
  std::istringstream in(text);
  std::string l;
  std::size_t line = 0;
  while (std::getline(in, l)) {
    ++line;
    if (l.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json j = nlohmann::json::parse(l, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      Record r;
      r.id = std::to_string(line);
      r.error = "line " + std::to_string(line) + " is not a JSON object";
      out.push_back(std::move(r));
      continue;
    }
    std::map<std::string, std::string> fields;
    std::string bad;
    for (const auto& [k, v] : j.items()) {
      if (v.is_string()) fields[k] = v.get<std::string>();
      else if (v.is_number() && k == "id") fields[k] = v.dump();
      else if (!v.is_null()) bad = k;
    }
    Record r = make_record(fields, line);
    if (r.error.empty() && !bad.empty())
      r.error = "record " + r.id + " (line " + std::to_string(line) + "): the field '" + bad + "' must be a string";
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mcalc::check
