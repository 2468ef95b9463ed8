#pragma once
/// \file
/// Numeric evaluation of the IR with Eigen (and OpenBLAS for the large
/// symmetric kernels), in two steps: an expression DAG (a value and any number
/// of its derivatives) is compiled once into a Plan, then run with new values
/// as often as needed. eye, ones, zeros and diag stay structural, so diag(x)*y
/// or eye(n)*v never build an n x n matrix; a dense matrix is made only when a
/// result is handed back.
#include <cstddef>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "mcalc/ir.hpp"
#include "mcalc/limits.hpp"

namespace mcalc {

struct Program;  // mcalc/sema.hpp
class Parsed;   // mcalc/parse.hpp

/// Values of the input variables and sizes of the symbolic dimensions.
struct Bindings {
  std::map<std::string, Eigen::MatrixXd> values;
  std::map<std::string, long> dims;
};

/// Limits of one evaluation. Each is checked before the work it bounds, and
/// exceeding one is a located user error (docs/language.md#limits).
struct EvalOptions {
  /// Largest dense value built (rows*cols): TooManyElements. The command line
  /// sets it with --max-elements; a library user may raise it freely.
  std::size_t max_elements = limits::max_elements;
  /// Largest cost of one dense operation in multiply-adds (a product of m x k
  /// by k x n costs m*k*n; det, logdet, inv and matrix powers of n x n cost
  /// n^3 per factorisation or product): TooMuchWork. --max-work.
  double max_work = limits::max_work;
};

/// A warning of an evaluation: where a NaN or an infinity first arose from
/// finite operands (log(-1), 1/0), as a catalogue message with a location.
struct EvalWarning {
  Msg id;
  Loc loc;
  std::vector<std::string> args;
};

class Plan;

/// Evaluates expressions under fixed bindings, one compiled Plan per call
/// (to evaluate repeatedly under changing values, compile a Plan once).
/// Sizes of dimensions missing from Bindings::dims are taken from the values
/// of the variables that use them (and kept for later calls).
///
/// The values of the variables are read in place, never copied (except a
/// flat list given for a column vector): a product with a transpose reads
/// the matrix transposed (X'*v builds no X'), a scalar factor scales the
/// smallest operand of a product (c*X'*v scales the vector), and the
/// operands of a product chain are associated to minimise the work.
///
/// Errors are located UserErrors: MissingValue, UnboundDimension,
/// ValueShape, DimensionConflict, IndexOutOfRange, SingularMatrix (inv, negative
/// matrix powers), LogdetNotPositive, TooManyElements, TooMuchWork. Outside a
/// function's domain the IEEE result stands (log(-1) is NaN, 1/0 is inf), and
/// warnings() says where the first non-finite number arose.
class Evaluator {
 public:
  /// Owns the bindings (pass an rvalue to avoid copying them).
  explicit Evaluator(Bindings b);
  /// Shares the bindings without copying them. They must not be modified
  /// while the evaluator exists.
  explicit Evaluator(std::shared_ptr<const Bindings> b);
  /// Borrows the bindings without copying them: the caller guarantees that
  /// `b` outlives the evaluator and is not modified while it exists.
  ///   Bindings b = ...;  auto ev = Evaluator::borrowing(b);  ev.evaluate(g);
  static Evaluator borrowing(const Bindings& b);
  ~Evaluator();
  Evaluator(Evaluator&&) noexcept;
  Evaluator& operator=(Evaluator&&) noexcept;

  /// The value of `e` as a dense matrix (a scalar is 1 x 1).
  Eigen::MatrixXd evaluate(const Expr& e);
  /// The value of a scalar expression.
  double scalar(const Expr& e);
  /// NaN or infinities that arose in the evaluations so far.
  const std::vector<EvalWarning>& warnings() const;
  void set_options(const EvalOptions& opt);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One-shot evaluation (borrows `b`, copies nothing from it).
Eigen::MatrixXd evaluate(const Expr& e, const Bindings& b, const EvalOptions& opt = {});

/// A compiled evaluation of several roots (a value and its derivatives):
/// the distinct nodes of their DAG in topological order (ir::topo_order),
/// structurally equal subexpressions merged, constant scalars folded, product
/// chains gathered (transposes read in place, scalar factors collected),
/// elementwise chains fused into one blocked loop (with the row-blocked
/// reductions X'*f(X*w + b, y) and sum(f(...)) in the same pass over X), and
/// X'*diag(s)*X as a scaled symmetric rank-k update. Buffers belong to the
/// plan and are reused: a run with values of the same sizes as the previous
/// run allocates nothing for dense and fused nodes (src/eval/README.md).
///   Plan p({loss, grad_w, grad_b});
///   for (batch...) { p.run(bindings); use(p.value(0), p.value(1)); }
class Plan {
 public:
  explicit Plan(std::vector<Expr> roots, EvalOptions opt = {});
  ~Plan();
  Plan(Plan&&) noexcept;
  Plan& operator=(Plan&&) noexcept;

