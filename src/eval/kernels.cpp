// Dense kernels that BLAS does better than Eigen alone: X'*diag(s)*X as a
// scaled symmetric rank-k update (OpenBLAS dsyrk on both cores), block by
// block of rows so that no scaled copy of X larger than one block is made.
#include <algorithm>
#include <cmath>

#include <cblas.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "plan.hpp"

namespace mcalc {
namespace eval {

// C = k * A' * diag(s) * B.
// Same matrix: write k*s_i = sign_i * w_i^2; rows with a positive sign are
// scaled by w_i into P, the others into Q, and C += P'P - Q'Q (two syrk
// calls that together touch each row once, n*d^2/2 multiply-adds in all).
// Otherwise C += (diag(k*s_b) A_b)' B_b, one gemm per block.
void gram(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, bool same, const double* s, double k,
          Eigen::MatrixXd& C, Eigen::MatrixXd& scratch) {
  const long N = A.rows(), d = A.cols(), e = B.cols();
  MCALC_ASSERT(B.rows() == N, "gram: A and B have different rows");
  C.resize(d, e);
  C.setZero();
  if (N == 0 || d == 0 || e == 0) return;
  // About 1 MB of scaled rows per block.
  const long block = std::clamp<long>(131072 / std::max<long>(d, 1), 64, 8192);
  const int bd = static_cast<int>(d), be = static_cast<int>(e);
  if (same) {
    if (scratch.rows() != block || scratch.cols() != 2 * d + 1) scratch.resize(block, 2 * d + 1);
    double* P = scratch.data();
    double* Q = P + block * d;
    double* w = Q + block * d;  // signed square roots of k*s_i
    for (long r0 = 0; r0 < N; r0 += block) {
      const long n = std::min(block, N - r0);
      for (long i = 0; i < n; ++i) {
        const double v = k * s[r0 + i];
        w[i] = v >= 0 ? std::sqrt(v) : -std::sqrt(-v);
      }
      long np = 0, nq = 0;
      for (long j = 0; j < d; ++j) {
        const double* x = A.data() + j * N + r0;
        double* pc = P + j * block;
        double* qc = Q + j * block;
        np = nq = 0;
        for (long i = 0; i < n; ++i) {
          if (w[i] > 0) pc[np++] = w[i] * x[i];
          else if (w[i] < 0) qc[nq++] = -w[i] * x[i];
        }
      }
      if (np > 0)
        cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, bd, static_cast<int>(np), 1.0, P, static_cast<int>(block),
                    1.0, C.data(), bd);
      if (nq > 0)
        cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, bd, static_cast<int>(nq), -1.0, Q,
                    static_cast<int>(block), 1.0, C.data(), bd);
    }
    C.triangularView<Eigen::StrictlyUpper>() = C.transpose();
    return;
  }
  if (scratch.rows() != block || scratch.cols() != d) scratch.resize(block, d);
  for (long r0 = 0; r0 < N; r0 += block) {
    const long n = std::min(block, N - r0);
    for (long j = 0; j < d; ++j)
      for (long i = 0; i < n; ++i) scratch(i, j) = k * s[r0 + i] * A(r0 + i, j);
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, bd, be, static_cast<int>(n), 1.0, scratch.data(),
                static_cast<int>(block), B.data() + r0, static_cast<int>(N), 1.0, C.data(), bd);
  }
}

}  // namespace eval

std::string thread_report() {
  return "fused passes: " + std::to_string(eval::fused_threads()) + " OpenMP threads; rank-k updates: " +
         std::to_string(openblas_get_num_threads()) + " OpenBLAS threads";
}

}  // namespace mcalc
