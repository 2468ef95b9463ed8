// The component expansion: every IR node as the matrix of its entries, in
// scalar GiNaC arithmetic only. No matrix-calculus rule is used here, which is
// what makes the expansion an independent check of the differentiator.
#include <cmath>
#include <functional>
#include <map>
#include <unordered_map>

#include "mcalc/expand.hpp"
#include "mcalc/print.hpp"
#include "simplify/ginac_bridge.hpp"

namespace mcalc {
namespace {

using GiNaC::ex;
using GiNaC::matrix;
using GiNaC::numeric;

unsigned u(long v) { return static_cast<unsigned>(v); }

/// A literal as an exact rational when it is one with a small denominator
/// (0.5 -> 1/2, 0.01 -> 1/100), so that symbolic differences cancel exactly.
ex number(double v) {
  auto exact = [v](long d, ex& out) {
    double p = v * static_cast<double>(d);
    if (p != std::floor(p) || std::fabs(p) >= 1e15 || static_cast<double>(static_cast<long>(p)) / d != v) return false;
    out = numeric(static_cast<long>(p), d);
    return true;
  };
  ex r;
  for (long d = 1; d <= 1000; ++d)
    if (exact(d, r)) return r;
  for (long d : {10000L, 100000L, 1000000L})
    if (exact(d, r)) return r;
  return numeric(v);
}

matrix filled(long r, long c, const ex& v) {
  matrix m(u(r), u(c));
  for (unsigned i = 0; i < m.rows(); ++i)
    for (unsigned j = 0; j < m.cols(); ++j) m(i, j) = v;
  return m;
}

bool single(const matrix& m) { return m.rows() == 1 && m.cols() == 1; }

/// f applied entry by entry, a 1 x 1 operand broadcast over the other.
matrix zip(const matrix& a, const matrix& b, const std::function<ex(const ex&, const ex&)>& f) {
  unsigned r = single(a) ? b.rows() : a.rows(), c = single(a) ? b.cols() : a.cols();
  matrix m(r, c);
  for (unsigned i = 0; i < r; ++i)
    for (unsigned j = 0; j < c; ++j) m(i, j) = f(single(a) ? a(0, 0) : a(i, j), single(b) ? b(0, 0) : b(i, j));
  return m;
}

matrix map(const matrix& a, const std::function<ex(const ex&)>& f) {
  matrix m(a.rows(), a.cols());
  for (unsigned i = 0; i < a.rows(); ++i)
    for (unsigned j = 0; j < a.cols(); ++j) m(i, j) = f(a(i, j));
  return m;
}

matrix scalar(const ex& v) { return filled(1, 1, v); }

ex total(const matrix& a, const std::function<ex(const ex&)>& f) {
  ex s = 0;
  for (unsigned i = 0; i < a.rows(); ++i)
    for (unsigned j = 0; j < a.cols(); ++j) s += f(a(i, j));
  return s;
}

matrix product(const matrix& a, const matrix& b) {
  MCALC_ASSERT(a.cols() == b.rows(), "expanded product of mismatched sizes");
  matrix m(a.rows(), b.cols());
  for (unsigned i = 0; i < a.rows(); ++i)
    for (unsigned j = 0; j < b.cols(); ++j) {
      ex s = 0;
      for (unsigned k = 0; k < a.cols(); ++k) s += a(i, k) * b(k, j);  // (AB)_ij = Σ_k A_ik B_kj
      m(i, j) = s;
    }
  return m;
}

matrix identity(unsigned n) {
  matrix m(n, n);
  for (unsigned i = 0; i < n; ++i) m(i, i) = 1;
  return m;
}

/// GiNaC's determinant. Up to 5 x 5, by minors without normalisation (n!
/// terms): the automatic choice normalises rational entries (those of an
/// inverse), which takes minutes at 4 x 4.
ex det_of(const matrix& a) {
  return a.rows() <= 5 ? a.determinant(GiNaC::determinant_algo::laplace) : a.determinant();
}

void names(const ex& x, std::map<std::string, double>& out) {
  if (GiNaC::is_a<GiNaC::symbol>(x)) out[GiNaC::ex_to<GiNaC::symbol>(x).get_name()] = 0;
  for (std::size_t k = 0; k < x.nops(); ++k) names(x.op(k), out);
}

/// Whether d is not identically zero: a value clearly away from zero at a
/// point proves it at once; otherwise GiNaC's normal form decides.
bool nonzero(const ex& d) {
  if (d.is_zero()) return false;
  std::map<std::string, double> point;
  names(d, point);
  double v = 0.37;
  for (auto& [name, value] : point) value = (v = std::fmod(v * 7.31 + 0.23, 1.0)) + 0.1;
  double at = numeric_value(d, point);
  if (std::isfinite(at) && std::fabs(at) > 1e-6) return true;
  return !d.normal().is_zero();
}

/// The largest |k| of a matrix power A^k that --expand writes out.
constexpr long kMaxExpandPower = 8;

class Expander {
 public:
  Expander(const Sizes& sizes, const Loc& root) : sizes_(sizes), root_(root) {}

