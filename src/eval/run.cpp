// Running a plan: binding the inputs (sizes of dimensions fixed from the
// values), then the units of the schedule in order. A node computed on its
// own is a scalar into its slot, a product chain into the slot's buffer, or
// the structured evaluation of value.cpp; fused regions run in fused.cpp.
#include <cmath>
#include <limits>

#include "mcalc/number.hpp"
#include "mcalc/print.hpp"
#include "plan.hpp"

namespace mcalc {
namespace {
using eval::CNode;
using eval::Op;
using eval::Operand;
using eval::Value;
using Eigen::MatrixXd;

const std::string given_sizes = "the given sizes";

bool finite(const Value& v) {
  switch (v.form) {
    case Value::Form::Dense: return v.dense().allFinite();
    case Value::Form::Diagonal: return v.diag.allFinite();
    case Value::Form::Identity:
    case Value::Form::Constant: return std::isfinite(v.s);
  }
  return true;
}
}  // namespace

long Plan::Impl::size_of(const eval::Size& s, const Loc& loc) const {
  if (s.dim < 0) return s.lit;
  auto one = [&](int d) {
    const long v = dim_size[static_cast<std::size_t>(d)];
    if (v < 0) throw UserError(Msg::UnboundDimension, loc, {dim_names[static_cast<std::size_t>(d)]});
    return v;
  };
  long v = s.lit * one(s.dim);
  for (int d : s.more) v *= one(d);
  return v;
}

// Sizes of dimensions: the given ones first, then from the values of the
// variables, in the order of the expression; a value is checked against its
// variable's shape (a flat list for a column denotes the column).
void Plan::Impl::bind_inputs() {
  dim_size.assign(dim_names.size(), -1);
  dim_from.assign(dim_names.size(), nullptr);
  for (std::size_t d = 0; d < dim_names.size(); ++d) {
    auto it = b->dims.find(dim_names[d]);
    if (it != b->dims.end()) {
      dim_size[d] = it->second;
      dim_from[d] = &given_sizes;
    } else if (known) {
      auto k = known->find(dim_names[d]);
      if (k != known->end()) {
        dim_size[d] = k->second;
        dim_from[d] = &given_sizes;
      }
    }
  }
  bound.assign(inputs.size(), nullptr);
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const CNode& c = nodes[static_cast<std::size_t>(inputs[k])];
    const Node* n = c.n;
    auto it = b->values.find(n->name);
    if (it == b->values.end()) continue;
    const MatrixXd& m = it->second;
    bound[k] = &m;
    const bool flat = eval::flat_column(n->shape, m);
    const long rows = flat ? m.cols() : m.rows(), cols = flat ? m.rows() : m.cols();
    eval::check_size(rows, cols, n->loc);
    const std::string got = Shape{Dim::lit(rows), Dim::lit(cols)}.str();
    auto mismatch = [&] { return UserError(Msg::ValueShape, n->loc, {n->name, got, n->shape.str()}); };
    const Shape& shape = n->shape;
    if (shape.rows.is_const() && shape.rows.value() != rows) throw mismatch();
    if (shape.cols.is_const() && shape.cols.value() != cols) throw mismatch();
    if (!shape.rows.is_const() && shape.rows == shape.cols && rows != cols) throw mismatch();
    const std::pair<const eval::Size*, long> sides[] = {{&c.rows, rows}, {&c.cols, cols}};
    for (const auto& [s, v] : sides) {
      if (s->dim < 0 || s->lit != 1 || !s->more.empty()) continue;  // a product fixes no one dimension
      const std::size_t d = static_cast<std::size_t>(s->dim);
      if (dim_size[d] < 0) {
        dim_size[d] = v;
        dim_from[d] = &n->name;
      } else if (dim_size[d] != v) {
        throw UserError(Msg::DimensionConflict, n->loc,
                        {dim_names[d], std::to_string(dim_size[d]), *dim_from[d], std::to_string(v), n->name});
      }
    }
    // The binding's storage, not a copy (a flat list for a column is the one
    // value that must be rearranged).
    eval::Slot& s = slots[static_cast<std::size_t>(inputs[k])];
    if (flat) {
      s.buf = m.transpose();
      s.v = Value::borrow(s.buf);
    } else {
      s.v = Value::borrow(m);
    }
  }
}

