// The evaluator's values: borrowed storage, and products and sums that read
// a transposed operand in place, against Eigen computed directly.
#include <catch2/catch.hpp>

#include <random>

#include "eval/value.hpp"
#include "helpers.hpp"

using namespace mcalc;
using namespace mcalc::test;
using eval::Value;
using Eigen::MatrixXd;

namespace {
MatrixXd random_matrix(long r, long c, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(-1, 1);
  MatrixXd m(r, c);
  for (long k = 0; k < m.size(); ++k) m.data()[k] = u(rng);
  return m;
}
MatrixXd op(const MatrixXd& m, bool t) { return t ? MatrixXd(m.transpose()) : m; }
}  // namespace

TEST_CASE("value: a borrowed value views the matrix, copies share it", "[eval][value]") {
  MatrixXd m = mat({{1, 2}, {3, 4}});
  Value v = Value::borrow(m);
  CHECK(v.views(m));
  CHECK(&v.dense() == &m);
  CHECK(v.rows == 2);
  CHECK(v.cols == 2);
  Value copy = v;  // what the memo and intermediate variables do
  CHECK(copy.views(m));
  CHECK(v.at(1, 0) == 3);
  // an owned value keeps its own matrix; copies of it share that matrix
  Value owned = Value::of(m);
  CHECK_FALSE(owned.views(m));
  Value shared = owned;
  CHECK(&shared.dense() == &owned.dense());
  CHECK_MAT(shared.materialise({}), m);
}

TEST_CASE("value: products with transposed operands equal Eigen's", "[eval][value]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<long> size(2, 9);
  for (int trial = 0; trial < 40; ++trial) {
    const long r = size(rng), k = size(rng), c = size(rng);
    for (int flags = 0; flags < 4; ++flags) {
      const bool ta = flags & 1, tb = flags & 2;
      const MatrixXd A = random_matrix(ta ? k : r, ta ? r : k, rng);
      const MatrixXd B = random_matrix(tb ? c : k, tb ? k : c, rng);
      const Value a = Value::borrow(A), b = Value::borrow(B);
      CAPTURE(r, k, c, ta, tb);
      CHECK_MAT_TOL(eval::matmul(a, ta, b, tb, {}).materialise({}), op(A, ta) * op(B, tb), 1e-12);
      // sums op(A) + op(C) and op(A) - op(C), op(C) also r x k
      const MatrixXd C = random_matrix(tb ? k : r, tb ? r : k, rng);
      const Value cv = Value::borrow(C);
      CHECK_MAT_TOL(eval::add(a, ta, cv, tb, 1.0, {}).materialise({}), op(A, ta) + op(C, tb), 1e-12);
      CHECK_MAT_TOL(eval::add(a, ta, cv, tb, -1.0, {}).materialise({}), op(A, ta) - op(C, tb), 1e-12);
    }
  }
  // A + A' reads A twice in place
  const MatrixXd S = random_matrix(5, 5, rng);
  const Value s = Value::borrow(S);
  CHECK_MAT(eval::add(s, false, s, true, 1.0, {}).materialise({}), S + S.transpose());
}

TEST_CASE("value: transposed dense operands with structured and 1 x 1 ones", "[eval][value]") {
  std::mt19937 rng(11);
  const MatrixXd A = random_matrix(4, 3, rng), d = random_matrix(4, 1, rng), e = random_matrix(3, 1, rng);
  const Value a = Value::borrow(A);
  const MatrixXd At = A.transpose();
  // A' (3 x 4) with diag, eye, ones on either side
  CHECK_MAT(eval::matmul(a, true, Value::diagonal(d.col(0)), false, {}).materialise({}),
            At * d.col(0).asDiagonal());
  CHECK_MAT(eval::matmul(Value::diagonal(e.col(0)), false, a, true, {}).materialise({}),
            e.col(0).asDiagonal() * At);
  CHECK_MAT(eval::matmul(a, true, Value::identity(4, 2.5), false, {}).materialise({}), 2.5 * At);
  CHECK_MAT(eval::matmul(Value::identity(3, -1), false, a, true, {}).materialise({}), -At);
  CHECK_MAT(eval::matmul(a, true, Value::constant(4, 2, 0.5), false, {}).materialise({}),
            At * MatrixXd::Constant(4, 2, 0.5));
  CHECK_MAT(eval::matmul(Value::constant(2, 3, 3.0), false, a, true, {}).materialise({}),
            MatrixXd::Constant(2, 3, 3.0) * At);
  // a transposed structured operand is transposed as a value: ones(4, 2)'*A
  CHECK_MAT(eval::matmul(Value::constant(4, 2, 2.0), true, a, false, {}).materialise({}),
            MatrixXd::Constant(2, 4, 2.0) * A);
  // a 1 x 1 operand scales
  CHECK_MAT(eval::matmul(Value::scalar(2), false, a, true, {}).materialise({}), 2 * At);
  CHECK_MAT(eval::matmul(a, true, Value::scalar(-3), true, {}).materialise({}), -3 * At);
  // sums of a transposed dense operand with structured and 1 x 1 ones
  const MatrixXd Q = random_matrix(3, 3, rng);
  const Value q = Value::borrow(Q);
  CHECK_MAT(eval::add(q, true, Value::identity(3, 2), false, 1.0, {}).materialise({}),
            MatrixXd(Q.transpose()) + 2 * MatrixXd::Identity(3, 3));
  CHECK_MAT(eval::add(Value::scalar(1), false, q, true, -1.0, {}).materialise({}),
            (1 - Q.transpose().array()).matrix());
  CHECK_MAT(eval::add(q, true, Value::constant(3, 3, 0), false, 1.0, {}).materialise({}), Q.transpose());
}
