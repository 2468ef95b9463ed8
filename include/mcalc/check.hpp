#pragma once
// The oracles of mcalc, in one stage: the finite-difference check of a
// closed-form derivative (`--check`, the derivative tests) and the checker
// of answers (`mcalc check`, `check(diff(f, w), ANSWER)`), which decides
// whether an answer written in the language equals the derivative mcalc
// computes, and why not when it does not (docs/checking.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "mcalc/diff.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::check {

// ---- finite differences ---------------------------------------------------

/// The step of a central difference at x: h = eps^(1/3) * max(1, |x|), which
/// balances truncation (~h^2) against rounding (~eps/h).
double fd_step(double x);

/// The numerator-layout Jacobian of vec(f) by vec(var) at `point` by central
/// differences of f (f evaluated with `var` perturbed entry by entry), steps h
/// and h/2 combined by Richardson extrapolation (truncation error O(h^4)). With
/// `rounding`, also the bound on each entry's rounding error, eps (|f(x + h)| +
/// |f(x - h)|) / 2h: what the differences cannot resolve.
Eigen::MatrixXd fd_jacobian(const Expr& f, const std::string& var, const Bindings& point,
                            Eigen::MatrixXd* rounding = nullptr);

/// The Hessian of the scalar f by vec(var) at `point` by second central
/// differences (steps h = eps^(1/4) * max(1, |x|) and h/2, Richardson-extrapolated), and with `rounding` the bound on
/// each entry's rounding error, eps (sum of the four |f|) / 4 h_k h_l.
Eigen::MatrixXd fd_hessian(const Expr& f, const std::string& var, const Bindings& point,
                           Eigen::MatrixXd* rounding = nullptr);

/// The value `d` of op(f, wrt) in `layout`, rearranged as the numerator
/// Jacobian of vec(f) by vec(wrt) (for a Hessian: as is). A gradient and a
/// scalar's derivative by a matrix become one row; a derivative by a scalar
/// one column. Asserts that `d` has the size op(f, wrt) has.
Eigen::MatrixXd as_jacobian(QueryOp op, const Eigen::MatrixXd& d, const Expr& f, const Expr& wrt, Layout layout);

/// The smallest distance of any kink argument in e (step, heaviside, relu,
/// abs, sign, leaky_relu, norm1, max/min of a difference) from its kink at
/// `b`; kinks of constants do not count. +inf when there is none.
double kink_distance(const Expr& e, const Bindings& b);

/// Values for every input that `roots` depend on: declared values first, then
/// random ones (symbolic dimensions get random sizes 2..4), drawn again (up to
/// four times) until every sub-expression of the roots is finite. `--check`
/// passes f, the variable and the closed form: at c < 0 the closed form of
/// c^g^c^44444444 by g has log(c), undefined, where f is c by underflow.
/// Deterministic in `seed`.
Bindings random_point(const Program& prog, const std::vector<Expr>& roots, unsigned seed);

struct FdReport {
  double max_rel_error = 0;  // max over entries of |closed - fd| / (1 + |fd|)
  double tolerance = 0;
  bool passed = false;
  bool trivial = false;      // the finite differences are all zero there (e.g. a dead ReLU)
  bool unresolved = false;   // f's values are so large that rounding swamps the differences
  double resolution = 0;     // the largest rounding error of a difference, relative as max_rel_error
  std::string where;         // "at the given values" or "at a random point (seed 1; n = 3)"
};

/// Compares `closed` (the result of op(f, wrt) in `layout`) with central differences of f at `point`.
FdReport check_derivative(QueryOp op, const Expr& f, const Expr& wrt, Layout layout, const Expr& closed,
                          const Bindings& point);

// ---- answers ----------------------------------------------------------------

/// What the answer is compared with: op(expr, wrt) under the declarations `let`.
struct Question {
  std::string expr;
  std::string wrt;
  std::string let;
  QueryOp op = QueryOp::Diff;
};

/// numerator / denominator: the answer must be in that layout; any: either is right.
enum class LayoutChoice { Numerator, Denominator, Any };

struct Options {
  LayoutChoice layout = LayoutChoice::Numerator;
  unsigned seed = 1;
  double timeout = 2.0;  // seconds per answer (check_isolated and batches)
};

enum class Verdict {
  Correct,
  CorrectUpToLayout,  // the transpose of the expected one (the other layout)
  WrongShape,
  Incorrect,
  InvalidAnswer,      // a located parse or type error in the answer
  InvalidQuestion,    // a located error in the question
  TooComplex,         // past a limit (time, memory, size) before a verdict
};
/// "correct", "correct up to layout", "wrong shape", "incorrect", "invalid answer",
/// "invalid question", "too complex".
const char* verdict_name(Verdict v);
/// 0 correct (and correct up to layout with LayoutChoice::Any); 1 incorrect,
/// wrong shape, correct up to layout otherwise; 2 invalid or too complex.
int exit_code(Verdict v, LayoutChoice layout);

/// Where an answer and the derivative differ: sizes, every name's value
/// (as the language writes literals) and both values there.
struct Counterexample {
  std::map<std::string, long> sizes;
  std::vector<std::pair<std::string, std::string>> values;  // name, value, in order of first use
  std::string expected;    // the derivative's value
  std::string answer;      // the answer's value
  std::string difference;  // the largest difference of an entry
};

struct Result {
  Verdict verdict = Verdict::Incorrect;
  std::string question;        // "diff(x'*A*x, x)"
  std::string expected;        // mcalc's derivative, as text
  std::string expected_shape;  // "vector(n)'"
  std::string answer;          // the answer as written
  std::string answer_shape;
  std::string diagnosis;       // a proved diagnosis, or ""
  std::string decided_by;      // "canonical form", "exact expansion at n=2,3,4", "24 random points at 40 digits"
  std::optional<Counterexample> counterexample;
  std::string error;           // invalid answer / question, too complex: the rendered, located error
};

/// Checks `answer` against op(question). Every error of the question or the
/// answer becomes the verdict (InvalidQuestion, InvalidAnswer, TooComplex);
/// an InternalError propagates.
Result check_answer(const Question& question, const std::string& answer, const Options& options = {});

/// The verdict on `answer`, an analysed expression in the names of f, as an
/// answer to op(f, wrt) (a `check(diff(f, w), ANSWER)` statement). Errors of
/// the question are UserErrors; limits give TooComplex.
Result judge(QueryOp op, const Expr& f, const Expr& wrt, const Expr& answer, const Options& options = {});

/// check_answer in a child process bounded by options.timeout seconds and a
/// memory limit: past either the verdict is TooComplex, and nothing the
/// answer does can take the caller down.
Result check_isolated(const Question& question, const std::string& answer, const Options& options = {});

/// One record of a batch.
struct Record {
  std::string id;
  Question question;
  std::string answer;
  std::string error;  // a record that could not be read: its reason (the verdict is InvalidAnswer)
};

/// Records of a JSON Lines file (one object a line with id, expr, wrt, let, op,
/// answer) or, when `csv`, of a CSV file with a header naming those columns.
/// A bad line becomes a record with `error` set; the others are read.
std::vector<Record> read_records(const std::string& text, bool csv);

/// Checks every record, `jobs` at a time, each in its own bounded child
/// process; results in input order.
std::vector<Result> check_batch(const std::vector<Record>& records, const Options& options, int jobs);

/// The result as JSON (verdict, diagnosis, counterexample, decided_by, error, ...).
nlohmann::ordered_json to_json(const Result& r);
/// The inverse of to_json (results of child processes).
Result result_from_json(const nlohmann::ordered_json& j);

}  // namespace mcalc::check
