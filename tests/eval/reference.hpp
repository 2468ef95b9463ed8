#pragma once
// The reference evaluator of the tests: the tree-walking evaluator that
// preceded the plan (a strict switch over ir::Kind, memoised over the DAG,
// on the structured values of value.hpp). The property test checks that
// every plan agrees with it.
#include <cmath>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "eval/value.hpp"
#include "mcalc/eval.hpp"

namespace mcalc::test {
namespace reference_detail {
using eval::Value;
using Eigen::MatrixXd;

// Numerically stable forms of the activation functions.
inline double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  double e = std::exp(z);
  return e / (1.0 + e);
}
inline double softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }
inline double sign(double z) { return z > 0 ? 1.0 : (z < 0 ? -1.0 : (std::isnan(z) ? z : 0.0)); }
}  // namespace reference_detail

class ReferenceEvaluator {
 public:
  using Value = eval::Value;
  using MatrixXd = Eigen::MatrixXd;
  explicit ReferenceEvaluator(const Bindings& bs) : b(&bs) {
    for (const auto& [name, size] : b->dims) {
      dims.sizes[name] = size;
      dims.from[name] = "the given sizes";
    }
  }
  Eigen::MatrixXd evaluate(const Expr& e) {
    roots.push_back(e);
    unify_inputs(e);
    evaluate_operands(e);
    return eval(e).materialise(e->loc);
  }

 private:
  const Bindings* b;
  eval::DimTable dims;
  std::unordered_map<const Node*, Value> memo;
  std::unordered_set<const Node*> unified;  // variables whose value has been checked
  std::vector<Expr> roots;                  // keep memoised nodes alive

  // An operand as the operation reads it: `e`, transposed when `t`.
  struct Operand {
    const Expr* e;
    bool t;
  };
  // A product sign * op(f1) * op(f2) * ... (see gather).
  struct Product {
    double sign = 1;
    std::vector<Operand> factors;
  };
  // Matrix chains up to this length are ordered by dynamic programming
  // (O(k^3)); longer ones are multiplied left to right.
  static constexpr std::size_t max_ordered_chain = 16;

  long size_of(const Dim& d, const Loc& loc) const {
    return d.size([&](const std::string& name) {
      auto it = dims.sizes.find(name);
      if (it == dims.sizes.end()) throw UserError(Msg::UnboundDimension, loc, {name});
      return it->second;
    });
  }

  // Checks an input variable's value against its shape (once per node),
  // fixing the sizes of its dimensions. A flat list for a column denotes
  // its transpose.
  void unify(const Node* n, const Eigen::MatrixXd& m) {
    if (unified.count(n)) return;
    const bool flat = eval::flat_column(n->shape, m);
    eval::unify_size(n->name, n->shape, flat ? m.cols() : m.rows(), flat ? m.rows() : m.cols(), n->loc, dims);
    unified.insert(n);
  }

  // Fixes the sizes of dimensions from the values of the variables under e,
  // before anything (ones(n), N) needs them.
  void unify_inputs(const Expr& root) {
    std::vector<const Node*> stack{root.get()};
    std::unordered_set<const Node*> seen;
    while (!stack.empty()) {
      const Node* n = stack.back();
      stack.pop_back();
      if (!seen.insert(n).second) continue;
      if (n->kind == Kind::Var && n->args.empty()) {
        auto it = b->values.find(n->name);
        if (it != b->values.end()) unify(n, it->second);
      }
      for (auto a = n->args.rbegin(); a != n->args.rend(); ++a) stack.push_back(a->get());  // left first
    }
  }

  // Looks through transposes (and intermediate variables) not yet computed:
  // an operation that can read its operand transposed in place needs only
  // the untransposed value.
  Operand strip(const Expr& e) const {
    Operand o{&e, false};
    for (;;) {
      const Node* n = o.e->get();
      if (memo.count(n)) return o;
      if (n->kind == Kind::Transpose) o.t = !o.t;
      else if (!(n->kind == Kind::Var && !n->args.empty())) return o;
      o.e = &n->args[0];
    }
  }

