// Fused regions: every member is computed block by block (a block of
// entries, or of rows of X for k*X*v), its operands read from the block
// temporaries of other members or from the leaves' slots, and reductions
// (sum, dot, X'*r) accumulate over the blocks. One pass over the data: X*w,
// the elementwise factor and X'*r meet each block of X while it is in cache.
// The blocks are shared out among the threads (each has its own
// temporaries and accumulators; the accumulators are added at the end).
#include <algorithm>
#include <cstring>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "plan.hpp"

namespace mcalc {
namespace {
using eval::RStep;
using eval::Value;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// An operand of a step in one block: `p[i * stride]`.
struct In {
  const double* p;
  bool stride;
};

template <class F>
void binary(long n, In a, In b, double* o, F f) {
  if (a.stride && b.stride) {
    for (long i = 0; i < n; ++i) o[i] = f(a.p[i], b.p[i]);
  } else if (a.stride) {
    const double y = *b.p;
    for (long i = 0; i < n; ++i) o[i] = f(a.p[i], y);
  } else if (b.stride) {
    const double x = *a.p;
    for (long i = 0; i < n; ++i) o[i] = f(x, b.p[i]);
  } else {
    std::fill(o, o + n, f(*a.p, *b.p));
  }
}

template <class F>
void unary(long n, In a, double* o, F f) {
  if (a.stride) {
    for (long i = 0; i < n; ++i) o[i] = f(a.p[i]);
  } else {
    std::fill(o, o + n, f(*a.p));
  }
}
}  // namespace

namespace eval {
int fused_threads() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}
}  // namespace eval

// Whether the leaves have the forms the loops read (dense with the region's
// entries, 1 x 1, or a constant); else the region runs node by node.
bool Plan::Impl::region_fusable(const eval::Region& R, long& entries) const {
  entries = -1;
  for (int id : R.nodes) {
    const eval::CNode& c = nodes[static_cast<std::size_t>(id)];
    if (!c.member) continue;
    entries = size_of(c.rows, c.n->loc) * size_of(c.cols, c.n->loc);
    break;
  }
  if (entries < 0) return false;
  auto leaf_ok = [&](int id) {
    const Value& v = val(id);
    if (v.is_scalar()) return true;
    if (v.form == Value::Form::Constant) return v.rows * v.cols == entries;
    return v.is_dense() && v.rows * v.cols == entries;
  };
  for (const RStep& s : R.steps) {
    for (int id : s.scalars)
      if (!val(id).is_scalar()) return false;
    if (s.kind == RStep::Kind::Gemv) {
      const Value &X = val(s.matrix), &v = val(s.in[0].id);
      if (!X.is_dense() || X.rows != entries || !v.is_dense() || v.cols != 1 || v.rows != X.cols) return false;
      continue;
    }
    if (s.kind == RStep::Kind::XtR) {
      const Value& X = val(s.matrix);
      if (!X.is_dense() || X.rows != entries) return false;
    }
    for (const RStep::Src& in : s.in)
      if (!in.member && !leaf_ok(in.id)) return false;
  }
  return true;
}

