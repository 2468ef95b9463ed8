#pragma once
/// \file
/// Numeric evaluation of the IR with Eigen. Evaluation is memoised over the
/// DAG (a shared node is computed once) and keeps eye, ones, zeros and diag
/// structural, so diag(x)*y or eye(n)*v never build an n x n matrix; a dense
/// matrix is made only when a result is handed back.
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "mcalc/ir.hpp"

namespace mcalc {

struct Program;  // mcalc/sema.hpp

/// Values of the input variables and sizes of the symbolic dimensions.
struct Bindings {
  std::map<std::string, Eigen::MatrixXd> values;
  std::map<std::string, long> dims;
};

/// Evaluates expressions under fixed bindings. Results of shared nodes are
/// kept across calls, so evaluating f and then its derivative reuses the
/// values they have in common. Sizes of dimensions missing from
/// Bindings::dims are taken from the values of the variables that use them.
///
/// The values of the variables are read in place, never copied (except a
/// flat list given for a column vector): a product with a transpose reads
/// the matrix transposed (X'*v builds no X'), a scalar factor scales the
/// smallest operand of a product (c*X'*v scales the vector), and the
/// operands of a product chain are associated to minimise the work.
///
/// Errors are located UserErrors: MissingValue, UnboundDimension,
/// ValueShape, DimensionConflict, IndexOutOfRange, SingularMatrix (inv, negative
/// matrix powers), LogdetNotPositive, TooManyElements. Outside a function's
/// domain the IEEE result stands (log(-1) is NaN, 1/0 is inf).
class Evaluator {
 public:
  /// Owns the bindings (pass an rvalue to avoid copying them).
  explicit Evaluator(Bindings b);
  /// Shares the bindings without copying them. They must not be modified
  /// while the evaluator exists (values computed earlier are kept and may
  /// view them).
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One-shot evaluation (borrows `b`, copies nothing from it).
Eigen::MatrixXd evaluate(const Expr& e, const Bindings& b);

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
