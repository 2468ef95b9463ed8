#pragma once
// The evaluator's internal value: a dense matrix, or one of the structured
// forms the language builds by name (eye, ones, zeros, diag) kept small so
// that products with them cost O(n) instead of O(n^2) memory.
#include <functional>
#include <map>
#include <string>

#include <Eigen/Dense>

#include "mcalc/errors.hpp"
#include "mcalc/shape.hpp"

namespace mcalc::eval {

struct Value {
  enum class Form {
    Dense,     // `dense`
    Diagonal,  // diag(`diag`), square
    Identity,  // s * eye(rows)
    Constant,  // every entry equal to s (ones, zeros, scaled ones)
  };
  Form form = Form::Dense;
  long rows = 1, cols = 1;
  Eigen::MatrixXd dense;
  Eigen::VectorXd diag;
  double s = 0;

  // Constructors normalise: a 1 x 1 value is always Dense.
  static Value of(Eigen::MatrixXd m);
  static Value scalar(double v);
  static Value diagonal(Eigen::VectorXd d);
  static Value identity(long n, double s = 1);
  static Value constant(long rows, long cols, double s);

  bool is_scalar() const { return rows == 1 && cols == 1; }
  bool is_dense() const { return form == Form::Dense; }
  double scalar_value() const;  // a 1 x 1 value
  /// Entry (r, c), 0-based.
  double at(long r, long c) const;
  /// The dense matrix (checks the element limit first).
  Eigen::MatrixXd materialise(const Loc& loc) const;
};

/// Throws TooManyElements when a rows x cols dense result would exceed limits::max_elements.
void check_size(long rows, long cols, const Loc& loc);
std::string size_str(long rows, long cols);   // "3 x 2"
std::string shape_str(long rows, long cols);  // "matrix(3, 2)", "vector(3)", "scalar"

using Unary = std::function<double(double)>;
using Binary = std::function<double(double, double)>;

Value scale(const Value& a, double k);
Value divide(const Value& a, double k);
Value add(const Value& a, const Value& b, double sign, const Loc& loc);  // a + sign*b, broadcasting
Value matmul(const Value& a, const Value& b, const Loc& loc);           // scaling or matrix product
Value hadamard(const Value& a, const Value& b, const Loc& loc);
Value transpose(const Value& a);
Value map(const Value& a, const Unary& f, const Loc& loc);
Value zip(const Value& a, const Value& b, const Binary& f, const Loc& loc);  // broadcasting
double sum(const Value& a);
double norm2(const Value& a);
double norm1(const Value& a);
double trace(const Value& a);
double det(const Value& a);
double logdet(const Value& a, const Loc& loc);
Value inverse(const Value& a, const char* what, const Loc& loc);
Value diag_of(const Value& v, const Loc& loc);  // vector -> diagonal matrix
Value diag_vec(const Value& a, const Loc& loc);  // square matrix -> its diagonal
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

std::string format_number(double v);

}  // namespace mcalc::eval