  matrix go(const Expr& e) {
    auto it = memo_.find(e.get());
    if (it != memo_.end()) return it->second;
    matrix m;
    try {
      m = rule(e);
    } catch (const UserError&) {
      throw;
    } catch (const InternalError&) {
      throw;
    } catch (const std::exception& x) {  // GiNaC: 1/0, log(0), 0^-1 of exact numbers
      throw UserError(Msg::ExpandUndefined, e->loc.valid() ? e->loc : root_, {to_text(e), x.what()});
    }
    MCALC_ASSERT(m.rows() == u(rows(e)) && m.cols() == u(cols(e)),
                 "expansion of a " + e->shape.str() + " has the wrong size");
    memo_.emplace(e.get(), m);
    return m;
  }

 private:
  long size(const Dim& d, const Expr& at) {
    for (const auto& name : d.symbols())
      if (sizes_.count(name) == 0) require_sizes(at, sizes_);  // a located error naming the input
    return concrete_size(d, sizes_);
  }
  long rows(const Expr& e) { return size(e->shape.rows, e); }
  long cols(const Expr& e) { return size(e->shape.cols, e); }

  [[noreturn]] void out_of_range(const Expr& e, const std::string& index, long r, long c) {
    throw UserError(Msg::IndexOutOfRange, e->loc,
                    {index, "a " + std::to_string(r) + " x " + std::to_string(c) + " value at these sizes"});
  }

  /// adj(A)_ij = (-1)^(i+j) det(A without row j and column i), with GiNaC's
  /// determinants; inv(A) = adj(A) / det(A). (GiNaC's own matrix::inverse()
  /// gives the same entries, but its elimination takes minutes on a 4 x 4
  /// matrix of polynomials such as A'*A.)
  matrix adjugate(const matrix& a) {
    unsigned n = a.rows();
    matrix r(n, n);
    if (n == 1) {
      r(0, 0) = 1;
      return r;
    }
    for (unsigned i = 0; i < n; ++i)
      for (unsigned j = 0; j < n; ++j) {
        matrix minor(n - 1, n - 1);
        for (unsigned p = 0, mp = 0; p < n; ++p) {
          if (p == j) continue;
          for (unsigned q = 0, mq = 0; q < n; ++q)
            if (q != i) minor(mp, mq++) = a(p, q);
          ++mp;
        }
        r(i, j) = ((i + j) % 2 ? -1 : 1) * det_of(minor);
      }
    return r;
  }

  matrix inverse(const Expr& e, const matrix& a) {
    ex det = det_of(a);
    if (!nonzero(det)) throw UserError(Msg::SingularMatrix, e->loc, {"inv"});
    return map(adjugate(a), [&det](const ex& t) { return t / det; });
  }


  /// A^k for an integer k: k-fold product; a negative k inverts first.
  matrix matrix_power(const Expr& e, const matrix& a, long k) {
    matrix base = k < 0 ? inverse(e, a) : a;
    matrix r = identity(a.rows());
    for (long i = 0; i < std::labs(k); ++i) r = product(r, base);
    return r;
  }

