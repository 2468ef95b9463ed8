// The answer checker: the question's derivative, the answer analysed in the
// question's names, and the verdict in layers (docs/checking.md): canonical
// form, exact expansion, random points at 100 digits. A diagnosis is given
// only when the corrected answer is itself checked to be equal.
#include <set>

#include "check/internal.hpp"
#include "mcalc/print.hpp"
#include "mcalc/simplify.hpp"
#include "mcalc/topo.hpp"

namespace mcalc::check {
namespace {

using detail::Comparison;
using detail::Same;

/// Literal exponents past these are "too complex" before any work is done.
constexpr double kMaxElementPower = 1000;
constexpr long kMaxMatrixPower = 64;
constexpr std::size_t kMaxNodes = 20000;

struct TooComplex {
  std::string why;
};

/// Exponents and sizes are checked before anything is expanded.
void check_limits(const Expr& e) {
  ir::Topo topo = ir::topo_order(e);
  if (topo.size() > kMaxNodes)
    throw TooComplex{"the answer has " + std::to_string(topo.size()) + " distinct subexpressions; the limit is " +
                     std::to_string(kMaxNodes)};
  for (const Node* n : topo.order) {
    if ((n->kind == Kind::Pow || n->kind == Kind::ElemPow) && n->args[1]->kind == Kind::Num) {
      double k = n->args[1]->num;
      bool matrix = n->kind == Kind::Pow && !n->args[0]->is_scalar();
      if (matrix && std::abs(k) > kMaxMatrixPower)
        throw TooComplex{"a matrix power with exponent " + to_text(n->args[1]) + "; the limit is " +
                         std::to_string(kMaxMatrixPower)};
      if (!matrix && std::abs(k) > kMaxElementPower)
        throw TooComplex{"a power with exponent " + to_text(n->args[1]) + "; the limit is 1000"};
    }
  }
}

bool from_answer(const UserError& e) { return e.loc().src && e.loc().src->origin == "--answer"; }

/// The language's size limits: past them an answer or a question is too complex, not wrong.
bool past_a_limit(const UserError& e) {
  switch (e.id()) {
    case Msg::InputTooLarge:
    case Msg::NestingTooDeep:
    case Msg::ExpressionTooDeep:
    case Msg::TooComplexTime:
    case Msg::TooComplexMemory: return true;
    default: return false;
  }
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Correct: return "correct";
    case Verdict::CorrectUpToLayout: return "correct up to layout";
    case Verdict::WrongShape: return "wrong shape";
    case Verdict::Incorrect: return "incorrect";
    case Verdict::InvalidAnswer: return "invalid answer";
    case Verdict::InvalidQuestion: return "invalid question";
    case Verdict::TooComplex: return "too complex";
  }
  MCALC_UNREACHABLE("unknown verdict");
}

int exit_code(Verdict v, LayoutChoice layout) {
  switch (v) {
    case Verdict::Correct: return 0;
    case Verdict::CorrectUpToLayout: return layout == LayoutChoice::Any ? 0 : 1;
    case Verdict::WrongShape:
    case Verdict::Incorrect: return 1;
    case Verdict::InvalidAnswer:
    case Verdict::InvalidQuestion:
    case Verdict::TooComplex: return 2;
  }
  MCALC_UNREACHABLE("unknown verdict");
}

namespace {

/// The layers and the diagnoses, once the question and the answer are analysed.
void judge_into(Result& res, QueryOp op, const Expr& f_in, const Expr& wrt_in, const Expr& expected_in,
                const Expr& answer_in, const Options& o) {
  // By an intermediate variable: all three cut there, the variable an input (ir::held_independent).
  const ir::Held h = ir::held_independent({f_in, expected_in, answer_in}, wrt_in);
  const Expr &f = h.roots[0], &expected = h.roots[1], &answer = h.roots[2], &wrt = h.wrt;
  const Layout layout = o.layout == LayoutChoice::Denominator ? Layout::Denominator : Layout::Numerator;
  const detail::Problem p = detail::problem_of({f, wrt, expected, answer}, o.seed);
  auto incorrect = [&](const Comparison& c, Verdict v, const Expr& ans, const Expr& exp) {
    res.verdict = v;
    res.decided_by = c.decided_by;
    res.counterexample = c.counterexample;
    res.diagnosis = detail::diagnose_same_shape(ans, exp, f, wrt, op, layout, p);
  };
  {
    if (answer->shape == expected->shape) {
      // 1. canonical form
      if (ir::equal(simplify(answer), expected)) {
        res.verdict = Verdict::Correct;
        res.decided_by = "canonical form";
        return;
      }
      // 2, 3. exact expansion, random points
      Comparison c = detail::compare(answer, expected, p);
      if (c.same == Same::Equal) {
        res.verdict = Verdict::Correct;
        res.decided_by = c.decided_by;
        return;
      }
      if (c.same == Same::Undecided) {
        res.verdict = Verdict::TooComplex;
        res.error = "undecided: " + c.decided_by;
        return;
      }
      if (!answer->is_scalar() && answer->shape.is_square()) {
        Comparison t = detail::compare(ir::transpose(answer), expected, p);
        if (t.same == Same::Equal) {
          res.verdict = Verdict::CorrectUpToLayout;
          res.decided_by = t.decided_by;
          res.diagnosis = "the answer is the derivative transposed (the other layout)";
          res.counterexample = c.counterexample;
          return;
        }
      }
      incorrect(c, Verdict::Incorrect, answer, expected);
      return;
    }
    if (answer->shape == expected->shape.transposed()) {
      // The other layout's shape: equal once transposed?
      Expr other = ir::transpose(expected);
      Comparison c = detail::compare(answer, other, p);
      if (c.same == Same::Equal) {
        res.verdict = Verdict::CorrectUpToLayout;
        res.decided_by = c.decided_by;
        res.diagnosis = op == QueryOp::Diff
                            ? std::string("the answer is the derivative transposed: the ") +
                                  (layout == Layout::Numerator ? "denominator" : "numerator") + " layout's form"
                            : "the answer is the " + std::string(query_name(op)) + " transposed";
        return;
      }
      if (o.layout == LayoutChoice::Any && c.same == Same::Different) {
        incorrect(c, Verdict::Incorrect, answer, other);
        return;
      }
      res.verdict = Verdict::WrongShape;
      res.decided_by = "shape";
      if (c.same == Same::Different) {
        std::string d = detail::diagnose_same_shape(answer, other, f, wrt, op, layout, p);
        if (!d.empty()) res.diagnosis = "the answer has the shape of the transpose, and its transpose is wrong too: " + d;
      }
      return;
    }
    res.verdict = Verdict::WrongShape;
    res.decided_by = "shape";
    res.diagnosis = detail::diagnose_shape(answer, expected, p);
    return;
  }
}

}  // namespace

Result check_answer(const Question& q, const std::string& answer_text, const Options& o) {
  Result res;
  res.answer = answer_text;
  res.question = std::string(query_name(q.op)) + "(" + q.expr + ", " + q.wrt + ")";
  const Layout layout = o.layout == LayoutChoice::Denominator ? Layout::Denominator : Layout::Numerator;

  // The question alone: its errors are the question's.
  std::vector<Parsed> units;
  Program qprog;
  Expr f, wrt, expected;
  try {
    if (!q.let.empty()) units.push_back(parse_program(q.let, "--let"));
    units.push_back(parse_expression(q.expr, "<expr>"));
    units.push_back(parse_expression(q.wrt, "--wrt"));
    std::vector<const Parsed*> ptrs;
    for (const auto& u : units) ptrs.push_back(&u);
    qprog = analyse(ptrs);
    f = qprog.statements[qprog.statements.size() - 2].expr;
    wrt = qprog.statements.back().expr;
    if (!wrt || wrt->kind != Kind::Var)
      throw UserError(Msg::WrtNotVariable, units.back().loc(units.back().program()), {q.wrt});
    if (qprog.statements[qprog.statements.size() - 2].kind != Statement::Kind::Evaluate)
      throw UserError(Msg::AnswerIsQuery, units[units.size() - 2].loc(units[units.size() - 2].program()),
                      {"the question"});
    expected = differentiate(q.op, f, wrt, layout);
  } catch (const UserError& e) {
    res.verdict = past_a_limit(e) ? Verdict::TooComplex : Verdict::InvalidQuestion;
    res.error = render_error(e);
    return res;
  }
  res.question = std::string(query_name(q.op)) + "(" + to_text(f) + ", " + wrt->name + ")";
  res.expected = to_text(expected);
  res.expected_shape = expected->shape.str();

  // The answer in the question's names.
  Expr answer;
  try {
    // Names the question assumed by the letter convention are declared with
    // the types (and dimension names) they were given, so that the answer
    // may use those dimension names: ones(n)'.
    std::string assumed, sep;
    for (const auto& name : qprog.symbol_order) {
      const Symbol* sym = qprog.find(name);
      if (sym->origin == Symbol::Origin::Assumed) assumed += sep + name + ": " + type_string(*sym), sep = "; ";
    }
    if (!assumed.empty()) units.insert(units.begin() + (q.let.empty() ? 0 : 1), parse_program(assumed, "--let"));
    units.push_back(parse_expression(answer_text, "--answer"));
    std::vector<const Parsed*> ptrs;
    for (const auto& u : units) ptrs.push_back(&u);
    Program prog = analyse(ptrs);
    const Statement& st = prog.statements.back();
    const Parsed& unit = units.back();
    if (st.kind != Statement::Kind::Evaluate)
      throw UserError(Msg::AnswerIsQuery, unit.loc(unit.program()), {"an answer"});
    for (const auto& name : prog.symbol_order)
      if (!qprog.find(name)) {
        std::string known, sep;
        for (const auto& n : qprog.symbol_order) known += sep + n, sep = ", ";
        throw UserError(Msg::AnswerUnknownName, prog.find(name)->loc, {name, known.empty() ? "none" : known});
      }
    answer = st.expr;
    check_limits(answer);
  } catch (const UserError& e) {
    res.verdict = past_a_limit(e) ? Verdict::TooComplex
                  : from_answer(e)  ? Verdict::InvalidAnswer
                                    : Verdict::InvalidQuestion;
    res.error = render_error(e);
    return res;
  } catch (const TooComplex& t) {
    res.verdict = Verdict::TooComplex;
    res.error = t.why;
    return res;
  }
  res.answer = to_text(answer);
  res.answer_shape = answer->shape.str();

  try {
    judge_into(res, q.op, f, wrt, expected, answer, o);
  } catch (const UserError& e) {
    // The expansion refused the question at the sizes tried (a size limit).
    res.verdict = Verdict::TooComplex;
    res.error = render_error(e);
  }
  return res;
}

Result judge(QueryOp op, const Expr& f, const Expr& wrt, const Expr& answer, const Options& o) {
  Result res;
  const Layout layout = o.layout == LayoutChoice::Denominator ? Layout::Denominator : Layout::Numerator;
  Expr expected = differentiate(op, f, wrt, layout);
  res.question = std::string(query_name(op)) + "(" + to_text(f) + ", " + wrt->name + ")";
  res.expected = to_text(expected);
  res.expected_shape = expected->shape.str();
  res.answer = to_text(answer);
  res.answer_shape = answer->shape.str();
  try {
    check_limits(answer);
  } catch (const TooComplex& t) {
    res.verdict = Verdict::TooComplex;
    res.error = t.why;
    return res;
  }
  try {
    judge_into(res, op, f, wrt, expected, answer, o);
  } catch (const UserError& e) {
    res.verdict = Verdict::TooComplex;
    res.error = render_error(e);
  }
  return res;
}

nlohmann::ordered_json to_json(const Result& r) {
  nlohmann::ordered_json j;
  j["verdict"] = verdict_name(r.verdict);
  j["question"] = r.question;
  j["expected"] = r.expected;
  j["expected_shape"] = r.expected_shape;
  j["answer"] = r.answer;
  j["answer_shape"] = r.answer_shape;
  j["diagnosis"] = r.diagnosis.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.diagnosis);
  if (r.counterexample) {
    nlohmann::ordered_json c;
    c["sizes"] = r.counterexample->sizes;
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (const auto& [name, v] : r.counterexample->values) values[name] = v;
    c["values"] = values;
    c["expected"] = r.counterexample->expected;
    c["answer"] = r.counterexample->answer;
    c["difference"] = r.counterexample->difference;
    j["counterexample"] = c;
  } else {
    j["counterexample"] = nullptr;
  }
  j["decided_by"] = r.decided_by.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.decided_by);
  j["error"] = r.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.error);
  return j;
}

