// The evaluator: a strict switch over ir::Kind (and ir::Fn), memoised over
// the DAG, computing on structured values (value.hpp).
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "mcalc/eval.hpp"
#include "value.hpp"

namespace mcalc {
namespace {
using eval::Value;
using Eigen::MatrixXd;

// Numerically stable forms of the activation functions.
double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  double e = std::exp(z);
  return e / (1.0 + e);
}
double softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }
double sign(double z) { return z > 0 ? 1.0 : (z < 0 ? -1.0 : (std::isnan(z) ? z : 0.0)); }
}  // namespace

struct Evaluator::Impl {
  Bindings b;
  eval::DimTable dims;
  std::unordered_map<const Node*, Value> memo;
  std::unordered_set<const Node*> unified;  // variables whose value has been checked
  std::vector<Expr> roots;                  // keep memoised nodes alive

  long size_of(const Dim& d, const Loc& loc) const {
    if (d.is_const()) return d.value();
    auto it = dims.sizes.find(d.name());
    if (it == dims.sizes.end()) throw UserError(Msg::UnboundDimension, loc, {d.name()});
    return it->second;
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
      if (n->kind == Kind::Var && n->args.empty() && !unified.count(n)) {
        auto it = b.values.find(n->name);
        if (it != b.values.end()) {
          eval::unify_value(n->name, n->shape, it->second, n->loc, dims);
          unified.insert(n);
        }
      }
      for (auto a = n->args.rbegin(); a != n->args.rend(); ++a) stack.push_back(a->get());  // left first
    }
  }

  // Evaluates the operands of `root` bottom-up with an explicit stack, so
  // that a long chain (a + b + c + ... from a large input) does not recurse
  // once per link; compute() then finds every operand memoised.
  void evaluate_operands(const Expr& root) {
    std::vector<std::pair<const Expr*, bool>> stack{{&root, false}};
    while (!stack.empty()) {
      auto [e, expanded] = stack.back();
      stack.pop_back();
      if (memo.count(e->get())) continue;
      if (expanded) {
        eval(*e);
        continue;
      }
      stack.push_back({e, true});
      for (auto a = (*e)->args.rbegin(); a != (*e)->args.rend(); ++a)
        if (!memo.count(a->get())) stack.push_back({&*a, false});
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
  Value call(const Expr& e);
  Value index(const Expr& e);
};

Value Evaluator::Impl::compute(const Expr& e) {
  const Loc& loc = e->loc;
  switch (e->kind) {
    case Kind::Num: return Value::scalar(e->num);
    case Kind::Var: {
      if (!e->args.empty()) return eval(e->args[0]);  // an intermediate: its definition
      auto it = b.values.find(e->name);
      if (it == b.values.end()) throw UserError(Msg::MissingValue, loc, {e->name});
      if (!unified.count(e.get())) {
        eval::unify_value(e->name, e->shape, it->second, loc, dims);
        unified.insert(e.get());
      }
      return Value::of(it->second);
    }
    case Kind::DimSize: return Value::scalar(static_cast<double>(size_of(e->dim, loc)));
    case Kind::Add: return eval::add(eval(e->args[0]), eval(e->args[1]), 1.0, loc);
    case Kind::Sub: return eval::add(eval(e->args[0]), eval(e->args[1]), -1.0, loc);
    case Kind::Neg: return eval::scale(eval(e->args[0]), -1.0);
    case Kind::Mul: return eval::matmul(eval(e->args[0]), eval(e->args[1]), loc);
    case Kind::Div: return eval::divide(eval(e->args[0]), scalar(e->args[1]));
    case Kind::Hadamard: return eval::hadamard(eval(e->args[0]), eval(e->args[1]), loc);
    case Kind::ElemDiv:
      return eval::zip(eval(e->args[0]), eval(e->args[1]), [](double x, double y) { return x / y; }, loc);
    case Kind::Dot: {
      // a·b = sum(a .* b)
      return Value::scalar(eval::sum(eval::hadamard(eval(e->args[0]), eval(e->args[1]), loc)));
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
Value Evaluator::Impl::index(const Expr& e) {
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

Value Evaluator::Impl::call(const Expr& e) {
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
    case Fn::Sign: return unary(sign);
    case Fn::Tanh: return unary(std::tanh);
    case Fn::Sigmoid: return unary(sigmoid);
    case Fn::Relu: return lambda([](double z) { return z > 0 ? z : 0.0; });
    case Fn::Softplus: return unary(softplus);
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
    case Fn::Det: return Value::scalar(eval::det(eval(e->args[0])));
    case Fn::Logdet: return Value::scalar(eval::logdet(eval(e->args[0]), loc));
    case Fn::Inv: return eval::inverse(eval(e->args[0]), "inv", loc);
    case Fn::DiagOf: return eval::diag_of(eval(e->args[0]), loc);
    case Fn::DiagVec: return eval::diag_vec(eval(e->args[0]), loc);
  }
  MCALC_ASSERT(false, "call of an unknown function");
  return {};
}

Evaluator::Evaluator(Bindings b) : impl_(std::make_unique<Impl>()) {
  impl_->b = std::move(b);
  for (const auto& [name, size] : impl_->b.dims) {
    impl_->dims.sizes[name] = size;
    impl_->dims.from[name] = "the given sizes";
  }
}
Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;
Evaluator& Evaluator::operator=(Evaluator&&) noexcept = default;

Eigen::MatrixXd Evaluator::evaluate(const Expr& e) {
  MCALC_ASSERT(e != nullptr, "evaluating a null expression");
  impl_->roots.push_back(e);
  impl_->unify_inputs(e);
  impl_->evaluate_operands(e);
  return impl_->eval(e).materialise(e->loc);
}

double Evaluator::scalar(const Expr& e) {
  MCALC_ASSERT(e != nullptr && e->is_scalar(), "scalar() of a non-scalar expression");
  impl_->roots.push_back(e);
  impl_->unify_inputs(e);
  impl_->evaluate_operands(e);
  return impl_->scalar(e);
}

Eigen::MatrixXd evaluate(const Expr& e, const Bindings& b) {
  Evaluator ev(b);
  return ev.evaluate(e);
}

}  // namespace mcalc
