// The command layer behind `mcalc`: parse -> analyse -> (differentiate) ->
// print / evaluate, with every user error rendered with its location.
#include "mcalc/driver.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "driver/check.hpp"
#include "driver/expand_output.hpp"
#include "driver/format.hpp"
#include "driver/train_verbs.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/emit.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::driver {
namespace {
using json = nlohmann::ordered_json;

/// The parsed units of one request, kept alive for the locations of errors.
struct Units {
  std::vector<Parsed> parsed;
  std::vector<const Parsed*> ptrs() const {
    std::vector<const Parsed*> out;
    for (const auto& p : parsed) out.push_back(&p);
    return out;
  }
};

Program analyse_request(const Request& r, Units& units, bool whole_program) {
  if (!r.let.empty()) units.parsed.push_back(parse_program(r.let, "--let"));
  units.parsed.push_back(whole_program ? parse_program(r.input, r.origin) : parse_expression(r.input, r.origin));
  if (!r.wrt.empty()) units.parsed.push_back(parse_expression(r.wrt, "--wrt"));
  return analyse(units.ptrs());
}

/// The statement an EXPR argument became (the last one of its unit).
const Statement& expr_statement(const Program& prog, bool has_wrt) {
  MCALC_ASSERT(prog.statements.size() >= (has_wrt ? 2u : 1u), "expression statement missing");
  return prog.statements[prog.statements.size() - (has_wrt ? 2 : 1)];
}

NumberStyle number_style(const Request& r) {
  return r.decimals >= 0 ? NumberStyle{r.decimals, true} : NumberStyle{r.precision, false};
}

Layout parse_layout(const std::string& s) {
  if (s == "numerator") return Layout::Numerator;
  if (s == "denominator") return Layout::Denominator;
  throw UserError(Msg::BadOption, {"--layout must be numerator or denominator, not '" + s + "'"});
}

QueryOp verb_query(Verb v) {
  return v == Verb::Grad ? QueryOp::Grad : v == Verb::Hessian ? QueryOp::Hessian : QueryOp::Diff;
}

/// The variable of --wrt: the last statement, a plain input variable.
Expr wrt_variable(const Program& prog, const Units& units) {
  const Statement& s = prog.statements.back();
  const Expr& e = s.expr;
  if (!e || e->kind != Kind::Var || !e->args.empty())
    throw UserError(Msg::WrtNotVariable, units.parsed.back().loc(units.parsed.back().program()),
                    {units.parsed.back().source()->text});
  return e;
}

Expr differentiate(QueryOp op, const Expr& f, const Expr& wrt, Layout layout) {
  switch (op) {
    case QueryOp::Diff: return derivative(f, wrt, layout);
    case QueryOp::Grad: return gradient(f, wrt);
    case QueryOp::Hessian: return hessian(f, wrt);
  }
  MCALC_UNREACHABLE("unknown query");
}

std::string layout_note(QueryOp op, Layout layout) {
  if (op == QueryOp::Grad) return "gradient (shape of the variable)";
  if (op == QueryOp::Hessian) return "hessian (n x n)";
  return layout == Layout::Numerator ? "numerator (rows: entries of f, columns: entries of the variable)"
                                     : "denominator (rows: entries of the variable, columns: entries of f)";
}

/// Values from --at and from declarations; null when the request has none.
std::optional<Bindings> bindings_for(const Request& r, const Program& prog, bool required) {
  bool declared = false;
  for (const auto& [name, sym] : prog.symbols) declared = declared || sym.value != nullptr;
  if (r.at.empty() && !declared && !required) return std::nullopt;
  return mcalc::bind(prog, r.at.empty() ? std::vector<ValueSpec>{} : parse_values(r.at, "--at"));
}

/// --format npy: the value written to --output as a NumPy file; nothing is printed.
int write_npy(const Request& r, const std::optional<Eigen::MatrixXd>& value, const Shape& shape) {
  if (!value) throw UserError(Msg::BadOption, {"--format npy writes a value: give the values with --at"});
  save_npy(r.output, *value, shape);
  return Ok;
}

int do_describe(const Request& r, std::ostream& out) {
  Units units;
  Program prog = analyse_request(r, units, false);
  const Statement& st = expr_statement(prog, false);
  std::optional<Eigen::MatrixXd> value;
  if (r.verb == Verb::Eval) {
    auto b = bindings_for(r, prog, true);
    value = evaluate(st.expr, *b);
  }
  if (r.format == "npy") return write_npy(r, value, st.expr->shape);
  if (r.format == "json") {
    json j;
    j["expr"] = to_text(st.expr);
    j["types"] = types_json(prog);
    j["shape"] = st.expr->shape.str();
    if (value) j["value"] = value_json(*value, st.expr->shape);
    out << j.dump(2) << '\n';
    return Ok;
  }
  if (r.format == "latex") {
    out << to_latex(st.expr) << '\n';
    return Ok;
  }
  if (value) {
    out << format_value(*value, st.expr->shape, number_style(r)) << '\n';
    return Ok;
  }
  out << to_text(st.expr) << '\n';
  if (r.verb == Verb::CheckTypes) out << "shape: " << st.expr->shape.str() << '\n';
  out << types_text(prog);
  if (r.verb == Verb::Parse) out << "shape: " << st.expr->shape.str() << '\n';
  return Ok;
}

struct QueryResult {
  Expr result;
  std::optional<Eigen::MatrixXd> value;
  std::optional<CheckReport> check;
};

QueryResult answer_query(const Request& r, const Program& prog, QueryOp op, const Expr& f, const Expr& wrt,
                         Layout layout, const std::optional<Bindings>& b) {
  QueryResult q;
  q.result = differentiate(op, f, wrt, layout);
  if (b) q.value = evaluate(q.result, *b);
  if (r.check) {
    // A random point where every finite difference is zero (a dead ReLU, say)
    // tests nothing: try a few more before settling for one.
    Bindings point;
    unsigned seed = r.seed;
    for (unsigned attempt = 0; attempt < (b ? 1u : 8u); ++attempt) {
      seed = r.seed + 1000u * attempt;
      point = b ? *b : random_point(prog, {f, wrt}, seed);
      q.check = check_derivative(op, f, wrt, layout, q.result, point);
      if (!q.check->trivial) break;
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

/// --emit: the queries as code, one function each (name, name_2, ... for several).
int emit_queries(const Request& r, const Program& prog, const std::vector<const Statement*>& queries,
                 Layout layout, std::ostream& out) {
  std::vector<EmitFunction> fns;
  for (const Statement* st : queries) {
    EmitFunction fn;
    fn.name = fns.empty() ? r.emit_name : r.emit_name + "_" + std::to_string(fns.size() + 1);
    fn.f = st->expr;
    fn.wrt = st->wrt;
    fn.op = st->op;
    fn.layout = layout;
    fn.derivative = differentiate(st->op, st->expr, st->wrt, layout);
    fn.inputs = emit_inputs(prog, st->expr, st->wrt);
    fns.push_back(std::move(fn));
  }
  if (fns.empty()) throw UserError(Msg::BadOption, {"--emit writes the queries of the program as code, but it has none"});
  out << emit_module(emit_target(r.emit), fns, r.emit_check);
  return Ok;
}

int do_derivative(const Request& r, std::ostream& out) {
  Units units;
  Program prog = analyse_request(r, units, false);
  if (r.wrt.empty()) throw UserError(Msg::BadOption, {"--wrt VAR is required"});
  const Statement& st = expr_statement(prog, true);
  Expr wrt = wrt_variable(prog, units);
  Layout layout = parse_layout(r.layout);
  QueryOp op = verb_query(r.verb);
  if (!r.emit.empty()) {
    Statement q{Statement::Kind::Query, st.loc, {}, st.expr, op, wrt};
    return emit_queries(r, prog, {&q}, layout, out);
  }
  auto b = bindings_for(r, prog, false);
  QueryResult q = answer_query(r, prog, op, st.expr, wrt, layout, b);
  std::optional<ExpandedOutput> expanded;
  if (r.expand) expanded = expand_output(op, st.expr, wrt, layout, q.result, b);
  if (r.format == "npy") return write_npy(r, q.value, q.result->shape);

  if (r.format == "json") {
    json j;
    j["expr"] = to_text(st.expr);
    j["wrt"] = wrt->name;
    j["op"] = query_name(op);
    j["layout"] = op == QueryOp::Diff ? r.layout : (op == QueryOp::Grad ? "gradient" : "hessian");
    j["types"] = types_json(prog);
    j["result"] = to_text(q.result);
    j["shape"] = q.result->shape.str();
    j["latex"] = to_latex(q.result);
    if (q.value) j["value"] = value_json(*q.value, q.result->shape);
    if (q.check) j["check"] = check_json(*q.check);
    if (expanded) j.update(expanded->json);
    out << j.dump(2) << '\n';
  } else if (r.format == "latex") {
    out << derivative_latex(op, st.expr, wrt, layout, q.result) << '\n';
    if (expanded) out << expanded->latex;
  } else {
    out << to_text(q.result) << '\n';
    out << "layout: " << layout_note(op, layout) << '\n';
    out << "shape: " << q.result->shape.str() << '\n';
    out << types_text(prog);
    if (q.value) out << "value: " << format_value(*q.value, q.result->shape, number_style(r)) << '\n';
    if (q.check) out << check_text(*q.check);
    if (expanded) out << expanded->text;
  }
  if (expanded && !expanded->passed) return CheckFailed;
  return q.check && !q.check->passed ? CheckFailed : Ok;
}

int do_run(const Request& r, std::ostream& out) {
  Units units;
  Program prog = analyse_request(r, units, true);
  Layout layout = parse_layout(r.layout);
  if (!r.emit.empty()) {
    std::vector<const Statement*> queries;
    for (const Statement& st : prog.statements)
      if (st.kind == Statement::Kind::Query) queries.push_back(&st);
    return emit_queries(r, prog, queries, layout, out);
  }
  auto b = bindings_for(r, prog, false);
  json results = json::array();
  bool failed = false;
  for (const Statement& st : prog.statements) {
    if (st.kind == Statement::Kind::Declaration || st.kind == Statement::Kind::Definition) continue;
    json item;
    std::string line;
    if (st.kind == Statement::Kind::Evaluate) {
      item["expr"] = to_text(st.expr);
      item["shape"] = st.expr->shape.str();
      line = to_text(st.expr);
      if (b) {
        Eigen::MatrixXd v = evaluate(st.expr, *b);
        item["value"] = value_json(v, st.expr->shape);
        line += " = " + format_value(v, st.expr->shape, number_style(r));
      } else {
        line += " : " + st.expr->shape.str();
      }
    } else {
      QueryResult q = answer_query(r, prog, st.op, st.expr, st.wrt, layout, b);
      item["op"] = query_name(st.op);
      item["expr"] = to_text(st.expr);
      item["wrt"] = st.wrt->name;
      item["result"] = to_text(q.result);
      item["shape"] = q.result->shape.str();
      item["latex"] = to_latex(q.result);
      line = std::string(query_name(st.op)) + "(" + to_text(st.expr) + ", " + st.wrt->name + ") = " +
             to_text(q.result);
      if (q.value) {
        item["value"] = value_json(*q.value, q.result->shape);
        line += "\n  = " + format_value(*q.value, q.result->shape, number_style(r));
      }
      if (q.check) {
        item["check"] = check_json(*q.check);
        line += "\n" + check_text(*q.check);
        failed = failed || !q.check->passed;
      }
      if (r.format == "latex") line = derivative_latex(st.op, st.expr, st.wrt, layout, q.result);
    }
    results.push_back(item);
    if (r.format != "json") out << line << (line.back() == '\n' ? "" : "\n");
  }
  if (r.format == "json") {
    json j;
    j["types"] = types_json(prog);
    j["results"] = results;
    out << j.dump(2) << '\n';
  }
  return failed ? CheckFailed : Ok;
}

}  // namespace

int run(const Request& req, std::ostream& out, std::ostream& err) {
  try {
    const bool writes_value = req.verb == Verb::Eval || req.verb == Verb::Diff || req.verb == Verb::Grad ||
                              req.verb == Verb::Hessian;
    if (req.format != "text" && req.format != "json" && req.format != "latex" &&
        !(req.format == "npy" && writes_value))
      throw UserError(Msg::BadOption, {"--format must be text, json or latex" +
                                       std::string(writes_value ? " (or npy with --output)" : "") + ", not '" +
                                       req.format + "'"});
    if ((req.format == "npy") != !req.output.empty())
      throw UserError(Msg::BadOption, {"--format npy and --output FILE go together"});
    if (!req.emit.empty()) {
      emit_target(req.emit);  // a known target
      if (req.check || req.expand || req.format != "text")
        throw UserError(Msg::BadOption, {"--emit prints code only: it does not combine with --check, --expand or "
                                         "--format (the generated check_<name> is --emit-check)"});
      bool identifier = !req.emit_name.empty() && !std::isdigit(static_cast<unsigned char>(req.emit_name[0]));
      for (char ch : req.emit_name) identifier = identifier && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
      if (!identifier) throw UserError(Msg::BadOption, {"--name must be an identifier, not '" + req.emit_name + "'"});
    }
    if (req.format == "npy" && (req.check || req.expand))
      throw UserError(Msg::BadOption, {"--format npy writes only the value; --check and --expand print reports "
                                       "(use --format text or json)"});
    switch (req.verb) {
      case Verb::Parse:
      case Verb::CheckTypes:
      case Verb::Eval: return do_describe(req, out);
      case Verb::Run: return do_run(req, out);
      case Verb::Diff:
      case Verb::Grad:
      case Verb::Hessian: return do_derivative(req, out);
      case Verb::Step: return do_step(req, out);
      case Verb::Train: return do_train(req, out);
    }
    MCALC_UNREACHABLE("unknown verb");
  } catch (const UserError& e) {
    err << render_error(e);
    return UserFailure;
  } catch (const InternalError& e) {
    err << e.what() << "\nThis is a bug in mcalc; please report it with the input above.\n";
    return InternalFailure;
  } catch (const std::bad_alloc&) {
    err << "error: out of memory\n";
    return UserFailure;
  } catch (const std::exception& e) {
    err << "internal error: " << e.what() << '\n';
    return InternalFailure;
  }
}

}  // namespace mcalc::driver