Result result_from_json(const nlohmann::ordered_json& j) {
  Result r;
  const std::string v = j.at("verdict").get<std::string>();
  for (Verdict x : {Verdict::Correct, Verdict::CorrectUpToLayout, Verdict::WrongShape, Verdict::Incorrect,
                    Verdict::InvalidAnswer, Verdict::InvalidQuestion, Verdict::TooComplex})
    if (v == verdict_name(x)) r.verdict = x;
  auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; };
  r.question = str("question");
  r.expected = str("expected");
  r.expected_shape = str("expected_shape");
  r.answer = str("answer");
  r.answer_shape = str("answer_shape");
  r.diagnosis = str("diagnosis");
  r.decided_by = str("decided_by");
  r.error = str("error");
  if (j.contains("counterexample") && j["counterexample"].is_object()) {
    const auto& c = j["counterexample"];
    Counterexample cx;
    cx.sizes = c.at("sizes").get<std::map<std::string, long>>();
    for (const auto& [name, value] : c.at("values").items()) cx.values.emplace_back(name, value.get<std::string>());
    cx.expected = c.at("expected").get<std::string>();
    cx.answer = c.at("answer").get<std::string>();
    cx.difference = c.at("difference").get<std::string>();
    r.counterexample = cx;
  }
  return r;
}

}  // namespace mcalc::check
