// `mcalc check`: the verdict of the answer checker as text or JSON, and the
// batch mode for graders (one JSON verdict a line, in input order, then a
// summary). Exit codes: 0 correct, 1 wrong (or right only up to layout
// without --layout any), 2 an invalid question or answer, or too complex; a
// batch exits 0 once every record has its verdict.
#include "driver/check_verb.hpp"

#include <fstream>
#include <ostream>
#include <sstream>
#include <thread>

#include "driver/format.hpp"
#include "mcalc/check.hpp"

namespace mcalc::driver {
namespace {

using json = nlohmann::ordered_json;

check::LayoutChoice layout_choice(const Request& r) {
  if (r.any_layout) return check::LayoutChoice::Any;
  return r.layout == Layout::Denominator ? check::LayoutChoice::Denominator : check::LayoutChoice::Numerator;
}

QueryOp op_of(const std::string& s) {
  if (s == "diff") return QueryOp::Diff;
  if (s == "grad") return QueryOp::Grad;
  if (s == "hessian") return QueryOp::Hessian;
  throw UserError(Msg::BadOption, {"--op must be diff, grad or hessian, not '" + s + "'"});
}

check::Options options_of(const Request& r) {
  if (!(r.check_timeout > 0 && r.check_timeout <= 3600))
    throw UserError(Msg::BadOption, {"--timeout must be between 0 and 3600 seconds"});
  check::Options o;
  o.layout = layout_choice(r);
  o.seed = r.seed;
  o.timeout = r.check_timeout;
  return o;
}

int check_one(const Request& r, std::ostream& out, std::ostream& err) {
  check::Question q{r.input, r.wrt, r.let, op_of(r.op)};
  check::Options o = options_of(r);
  check::Result res = check::check_isolated(q, r.answer, o);
  if (r.format != Format::Text && r.format != Format::Json)
    throw UserError(Msg::BadOption, {"--format of check must be text or json, not " + std::string(format_name(r.format))});
  if (r.format == Format::Json) {
    out << check::to_json(res).dump(2) << '\n';
  } else {
    out << verdict_text(res);
  }
  if (!res.error.empty()) {
    // A located error already reads "error: ..."; a limit is one line.
    err << (res.error.rfind("error:", 0) == 0 ? res.error : "error: " + res.error + "\n");
  }
  return check::exit_code(res.verdict, o.layout);
}

int check_batch_file(const Request& r, std::ostream& out) {
  std::ifstream in(r.batch_file, std::ios::binary);
  if (!in) throw UserError(Msg::CannotReadFile, std::vector<std::string>{r.batch_file});
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const bool csv = r.batch_file.size() >= 4 && r.batch_file.compare(r.batch_file.size() - 4, 4, ".csv") == 0;
  check::Options o = options_of(r);
  std::vector<check::Record> records = check::read_records(text, csv);
  int jobs = r.jobs > 0 ? r.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<check::Result> results = check::check_batch(records, o, jobs);
  std::map<std::string, long> counts;
  for (std::size_t k = 0; k < records.size(); ++k) {
    json j = check::to_json(results[k]);
    json line;
    line["id"] = records[k].id;
    for (const char* key : {"verdict", "diagnosis", "counterexample", "decided_by", "error", "expected", "answer"})
      line[key] = j[key];
    out << line.dump() << '\n';
    ++counts[check::verdict_name(results[k].verdict)];
  }
  json summary;
  summary["records"] = records.size();
  json c = json::object();
  for (check::Verdict v : {check::Verdict::Correct, check::Verdict::CorrectUpToLayout, check::Verdict::WrongShape,
                           check::Verdict::Incorrect, check::Verdict::InvalidAnswer, check::Verdict::InvalidQuestion,
                           check::Verdict::TooComplex})
    c[check::verdict_name(v)] = counts[check::verdict_name(v)];
  summary["verdicts"] = c;
  out << json{{"summary", summary}}.dump() << '\n';
  return Ok;
}

}  // namespace

CheckVerdict check_statement(const Request& r, const Statement& st) {
  check::Options o = options_of(r);
  return CheckVerdict{check::judge(st.op, st.expr, st.wrt, st.answer, o), o.layout};
}

int do_check(const Request& r, std::ostream& out, std::ostream& err) {
  if (!r.batch_file.empty()) {
    if (!r.input.empty() || !r.answer.empty())
      throw UserError(Msg::BadOption, {"--batch reads the questions and answers from the file; give no EXPR or --answer"});
    return check_batch_file(r, out);
  }
  if (r.input.empty()) throw UserError(Msg::BadOption, {"EXPR is required (or --batch FILE)"});
  if (r.wrt.empty()) throw UserError(Msg::BadOption, {"--wrt VAR is required"});
  if (r.answer.empty()) throw UserError(Msg::BadOption, {"--answer ANSWER is required"});
  return check_one(r, out, err);
}

}  // namespace mcalc::driver