// The cubic operations of dense operands, checked against --max-work before
// anything is computed (a dimension not yet bound is reported where it is used).
void Plan::Impl::check_costs() const {
  for (int id : cubic) {
    const CNode& c = nodes[static_cast<std::size_t>(id)];
    const eval::Size& s = nodes[static_cast<std::size_t>(c.args[0])].rows;
    if (s.dim >= 0 && s.more.empty() && dim_size[static_cast<std::size_t>(s.dim)] < 0) continue;
    eval::check_cubic(fn_name(c.n->fn), size_of(s, c.n->loc), c.n->loc);
  }
}

void Plan::Impl::set_scalar(int id, double v) {
  eval::Slot& s = slots[static_cast<std::size_t>(id)];
  if (s.buf.rows() != 1 || s.buf.cols() != 1) s.buf.resize(1, 1);
  s.buf(0, 0) = v;
  if (!s.v.is_dense() || !s.v.views(s.buf) || !s.v.is_scalar()) s.v = Value::borrow(s.buf);
}

void Plan::Impl::set_dense(int id) {
  eval::Slot& s = slots[static_cast<std::size_t>(id)];
  if (!(s.v.is_dense() && s.v.views(s.buf) && s.v.rows == s.buf.rows() && s.v.cols == s.buf.cols()))
    s.v = Value::borrow(s.buf);
}

void Plan::Impl::exec(int id) {
  const CNode& c = nodes[static_cast<std::size_t>(id)];
  switch (c.op) {
    case Op::Input:
      if (!bound[static_cast<std::size_t>(c.input)]) throw UserError(Msg::MissingValue, c.n->loc, {c.n->name});
      return;
    case Op::Const: return;
    case Op::Scalar: exec_scalar(id); return;
    case Op::Product: exec_product(id); return;
    case Op::Generic: slots[static_cast<std::size_t>(id)].v = generic(id); return;
  }
}