  // The factors of the product `root`, so that it is computed as one chain:
  // nested products are flattened ((A*B)' = B'*A'), transposes become flags
  // and negations the sign. Only products not yet computed and held by this
  // chain alone are flattened (a shared one is a factor, computed once), so
  // the flattened part is a tree and the factors are at most its nodes.
  // Iterative: a long chain does not recurse once per link.
  Product gather(const Expr& root) const {
    Product p;
    struct Item {
      const Expr* e;
      bool t;
    };
    std::vector<Item> stack{{&root->args[1], false}, {&root->args[0], false}};  // left first
    while (!stack.empty()) {
      auto [e, t] = stack.back();
      stack.pop_back();
      bool sole = e->use_count() == 1;
      for (;;) {
        const Node* n = e->get();
        if (memo.count(n)) break;
        if (n->kind == Kind::Transpose) t = !t;
        else if (n->kind == Kind::Neg) p.sign = -p.sign;
        else if (!(n->kind == Kind::Var && !n->args.empty())) break;
        e = &n->args[0];
        sole = sole && e->use_count() == 1;
      }
      const Node* n = e->get();
      // A 1 x 1 product (x'*y) scales the chain it stands in: it is a factor
      // of its own, never flattened into the neighbouring matrices.
      if (n->kind == Kind::Mul && sole && !memo.count(n) && !n->is_scalar()) {
        stack.push_back({&n->args[t ? 0 : 1], t});
        stack.push_back({&n->args[t ? 1 : 0], t});
        continue;
      }
      p.factors.push_back({e, t});
    }
    return p;
  }

  // The operands compute(e) reads: for a product its factors, for a sum its
  // operands under their transposes, else the node's arguments.
  void operands(const Expr& e, std::vector<const Expr*>& out) const {
    if (e->kind == Kind::Mul) {
      for (const Operand& f : gather(e).factors) out.push_back(f.e);
    } else if (e->kind == Kind::Add || e->kind == Kind::Sub) {
      for (const Expr& a : e->args) out.push_back(strip(a).e);
    } else {
      for (const Expr& a : e->args) out.push_back(&a);
    }
  }

  // Evaluates the operands of `root` bottom-up with an explicit stack, so
  // that a long chain (a + b + c + ... from a large input) does not recurse
  // once per link; compute() then finds every operand it reads memoised.
  // Nodes that no operation reads (a transpose folded into a product, the
  // inner products of a chain) are not computed.
  void evaluate_operands(const Expr& root) {
    std::vector<std::pair<const Expr*, bool>> stack{{&root, false}};
    std::vector<const Expr*> ops;
    while (!stack.empty()) {
      auto [e, expanded] = stack.back();
      stack.pop_back();
      if (memo.count(e->get())) continue;
      if (expanded) {
        eval(*e);
        continue;
      }
      stack.push_back({e, true});
      ops.clear();
      operands(*e, ops);
      for (auto a = ops.rbegin(); a != ops.rend(); ++a)
        if (!memo.count((*a)->get())) stack.push_back({*a, false});
    }
  }

  const Value& eval(const Expr& e) {
    auto it = memo.find(e.get());
    if (it != memo.end()) return it->second;
    Value v = compute(e);
    return memo.emplace(e.get(), std::move(v)).first->second;
  }

  double scalar(const Expr& e) { return eval(e).scalar_value(); }

  Value compute(const Expr& e);
  Value product(const Expr& e);
  Value call(const Expr& e);
  Value index(const Expr& e);
};