  matrix call(const Expr& e) {
    const auto& x = e->args;
    switch (e->fn) {
#define MCALC_FN_ELEMENTWISE(Id, ...) case Fn::Id:
#include "mcalc/functions.def"
      {
        Fn f = e->fn;
        return map(go(x[0]), [f](const ex& t) { return gx::apply_fn(f, {t}); });
      }
#define MCALC_FN_ELEMENTWISE2(Id, ...) case Fn::Id:
#include "mcalc/functions.def"
      {
        Fn f = e->fn;
        return zip(go(x[0]), go(x[1]), [f](const ex& a, const ex& b) { return gx::apply_fn(f, {a, b}); });
      }
      case Fn::Sum:  // Σ a_ij
        return scalar(total(go(x[0]), [](const ex& t) { return t; }));
      case Fn::Mean: {  // Σ a_ij / (rows cols)
        matrix a = go(x[0]);
        return scalar(total(a, [](const ex& t) { return t; }) / numeric(static_cast<long>(a.rows() * a.cols())));
      }
      case Fn::Norm2:  // sqrt(Σ a_ij²), Euclidean or Frobenius
        return scalar(GiNaC::sqrt(total(go(x[0]), [](const ex& t) { return GiNaC::pow(t, 2); })));
      case Fn::Norm1:  // Σ |a_ij|
        return scalar(total(go(x[0]), [](const ex& t) { return gx::apply_fn(Fn::Abs, {t}); }));
      case Fn::Logsumexp:  // log Σ exp(a_i)
        return scalar(GiNaC::log(total(go(x[0]), [](const ex& t) { return GiNaC::exp(t); })));
      case Fn::Softmax: {  // exp(a_i) / Σ_k exp(a_k)
        matrix a = go(x[0]);
        ex z = total(a, [](const ex& t) { return GiNaC::exp(t); });
        return map(a, [&z](const ex& t) { return GiNaC::exp(t) / z; });
      }
      case Fn::Tr: {  // Σ a_ii
        matrix a = go(x[0]);
        ex s = 0;
        for (unsigned i = 0; i < a.rows(); ++i) s += a(i, i);
        return scalar(s);
      }
      case Fn::Det: return scalar(det_of(go(x[0])));
      case Fn::Logdet: return scalar(GiNaC::log(det_of(go(x[0]))));
      case Fn::Inv: return inverse(e, go(x[0]));
      case Fn::Adj: return adjugate(go(x[0]));
      case Fn::DiagOf: {  // v -> the matrix with v on its diagonal
        matrix v = go(x[0]);
        matrix m(v.rows(), v.rows());
        for (unsigned i = 0; i < v.rows(); ++i) m(i, i) = v(i, 0);
        return m;
      }
      case Fn::DiagVec: {  // A -> the column of its diagonal
        matrix a = go(x[0]);
        matrix m(a.rows(), 1);
        for (unsigned i = 0; i < a.rows(); ++i) m(i, 0) = a(i, i);
        return m;
      }
      case Fn::Vec: {  // the columns stacked
        matrix a = go(x[0]);
        matrix m(a.rows() * a.cols(), 1);
        for (unsigned j = 0; j < a.cols(); ++j)
          for (unsigned i = 0; i < a.rows(); ++i) m(j * a.rows() + i, 0) = a(i, j);
        return m;
      }
      case Fn::Kron: {  // the blocks a(i, j) b
        matrix a = go(x[0]), b = go(x[1]);
        matrix m(a.rows() * b.rows(), a.cols() * b.cols());
        for (unsigned i = 0; i < a.rows(); ++i)
          for (unsigned j = 0; j < a.cols(); ++j)
            for (unsigned p = 0; p < b.rows(); ++p)
              for (unsigned q = 0; q < b.cols(); ++q) m(i * b.rows() + p, j * b.cols() + q) = a(i, j) * b(p, q);
        return m;
      }
      case Fn::Commutation: {  // K vec(A) = vec(A'): A(i, j) is entry j*m + i of vec(A), i*n + j of vec(A')
        const auto m = static_cast<unsigned>(size(ir::size_operand(x[0]), e)),
                   n = static_cast<unsigned>(size(ir::size_operand(x[1]), e));
        matrix k(m * n, m * n);
        for (unsigned i = 0; i < m; ++i)
          for (unsigned j = 0; j < n; ++j) k(i * n + j, j * m + i) = 1;
        return k;
      }
      case Fn::None: break;
    }
    MCALC_ASSERT(false, "call without a function");
    return matrix(1, 1);
  }