// A 1 x 1 node as a double.
void Plan::Impl::exec_scalar(int id) {
  const CNode& c = nodes[static_cast<std::size_t>(id)];
  const Node* e = c.n;
  const Loc& loc = e->loc;
  auto arg = [&](std::size_t i) -> const Value& { return val(c.ops[i].id); };
  auto sarg = [&](std::size_t i) { return sval(c.ops[i].id); };
  double r = 0;
  switch (e->kind) {
    case Kind::Num: r = e->num; break;
    case Kind::DimSize: r = static_cast<double>(size_of(c.dim, loc)); break;
    case Kind::Add: r = sarg(0) + sarg(1); break;
    case Kind::Sub: r = sarg(0) - sarg(1); break;
    case Kind::Neg: r = -sarg(0); break;
    case Kind::Div:
    case Kind::ElemDiv: r = sarg(0) / sarg(1); break;
    case Kind::Hadamard: r = sarg(0) * sarg(1); break;
    case Kind::Pow:
    case Kind::ElemPow: r = std::pow(sarg(0), sarg(1)); break;
    case Kind::Dot: {
      // a·b = sum(a .* b)
      const Value &x = arg(0), &y = arg(1);
      if (x.is_dense() && y.is_dense() && x.rows == y.rows && x.cols == y.cols)
        r = x.dense().cwiseProduct(y.dense()).sum();
      else
        r = eval::sum(eval::hadamard(x, y, loc));
      break;
    }
    case Kind::Transpose: r = sarg(0); break;
    case Kind::Index: {
      const Value& a = arg(0);
      auto out_of_range = [&](long i) {
        return UserError(Msg::IndexOutOfRange, loc, {std::to_string(i), eval::shape_str(a.rows, a.cols)});
      };
      if (e->j == 0) {
        MCALC_ASSERT(a.rows == 1 || a.cols == 1, "single index into a matrix");
        const bool row = a.rows == 1;
        if (e->i > (row ? a.cols : a.rows)) throw out_of_range(e->i);
        r = row ? a.at(0, e->i - 1) : a.at(e->i - 1, 0);
      } else {
        if (e->i > a.rows) throw out_of_range(e->i);
        if (e->j > a.cols) throw out_of_range(e->j);
        r = a.at(e->i - 1, e->j - 1);
      }
      break;
    }
    case Kind::Literal: r = sarg(0); break;
    case Kind::Ones: r = 1; break;
    case Kind::Zeros: r = 0; break;
    case Kind::Eye: r = 1; break;
    case Kind::Call: {
      const Fn f = e->fn;
      if (eval::fn::with_unary(f, [&](auto g) { r = g(sarg(0)); })) break;
      switch (f) {
#define MCALC_FN_ELEMENTWISE2(Id, ...) \
  case Fn::Id: r = eval::fn::apply(eval::fn::Bin::Id, sarg(0), sarg(1)); break;
#include "mcalc/functions.def"
        case Fn::Sum: r = eval::sum(arg(0)); break;
        case Fn::Mean: {
          const Value& a = arg(0);
          r = eval::sum(a) / (static_cast<double>(a.rows) * static_cast<double>(a.cols));
          break;
        }
        case Fn::Norm2: r = eval::norm2(arg(0)); break;
        case Fn::Norm1: r = eval::norm1(arg(0)); break;
        case Fn::Logsumexp: {
          // log sum exp(z) = m + log sum exp(z - m), m = max z
          const Value& a = arg(0);
          if (a.is_dense()) {
            const double m = a.dense().maxCoeff();
            r = std::isfinite(m) ? m + std::log((a.dense().array() - m).exp().sum()) : m;
          } else {
            MatrixXd z = a.materialise(loc);
            const double m = z.maxCoeff();
            r = std::isfinite(m) ? m + std::log((z.array() - m).exp().sum()) : m;
          }
          break;
        }
        case Fn::Softmax: {
          // softmax of one entry: exp(z - z) / exp(z - z)
          r = std::isfinite(sarg(0)) ? 1.0 : std::numeric_limits<double>::quiet_NaN();
          break;
        }
        case Fn::Tr: r = eval::trace(arg(0)); break;
        case Fn::Det: r = eval::det(arg(0), loc); break;
        case Fn::Logdet: r = eval::logdet(arg(0), loc); break;
        case Fn::Inv:
          if (sarg(0) == 0) throw UserError(Msg::SingularMatrix, loc, {"inv"});
          r = 1.0 / sarg(0);
          break;
        case Fn::Adj: r = 1; break;  // the adjugate of a 1 x 1 matrix
        case Fn::DiagOf:
        case Fn::DiagVec:
        case Fn::Vec: r = sarg(0); break;
        case Fn::Kron: r = sarg(0) * sarg(1); break;
        case Fn::Commutation: r = 1; break;  // commutation(1, 1)
#define MCALC_FN_ELEMENTWISE(Id, ...) case Fn::Id:
#include "mcalc/functions.def"
        case Fn::None: MCALC_UNREACHABLE("a unary function not dispatched");
      }
      break;
    }
    case Kind::Var:
    case Kind::Mul:
    case Kind::Unit: MCALC_UNREACHABLE("a node that is not computed as a scalar");
  }
  set_scalar(id, r);
}