// A product evaluated as one chain k * op(M1) * ... * op(Mm): the 1 x 1
// factors are collected into k, transposed dense factors are read in place,
// the chain is associated to minimise the work (X'*(A*v) rather than
// (X'*A)*v), and k scales whichever is smallest of the result and the
// factors (c*X'*v scales the vector, not X).
inline eval::Value ReferenceEvaluator::product(const Expr& e) {
  const Loc& loc = e->loc;
  const Product p = gather(e);
  double k = p.sign;
  struct Factor {
    const Value* v;
    bool t;
    long rows, cols;  // of op(v)
  };
  std::vector<Factor> chain;
  for (const Operand& f : p.factors) {
    const Value& v = eval(*f.e);
    if (v.is_scalar()) k *= v.scalar_value();
    else chain.push_back({&v, f.t, f.t ? v.cols : v.rows, f.t ? v.rows : v.cols});
  }
  if (chain.empty()) return Value::scalar(k);
  const std::size_t m = chain.size();
  for (std::size_t i = 0; i + 1 < m; ++i)
    MCALC_ASSERT(chain[i].cols == chain[i + 1].rows,
                 "sizes of a product: " + eval::size_str(chain[i].rows, chain[i].cols) + " and " +
                     eval::size_str(chain[i + 1].rows, chain[i + 1].cols));
  if (m == 1) {
    if (!chain[0].t && k == 1) return *chain[0].v;
    return eval::matmul(Value::scalar(k), false, *chain[0].v, chain[0].t, loc);
  }

  // Where k goes: the cheapest of scaling the result or one factor (a
  // structured factor scales in O(1) or O(n)).
  auto scale_cost = [](const Value& v) {
    switch (v.form) {
      case Value::Form::Dense: return static_cast<double>(v.rows) * static_cast<double>(v.cols);
      case Value::Form::Diagonal: return static_cast<double>(v.rows);
      case Value::Form::Identity:
      case Value::Form::Constant: return 1.0;
    }
    return 0.0;
  };
  Value scaled;
  bool scale_result = false;
  if (k != 1) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < m; ++i)
      if (scale_cost(*chain[i].v) < scale_cost(*chain[best].v)) best = i;
    const double result_cost = static_cast<double>(chain[0].rows) * static_cast<double>(chain[m - 1].cols);
    if (result_cost <= scale_cost(*chain[best].v)) {
      scale_result = true;
    } else {
      scaled = eval::scale(*chain[best].v, k);
      chain[best].v = &scaled;
    }
  }
  Value result;
  if (m == 2) {
    result = eval::matmul(*chain[0].v, chain[0].t, *chain[1].v, chain[1].t, loc);
  } else if (m > max_ordered_chain) {
    result = eval::matmul(*chain[0].v, chain[0].t, *chain[1].v, chain[1].t, loc);
    for (std::size_t i = 2; i < m; ++i) result = eval::matmul(result, false, *chain[i].v, chain[i].t, loc);
  } else {
    // The matrix-chain order: cost[i][j] is the fewest multiplications for
    // factors i..j (dense estimate rows * inner * cols), split[i][j] where
    // the last product splits them.
    std::vector<std::vector<double>> cost(m, std::vector<double>(m, 0.0));
    std::vector<std::vector<std::size_t>> split(m, std::vector<std::size_t>(m, 0));
    for (std::size_t len = 2; len <= m; ++len)
      for (std::size_t i = 0; i + len <= m; ++i) {
        const std::size_t j = i + len - 1;
        cost[i][j] = -1;
        for (std::size_t s = i; s < j; ++s) {
          double c = cost[i][s] + cost[s + 1][j] +
                     static_cast<double>(chain[i].rows) * static_cast<double>(chain[s].cols) *
                         static_cast<double>(chain[j].cols);
          if (cost[i][j] < 0 || c < cost[i][j]) {
            cost[i][j] = c;
            split[i][j] = s;
          }
        }
      }
    // Recursion depth is at most max_ordered_chain.
    std::function<Value(std::size_t, std::size_t)> multiply = [&](std::size_t i, std::size_t j) -> Value {
      const std::size_t s = split[i][j];
      Value left, right;
      const Value *a = chain[i].v, *b = chain[j].v;
      bool ta = chain[i].t, tb = chain[j].t;
      if (s > i) left = multiply(i, s), a = &left, ta = false;
      if (s + 1 < j) right = multiply(s + 1, j), b = &right, tb = false;
      return eval::matmul(*a, ta, *b, tb, loc);
    };
    result = multiply(0, m - 1);
  }
  return scale_result ? eval::scale(result, k) : result;
}

