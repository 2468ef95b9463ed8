// `mcalc check`: the verdict of the answer checker on one answer, and the
// batch mode for graders; results the renderers show (a batch as one JSON
// verdict a line, in input order, then a summary). Exit codes: 0 correct, 1
// wrong (or right only up to layout without --layout any), 2 an invalid
// question or answer, or too complex; a batch exits 0 once every record has
// its verdict.
#include "driver/check_verb.hpp"

#include <fstream>
#include <thread>

#include "mcalc/check.hpp"

namespace mcalc::driver {
namespace {

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

}  // namespace

CheckVerdict check_statement(const Request& r, const Statement& st) {
  check::Options o = options_of(r);
  return CheckVerdict{check::judge(st.op, st.expr, st.wrt, st.answer, o), o.layout};
}

CheckVerdict check_result(const Request& r) {
  if (r.input.empty()) throw UserError(Msg::BadOption, {"EXPR is required (or --batch FILE)"});
  if (r.wrt.empty()) throw UserError(Msg::BadOption, {"--wrt VAR is required"});
  if (r.answer.empty()) throw UserError(Msg::BadOption, {"--answer ANSWER is required"});
  check::Options o = options_of(r);
  return CheckVerdict{check::check_isolated(check::Question{r.input, r.wrt, r.let, op_of(r.op)}, r.answer, o),
                      o.layout};
}

BatchReport batch_result(const Request& r) {
  if (!r.input.empty() || !r.answer.empty())
    throw UserError(Msg::BadOption, {"--batch reads the questions and answers from the file; give no EXPR or --answer"});
  std::ifstream in(r.batch_file, std::ios::binary);
  if (!in) throw UserError(Msg::CannotReadFile, std::vector<std::string>{r.batch_file});
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const bool csv = r.batch_file.size() >= 4 && r.batch_file.compare(r.batch_file.size() - 4, 4, ".csv") == 0;
  check::Options o = options_of(r);
  std::vector<check::Record> records = check::read_records(text, csv);
  int jobs = r.jobs > 0 ? r.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  BatchReport report;
  report.results = check::check_batch(records, o, jobs);
  for (const auto& rec : records) report.ids.push_back(rec.id);
  return report;
}

}  // namespace mcalc::driver