// A product chain k * op(M1) * ... * op(Mm). With dense factors it runs into
// the slot's buffer: the 1 x 1 factors are collected into k, transposes are
// read in place, the order is the matrix-chain optimum for the current sizes
// (decided again only when they change), and k goes into the last product.
void Plan::Impl::exec_product(int id) {
  const CNode& c = nodes[static_cast<std::size_t>(id)];
  const Loc& loc = c.n->loc;
  eval::Chain& ch = chains[static_cast<std::size_t>(c.chain)];
  double k = ch.sign;
  ch.dense.clear();
  bool all_dense = true;
  for (const Operand& f : ch.factors) {
    const Value& v = val(f.id);
    if (v.is_scalar()) {
      k *= v.scalar_value();
      continue;
    }
    all_dense = all_dense && v.is_dense();
    ch.dense.push_back({&v, f.t, f.t ? v.cols : v.rows, f.t ? v.rows : v.cols});
  }
  const std::size_t m = ch.dense.size();
  if (m == 0) {
    set_scalar(id, k);
    return;
  }
  if (!all_dense || (ch.gram && m != 3)) {
    slots[static_cast<std::size_t>(id)].v = product_structured(id);
    return;
  }
  eval::Slot& out = slots[static_cast<std::size_t>(id)];
  const long rows = ch.dense[0].rows, cols = ch.dense[m - 1].cols;
  if (m == 1) {
    const auto& f = ch.dense[0];
    if (!f.t && k == 1) {
      out.v = *f.v;  // shares the operand's storage
      return;
    }
    eval::check_size(rows, cols, loc);
    out.buf.resize(rows, cols);
    if (f.t) out.buf.noalias() = k * f.v->dense().transpose();
    else out.buf.noalias() = k * f.v->dense();
    set_dense(id);
    return;
  }
  if (ch.gram) {
    // k * A' * diag(s) * B
    const auto &a = ch.dense[0], &s = ch.dense[1], &b = ch.dense[2];
    MCALC_ASSERT(s.cols == 1 && a.cols == s.rows && b.rows == s.rows, "sizes of a product with diag(s)");
    eval::check_size(rows, cols, loc);
    eval::check_work(eval::product_cost(a.rows, a.cols, cols),
                     "a product of " + eval::size_str(a.rows, a.cols) + " by " + eval::size_str(b.rows, b.cols), loc);
    eval::gram(a.v->dense(), b.v->dense(), &a.v->dense() == &b.v->dense(), s.v->dense().data(), k, out.buf,
               ch.scratch);
    set_dense(id);
    return;
  }
  for (std::size_t i = 0; i + 1 < m; ++i)
    MCALC_ASSERT(ch.dense[i].cols == ch.dense[i + 1].rows,
                 "sizes of a product: " + eval::size_str(ch.dense[i].rows, ch.dense[i].cols) + " and " +
                     eval::size_str(ch.dense[i + 1].rows, ch.dense[i + 1].cols));
  auto mul = [&](const MatrixXd& A, bool ta, const MatrixXd& B, bool tb, double alpha, MatrixXd& r) {
    const long ar = ta ? A.cols() : A.rows(), ac = ta ? A.rows() : A.cols(), bc = tb ? B.rows() : B.cols();
    eval::check_size(ar, bc, loc);
    eval::check_work(eval::product_cost(ar, ac, bc),
                     "a product of " + eval::size_str(ar, ac) + " by " + eval::size_str(ac, bc), loc);
    r.resize(ar, bc);
    if (ar == 1 && bc == 1) {
      // an inner product
      // a 1 x k row and a k x 1 column are both contiguous, transposed or not
      r(0, 0) = alpha * Eigen::Map<const Eigen::VectorXd>(A.data(), A.size())
                            .dot(Eigen::Map<const Eigen::VectorXd>(B.data(), B.size()));
    } else if (ta && tb) {
      r.noalias() = alpha * A.transpose() * B.transpose();
    } else if (ta) {
      r.noalias() = alpha * A.transpose() * B;
    } else if (tb) {
      r.noalias() = alpha * A * B.transpose();
    } else {
      r.noalias() = alpha * A * B;
    }
  };
  if (m == 2) {
    mul(ch.dense[0].v->dense(), ch.dense[0].t, ch.dense[1].v->dense(), ch.dense[1].t, k, out.buf);
    set_dense(id);
    return;
  }
  constexpr std::size_t max_ordered_chain = 16;  // longer chains: left to right
  if (ch.tmp.size() < std::min(m * m, max_ordered_chain * max_ordered_chain))
    ch.tmp.resize(std::min(m * m, max_ordered_chain * max_ordered_chain));
  if (m > max_ordered_chain) {
    MatrixXd* cur = &ch.tmp[0];
    mul(ch.dense[0].v->dense(), ch.dense[0].t, ch.dense[1].v->dense(), ch.dense[1].t, 1.0, *cur);
    for (std::size_t i = 2; i < m; ++i) {
      MatrixXd* next = i + 1 == m ? &out.buf : &ch.tmp[(i - 1) % 2];  // never cur
      mul(*cur, false, ch.dense[i].v->dense(), ch.dense[i].t, i + 1 == m ? k : 1.0, *next);
      cur = next;
    }
    set_dense(id);
    return;
  }
  // The matrix-chain order for these sizes: cost[i][j] the fewest
  // multiplications for factors i..j, split[i][j] where the last product
  // splits them. Kept while the sizes stay.
  bool same = ch.key.size() == m + 1;
  for (std::size_t i = 0; same && i < m; ++i) same = ch.key[i] == ch.dense[i].rows;
  same = same && ch.key[m] == cols;
  if (!same) {
    ch.key.clear();
    for (std::size_t i = 0; i < m; ++i) ch.key.push_back(ch.dense[i].rows);
    ch.key.push_back(cols);
    std::vector<double> cost(m * m, 0.0);
    ch.split.assign(m * m, 0);
    for (std::size_t len = 2; len <= m; ++len)
      for (std::size_t i = 0; i + len <= m; ++i) {
        const std::size_t j = i + len - 1;
        cost[i * m + j] = -1;
        for (std::size_t s = i; s < j; ++s) {
          const double cs = cost[i * m + s] + cost[(s + 1) * m + j] +
                            static_cast<double>(ch.key[i]) * static_cast<double>(ch.key[s + 1]) *
                                static_cast<double>(ch.key[j + 1]);
          if (cost[i * m + j] < 0 || cs < cost[i * m + j]) {
            cost[i * m + j] = cs;
            ch.split[i * m + j] = s;
          }
        }
      }
  }
  // Recursion depth is at most max_ordered_chain.
  struct Mult {
    eval::Chain& ch;
    std::size_t m;
    const decltype(mul)& multiply;
    void operator()(std::size_t i, std::size_t j, double alpha, MatrixXd& r) const {
      const std::size_t s = ch.split[i * m + j];
      const MatrixXd *a = &ch.dense[i].v->dense(), *b = &ch.dense[j].v->dense();
      bool ta = ch.dense[i].t, tb = ch.dense[j].t;
      if (s > i) (*this)(i, s, 1.0, ch.tmp[i * m + s]), a = &ch.tmp[i * m + s], ta = false;
      if (s + 1 < j) (*this)(s + 1, j, 1.0, ch.tmp[(s + 1) * m + j]), b = &ch.tmp[(s + 1) * m + j], tb = false;
      multiply(*a, ta, *b, tb, alpha, r);
    }
  };
  Mult{ch, m, mul}(0, m - 1, k, out.buf);
  set_dense(id);
}

