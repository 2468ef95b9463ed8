// Arithmetic on the evaluator's values. Each operation keeps the structured
// forms (diagonal, identity, constant) where the result has the same form and
// builds a dense matrix only when the result is dense anyway.
#include "mcalc/number.hpp"
#include "value.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>

#include "mcalc/limits.hpp"

namespace mcalc::eval {
namespace {
using Eigen::MatrixXd;
using Eigen::VectorXd;
using Form = Value::Form;

bool both(const Value& a, const Value& b, Form f) { return a.form == f && b.form == f; }
bool diagonal_like(const Value& a) { return a.form == Form::Diagonal || a.form == Form::Identity; }

// The diagonal of a Diagonal or Identity value.
VectorXd diagonal_of(const Value& a) {
  return a.form == Form::Diagonal ? a.diag : VectorXd::Constant(a.rows, a.s);
}
}  // namespace

std::string size_str(long rows, long cols) { return std::to_string(rows) + " x " + std::to_string(cols); }

std::string shape_str(long rows, long cols) { return Shape{Dim::lit(rows), Dim::lit(cols)}.str(); }


namespace {
const EvalOptions default_limits{};
thread_local const EvalOptions* limits_in_force = &default_limits;
}  // namespace

const EvalOptions& current_limits() { return *limits_in_force; }
LimitScope::LimitScope(const EvalOptions& opt) : saved_(limits_in_force) { limits_in_force = &opt; }
LimitScope::~LimitScope() { limits_in_force = saved_; }

void check_work(double cost, const std::string& what, const Loc& loc) {
  const double limit = current_limits().max_work;
  if (cost > limit) {
    const NumberStyle g = NumberStyle::significant(6);
    throw UserError(Msg::TooMuchWork, loc, {what, format_number(cost, g), format_number(limit, g)});
  }
}

void check_cubic(const std::string& what, long n, const Loc& loc) {
  check_work(product_cost(n, n, n), what + " of a " + size_str(n, n) + " matrix", loc);
}

void check_size(long rows, long cols, const Loc& loc) {
  const long limit = static_cast<long>(std::min<std::size_t>(current_limits().max_elements, 1L << 62));
  if (rows < 0 || cols < 0 || (rows > 0 && cols > limit / rows))
    throw UserError(Msg::TooManyElements, loc,
                    {std::to_string(rows) + " x " + std::to_string(cols), std::to_string(limit)});
}

Value Value::of(MatrixXd m) {
  Value v;
  v.form = Form::Dense;
  v.rows = m.rows();
  v.cols = m.cols();
  v.dense_ = std::make_shared<const MatrixXd>(std::move(m));
  return v;
}

Value Value::borrow(const MatrixXd& m) {
  Value v;
  v.form = Form::Dense;
  v.rows = m.rows();
  v.cols = m.cols();
  // The aliasing constructor with an empty owner: a pointer that owns nothing.
  v.dense_ = std::shared_ptr<const MatrixXd>(std::shared_ptr<const MatrixXd>(), &m);
  return v;
}

Value Value::scalar(double x) { return of(MatrixXd::Constant(1, 1, x)); }

Value Value::diagonal(VectorXd d) {
  if (d.size() == 1) return scalar(d(0));
  Value v;
  v.form = Form::Diagonal;
  v.rows = v.cols = d.size();
  v.diag = std::move(d);
  return v;
}

Value Value::identity(long n, double s) {
  if (n == 1) return scalar(s);
  Value v;
  v.form = Form::Identity;
  v.rows = v.cols = n;
  v.s = s;
  return v;
}

Value Value::constant(long rows, long cols, double s) {
  if (rows == 1 && cols == 1) return scalar(s);
  Value v;
  v.form = Form::Constant;
  v.rows = rows;
  v.cols = cols;
  v.s = s;
  return v;
}

double Value::scalar_value() const {
  MCALC_ASSERT(is_scalar() && form == Form::Dense, "scalar value expected");
  return (*dense_)(0, 0);
}

double Value::at(long r, long c) const {
  switch (form) {
    case Form::Dense: return (*dense_)(r, c);
    case Form::Diagonal: return r == c ? diag(r) : 0.0;
    case Form::Identity: return r == c ? s : 0.0;
    case Form::Constant: return s;
  }
  return 0;
}

MatrixXd Value::materialise(const Loc& loc) const {
  switch (form) {
    case Form::Dense: return *dense_;
    case Form::Diagonal: check_size(rows, cols, loc); return MatrixXd(diag.asDiagonal());
    case Form::Identity: check_size(rows, cols, loc); return s * MatrixXd::Identity(rows, cols);
    case Form::Constant: check_size(rows, cols, loc); return MatrixXd::Constant(rows, cols, s);
  }
  MCALC_ASSERT(false, "unknown value form");
  return {};
}

Value scale(const Value& a, double k) {
  switch (a.form) {
    case Form::Dense: return Value::of(k * a.dense());
    case Form::Diagonal: return Value::diagonal(k * a.diag);
    case Form::Identity: return Value::identity(a.rows, k * a.s);
    case Form::Constant: return Value::constant(a.rows, a.cols, k * a.s);
  }
  return a;
}

Value divide(const Value& a, double k) {
  switch (a.form) {
    case Form::Dense: return Value::of(a.dense() / k);
    case Form::Diagonal: return Value::diagonal(a.diag / k);
    case Form::Identity: return Value::identity(a.rows, a.s / k);
    case Form::Constant: return Value::constant(a.rows, a.cols, a.s / k);
  }
  return a;
}

Value transpose(const Value& a) {
  switch (a.form) {
    case Form::Dense: return Value::of(a.dense().transpose());
    case Form::Diagonal: return a;
    case Form::Identity: return a;
    case Form::Constant: return Value::constant(a.cols, a.rows, a.s);
  }
  return a;
}

// a + sign*b with scalar broadcasting.
Value add(const Value& a, const Value& b, double sign, const Loc& loc) {
  if (a.is_scalar() && !b.is_scalar()) {
    double x = a.scalar_value();
    if (b.form == Form::Constant) return Value::constant(b.rows, b.cols, x + sign * b.s);
    if (b.is_dense()) return Value::of((sign * b.dense().array() + x).matrix());
    MatrixXd m = b.materialise(loc);
    return Value::of((sign * m.array() + x).matrix());
  }
  if (b.is_scalar() && !a.is_scalar()) {
    double y = sign * b.scalar_value();
    if (a.form == Form::Constant) return Value::constant(a.rows, a.cols, a.s + y);
    if (a.is_dense()) return Value::of((a.dense().array() + y).matrix());
    MatrixXd m = a.materialise(loc);
    return Value::of((m.array() + y).matrix());
  }
  MCALC_ASSERT(a.rows == b.rows && a.cols == b.cols, "sizes of a sum: " + size_str(a.rows, a.cols) +
                                                         " and " + size_str(b.rows, b.cols));
  if (b.form == Form::Constant && b.s == 0) return a;          // x + zeros
  if (a.form == Form::Constant && a.s == 0) return scale(b, sign);
  if (both(a, b, Form::Constant)) return Value::constant(a.rows, a.cols, a.s + sign * b.s);
  if (both(a, b, Form::Identity)) return Value::identity(a.rows, a.s + sign * b.s);
  if (diagonal_like(a) && diagonal_like(b)) return Value::diagonal(diagonal_of(a) + sign * diagonal_of(b));
  if (a.is_dense() && diagonal_like(b)) {
    MatrixXd m = a.dense();
    m.diagonal() += sign * diagonal_of(b);
    return Value::of(std::move(m));
  }
  if (diagonal_like(a) && b.is_dense()) {
    MatrixXd m = sign * b.dense();
    m.diagonal() += diagonal_of(a);
    return Value::of(std::move(m));
  }
  if (a.is_dense() && b.form == Form::Constant) return Value::of((a.dense().array() + sign * b.s).matrix());
  if (a.form == Form::Constant && b.is_dense()) return Value::of((sign * b.dense().array() + a.s).matrix());
  if (both(a, b, Form::Dense)) return Value::of(a.dense() + sign * b.dense());
  return Value::of(a.materialise(loc) + sign * b.materialise(loc));
}

Value add(const Value& a, bool ta, const Value& b, bool tb, double sign, const Loc& loc) {
  // Only a sum of two dense matrices reads a transpose in place; a structured
  // or 1 x 1 operand is transposed cheaply (or not at all) first.
  if (ta && !(a.is_dense() && !a.is_scalar() && b.is_dense() && !b.is_scalar()))
    return add(transpose(a), false, b, tb, sign, loc);
  if (tb && !(a.is_dense() && !a.is_scalar() && b.is_dense() && !b.is_scalar()))
    return add(a, ta, transpose(b), false, sign, loc);
  if (!ta && !tb) return add(a, b, sign, loc);
  const MatrixXd &A = a.dense(), &B = b.dense();
  const long rows = ta ? A.cols() : A.rows(), cols = ta ? A.rows() : A.cols();
  MCALC_ASSERT(rows == (tb ? B.cols() : B.rows()) && cols == (tb ? B.rows() : B.cols()),
               "sizes of a sum: " + size_str(rows, cols) + " and transposed operands");
  if (ta && tb) return Value::of((A + sign * B).transpose());
  if (ta) return Value::of(A.transpose() + sign * B);
  return Value::of(A + sign * B.transpose());
}

namespace {
// A (dense, possibly a transposed view) times a structured b.
template <class M>
Value dense_times(const M& A, const Value& b) {
  switch (b.form) {
    case Form::Identity: return Value::of(b.s * A);
    case Form::Diagonal: return Value::of(A * b.diag.asDiagonal());
    // A*c*ones(n, k): every column is c times the row sums of A
    case Form::Constant: return Value::of((b.s * A.rowwise().sum()).replicate(1, b.cols));
    case Form::Dense: break;
  }
  MCALC_ASSERT(false, "dense_times of a dense value");
  return {};
}

// A structured a times B (dense, possibly a transposed view).
template <class M>
Value times_dense(const Value& a, const M& B) {
  switch (a.form) {
    case Form::Identity: return Value::of(a.s * B);
    case Form::Diagonal: return Value::of(a.diag.asDiagonal() * B);
    // c*ones(m, n)*B: every row is c times the column sums of B
    case Form::Constant: return Value::of((a.s * B.colwise().sum()).replicate(a.rows, 1));
    case Form::Dense: break;
  }
  MCALC_ASSERT(false, "times_dense of a dense value");
  return {};
}
}  // namespace

// A product: scaling when either side is 1 x 1, else the matrix product.
Value matmul(const Value& a, const Value& b, const Loc& loc) { return matmul(a, false, b, false, loc); }

Value matmul(const Value& a, bool ta, const Value& b, bool tb, const Loc& loc) {
  // Structured and 1 x 1 operands are transposed cheaply (or not at all) first,
  // so that only dense operands carry a flag below.
  if (ta && !(a.is_dense() && !a.is_scalar())) return matmul(transpose(a), false, b, tb, loc);
  if (tb && !(b.is_dense() && !b.is_scalar())) return matmul(a, ta, transpose(b), false, loc);
  if (a.is_scalar()) {
    if (tb) return Value::of(a.scalar_value() * b.dense().transpose());
    return scale(b, a.scalar_value());
  }
  if (b.is_scalar()) {
    if (ta) return Value::of(b.scalar_value() * a.dense().transpose());
    return scale(a, b.scalar_value());
  }
  const long ar = ta ? a.cols : a.rows, ac = ta ? a.rows : a.cols;
  const long br = tb ? b.cols : b.rows, bc = tb ? b.rows : b.cols;
  MCALC_ASSERT(ac == br, "sizes of a product: " + size_str(ar, ac) + " and " + size_str(br, bc));
  if (a.form == Form::Identity) return tb ? Value::of(a.s * b.dense().transpose()) : scale(b, a.s);
  if (b.form == Form::Identity) return ta ? Value::of(b.s * a.dense().transpose()) : scale(a, b.s);
  if (both(a, b, Form::Diagonal)) return Value::diagonal(a.diag.cwiseProduct(b.diag));
  // ones(m, n)*ones(n, k) = n*ones(m, k)
  if (both(a, b, Form::Constant)) return Value::constant(ar, bc, a.s * b.s * static_cast<double>(ac));
  check_size(ar, bc, loc);
  if (a.form == Form::Diagonal && b.form == Form::Constant)  // diag(d)*c*ones: row i is d_i*c
    return Value::of((a.diag * b.s).replicate(1, bc));
  if (a.form == Form::Constant && b.form == Form::Diagonal)
    return Value::of((b.diag.transpose() * a.s).replicate(ar, 1));
  if (!a.is_dense()) return tb ? times_dense(a, b.dense().transpose()) : times_dense(a, b.dense());
  if (!b.is_dense()) return ta ? dense_times(a.dense().transpose(), b) : dense_times(a.dense(), b);
  // Both dense: Eigen reads a transposed operand in place.
  check_work(product_cost(ar, ac, bc), "a product of " + size_str(ar, ac) + " by " + size_str(br, bc), loc);
  const MatrixXd &A = a.dense(), &B = b.dense();
  MatrixXd r(ar, bc);
  if (ta && tb) r.noalias() = A.transpose() * B.transpose();
  else if (ta) r.noalias() = A.transpose() * B;
  else if (tb) r.noalias() = A * B.transpose();
  else r.noalias() = A * B;
  return Value::of(std::move(r));
}

Value hadamard(const Value& a, const Value& b, const Loc& loc) {
  if (a.is_scalar()) return scale(b, a.scalar_value());
  if (b.is_scalar()) return scale(a, b.scalar_value());
  MCALC_ASSERT(a.rows == b.rows && a.cols == b.cols, "sizes of a Hadamard product");
  if (a.form == Form::Constant) return scale(b, a.s);
  if (b.form == Form::Constant) return scale(a, b.s);
  if (diagonal_like(a) || diagonal_like(b)) {
    // Off the diagonal one factor is zero.
    VectorXd da = diagonal_like(a) ? diagonal_of(a) : VectorXd(a.dense().diagonal());
    VectorXd db = diagonal_like(b) ? diagonal_of(b) : VectorXd(b.dense().diagonal());
    return Value::diagonal(da.cwiseProduct(db));
  }
  (void)loc;
  return Value::of(a.dense().cwiseProduct(b.dense()));
}

Value map(const Value& a, const Unary& f, const Loc& loc) {
  switch (a.form) {
    case Form::Dense: return Value::of(a.dense().unaryExpr(f));
    case Form::Constant: return Value::constant(a.rows, a.cols, f(a.s));
    case Form::Diagonal:
    case Form::Identity:
      if (f(0.0) == 0.0) return Value::diagonal(diagonal_of(a).unaryExpr(f));
      return Value::of(a.materialise(loc).unaryExpr(f));
  }
  return a;
}

// f applied entrywise, a 1 x 1 operand broadcast against the other.
Value zip(const Value& a, const Value& b, const Binary& f, const Loc& loc) {
  if (a.is_scalar() && b.is_scalar()) return Value::scalar(f(a.scalar_value(), b.scalar_value()));
  if (a.is_scalar()) {
    double x = a.scalar_value();
    return map(b, [&](double y) { return f(x, y); }, loc);
  }
  if (b.is_scalar()) {
    double y = b.scalar_value();
    return map(a, [&](double x) { return f(x, y); }, loc);
  }
  MCALC_ASSERT(a.rows == b.rows && a.cols == b.cols, "sizes of an elementwise operation");
  if (both(a, b, Form::Constant)) return Value::constant(a.rows, a.cols, f(a.s, b.s));
  if (both(a, b, Form::Dense)) return Value::of(a.dense().binaryExpr(b.dense(), f));
  MatrixXd x = a.materialise(loc), y = b.materialise(loc);
  return Value::of(x.binaryExpr(y, f));
}

double sum(const Value& a) {
  switch (a.form) {
    case Form::Dense: return a.dense().sum();
    case Form::Diagonal: return a.diag.sum();
    case Form::Identity: return a.s * static_cast<double>(a.rows);
    case Form::Constant: return a.s * static_cast<double>(a.rows) * static_cast<double>(a.cols);
  }
  return 0;
}

// Frobenius norm.
double norm2(const Value& a) {
  switch (a.form) {
    case Form::Dense: return a.dense().norm();
    case Form::Diagonal: return a.diag.norm();
    case Form::Identity: return std::abs(a.s) * std::sqrt(static_cast<double>(a.rows));
    case Form::Constant: return std::abs(a.s) * std::sqrt(static_cast<double>(a.rows) * static_cast<double>(a.cols));
  }
  return 0;
}

// Entrywise sum of absolute values.
double norm1(const Value& a) {
  switch (a.form) {
    case Form::Dense: return a.dense().cwiseAbs().sum();
    case Form::Diagonal: return a.diag.cwiseAbs().sum();
    case Form::Identity: return std::abs(a.s) * static_cast<double>(a.rows);
    case Form::Constant: return std::abs(a.s) * static_cast<double>(a.rows) * static_cast<double>(a.cols);
  }
  return 0;
}

double trace(const Value& a) {
  switch (a.form) {
    case Form::Dense: return a.dense().trace();
    case Form::Diagonal: return a.diag.sum();
    case Form::Identity: return a.s * static_cast<double>(a.rows);
    case Form::Constant: return a.s * static_cast<double>(a.rows);
  }
  return 0;
}

double det(const Value& a, const Loc& loc) {
  switch (a.form) {
    case Form::Dense:
      check_cubic("det", a.rows, loc);
      return a.dense().determinant();
    case Form::Diagonal: return a.diag.prod();
    case Form::Identity: return std::pow(a.s, static_cast<double>(a.rows));
    case Form::Constant: return 0.0;  // rank one (the 1 x 1 case is Dense)
  }
  return 0;
}

// log det A for det A > 0, from the LU factors so that a large determinant
// does not overflow: log det = sum log|u_ii| when the signs multiply to +1.
// A determinant <= 0 is a user error that shows the determinant (its sign
// and size: -1 for -eye(3)); -eye(2), whose determinant is 1, is fine.
double logdet(const Value& a, const Loc& loc) {
  auto fail = [&](double d) { throw UserError(Msg::LogdetNotPositive, loc, {format_number(d, NumberStyle::significant(6))}); };
  // The determinant from its sign and log magnitude (overflows to +-inf, as it should print).
  auto det_of = [](double sign, double log_abs) { return sign == 0 ? 0.0 : sign * std::exp(log_abs); };
  switch (a.form) {
    case Form::Dense: {
      if (a.is_scalar()) {
        if (!(a.dense()(0, 0) > 0)) fail(a.dense()(0, 0));
        return std::log(a.dense()(0, 0));
      }
      check_cubic("logdet", a.rows, loc);
      Eigen::PartialPivLU<MatrixXd> lu(a.dense());
      const MatrixXd& f = lu.matrixLU();
      double sign = lu.permutationP().determinant();
      double log_abs = 0;
      for (long i = 0; i < f.rows(); ++i) {
        double u = f(i, i);
        if (!(u != 0) || std::isnan(u)) fail(std::isnan(u) ? u : 0.0);
        if (u < 0) sign = -sign;
        log_abs += std::log(std::abs(u));
      }
      if (sign < 0) fail(det_of(sign, log_abs));
      return log_abs;
    }
    case Form::Diagonal: {
      double sign = 1, log_abs = 0;
      for (long i = 0; i < a.diag.size(); ++i) {
        const double d = a.diag(i);
        if (!(d != 0) || std::isnan(d)) fail(std::isnan(d) ? d : 0.0);
        if (d < 0) sign = -sign;
        log_abs += std::log(std::abs(d));
      }
      if (sign < 0) fail(det_of(sign, log_abs));
      return log_abs;
    }
    case Form::Identity: {
      // det(s*eye(n)) = s^n: positive for s > 0, or s < 0 with n even.
      const double n = static_cast<double>(a.rows);
      if (!(a.s != 0) || std::isnan(a.s)) fail(std::isnan(a.s) ? a.s : 0.0);
      const double sign = a.s > 0 || a.rows % 2 == 0 ? 1.0 : -1.0;
      const double log_abs = n * std::log(std::abs(a.s));
      if (sign < 0) fail(det_of(sign, log_abs));
      return log_abs;
    }
    case Form::Constant: fail(0.0);
  }
  return 0;
}

Value inverse(const Value& a, const char* what, const Loc& loc) {
  auto singular = [&] { return UserError(Msg::SingularMatrix, loc, {what}); };
  switch (a.form) {
    case Form::Dense: {
      if (a.is_scalar()) {
        if (a.dense()(0, 0) == 0) throw singular();
        return Value::scalar(1.0 / a.dense()(0, 0));
      }
      check_cubic(what, a.rows, loc);
      Eigen::FullPivLU<MatrixXd> lu(a.dense());
      if (!lu.isInvertible()) throw singular();
      return Value::of(lu.inverse());
    }
    case Form::Diagonal:
      if ((a.diag.array() == 0).any()) throw singular();
      return Value::diagonal(a.diag.cwiseInverse());
    case Form::Identity:
      if (a.s == 0) throw singular();
      return Value::identity(a.rows, 1.0 / a.s);
    case Form::Constant: throw singular();
  }
  return a;
}

namespace {
/// p_i = prod_{j != i} d_j, from prefix and suffix products (no division, so a zero d_j is fine).
VectorXd products_but_one(const VectorXd& d) {
  const Eigen::Index n = d.size();
  VectorXd p(n);
  double prefix = 1;
  for (Eigen::Index i = 0; i < n; ++i) {
    p(i) = prefix;
    prefix *= d(i);
  }
  double suffix = 1;
  for (Eigen::Index i = n - 1; i >= 0; --i) {
    p(i) *= suffix;
    suffix *= d(i);
  }
  return p;
}
}  // namespace

Value adjugate(const Value& a, const Loc& loc) {
  if (a.is_scalar()) return Value::scalar(1.0);  // the adjugate of a 1 x 1 matrix
  switch (a.form) {
    case Form::Diagonal: return Value::diagonal(products_but_one(a.diag));
    case Form::Identity: return Value::identity(a.rows, std::pow(a.s, static_cast<double>(a.rows - 1)));
    case Form::Dense: case Form::Constant: {
      // A = U diag(s) V': adj(A) = adj(V') adj(diag(s)) adj(U) = det(U) det(V) V diag(prod_{j != i} s_j) U',
      // since adj(Q) = det(Q) Q' for an orthogonal Q. Unlike det(A) inv(A), defined at a singular A.
      check_cubic("adj", a.rows, loc);
      const MatrixXd m = a.materialise(loc);
      Eigen::BDCSVD<MatrixXd> svd(m, Eigen::ComputeFullU | Eigen::ComputeFullV);
      const MatrixXd& U = svd.matrixU();
      const MatrixXd& V = svd.matrixV();
      const double sign = U.determinant() * V.determinant();
      return Value::of(sign * (V * products_but_one(svd.singularValues()).asDiagonal() * U.transpose()));
    }
  }
  return a;
}

Value diag_of(const Value& v, const Loc& loc) {
  if (v.form == Form::Constant) return Value::identity(v.rows, v.s);  // diag(c*ones(n)) = c*eye(n)
  MatrixXd m = v.materialise(loc);
  MCALC_ASSERT(m.cols() == 1, "diag of a non-vector");
  return Value::diagonal(m.col(0));
}

Value diag_vec(const Value& a, const Loc& loc) {
  switch (a.form) {
    case Form::Dense: return Value::of(a.dense().diagonal());
    case Form::Diagonal: return Value::of(a.diag);
    case Form::Identity: return Value::constant(a.rows, 1, a.s);
    case Form::Constant: return Value::constant(a.rows, 1, a.s);
  }
  (void)loc;
  return a;
}

Value vec(const Value& a, const Loc& loc) {
  if (a.cols == 1) return a;
  check_size(a.rows * a.cols, 1, loc);
  if (a.form == Form::Constant) return Value::constant(a.rows * a.cols, 1, a.s);
  MatrixXd m = a.materialise(loc);
  return Value::of(Eigen::Map<const MatrixXd>(m.data(), m.size(), 1));
}

// kron(A, B): the block matrix [A(i, j) B]; its size is checked before it is built.
Value kron(const Value& a, const Value& b, const Loc& loc) {
  const long rows = a.rows * b.rows, cols = a.cols * b.cols;  // each side is within max_elements
  check_size(rows, cols, loc);
  if (a.form == Form::Identity && b.form == Form::Identity) return Value::identity(rows, a.s * b.s);
  MatrixXd x = a.materialise(loc), y = b.materialise(loc);
  MatrixXd r(rows, cols);
  for (long j = 0; j < a.cols; ++j)
    for (long i = 0; i < a.rows; ++i) r.block(i * b.rows, j * b.cols, b.rows, b.cols) = x(i, j) * y;
  return Value::of(std::move(r));
}

Value commutation(long m, long n, const Loc& loc) {
  check_size(m, n, loc);  // m*n does not overflow
  check_size(m * n, m * n, loc);
  MatrixXd k = MatrixXd::Zero(m * n, m * n);
  // A(i, j) is entry j*m + i of vec(A) and entry i*n + j of vec(A').
  for (long j = 0; j < n; ++j)
    for (long i = 0; i < m; ++i) k(i * n + j, j * m + i) = 1;
  return Value::of(std::move(k));
}

// A^k by repeated squaring; A^0 = I, A^-k = inv(A)^k.
Value matrix_power(const Value& a, long k, const Loc& loc) {
  Value base = k < 0 ? inverse(a, "a negative matrix power", loc) : a;
  unsigned long e = k < 0 ? static_cast<unsigned long>(-k) : static_cast<unsigned long>(k);
  Value result = Value::identity(a.rows);
  while (e > 0) {
    if (e & 1u) result = matmul(result, base, loc);
    e >>= 1u;
    if (e > 0) base = matmul(base, base, loc);
  }
  return result;
}

}  // namespace mcalc::eval