  /// Evaluates every root under `b` (read in place; it must not change
  /// until the results have been read). Errors are located UserErrors, as
  /// for Evaluator.
  void run(const Bindings& b);
  /// The same, with sizes of dimensions known otherwise (from earlier
  /// evaluations) for those that neither b.dims nor the values fix.
  void run(const Bindings& b, const std::map<std::string, long>& known_dims);
  /// The sizes of the dimensions in the last run.
  std::map<std::string, long> dim_sizes() const;
  /// Root k of the last run, as a matrix (a scalar is 1 x 1). A dense
  /// result is returned by reference to the plan's buffer (or the binding it
  /// views); a structured one is materialised.
  Eigen::MatrixXd value(std::size_t k) const;
  double scalar(std::size_t k) const;
  std::size_t roots() const;
  /// Warnings of the last run (see EvalWarning).
  const std::vector<EvalWarning>& warnings() const;
  /// The compiled program, one instruction a line (for tests and docs).
  std::string listing() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The thread counts used by the kernels: OpenMP threads of the fused
/// passes and OpenBLAS threads of the rank-k updates ("omp 2, openblas 2").
std::string thread_report();

/// A value given on the command line (--at): `name = constant expression`.
struct ValueSpec {
  std::string name;
  Eigen::MatrixXd value;
  Loc loc;
};

/// Parses "x = [1; 2; 3]; A = [1, 2; 3, 4]; b = 0.5": a program of
/// definitions whose right sides are constant expressions (analysed and
/// evaluated). Later definitions may use earlier ones. A definition whose
/// whole right side is load("FILE") or load("FILE.npz", "NAME") reads the
/// value from the file (load_matrix), located at the call.
std::vector<ValueSpec> parse_values(const std::string& text, const std::string& origin = "--at");

/// The values a program loads from files, read: `X = load("X.npy")` becomes
/// the declaration `X : matrix(rows, cols)` of the shape read, and
/// `X : matrix(N, d) = load("X.npy")` keeps its declaration (the value's shape
/// is checked against it when bound). Returns the program without the loads;
/// the values read are appended to `loaded`, each located at its call.
Parsed read_loads(const Parsed& parsed, std::vector<ValueSpec>& loaded);

/// Reads a matrix from a file, by its extension (case-insensitive):
///  - .npy: float64 or float32 (either byte order), C or Fortran order, of 0, 1
///    or 2 dimensions; a 1-D array of length n is the column n x 1;
///  - .npz: the array `member` (its name without .npy) of a NumPy archive,
///    stored or deflated; without `member` the archive must hold one array;
///  - .csv: comma-separated numbers, one row per line, with or without a
///    header row (a first row of names); blank lines are skipped;
///  - .mtx: Matrix Market, coordinate or array, real/integer/pattern,
///    general/symmetric/skew-symmetric.
/// Errors are UserErrors located at `at` (the load call) for the file as a
/// whole (CannotReadFile, LoadFormat, NpyMalformed, NpzNoMember, ...), and at
/// the line and column inside a CSV or Matrix Market file (CsvNotNumber,
/// CsvRagged, MtxExpected, ...). The size is checked against
/// limits::max_elements before anything is allocated (TooManyElements).
Eigen::MatrixXd load_matrix(const std::string& path, const std::string& member, const Loc& at);

/// Writes `value` as a float64 .npy file (Fortran order): shape () for a
/// scalar, (n,) for a column vector, (rows, cols) otherwise. CannotWriteFile
/// when the file cannot be written.
void save_npy(const std::string& path, const Eigen::MatrixXd& value, const Shape& shape);
/// The same .npy bytes written to a stream.
void write_npy(std::ostream& out, const Eigen::MatrixXd& value, const Shape& shape);

/// The bindings of an analysed program: declared values (Symbol::value) and
/// the given values (which take precedence). Sizes of symbolic dimensions come
/// from the values. A value that disagrees with the declared or inferred shape
/// (ValueShape), two values giving one dimension different sizes
/// (DimensionConflict), a value for an unknown name or for an intermediate
/// variable are located UserErrors. A flat list [1, 2, 3] given for a
/// vector(n) is accepted as the column it denotes.
Bindings bind(const Program& prog, const std::vector<ValueSpec>& values);

}  // namespace mcalc