// The product with structured factors (eye, ones, diag): value.cpp keeps
// each intermediate in its form; k scales the cheapest of the result and the
// factors (c*X'*v scales the vector, not X).
Value Plan::Impl::product_structured(int id) {
  const CNode& c = nodes[static_cast<std::size_t>(id)];
  const Loc& loc = c.n->loc;
  const eval::Chain& ch = chains[static_cast<std::size_t>(c.chain)];
  double k = ch.sign;
  struct Factor {
    Value v;
    bool t;
  };
  std::vector<Factor> chain;
  for (std::size_t i = 0; i < ch.factors.size(); ++i) {
    const Operand& f = ch.factors[i];
    const Value& v = val(f.id);
    if (ch.gram && i == ch.diag) {
      chain.push_back({eval::diag_of(v, loc), false});  // the diag(s) of a gram chain
      continue;
    }
    if (v.is_scalar()) k *= v.scalar_value();
    else chain.push_back({v, f.t});
  }
  if (chain.empty()) return Value::scalar(k);
  auto scale_cost = [](const Value& v) {
    switch (v.form) {
      case Value::Form::Dense: return static_cast<double>(v.rows) * static_cast<double>(v.cols);
      case Value::Form::Diagonal: return static_cast<double>(v.rows);
      case Value::Form::Identity:
      case Value::Form::Constant: return 1.0;
    }
    return 0.0;
  };
  const std::size_t m = chain.size();
  bool scale_result = false;
  if (k != 1) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < m; ++i)
      if (scale_cost(chain[i].v) < scale_cost(chain[best].v)) best = i;
    const long rows = chain[0].t ? chain[0].v.cols : chain[0].v.rows;
    const long cols = chain[m - 1].t ? chain[m - 1].v.rows : chain[m - 1].v.cols;
    if (static_cast<double>(rows) * static_cast<double>(cols) <= scale_cost(chain[best].v)) scale_result = true;
    else chain[best].v = eval::scale(chain[best].v, k);
  }
  Value result = chain[0].v;
  bool t = chain[0].t;
  if (m == 1) {
    result = t ? eval::transpose(result) : result;
  } else {
    result = eval::matmul(chain[0].v, chain[0].t, chain[1].v, chain[1].t, loc);
    for (std::size_t i = 2; i < m; ++i) result = eval::matmul(result, false, chain[i].v, chain[i].t, loc);
  }
  return scale_result ? eval::scale(result, k) : result;
}