  matrix rule(const Expr& e) {
    const auto& x = e->args;
    switch (e->kind) {
      case Kind::Num: return scalar(number(e->num));
      case Kind::Var:
        if (!x.empty()) return go(x[0]);  // an intermediate variable is its definition
        (void)rows(e), (void)cols(e);     // a located error when a size is missing
        return variable_entries(e, sizes_);
      case Kind::DimSize:
        return scalar(numeric(size(e->dim, e)));
      case Kind::Add: return zip(go(x[0]), go(x[1]), [](const ex& a, const ex& b) { return a + b; });
      case Kind::Sub: return zip(go(x[0]), go(x[1]), [](const ex& a, const ex& b) { return a - b; });
      case Kind::Neg: return map(go(x[0]), [](const ex& a) { return -a; });
      case Kind::Hadamard: return zip(go(x[0]), go(x[1]), [](const ex& a, const ex& b) { return a * b; });
      case Kind::ElemDiv: return zip(go(x[0]), go(x[1]), [](const ex& a, const ex& b) { return a / b; });
      case Kind::ElemPow:
        return zip(go(x[0]), go(x[1]), [](const ex& a, const ex& b) { return GiNaC::pow(a, b); });
      case Kind::Mul:
        // Scaling when either side is a scalar (by type), else the matrix product.
        if (x[0]->is_scalar() || x[1]->is_scalar())
          return zip(go(x[0]), go(x[1]), [](const ex& a, const ex& b) { return a * b; });
        return product(go(x[0]), go(x[1]));
      case Kind::Div: return zip(go(x[0]), go(x[1]), [](const ex& a, const ex& b) { return a / b; });
      case Kind::Dot: {  // Σ a_i b_i
        matrix a = go(x[0]), b = go(x[1]);
        ex s = 0;
        for (unsigned i = 0; i < a.rows(); ++i) s += a(i, 0) * b(i, 0);
        return scalar(s);
      }
      case Kind::Pow:
        if (x[0]->is_scalar()) return scalar(GiNaC::pow(go(x[0])(0, 0), go(x[1])(0, 0)));
        // The entries of A^k grow with k (inv(A)^22 of a 2 x 2 matrix ran for minutes): refused
        // before any work beyond kMaxExpandPower.
        if (std::fabs(x[1]->num) > static_cast<double>(kMaxExpandPower))
          throw UserError(Msg::ExpandTooLarge, e->loc.valid() ? e->loc : root_,
                          {"the exponent of the matrix power " + to_text(e), std::to_string(static_cast<long>(std::fabs(x[1]->num))),
                           std::to_string(kMaxExpandPower)});
        return matrix_power(e, go(x[0]), static_cast<long>(x[1]->num));
      case Kind::Transpose: return go(x[0]).transpose();
      case Kind::Index: {
        matrix a = go(x[0]);
        long i = e->i - 1, j = e->j - 1;
        if (e->j == 0) {  // one index into a vector-like value
          bool column = x[0]->shape.cols.is_one();
          j = column ? 0 : i;
          i = column ? i : 0;
          if (e->i > static_cast<long>(column ? a.rows() : a.cols()))
            out_of_range(e, std::to_string(e->i), a.rows(), a.cols());
        } else if (e->i > static_cast<long>(a.rows()) || e->j > static_cast<long>(a.cols())) {
          out_of_range(e, std::to_string(e->i) + ", " + std::to_string(e->j), a.rows(), a.cols());
        }
        return scalar(a(u(i), u(j)));
      }
      case Kind::Call: return call(e);
      case Kind::Literal: {  // row-major scalar entries
        matrix m(u(e->lit_rows), u(e->lit_cols));
        for (long k = 0; k < e->lit_rows * e->lit_cols; ++k)
          m(u(k / e->lit_cols), u(k % e->lit_cols)) = go(x[static_cast<std::size_t>(k)])(0, 0);
        return m;
      }
      case Kind::Ones: return filled(rows(e), cols(e), 1);
      case Kind::Zeros: return filled(rows(e), cols(e), 0);
      case Kind::Eye: return identity(u(rows(e)));
      case Kind::Unit: {
        long n = rows(e);
        if (e->i > n) out_of_range(e, std::to_string(e->i), n, 1);
        matrix m(u(n), 1);
        m(u(e->i - 1), 0) = 1;
        return m;
      }
    }
    MCALC_ASSERT(false, "unknown node kind");
    return matrix(1, 1);
  }

  const Sizes& sizes_;
  Loc root_;  // where an error in a node without a location of its own points (the whole expression)
  std::unordered_map<const Node*, matrix> memo_;
};

}  // namespace

GiNaC::matrix expand(const Expr& e, const Sizes& sizes) {
  require_sizes(e, sizes);
  Expander x(sizes, e->loc);
  return x.go(e);
}

}  // namespace mcalc