inline eval::Value ReferenceEvaluator::compute(const Expr& e) {
  const Loc& loc = e->loc;
  switch (e->kind) {
    case Kind::Num: return Value::scalar(e->num);
    case Kind::Var: {
      if (!e->args.empty()) return eval(e->args[0]);  // an intermediate: its definition
      auto it = b->values.find(e->name);
      if (it == b->values.end()) throw UserError(Msg::MissingValue, loc, {e->name});
      unify(e.get(), it->second);
      // The binding's storage, not a copy (a flat list for a column is the
      // one value that must be rearranged).
      if (eval::flat_column(e->shape, it->second)) return Value::of(it->second.transpose());
      return Value::borrow(it->second);
    }
    case Kind::DimSize: return Value::scalar(static_cast<double>(size_of(e->dim, loc)));
    case Kind::Add:
    case Kind::Sub: {
      // A + B' reads B transposed in place
      const Operand x = strip(e->args[0]), y = strip(e->args[1]);
      return eval::add(eval(*x.e), x.t, eval(*y.e), y.t, e->kind == Kind::Add ? 1.0 : -1.0, loc);
    }
    case Kind::Neg: return eval::scale(eval(e->args[0]), -1.0);
    case Kind::Mul: return product(e);
    case Kind::Div: return eval::divide(eval(e->args[0]), scalar(e->args[1]));
    case Kind::Hadamard: return eval::hadamard(eval(e->args[0]), eval(e->args[1]), loc);
    case Kind::ElemDiv:
      return eval::zip(eval(e->args[0]), eval(e->args[1]), [](double x, double y) { return x / y; }, loc);
    case Kind::Dot: {
      // a·b = sum(a .* b)
      const Value &x = eval(e->args[0]), &y = eval(e->args[1]);
      if (x.is_dense() && y.is_dense() && x.rows == y.rows && x.cols == y.cols)
        return Value::scalar(x.dense().cwiseProduct(y.dense()).sum());
      return Value::scalar(eval::sum(eval::hadamard(x, y, loc)));
    }
    case Kind::Pow: {
      const Value& a = eval(e->args[0]);
      double k = scalar(e->args[1]);
      if (a.is_scalar()) return Value::scalar(std::pow(a.scalar_value(), k));
      MCALC_ASSERT(k == std::floor(k), "non-integer matrix power");
      return eval::matrix_power(a, static_cast<long>(k), loc);
    }
    case Kind::ElemPow:
      return eval::zip(eval(e->args[0]), eval(e->args[1]), [](double x, double y) { return std::pow(x, y); },
                       loc);
    case Kind::Transpose: return eval::transpose(eval(e->args[0]));
    case Kind::Index: return index(e);
    case Kind::Call: return call(e);
    case Kind::Literal: {
      MatrixXd m(e->lit_rows, e->lit_cols);
      for (long r = 0; r < e->lit_rows; ++r)
        for (long c = 0; c < e->lit_cols; ++c)
          m(r, c) = scalar(e->args[static_cast<std::size_t>(r * e->lit_cols + c)]);
      return Value::of(std::move(m));
    }
    case Kind::Ones:
      return Value::constant(size_of(e->shape.rows, loc), size_of(e->shape.cols, loc), 1.0);
    case Kind::Zeros:
      return Value::constant(size_of(e->shape.rows, loc), size_of(e->shape.cols, loc), 0.0);
    case Kind::Eye: return Value::identity(size_of(e->shape.rows, loc), 1.0);
    case Kind::Unit: {
      long n = size_of(e->shape.rows, loc);
      if (e->i > n)
        throw UserError(Msg::IndexOutOfRange, loc, {std::to_string(e->i), eval::shape_str(n, 1)});
      eval::check_size(n, 1, loc);
      MatrixXd u = MatrixXd::Zero(n, 1);
      u(e->i - 1, 0) = 1.0;
      return Value::of(std::move(u));
    }
  }
  MCALC_ASSERT(false, "unknown node kind");
  return {};
}