// One node on structured values (value.cpp): the forms eye, ones, diag are
// kept where the result has them.
Value Plan::Impl::generic(int id) {
  const CNode& c = nodes[static_cast<std::size_t>(id)];
  const Node* e = c.n;
  const Loc& loc = e->loc;
  auto arg = [&](std::size_t i) -> const Value& { return val(c.ops[i].id); };
  auto size = [&](const eval::Size& s) { return size_of(s, loc); };
  auto zip = [&](eval::fn::Bin b) {
    return eval::zip(arg(0), arg(1), [b](double x, double y) { return eval::fn::apply(b, x, y); }, loc);
  };
  switch (e->kind) {
    case Kind::Add:
    case Kind::Sub:
      return eval::add(arg(0), c.ops[0].t, arg(1), c.ops[1].t, e->kind == Kind::Add ? 1.0 : -1.0, loc);
    case Kind::Neg: return eval::scale(arg(0), -1.0);
    case Kind::Mul: return product_structured(id);
    case Kind::Div: return eval::divide(arg(0), sval(c.ops[1].id));
    case Kind::Hadamard: return eval::hadamard(arg(0), arg(1), loc);
    case Kind::ElemDiv: return zip(eval::fn::Bin::Div);
    case Kind::ElemPow: return zip(eval::fn::Bin::Pow);
    case Kind::Pow: {
      const Value& a = arg(0);
      const double k = sval(c.ops[1].id);
      MCALC_ASSERT(k == std::floor(k), "non-integer matrix power");
      // Beyond 2^62 the exponent has no long; the squarings alone are past any limit.
      if (std::abs(k) > 4.6e18)
        eval::check_work(HUGE_VAL, "a matrix power with exponent " + format_number(k, NumberStyle::significant(6)), loc);
      return eval::matrix_power(a, static_cast<long>(k), loc);
    }
    case Kind::Transpose: return eval::transpose(arg(0));
    case Kind::Literal: {
      MatrixXd m(e->lit_rows, e->lit_cols);
      for (long r = 0; r < e->lit_rows; ++r)
        for (long col = 0; col < e->lit_cols; ++col) m(r, col) = sval(c.ops[static_cast<std::size_t>(r * e->lit_cols + col)].id);
      return Value::of(std::move(m));
    }
    case Kind::Ones: return Value::constant(size(c.rows), size(c.cols), 1.0);
    case Kind::Zeros: return Value::constant(size(c.rows), size(c.cols), 0.0);
    case Kind::Eye: return Value::identity(size(c.rows), 1.0);
    case Kind::Unit: {
      const long n = size(c.rows);
      if (e->i > n) throw UserError(Msg::IndexOutOfRange, loc, {std::to_string(e->i), eval::shape_str(n, 1)});
      eval::check_size(n, 1, loc);
      MatrixXd u = MatrixXd::Zero(n, 1);
      u(e->i - 1, 0) = 1.0;
      return Value::of(std::move(u));
    }
    case Kind::Call: {
      const Fn f = e->fn;
      Value out;
      if (eval::fn::with_unary(f, [&](auto g) { out = eval::map(arg(0), [g](double x) { return g(x); }, loc); }))
        return out;
      switch (f) {
#define MCALC_FN_ELEMENTWISE2(Id, ...) \
  case Fn::Id: return zip(eval::fn::Bin::Id);
#include "mcalc/functions.def"
        case Fn::Softmax: {
          // softmax(z) = exp(z - m) / sum exp(z - m)
          MatrixXd z = arg(0).materialise(loc);
          MatrixXd ez = (z.array() - z.maxCoeff()).exp().matrix();
          return Value::of(ez / ez.sum());
        }
        case Fn::Inv: return eval::inverse(arg(0), "inv", loc);
        case Fn::Adj: return eval::adjugate(arg(0), loc);
        case Fn::DiagOf: return eval::diag_of(arg(0), loc);
        case Fn::DiagVec: return eval::diag_vec(arg(0), loc);
        case Fn::Vec: return eval::vec(arg(0), loc);
        case Fn::Kron: return eval::kron(arg(0), arg(1), loc);
        case Fn::Commutation:
          return eval::commutation(static_cast<long>(sval(c.ops[0].id)), static_cast<long>(sval(c.ops[1].id)), loc);
#define MCALC_FN_ELEMENTWISE(Id, ...) case Fn::Id:
#include "mcalc/functions.def"
        case Fn::None:
        case Fn::Sum:
        case Fn::Mean:
        case Fn::Norm2:
        case Fn::Norm1:
        case Fn::Logsumexp:
        case Fn::Tr:
        case Fn::Det:
        case Fn::Logdet: break;
      }
      MCALC_UNREACHABLE(std::string("a matrix-valued call of ") + fn_name(f));
    }
    case Kind::Num:
    case Kind::Var:
    case Kind::DimSize:
    case Kind::Dot:
    case Kind::Index: break;
  }
  MCALC_UNREACHABLE("a node that is not computed by the structured path");
}

