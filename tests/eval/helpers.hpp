#pragma once
// Shared helpers of the evaluator tests.
#include <initializer_list>

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

}  // namespace mcalc::test

/// Checks two matrices agree entrywise within tol, printing both when they do not.
#define CHECK_MAT_TOL(got, expected, tol)                              \
  do {                                                                  \
    Eigen::MatrixXd got_ = (got), expected_ = (expected);               \
    INFO("got\n" << got_ << "\nexpected\n" << expected_);                \
    CHECK(::mcalc::test::near(got_, expected_, (tol)));                  \
  } while (0)
#define CHECK_MAT(got, expected) CHECK_MAT_TOL(got, expected, 1e-12)
