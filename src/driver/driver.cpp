// The command layer behind `mcalc`: each verb builds its result object
// (parse -> analyse -> differentiate / evaluate); the renderer of --format
// writes it out; every user error is rendered with its location.
#include "mcalc/driver.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "driver/check_verb.hpp"
#include "driver/expand_output.hpp"
#include "driver/format.hpp"
#include "driver/render.hpp"
#include "driver/results.hpp"
#include "driver/train_verbs.hpp"
#include "mcalc/derive.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/emit.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/topo.hpp"

namespace mcalc::driver {
namespace {
/// The parsed units of one request, kept alive for the locations of errors.
struct Units {
  std::vector<Parsed> parsed;
  std::vector<ValueSpec> loaded;  // values a program or --let loads from files (X = load("X.npy"))
  std::vector<const Parsed*> ptrs() const {
    std::vector<const Parsed*> out;
    for (const auto& p : parsed) out.push_back(&p);
    return out;
  }
};

Program analyse_request(const Request& r, Units& units, bool whole_program) {
  if (!r.let.empty()) units.parsed.push_back(read_loads(parse_program(r.let, "--let"), units.loaded));
  units.parsed.push_back(whole_program ? read_loads(parse_program(r.input, r.origin), units.loaded)
                                       : parse_expression(r.input, r.origin));
  if (!r.wrt.empty()) units.parsed.push_back(parse_expression(r.wrt, "--wrt"));
  Program prog = analyse(units.ptrs());
  // --let declares and defines; an expression or a query there would be ignored.
  if (!r.let.empty())
    for (const Statement& st : prog.statements)
      if (st.loc.src == units.parsed.front().source() &&
          (st.kind == Statement::Kind::Query || st.kind == Statement::Kind::Derive ||
           st.kind == Statement::Kind::Evaluate))
        throw UserError(Msg::LetNotDeclaration, st.loc,
                        {st.kind == Statement::Kind::Query    ? query_name(st.op)
                         : st.kind == Statement::Kind::Derive ? "derive"
                                                              : "expression"});
  return prog;
}

/// What an EXPR argument denotes. Typed as a query (diff(f, x)), it denotes the
/// derivative asked for, which is then printed, evaluated or differentiated
/// like any other expression: a query is never dropped.
struct ExprArg {
  std::string text;  // as printed by parse and check-types
  Expr expr;
};

ExprArg expr_argument(const Program& prog, bool has_wrt, Layout layout) {
  MCALC_ASSERT(prog.statements.size() >= (has_wrt ? 2u : 1u), "expression statement missing");
  const Statement& st = prog.statements[prog.statements.size() - (has_wrt ? 2 : 1)];
  if (st.kind != Statement::Kind::Query && st.kind != Statement::Kind::Derive) return {to_text(st.expr), st.expr};
  // derive(f, x) typed as the expression denotes its result, the derivative diff(f, x)
  const char* name = st.kind == Statement::Kind::Derive ? "derive" : query_name(st.op);
  return {std::string(name) + "(" + to_text(st.expr) + ", " + st.wrt->name + ")",
          differentiate(st.op, st.expr, st.wrt, layout)};
}

QueryOp verb_query(Verb v) {
  return v == Verb::Grad ? QueryOp::Grad : v == Verb::Hessian ? QueryOp::Hessian : QueryOp::Diff;
}

/// The variable of --wrt: the last statement, an input or intermediate variable.
Expr wrt_variable(const Program& prog, const Units& units) {
  const Statement& s = prog.statements.back();
  const Expr& e = s.expr;
  if (!e || e->kind != Kind::Var)
    throw UserError(Msg::WrtNotVariable, units.parsed.back().loc(units.parsed.back().program()),
                    {units.parsed.back().source()->text});
  return e;
}

/// Values from --at and from declarations; null when the request has none.
std::optional<Bindings> bindings_for(const Request& r, const Program& prog, const Units& units, bool required) {
  bool declared = !units.loaded.empty();
  // Values the user declared (x : scalar = 2); pi's value is the constant's, not a point to evaluate at.
  for (const auto& [name, sym] : prog.symbols)
    declared = declared || (sym.value != nullptr && sym.origin != Symbol::Origin::Assumed);
  if (r.at.empty() && !declared && !required) return std::nullopt;
  // --at first: it overrides a value the program loads, as it overrides declared values.
  std::vector<ValueSpec> values = r.at.empty() ? std::vector<ValueSpec>{} : parse_values(r.at, "--at");
  for (const ValueSpec& l : units.loaded)
    if (std::none_of(values.begin(), values.end(), [&](const ValueSpec& v) { return v.name == l.name; }))
      values.push_back(l);
  return mcalc::bind(prog, values);
}

/// Warnings of the evaluations of one request (NaN, infinities), printed after the result.
using Warnings = std::vector<EvalWarning>;

/// Evaluates under the request's limits (--max-elements, --max-work), collecting warnings.
Eigen::MatrixXd evaluate_for(const Request& r, const Expr& e, const Bindings& b, Warnings& warnings) {
  EvalOptions opt;
  opt.max_elements = r.max_elements;
  opt.max_work = r.max_work;
  Evaluator ev = Evaluator::borrowing(b);
  ev.set_options(opt);
  Eigen::MatrixXd v = ev.evaluate(e);
  warnings.insert(warnings.end(), ev.warnings().begin(), ev.warnings().end());
  return v;
}

/// A query by an intermediate variable (grad(L, z2)) holds it as an independent input, as `step`
/// does: f is cut there (ir::held_independent) and, where there are values, the variable's value
/// is its definition's. The check, the expansion and emitted code then see an input like any other.
std::pair<Expr, Expr> held(const Request& r, const Expr& f, const Expr& wrt, std::optional<Bindings>& b,
                           Warnings& warnings) {
  if (wrt->args.empty()) return {f, wrt};
  if (b) b->values[wrt->name] = evaluate_for(r, wrt, *b, warnings);
  ir::Held h = ir::held_independent({f}, wrt);
  return {h.roots.front(), h.wrt};
}

DescribeResult describe(const Request& r, Warnings& warnings) {
  Units units;
  Program prog = analyse_request(r, units, false);
  DescribeResult d;
  d.verb = r.verb;
  const ExprArg arg = expr_argument(prog, false, Layout::Numerator);
  d.text = arg.text;
  d.expr = arg.expr;
  d.types = types_of(prog);
  if (r.verb == Verb::Eval) d.value = evaluate_for(r, d.expr, *bindings_for(r, prog, units, true), warnings);
  return d;
}

Answer answer_query(const Request& r, const Program& prog, QueryOp op, const Expr& f, const Expr& wrt,
                    const std::optional<Bindings>& b, Warnings& warnings) {
  Answer q;
  q.op = op;
  q.layout = r.layout;
  q.f = f;
  q.wrt = wrt;
  q.result = differentiate(op, f, wrt, r.layout);
  q.shown = name_shared(q.result, prog.symbol_order);
  if (b) {
    // f first: its own errors (an index out of range for the given value, a
    // dimension no value fixes) point into the user's text.
    evaluate_for(r, f, *b, warnings);
    try {
      q.value = evaluate_for(r, q.result, *b, warnings);
    } catch (UserError& e) {
      if (e.loc().valid()) throw;
      e.locate(f->loc);
      e.add_note("this arose while evaluating the derivative " + to_text(q.result));
      throw;
    }
  }
  if (r.check) {
    if (b && !b->values.count(wrt->name)) {
      // The differences vary wrt at the given values: it needs one (f may not use it: diff(a, c)).
      UserError e(Msg::MissingValue, wrt->loc, {wrt->name});
      e.add_note("--check compares with finite differences in " + wrt->name + " at the given values");
      throw e;
    }
    // A random point where every finite difference is zero (a dead ReLU, say)
    // tests nothing: try a few more before settling for one.
    Bindings point;
    unsigned seed = r.seed;
    for (unsigned attempt = 0; attempt < (b ? 1u : 8u); ++attempt) {
      seed = r.seed + 1000u * attempt;
      point = b ? *b : check::random_point(prog, {f, wrt, q.result}, seed);
      q.check = check::check_derivative(op, f, wrt, r.layout, q.result, point);
      if (!q.check->trivial) break;
    }
    if (!b) {
      // f undefined at every random point (log(b) + log(-b)): nothing to compare with; say where it breaks.
      Warnings at_point;
      if (!evaluate_for(r, f, point, at_point).allFinite() && !at_point.empty()) {
        UserError e(at_point.front().id, at_point.front().loc, at_point.front().args);
        e.add_note("--check compares with finite differences at a point where " + to_text_bounded(f, 40) +
                   " is finite, and none of the random points tried is one; give one with --at");
        throw e;
      }
    }
    std::string where = b ? "at the given values" : "at a random point (seed " + std::to_string(seed);
    if (!b) {
      std::string sep = "; ";
      for (const auto& [d, v] : point.dims) where += sep + d + " = " + std::to_string(v), sep = ", ";
      where += ")";
    }
    q.check->where = where;
  }
  return q;
}

DerivativeResult derivative_result(const Request& r, Warnings& warnings) {
  Units units;
  Program prog = analyse_request(r, units, false);
  if (r.wrt.empty()) throw UserError(Msg::BadOption, {"--wrt VAR is required"});
  const ExprArg st = expr_argument(prog, true, r.layout);
  auto b = bindings_for(r, prog, units, false);
  const auto [f, wrt] = held(r, st.expr, wrt_variable(prog, units), b, warnings);
  DerivativeResult d;
  d.answer = answer_query(r, prog, verb_query(r.verb), f, wrt, b, warnings);
  d.types = types_of(prog);
  if (r.expand) d.expanded = expand_output(d.answer.op, f, wrt, r.layout, d.answer.result, b);
  return d;
}

/// The derivation of diff(f, wrt), with the values of every step where there are values.
DeriveResult derivation_of(const Request& r, const Program& prog, const Expr& f, const Expr& wrt,
                           const std::optional<Bindings>& b) {
  DeriveResult d;
  d.d = derive(f, wrt, r.layout, r.method);
  d.shown = name_shared(d.d.result, prog.symbol_order);
  d.types = types_of(prog);
  d.standalone = r.standalone;
  d.otimes = r.otimes;
  if (b) {
    Evaluator ev = Evaluator::borrowing(*b);
    for (const auto& i : d.d.intermediates) d.intermediate_values.push_back(ev.evaluate(i.var));
    for (const auto& p : d.d.partials) d.partial_values.push_back(ev.evaluate(p.jacobian));
    for (const auto& c : d.d.chain) d.chain_values.push_back(ev.evaluate(c.value));
    for (const auto& a : d.d.adjoints) d.adjoint_values.push_back(ev.evaluate(a.value));
    d.value = ev.evaluate(d.d.result);
  }
  return d;
}

DeriveResult derive_result(const Request& r, Warnings& warnings) {
  Units units;
  Program prog = analyse_request(r, units, false);
  if (r.wrt.empty()) throw UserError(Msg::BadOption, {"--wrt VAR is required"});
  const ExprArg st = expr_argument(prog, true, r.layout);
  auto b = bindings_for(r, prog, units, false);
  const auto [f, wrt] = held(r, st.expr, wrt_variable(prog, units), b, warnings);
  return derivation_of(r, prog, f, wrt, b);
}

RunResult run_result(const Request& r, Warnings& warnings) {
  Units units;
  Program prog = analyse_request(r, units, true);
  auto b = bindings_for(r, prog, units, false);
  RunResult res;
  res.types = types_of(prog);
  for (const Statement& st : prog.statements) {
    switch (st.kind) {
      case Statement::Kind::Declaration:
      case Statement::Kind::Definition: break;
      case Statement::Kind::Evaluate:
        res.items.push_back(
            Evaluation{st.expr, b ? std::optional(evaluate_for(r, st.expr, *b, warnings)) : std::nullopt});
        break;
      case Statement::Kind::Query: {
        const auto [f, wrt] = held(r, st.expr, st.wrt, b, warnings);
        res.items.push_back(answer_query(r, prog, st.op, f, wrt, b, warnings));
        break;
      }
      case Statement::Kind::Check: res.items.push_back(check_statement(r, st)); break;
      case Statement::Kind::Derive: {
        const auto [f, wrt] = held(r, st.expr, st.wrt, b, warnings);
        res.items.push_back(derivation_of(r, prog, f, wrt, b));
        break;
      }
    }
  }
  return res;
}

/// --emit: the queries as code, one function each (name, name_2, ... for several).
/// Code is not a result to render: it is written out as it is.
std::string emitted_code(const Request& r) {
  if (r.verb != Verb::Run && r.verb != Verb::Diff && r.verb != Verb::Grad && r.verb != Verb::Hessian)
    throw UserError(Msg::BadOption, {"--emit is an option of diff, grad, hessian and run"});
  const EmitTarget target = emit_target(r.emit);
  if (r.check || r.expand || r.format != Format::Text)
    throw UserError(Msg::BadOption, {"--emit prints code only: it does not combine with --check, --expand or "
                                     "--format (the generated check_<name> is --emit-check)"});
  bool identifier = !r.emit_name.empty() && !std::isdigit(static_cast<unsigned char>(r.emit_name[0]));
  for (char ch : r.emit_name) identifier = identifier && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
  if (!identifier) throw UserError(Msg::BadOption, {"--name must be an identifier, not '" + r.emit_name + "'"});

  Units units;
  const bool program = r.verb == Verb::Run;
  Program prog = analyse_request(r, units, program);
  std::vector<Statement> queries;
  if (program) {
    for (const Statement& st : prog.statements)
      if (st.kind == Statement::Kind::Query) queries.push_back(st);
  } else {
    if (r.wrt.empty()) throw UserError(Msg::BadOption, {"--wrt VAR is required"});
    const ExprArg f = expr_argument(prog, true, r.layout);
    const Statement& st = prog.statements[prog.statements.size() - 2];
    queries.push_back(Statement{Statement::Kind::Query, st.loc, {}, f.expr, verb_query(r.verb),
                                wrt_variable(prog, units), nullptr});
  }
  if (queries.empty())
    throw UserError(Msg::BadOption, {"--emit writes the queries of the program as code, but it has none"});
  std::vector<EmitFunction> fns;
  for (const Statement& st : queries) {
    EmitFunction fn;
    fn.name = fns.empty() ? r.emit_name : r.emit_name + "_" + std::to_string(fns.size() + 1);
    const ir::Held h = ir::held_independent({st.expr}, st.wrt);  // by an intermediate: a parameter
    fn.f = h.roots.front();
    fn.wrt = h.wrt;
    fn.op = st.op;
    fn.layout = r.layout;
    fn.derivative = differentiate(st.op, fn.f, fn.wrt, r.layout);
    fn.inputs = emit_inputs(prog, fn.f, fn.wrt);
    fns.push_back(std::move(fn));
  }
  return emit_module(target, fns, r.emit_check);
}

/// The verb's result; `code` is set to CheckFailed when a check failed.
Result compute(const Request& req, std::ostream& out, int& code, Warnings& warnings) {
  switch (req.verb) {
    case Verb::Parse:
    case Verb::CheckTypes:
    case Verb::Eval: return describe(req, warnings);
    case Verb::Run: {
      RunResult r = run_result(req, warnings);
      if (r.failed()) code = CheckFailed;
      return r;
    }
    case Verb::Diff:
    case Verb::Grad:
    case Verb::Hessian: {
      DerivativeResult r = derivative_result(req, warnings);
      if (r.failed()) code = CheckFailed;
      return r;
    }
    case Verb::Derive: return derive_result(req, warnings);
    case Verb::Step: return step_result(req);
    case Verb::Train: return train_result(req, out);
    case Verb::Check: {
      if (!req.batch_file.empty()) return batch_result(req);
      CheckVerdict v = check_result(req);
      code = check::exit_code(v.result.verdict, v.layout);
      return v;
    }
  }
  MCALC_UNREACHABLE("unknown verb");
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::Text;
  if (name == "json") return Format::Json;
  if (name == "latex") return Format::Latex;
  if (name == "markdown") return Format::Markdown;
  if (name == "npy") return Format::Npy;
  return std::nullopt;
}

const char* format_name(Format f) {
  switch (f) {
    case Format::Text: return "text";
    case Format::Json: return "json";
    case Format::Latex: return "latex";
    case Format::Markdown: return "markdown";
    case Format::Npy: return "npy";
  }
  MCALC_UNREACHABLE("unknown format");
}

std::optional<Layout> parse_layout(std::string_view name) {
  if (name == "numerator") return Layout::Numerator;
  if (name == "denominator") return Layout::Denominator;
  return std::nullopt;
}

const char* layout_name(Layout l) {
  switch (l) {
    case Layout::Numerator: return "numerator";
    case Layout::Denominator: return "denominator";
  }
  MCALC_UNREACHABLE("unknown layout");
}

bool RunResult::failed() const {
  for (const auto& item : items)
    if (const auto* a = std::get_if<Answer>(&item); a && a->failed()) return true;
    else if (const auto* c = std::get_if<CheckVerdict>(&item); c && c->failed()) return true;
  return false;
}

std::string render_limit_error(const Request& req, bool memory) {
  auto src = std::make_shared<SourceText>(SourceText{req.input, req.origin});
  std::size_t first_line = req.input.find('\n');
  if (first_line == std::string::npos) first_line = req.input.size();
  Loc l{1, 1, static_cast<int>(std::max<std::size_t>(first_line, 1)), src};
  if (memory) {
    return render_error(UserError(Msg::TooComplexMemory, l,
                                  {req.max_memory > 0 ? std::to_string(req.max_memory) + " MiB (--max-memory)"
                                                      : "this machine's memory"}));
  }
  std::ostringstream t;
  t << req.timeout;
  return render_error(UserError(Msg::TooComplexTime, l, {t.str()}));
}

int run(const Request& req, std::ostream& out, std::ostream& err) {
  try {
    if (!req.emit.empty()) {
      out << emitted_code(req);
      return Ok;
    }
    if (req.format == Format::Npy && (req.check || req.expand))
      throw UserError(Msg::BadOption, {"--format npy writes only the value; --check and --expand print reports "
                                       "(use --format text or json)"});
    int code = Ok;
    Warnings warnings;
    Result result = compute(req, out, code, warnings);
    render(result, req.format, RenderOptions{req.precision, req.decimals}, out);
    for (const auto& w : warnings) err << render_warning(UserError(w.id, w.loc, w.args));
    if (const auto* c = std::get_if<CheckVerdict>(&result); c && !c->result.error.empty()) {
      // Why the question or the answer could not be checked: a located error reads "error: ...", a limit is one line.
      const std::string& e = c->result.error;
      err << (e.rfind("error:", 0) == 0 ? e : "error: " + e + "\n");
    }
    return code;
  } catch (const UserError& e) {
    err << render_error(e);
    return UserFailure;
  } catch (const InternalError& e) {
    err << e.what() << "\nThis is a bug in mcalc; please report it with the input above.\n";
    return InternalFailure;
  } catch (const std::bad_alloc&) {
    err << render_limit_error(req, true);
    return UserFailure;
  } catch (const std::exception& e) {
    err << "internal error: " << e.what() << '\n';
    return InternalFailure;
  }
}

}  // namespace mcalc::driver
