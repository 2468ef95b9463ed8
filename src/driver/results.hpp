#pragma once
// What each verb computes, as plain data. A verb (src/driver/driver.cpp,
// src/driver/train_verbs.cpp) builds one of these; a renderer per format
// (src/driver/render.hpp) writes it out. Nothing here knows about formats.
//
// Adding a verb: add its result struct here and to `Result`, add one pure
// virtual `render` overload to `Renderer` (render.hpp); the compiler then lists
// the four renderers (render_text.cpp, render_json.cpp, render_latex.cpp,
// render_markdown.cpp) that must say how it looks.
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <Eigen/Core>

#include "driver/expand_output.hpp"
#include "mcalc/check.hpp"
#include "mcalc/derive.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/driver.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/train.hpp"

namespace mcalc::driver {

/// One name of the program with its type, in declaration / first-use order.
struct TypeEntry {
  std::string name;
  Shape shape;
  Symbol::Origin origin;
};
using Types = std::vector<TypeEntry>;
Types types_of(const Program& prog);

/// parse, check-types, eval: an expression, its shape and names, its value.
struct DescribeResult {
  Verb verb = Verb::Parse;
  std::string text;  // EXPR in canonical form; a query prints as diff(f, x), its expr is the derivative
  Expr expr;
  Types types;
  std::optional<Eigen::MatrixXd> value;  // eval
};

/// One derivative query answered: op(f, wrt) = result.
struct Answer {
  QueryOp op = QueryOp::Diff;
  Layout layout = Layout::Numerator;
  Expr f, wrt, result;
  Shared shown;                          // the result as printed: shared subexpressions named once
  std::optional<Eigen::MatrixXd> value;  // at --at or declared values
  std::optional<check::FdReport> check;  // --check
  bool failed() const { return check && !check->passed; }
};

/// diff, grad, hessian.
struct DerivativeResult {
  Answer answer;
  Types types;
  std::optional<Expansion> expanded;  // --expand
  bool failed() const { return answer.failed() || (expanded && !expanded->passed); }
};

/// derive: a derivation step by step (include/mcalc/derive.hpp), with values at --at.
struct DeriveResult {
  Derivation d;
  Shared shown;  // the result with shared subexpressions named
  Types types;
  // With values (--at or declared): one per intermediate, partial, chain step, adjoint; and the result's.
  std::vector<Eigen::MatrixXd> intermediate_values, partial_values, chain_values, adjoint_values;
  std::optional<Eigen::MatrixXd> value;
  bool standalone = false;  // LaTeX: a whole document
  bool otimes = false;      // the Hadamard product as ⊗
};

/// A statement `f` of a program: its shape, and its value when there are values.
struct Evaluation {
  Expr expr;
  std::optional<Eigen::MatrixXd> value;
};

/// check, and a check(QUERY, ANSWER) statement of a program: the verdict on an answer.
struct CheckVerdict {
  check::Result result;
  check::LayoutChoice layout = check::LayoutChoice::Numerator;
  bool failed() const { return check::exit_code(result.verdict, layout) != 0; }
};

/// check --batch: the verdict of every record, in input order (then a summary of the counts).
struct BatchReport {
  std::vector<std::string> ids;
  std::vector<check::Result> results;
};

/// run: the results of a program's statements in order.
struct RunResult {
  Types types;
  std::vector<std::variant<Evaluation, Answer, CheckVerdict, DeriveResult>> items;
  bool failed() const;
};

/// step: one gradient-descent step shown neuron by neuron.
struct StepReport {
  train::StepResult step;
  std::string loss_text;               // the loss's definition
  std::vector<std::string> data;       // the names that are data
  std::map<std::string, Shape> shapes;  // of the parameters
  int decimals = 4;                    // the lecture's four decimals unless --decimals
};

/// train: the trained parameters and the loss per epoch.
struct TrainReport {
  train::TrainResult result;
  std::string loss, data_file, save, loss_csv;
  long samples = 0, batch = 0;
  bool vectorised = false;
  double lr = 0;
  int epochs = 0;
  unsigned seed = 0;
  std::map<std::string, Shape> shapes;  // of the parameters
  std::map<std::string, Expr> nodes;    // the parameters' variables
};

using Result = std::variant<DescribeResult, DerivativeResult, DeriveResult, RunResult, StepReport, TrainReport,
                            CheckVerdict, BatchReport>;

}  // namespace mcalc::driver