// 1-based; the bounds are checked here because symbolic sizes are only known now.
inline eval::Value ReferenceEvaluator::index(const Expr& e) {
  const Value& a = eval(e->args[0]);
  auto out_of_range = [&](long i) {
    return UserError(Msg::IndexOutOfRange, e->loc, {std::to_string(i), eval::shape_str(a.rows, a.cols)});
  };
  if (e->j == 0) {
    MCALC_ASSERT(a.rows == 1 || a.cols == 1, "single index into a matrix");
    bool row = a.rows == 1;
    if (e->i > (row ? a.cols : a.rows)) throw out_of_range(e->i);
    return Value::scalar(row ? a.at(0, e->i - 1) : a.at(e->i - 1, 0));
  }
  if (e->i > a.rows) throw out_of_range(e->i);
  if (e->j > a.cols) throw out_of_range(e->j);
  return Value::scalar(a.at(e->i - 1, e->j - 1));
}

inline eval::Value ReferenceEvaluator::call(const Expr& e) {
  const Loc& loc = e->loc;
  auto unary = [&](double (*f)(double)) { return eval::map(eval(e->args[0]), f, loc); };
  auto lambda = [&](const eval::Unary& f) { return eval::map(eval(e->args[0]), f, loc); };
  switch (e->fn) {
    case Fn::None: break;
    case Fn::Sin: return unary(std::sin);
    case Fn::Cos: return unary(std::cos);
    case Fn::Tan: return unary(std::tan);
    case Fn::Asin: return unary(std::asin);
    case Fn::Acos: return unary(std::acos);
    case Fn::Atan: return unary(std::atan);
    case Fn::Exp: return unary(std::exp);
    case Fn::Log: return unary(std::log);
    case Fn::Sqrt: return unary(std::sqrt);
    case Fn::Abs: return unary(std::fabs);
    case Fn::Sign: return unary(reference_detail::sign);
    case Fn::Tanh: return unary(std::tanh);
    case Fn::Sinh: return unary(std::sinh);
    case Fn::Cosh: return unary(std::cosh);
    case Fn::Sigmoid: return unary(reference_detail::sigmoid);
    case Fn::Relu: return lambda([](double z) { return z > 0 ? z : 0.0; });
    case Fn::Softplus: return unary(reference_detail::softplus);
    case Fn::Step: return lambda([](double z) { return z > 0 ? 1.0 : 0.0; });
    case Fn::Heaviside: return lambda([](double z) { return z >= 0 ? 1.0 : 0.0; });
    case Fn::LeakyRelu: {
      double alpha = scalar(e->args[1]);
      return lambda([alpha](double u) { return u > 0 ? u : alpha * u; });
    }
    case Fn::Max:
      return eval::zip(eval(e->args[0]), eval(e->args[1]), [](double x, double y) { return std::fmax(x, y); },
                       loc);
    case Fn::Min:
      return eval::zip(eval(e->args[0]), eval(e->args[1]), [](double x, double y) { return std::fmin(x, y); },
                       loc);
    case Fn::Sum: return Value::scalar(eval::sum(eval(e->args[0])));
    case Fn::Mean: {
      const Value& a = eval(e->args[0]);
      return Value::scalar(eval::sum(a) / (static_cast<double>(a.rows) * static_cast<double>(a.cols)));
    }
    case Fn::Norm2: return Value::scalar(eval::norm2(eval(e->args[0])));
    case Fn::Norm1: return Value::scalar(eval::norm1(eval(e->args[0])));
    case Fn::Logsumexp: {
      // log sum exp(z) = m + log sum exp(z - m), m = max z
      MatrixXd z = eval(e->args[0]).materialise(loc);
      double m = z.maxCoeff();
      if (!std::isfinite(m)) return Value::scalar(m);
      return Value::scalar(m + std::log((z.array() - m).exp().sum()));
    }
    case Fn::Softmax: {
      // softmax(z) = exp(z - m) / sum exp(z - m)
      MatrixXd z = eval(e->args[0]).materialise(loc);
      MatrixXd ez = (z.array() - z.maxCoeff()).exp().matrix();
      return Value::of(ez / ez.sum());
    }
    case Fn::Tr: return Value::scalar(eval::trace(eval(e->args[0])));
    case Fn::Det: return Value::scalar(eval::det(eval(e->args[0]), loc));
    case Fn::Logdet: return Value::scalar(eval::logdet(eval(e->args[0]), loc));
    case Fn::Inv: return eval::inverse(eval(e->args[0]), "inv", loc);
    case Fn::Adj: {  // by cofactors, independently of the evaluator's SVD: adj(A)_ij = (-1)^(i+j) det(A without row j, col i)
      const Eigen::MatrixXd a = eval(e->args[0]).materialise(loc);
      const Eigen::Index n = a.rows();
      if (n == 1) return Value::scalar(1.0);
      Eigen::MatrixXd r(n, n);
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) {
          Eigen::MatrixXd minor(n - 1, n - 1);
          for (Eigen::Index p = 0, mp = 0; p < n; ++p) {
            if (p == j) continue;
            for (Eigen::Index q = 0, mq = 0; q < n; ++q)
              if (q != i) minor(mp, mq++) = a(p, q);
            ++mp;
          }
          r(i, j) = ((i + j) % 2 ? -1.0 : 1.0) * minor.determinant();
        }
      return Value::of(r);
    }
    case Fn::DiagOf: return eval::diag_of(eval(e->args[0]), loc);
    case Fn::DiagVec: return eval::diag_vec(eval(e->args[0]), loc);
    case Fn::Vec: {  // entry by entry: A(i, j) is entry j*m + i
      MatrixXd a = eval(e->args[0]).materialise(loc), r(a.size(), 1);
      for (Eigen::Index j = 0; j < a.cols(); ++j)
        for (Eigen::Index i = 0; i < a.rows(); ++i) r(j * a.rows() + i, 0) = a(i, j);
      return Value::of(r);
    }
    case Fn::Kron: {  // entry by entry: (A ⊗ B)(i*p + k, j*q + l) = A(i, j) B(k, l)
      MatrixXd a = eval(e->args[0]).materialise(loc), b = eval(e->args[1]).materialise(loc);
      MatrixXd r(a.rows() * b.rows(), a.cols() * b.cols());
      for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j)
          for (Eigen::Index k = 0; k < b.rows(); ++k)
            for (Eigen::Index l = 0; l < b.cols(); ++l) r(i * b.rows() + k, j * b.cols() + l) = a(i, j) * b(k, l);
      return Value::of(r);
    }
    case Fn::Commutation: {  // the permutation with K vec(A) = vec(A'), built from vec itself
      const long m = static_cast<long>(eval(e->args[0]).scalar_value()), n = static_cast<long>(eval(e->args[1]).scalar_value());
      MatrixXd k = MatrixXd::Zero(m * n, m * n);
      for (long c = 0; c < m * n; ++c) {  // column c of K is K e_c: vec(A') for the A with vec(A) = e_c
        MatrixXd a = MatrixXd::Zero(m, n);
        a(c % m, c / m) = 1;
        MatrixXd at = a.transpose();
        k.col(c) = Eigen::Map<MatrixXd>(at.data(), m * n, 1);
      }
      return Value::of(k);
    }
  }
  MCALC_ASSERT(false, "call of an unknown function");
  return {};
}

}  // namespace mcalc::test