// Where a NaN or an infinity first arose: every node computed on its own, in
// order, and the first whose value is not finite while its operands are.
void Plan::Impl::diagnose() {
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const CNode& c = nodes[k];
    if (!c.needed || c.op == Op::Input) continue;  // a given value is what it is
    if (c.region >= 0) exec(static_cast<int>(k));
    if (finite(val(static_cast<int>(k)))) continue;
    bool operands_finite = true;
    for (const Operand& o : c.ops) operands_finite = operands_finite && finite(val(o.id));
    if (!operands_finite) continue;
    const Value& v = val(static_cast<int>(k));
    bool nan = false;
    if (v.is_dense()) nan = v.dense().array().isNaN().any();
    else if (v.form == Value::Form::Diagonal) nan = v.diag.array().isNaN().any();
    else nan = std::isnan(v.s);
    Loc loc = c.n->loc;
    for (int r : root_ids)
      if (!loc.valid()) loc = nodes[static_cast<std::size_t>(r)].n->loc;
    warnings.push_back({Msg::NonFiniteValue, loc, {nan ? "NaN" : "an infinity", to_text(c.expr)}});
    return;
  }
}

void Plan::Impl::run(const Bindings& bindings) {
  eval::LimitScope limits(opt);
  b = &bindings;
  warnings.clear();
  bind_inputs();
  check_costs();
  for (const eval::Unit& u : units) {
    if (u.region) exec_region(u.index);
    else exec(u.index);
  }
  bool finite_roots = true;
  for (int r : root_ids) finite_roots = finite_roots && finite(val(r));
  if (!finite_roots) diagnose();
}

Plan::Plan(std::vector<Expr> roots, EvalOptions opt) : impl_(std::make_unique<Impl>()) {
  for (const auto& r : roots) MCALC_ASSERT(r != nullptr, "evaluating a null expression");
  impl_->opt = opt;
  eval::LimitScope limits(impl_->opt);
  impl_->compile(roots);
}
Plan::~Plan() = default;
Plan::Plan(Plan&&) noexcept = default;
Plan& Plan::operator=(Plan&&) noexcept = default;

void Plan::run(const Bindings& b) {
  impl_->known = nullptr;
  impl_->run(b);
}

void Plan::run(const Bindings& b, const std::map<std::string, long>& known_dims) {
  impl_->known = &known_dims;
  impl_->run(b);
}

std::map<std::string, long> Plan::dim_sizes() const {
  std::map<std::string, long> out;
  for (std::size_t d = 0; d < impl_->dim_names.size(); ++d)
    if (impl_->dim_size.size() > d && impl_->dim_size[d] >= 0) out[impl_->dim_names[d]] = impl_->dim_size[d];
  return out;
}

