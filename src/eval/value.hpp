#pragma once
// The evaluator's internal value: a dense matrix, or one of the structured
// forms the language builds by name (eye, ones, zeros, diag) kept small so
// that products with them cost O(n) instead of O(n^2) memory.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <Eigen/Dense>

#include "mcalc/errors.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/shape.hpp"

namespace mcalc::eval {

// Dense data is held through a shared pointer to const: copying a Value (into
// the memo, through an intermediate variable, `x + zeros`) never copies the
// matrix, and a variable's value can borrow the binding's storage.
struct Value {
  enum class Form {
    Dense,     // `dense`
    Diagonal,  // diag(`diag`), square
    Identity,  // s * eye(rows)
    Constant,  // every entry equal to s (ones, zeros, scaled ones)
  };
  Form form = Form::Dense;
  long rows = 1, cols = 1;
  Eigen::VectorXd diag;
  double s = 0;

  // Constructors normalise: a 1 x 1 value is always Dense.
  static Value of(Eigen::MatrixXd m);
  /// A dense value viewing `m` in place (no copy); `m` must outlive the
  /// value and all its copies and must not change meanwhile.
  static Value borrow(const Eigen::MatrixXd& m);
  static Value scalar(double v);
  static Value diagonal(Eigen::VectorXd d);
  static Value identity(long n, double s = 1);
  static Value constant(long rows, long cols, double s);

  bool is_scalar() const { return rows == 1 && cols == 1; }
  bool is_dense() const { return form == Form::Dense; }
  /// The matrix of a Dense value.
  const Eigen::MatrixXd& dense() const { return *dense_; }
  /// Whether this Dense value is `m` itself (borrowed, not copied).
  bool views(const Eigen::MatrixXd& m) const { return dense_.get() == &m; }
  double scalar_value() const;  // a 1 x 1 value
  /// Entry (r, c), 0-based.
  double at(long r, long c) const;
  /// The dense matrix (checks the element limit first).
  Eigen::MatrixXd materialise(const Loc& loc) const;

 private:
  std::shared_ptr<const Eigen::MatrixXd> dense_;  // Dense only
};

/// The limits in force on this thread (EvalOptions of the running plan;
/// the defaults elsewhere). Set for the duration of a run by LimitScope.
const EvalOptions& current_limits();
class LimitScope {
 public:
  explicit LimitScope(const EvalOptions& opt);
  ~LimitScope();
  LimitScope(const LimitScope&) = delete;
  LimitScope& operator=(const LimitScope&) = delete;

 private:
  const EvalOptions* saved_;
};

/// Throws TooManyElements when a rows x cols dense result would exceed the element limit.
void check_size(long rows, long cols, const Loc& loc);
/// Throws TooMuchWork when `what` would cost more than the work limit
/// (multiply-adds): checked before the work starts.
void check_work(double cost, const std::string& what, const Loc& loc);
/// The cost of a dense m x k by k x n product, or of factorising an n x n matrix (n^3).
inline double product_cost(long m, long k, long n) {
  return static_cast<double>(m) * static_cast<double>(k) * static_cast<double>(n);
}
std::string size_str(long rows, long cols);   // "3 x 2"
std::string shape_str(long rows, long cols);  // "matrix(3, 2)", "vector(3)", "scalar"

using Unary = std::function<double(double)>;
using Binary = std::function<double(double, double)>;

Value scale(const Value& a, double k);
Value divide(const Value& a, double k);
Value add(const Value& a, const Value& b, double sign, const Loc& loc);  // a + sign*b, broadcasting
Value matmul(const Value& a, const Value& b, const Loc& loc);           // scaling or matrix product
/// op(a)*op(b), op transposing where the flag is set; a dense operand's
/// transpose is folded into the product (A'*v reads A in place).
Value matmul(const Value& a, bool ta, const Value& b, bool tb, const Loc& loc);
/// op(a) + sign*op(b), likewise (A + A' builds no transposed copy).
Value add(const Value& a, bool ta, const Value& b, bool tb, double sign, const Loc& loc);
Value hadamard(const Value& a, const Value& b, const Loc& loc);
Value transpose(const Value& a);
Value map(const Value& a, const Unary& f, const Loc& loc);
Value zip(const Value& a, const Value& b, const Binary& f, const Loc& loc);  // broadcasting
double sum(const Value& a);
double norm2(const Value& a);
double norm1(const Value& a);
double trace(const Value& a);
double det(const Value& a, const Loc& loc);
double logdet(const Value& a, const Loc& loc);
/// Refuses `what` of an n x n matrix past --max-work (n^3 multiply-adds), before it is computed.
void check_cubic(const std::string& what, long n, const Loc& loc);
Value inverse(const Value& a, const char* what, const Loc& loc);
/// adj(A), with adj(A) A = det(A) I, defined at a singular A too.
Value adjugate(const Value& a, const Loc& loc);
Value diag_of(const Value& v, const Loc& loc);  // vector -> diagonal matrix
Value diag_vec(const Value& a, const Loc& loc);  // square matrix -> its diagonal
Value vec(const Value& a, const Loc& loc);       // the columns stacked
Value kron(const Value& a, const Value& b, const Loc& loc);
/// The commutation matrix K (mn x mn) with K vec(A) = vec(A') for an m x n matrix A.
Value commutation(long m, long n, const Loc& loc);
Value matrix_power(const Value& a, long k, const Loc& loc);

/// Sizes of symbolic dimensions and the variable each one came from.
struct DimTable {
  std::map<std::string, long> sizes;
  std::map<std::string, std::string> from;
};

/// Checks a variable's value against its shape, fixing unknown dimensions in
/// `dims`; a 1 x k value for a column shape is transposed in place.
void unify_value(const std::string& name, const Shape& shape, Eigen::MatrixXd& value, const Loc& loc,
                 DimTable& dims);
/// Whether `value` is a flat list (1 x k) given for a column shape, which
/// denotes its transpose.
bool flat_column(const Shape& shape, const Eigen::MatrixXd& value);
/// unify_value for a value of rows x cols that is used as it is (after the
/// caller has transposed a flat column).
void unify_size(const std::string& name, const Shape& shape, long rows, long cols, const Loc& loc,
                DimTable& dims);

}  // namespace mcalc::eval
