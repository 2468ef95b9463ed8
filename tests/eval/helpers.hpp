#pragma once
// Shared helpers of the evaluator tests.
#include <initializer_list>
#include <sstream>
#include <string>

#include <Eigen/Dense>

#include "mcalc/eval.hpp"

namespace mcalc::test {

/// A matrix from rows of numbers: mat({{1, 2}, {3, 4}}).
inline Eigen::MatrixXd mat(std::initializer_list<std::initializer_list<double>> rows) {
  Eigen::MatrixXd m(static_cast<long>(rows.size()), static_cast<long>(rows.begin()->size()));
  long r = 0;
  for (const auto& row : rows) {
    long c = 0;
    for (double v : row) m(r, c++) = v;
    ++r;
  }
  return m;
}

/// A column vector: col({1, 2, 3}).
inline Eigen::MatrixXd col(std::initializer_list<double> v) {
  Eigen::MatrixXd m(static_cast<long>(v.size()), 1);
  long r = 0;
  for (double x : v) m(r++, 0) = x;
  return m;
}

inline Eigen::MatrixXd scalar(double v) { return Eigen::MatrixXd::Constant(1, 1, v); }

inline bool near(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, double tol = 1e-12) {
  return a.rows() == b.rows() && a.cols() == b.cols() && (a - b).cwiseAbs().maxCoeff() <= tol;
}

/// Describes both sides of a failed comparison (small matrices in full).
inline std::string describe(const Eigen::MatrixXd& got, const Eigen::MatrixXd& expected) {
  std::ostringstream os;
  os << "got " << got.rows() << " x " << got.cols() << ", expected " << expected.rows() << " x "
     << expected.cols();
  if (got.size() <= 64 && expected.size() <= 64) os << "\ngot\n" << got << "\nexpected\n" << expected;
  else if (got.rows() == expected.rows() && got.cols() == expected.cols())
    os << "; largest difference " << (got - expected).cwiseAbs().maxCoeff();
  return os.str();
}

}  // namespace mcalc::test

/// Checks two matrices agree entrywise within tol, printing both when they do not.
#define CHECK_MAT_TOL(got, expected, tol)                                 \
  do {                                                                     \
    Eigen::MatrixXd got_ = (got), expected_ = (expected);                  \
    bool near_ = ::mcalc::test::near(got_, expected_, (tol));              \
    if (!near_) FAIL_CHECK(::mcalc::test::describe(got_, expected_));      \
    else SUCCEED();                                                        \
  } while (0)
#define CHECK_MAT(got, expected) CHECK_MAT_TOL(got, expected, 1e-12)