void Plan::Impl::exec_region(int r) {
  eval::Region& R = regions[static_cast<std::size_t>(r)];
  long entries = 0;
  if (!region_fusable(R, entries)) {
    for (int id : R.nodes) exec(id);
    return;
  }
  // Outputs and factors of this run.
  std::size_t reductions = 0;
  long width = 1;  // the widest row of X read by a step
  for (RStep& s : R.steps) {
    const eval::CNode& c = nodes[static_cast<std::size_t>(s.id)];
    s.k = s.sign;
    for (int id : s.scalars) s.k *= sval(id);
    if (s.matrix >= 0) width = std::max(width, val(s.matrix).cols);
    if (c.member) {
      if (c.stored) {
        eval::Slot& slot = slots[static_cast<std::size_t>(s.id)];
        const long rows = size_of(c.rows, c.n->loc), cols = size_of(c.cols, c.n->loc);
        eval::check_size(rows, cols, c.n->loc);
        slot.buf.resize(rows, cols);
        set_dense(s.id);
      }
    } else {
      ++reductions;
    }
  }
  const long block = R.rows_only ? std::clamp<long>(16384 / width, 64, 4096) : 2048;
  const long blocks = (entries + block - 1) / block;
  // Two threads pay off from about 64k multiply-adds.
  const int threads = static_cast<int>(
      std::max<long>(1, std::min<long>({eval::fused_threads(), blocks, entries * width / 65536 + 1})));
  const std::size_t per_thread = static_cast<std::size_t>(R.temps) * static_cast<std::size_t>(block);
  if (R.scratch.size() < per_thread * static_cast<std::size_t>(threads))
    R.scratch.resize(per_thread * static_cast<std::size_t>(threads));
  if (R.acc.size() < reductions * static_cast<std::size_t>(threads))
    R.acc.resize(reductions * static_cast<std::size_t>(threads));
  {
    std::size_t red = 0;
    for (const RStep& s : R.steps) {
      if (nodes[static_cast<std::size_t>(s.id)].member) continue;
      const long len = s.kind == RStep::Kind::XtR ? val(s.matrix).cols : 1;
      for (int t = 0; t < threads; ++t) {
        VectorXd& a = R.acc[static_cast<std::size_t>(t) * reductions + red];
        if (a.size() != len) a.resize(len);
        a.setZero();
      }
      ++red;
    }
  }

  auto work = [&](int t) {
    double* tmp = R.scratch.data() + per_thread * static_cast<std::size_t>(t);
    const long b0 = blocks * t / threads, b1 = blocks * (t + 1) / threads;
    for (long b = b0; b < b1; ++b) {
      const long r0 = b * block, n = std::min(block, entries - r0);
      auto src = [&](const RStep::Src& s) -> In {
        if (s.member) return {tmp + static_cast<std::size_t>(temp_of[static_cast<std::size_t>(s.id)]) *
                                        static_cast<std::size_t>(block),
                              true};
        const Value& v = val(s.id);
        if (v.is_scalar()) return {v.dense().data(), false};
        if (v.form == Value::Form::Constant) return {&v.s, false};
        return {v.dense().data() + r0, true};
      };
      std::size_t red = 0;
      for (const RStep& s : R.steps) {
        double* out = s.temp >= 0 ? tmp + static_cast<std::size_t>(s.temp) * static_cast<std::size_t>(block) : nullptr;
        switch (s.kind) {
          case RStep::Kind::Unary:
            eval::fn::with_unary(s.fn, [&](auto f) { unary(n, src(s.in[0]), out, f); });
            break;
          case RStep::Kind::Binary: {
            const In a = src(s.in[0]), c = src(s.in[1]);
            if (s.bin == eval::fn::Bin::Pow && !c.stride && *c.p == 2.0) {  // u.^2, the common case, without pow
              unary(n, a, out, [](double x) { return x * x; });
              break;
            }
            eval::fn::with_binary(s.bin, [&](auto f) { binary(n, a, c, out, f); });
            break;
          }
          case RStep::Kind::Scale: {
            const double k = s.k;
            unary(n, src(s.in[0]), out, [k](double x) { return k * x; });
            break;
          }
          case RStep::Kind::Gemv: {
            const MatrixXd& X = val(s.matrix).dense();
            Eigen::Map<VectorXd> o(out, n);
            o.noalias() = s.k * (X.middleRows(r0, n) * val(s.in[0].id).dense().col(0));
            break;
          }
          case RStep::Kind::Sum:
          case RStep::Kind::Mean: {
            const In a = src(s.in[0]);
            double sum = 0;
            if (a.stride) sum = Eigen::Map<const VectorXd>(a.p, n).sum();
            else sum = static_cast<double>(n) * *a.p;
            R.acc[static_cast<std::size_t>(t) * reductions + red++](0) += sum;
            break;
          }
          case RStep::Kind::Dot: {
            const In a = src(s.in[0]), c = src(s.in[1]);
            double sum = 0;
            if (a.stride && c.stride) sum = Eigen::Map<const VectorXd>(a.p, n).dot(Eigen::Map<const VectorXd>(c.p, n));
            else if (a.stride) sum = *c.p * Eigen::Map<const VectorXd>(a.p, n).sum();
            else if (c.stride) sum = *a.p * Eigen::Map<const VectorXd>(c.p, n).sum();
            else sum = static_cast<double>(n) * *a.p * *c.p;
            R.acc[static_cast<std::size_t>(t) * reductions + red++](0) += sum;
            break;
          }
          case RStep::Kind::XtR: {
            const MatrixXd& X = val(s.matrix).dense();
            const In a = src(s.in[0]);
            VectorXd& acc = R.acc[static_cast<std::size_t>(t) * reductions + red++];
            if (a.stride) acc.noalias() += X.middleRows(r0, n).transpose() * Eigen::Map<const VectorXd>(a.p, n);
            else acc.noalias() += *a.p * X.middleRows(r0, n).colwise().sum().transpose();
            break;
          }
        }
        if (out && nodes[static_cast<std::size_t>(s.id)].stored)
          std::memcpy(slots[static_cast<std::size_t>(s.id)].buf.data() + r0, out, sizeof(double) * static_cast<std::size_t>(n));
      }
    }
  };
  if (threads == 1) {
    work(0);
  } else {
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (int t = 0; t < threads; ++t) work(t);
  }
  // The reductions: the threads' accumulators added, times k.
  std::size_t red = 0;
  for (const RStep& s : R.steps) {
    const eval::CNode& c = nodes[static_cast<std::size_t>(s.id)];
    if (c.member) continue;
    VectorXd& total = R.acc[red];
    for (int t = 1; t < threads; ++t) total += R.acc[static_cast<std::size_t>(t) * reductions + red];
    ++red;
    switch (s.kind) {
      case RStep::Kind::Sum: set_scalar(s.id, total(0)); break;
      case RStep::Kind::Mean: set_scalar(s.id, total(0) / static_cast<double>(entries)); break;
      case RStep::Kind::Dot: set_scalar(s.id, s.k * total(0)); break;
      case RStep::Kind::XtR: {
        eval::Slot& slot = slots[static_cast<std::size_t>(s.id)];
        const long rows = size_of(c.rows, c.n->loc), cols = size_of(c.cols, c.n->loc);
        MCALC_ASSERT(rows * cols == total.size(), "size of X'*r");
        if (rows * cols == 1) {
          set_scalar(s.id, s.k * total(0));
          break;
        }
        slot.buf.resize(rows, cols);
        Eigen::Map<VectorXd>(slot.buf.data(), total.size()) = s.k * total;
        set_dense(s.id);
        break;
      }
      case RStep::Kind::Unary:
      case RStep::Kind::Binary:
      case RStep::Kind::Scale:
      case RStep::Kind::Gemv: MCALC_UNREACHABLE("a member among the reductions");
    }
  }
}

}  // namespace mcalc