Eigen::MatrixXd Plan::value(std::size_t k) const {
  MCALC_ASSERT(k < impl_->root_ids.size(), "value of a root that does not exist");
  const int id = impl_->root_ids[k];
  eval::LimitScope limits(impl_->opt);
  return impl_->val(id).materialise(impl_->nodes[static_cast<std::size_t>(id)].n->loc);
}

double Plan::scalar(std::size_t k) const {
  MCALC_ASSERT(k < impl_->root_ids.size(), "value of a root that does not exist");
  return impl_->sval(impl_->root_ids[k]);
}

std::size_t Plan::roots() const { return impl_->root_ids.size(); }
const std::vector<EvalWarning>& Plan::warnings() const { return impl_->warnings; }

std::string Plan::listing() const {
  std::string out;
  auto name = [&](int id) { return "%" + std::to_string(id); };
  auto describe = [&](int id) {
    const eval::CNode& c = impl_->nodes[static_cast<std::size_t>(id)];
    std::string s = name(id) + " = ";
    switch (c.op) {
      case Op::Input: s += "input " + c.n->name; break;
      case Op::Const: s += "const " + format_number(impl_->sval(id), NumberStyle::significant(6)); break;
      case Op::Scalar: s += "scalar"; break;
      case Op::Product: s += impl_->chains[static_cast<std::size_t>(c.chain)].gram ? "gram" : "product"; break;
      case Op::Generic: s += "structured"; break;
    }
    s += " " + to_text(c.expr);
    return s;
  };
  for (const eval::Unit& u : impl_->units) {
    if (!u.region) {
      out += describe(u.index) + "\n";
      continue;
    }
    const eval::Region& R = impl_->regions[static_cast<std::size_t>(u.index)];
    out += "fused {\n";
    for (int id : R.nodes) {
      const eval::CNode& c = impl_->nodes[static_cast<std::size_t>(id)];
      out += "  " + describe(id) + (c.member ? (c.stored ? " [stored]" : "") : " [reduction]") + "\n";
    }
    out += "}\n";
  }
  return out;
}

// ---- Evaluator: one plan per call ------------------------------------------

struct Evaluator::Impl {
  std::shared_ptr<const Bindings> b;
  EvalOptions opt;
  std::vector<EvalWarning> warnings;
  std::map<std::string, long> dims;  // sizes learned from the values in earlier calls

  Eigen::MatrixXd evaluate(const Expr& e) {
    Plan p({e}, opt);
    p.run(*b, dims);
    for (const auto& [name, size] : p.dim_sizes()) dims.emplace(name, size);
    warnings.insert(warnings.end(), p.warnings().begin(), p.warnings().end());
    return p.value(0);
  }
};

Evaluator::Evaluator(Bindings b) : Evaluator(std::make_shared<const Bindings>(std::move(b))) {}
Evaluator::Evaluator(std::shared_ptr<const Bindings> b) : impl_(std::make_unique<Impl>()) {
  MCALC_ASSERT(b != nullptr, "an evaluator without bindings");
  impl_->b = std::move(b);
}
Evaluator Evaluator::borrowing(const Bindings& b) {
  // The aliasing constructor with an empty owner: a pointer that owns nothing.
  return Evaluator(std::shared_ptr<const Bindings>(std::shared_ptr<const Bindings>(), &b));
}
Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;
Evaluator& Evaluator::operator=(Evaluator&&) noexcept = default;

Eigen::MatrixXd Evaluator::evaluate(const Expr& e) {
  MCALC_ASSERT(e != nullptr, "evaluating a null expression");
  return impl_->evaluate(e);
}

double Evaluator::scalar(const Expr& e) {
  MCALC_ASSERT(e != nullptr && e->is_scalar(), "scalar() of a non-scalar expression");
  return impl_->evaluate(e)(0, 0);
}

const std::vector<EvalWarning>& Evaluator::warnings() const { return impl_->warnings; }
void Evaluator::set_options(const EvalOptions& opt) { impl_->opt = opt; }

Eigen::MatrixXd evaluate(const Expr& e, const Bindings& b, const EvalOptions& opt) {
  Evaluator ev = Evaluator::borrowing(b);
  ev.set_options(opt);
  return ev.evaluate(e);
}

}  // namespace mcalc
