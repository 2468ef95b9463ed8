// Gradient descent over a data set with the derived gradients.
//
// Per-sample programs (data names of constant shape, one CSV row each): the
// loss and every gradient are evaluated per sample and averaged over the
// batch, i.e. the batch loss is (1/B) sum_i L(sample i), whose gradient is the
// mean of the per-sample gradients. Vectorised programs (data names over the
// sample dimension, X : matrix(N, k)) are evaluated once per batch with N = B:
// the loss is what the program says (write the mean in it, as sum(...)/N).
#include <cmath>
#include <cstdio>
#include <random>
#include <regex>
#include <set>

#include "mcalc/number.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/print.hpp"
#include "mcalc/topo.hpp"
#include "mcalc/train.hpp"

namespace mcalc::train {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool is_zero(const Expr& e) { return (e->kind == Kind::Num && e->num == 0) || e->kind == Kind::Zeros; }

/// The piecewise-constant functions `e` uses, for the ZeroGradient message.
std::string flat_functions(const Expr& e) {
  std::set<std::string> names;
  for (const Node* n : ir::topo_order(e).order)  // each node once: a tree walk is exponential on a DAG
    if (n->kind == Kind::Call && fn_has(n->fn, fnflag::Flat))
      names.insert(fn_name(n->fn));
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none found" : out;
}

/// Uniform in [-1, 1] from a 32-bit Mersenne twister: the same numbers on every platform.
double uniform(std::mt19937& rng) { return static_cast<double>(rng()) / 4294967295.0 * 2.0 - 1.0; }

class Trainer {
 public:
  Trainer(const Program& prog, const Dataset& data, const TrainOptions& opt) : prog_(prog), data_(data), opt_(opt) {
    loss_ = loss_expr(prog, opt.loss);
    for (const auto& p : opt.params)
      if (contains(data.names, p)) throw UserError(Msg::ParamUnknown, {p, "it is read from the data"});
    std::vector<std::string> data_names = data.names;
    for (const auto& n : opt.data_names)
      if (prog.find(n) && !contains(data_names, n)) data_names.push_back(n);
    result.params = parameters(prog, loss_, data_names, opt.params);
    base_ = mcalc::bind(prog, {});
    base_.dims.clear();  // sizes come from the values (the batch size varies)
    std::mt19937 rng(opt.seed);
    for (const auto& p : result.params) {
      const Symbol* s = prog.find(p);
      if (!base_.values.count(p)) {
        if (!s->shape.rows.is_const() || !s->shape.cols.is_const())
          throw UserError(Msg::ParamNoValue, s->loc, {p, type_string(*s)});
        Eigen::MatrixXd m(s->shape.rows.value(), s->shape.cols.value());
        for (Eigen::Index c = 0; c < m.cols(); ++c)
          for (Eigen::Index r = 0; r < m.rows(); ++r) m(r, c) = uniform(rng);
        base_.values[p] = m;
        result.initialised.push_back(p);
      }
      Eigen::MatrixXd& v = base_.values[p];
      if (s->shape.is_col() && v.rows() == 1) v.transposeInPlace();
      result.initial[p] = v;
    }
    // Every input of the loss has a value or a column.
    for (const auto& n : inputs_of(loss_)) {
      if (base_.values.count(n) || contains(data.names, n)) continue;
      const Symbol* s = prog.find(n);
      long k = s->shape.rows.is_const() && s->shape.cols.is_const() ? s->shape.rows.value() * s->shape.cols.value() : 1;
      throw UserError(Msg::DataMissingColumn, {k == 1 ? n : n + "1.." + n + std::to_string(k), s->shape.str(), n});
    }
    for (const auto& p : result.params) {
      grads_.push_back(gradient(loss_, prog.find(p)->node));
      if (is_zero(grads_.back())) result.zero_gradient.push_back(p);
    }
    if (opt.accuracy) setup_accuracy();
    // Compiled once, run per sample or batch.
    grad_plan_ = std::make_unique<Plan>(grads_);
    std::vector<Expr> recorded{loss_};
    if (predict_) recorded.insert(recorded.end(), {predict_, label_});
    record_plan_ = std::make_unique<Plan>(recorded);
  }

  TrainResult result;

  void run(const std::function<void(const EpochStats&)>& progress) {
    if (opt_.epochs > 0) {
      bool all_zero = true;
      for (const auto& g : grads_) all_zero = all_zero && is_zero(g);
      if (all_zero) {
        std::string ps;
        for (const auto& p : result.params) ps += (ps.empty() ? "" : ", ") + p;
        throw UserError(Msg::ZeroGradient, {opt_.loss, ps, flat_functions(loss_)});
      }
    }
    long n = data_.rows;
    long batch = opt_.batch <= 0 || opt_.batch > n ? n : opt_.batch;
    record(0, progress);
    for (int epoch = 1; epoch <= opt_.epochs; ++epoch) {
      for (long begin = 0; begin < n; begin += batch) {
        long end = std::min(n, begin + batch);
        std::vector<Eigen::MatrixXd> g = batch_gradients(begin, end);
        for (std::size_t k = 0; k < result.params.size(); ++k) {
          Eigen::MatrixXd& v = base_.values[result.params[k]];
          v -= opt_.lr * g[k];
        }
      }
      record(epoch, progress);
    }
    for (const auto& p : result.params) result.final[p] = base_.values.at(p);
  }

 private:
  const Program& prog_;
  const Dataset& data_;
  const TrainOptions& opt_;
  Expr loss_;
  Bindings base_;
  std::vector<Expr> grads_;
  Expr predict_, label_;
  std::unique_ptr<Plan> grad_plan_;    // the gradients
  std::unique_ptr<Plan> record_plan_;  // the loss (and prediction and label)

  void setup_accuracy() {
    std::vector<Layer> layers = find_layers(prog_, loss_);
    std::string p = !opt_.predict.empty() ? opt_.predict : !layers.empty() ? layers.back().a_name : "yhat";
    const Symbol* ps = prog_.find(p);
    if (!ps || !ps->node) throw UserError(Msg::PredictUnknown, {p});
    std::string l = opt_.label;
    if (l.empty()) l = contains(data_.names, "y") ? "y" : contains(data_.names, "Y") ? "Y" : "y";
    const Symbol* ls = prog_.find(l);
    if (!ls || !contains(data_.names, l)) throw UserError(Msg::LabelUnknown, {l});
    if (ps->shape != ls->shape) throw UserError(Msg::PredictShape, {p, ps->shape.str(), l, ls->shape.str()});
    predict_ = ps->node;
    label_ = ls->node;
    result.predict = p;
    result.label = l;
  }

  Bindings at(long begin, long end) const {
    Bindings b = base_;
    for (const auto& name : data_.names) b.values[name] = data_.value(prog_, name, begin, end);
    return b;
  }

  /// Units of evaluation of [begin, end): one per sample, or the whole range when vectorised.
  template <class F>
  void each_unit(long begin, long end, F f) const {
    if (data_.vectorised) {
      f(at(begin, end));
    } else {
      for (long i = begin; i < end; ++i) f(at(i, i + 1));
    }
  }

  std::vector<Eigen::MatrixXd> batch_gradients(long begin, long end) const {
    std::vector<Eigen::MatrixXd> sum(grads_.size());
    long units = 0;
    each_unit(begin, end, [&](const Bindings& b) {
      grad_plan_->run(b);
      for (std::size_t k = 0; k < grads_.size(); ++k) {
        Eigen::MatrixXd g = grad_plan_->value(k);
        if (units == 0)
          sum[k] = g;
        else
          sum[k] += g;
      }
      ++units;
    });
    for (auto& s : sum) s /= static_cast<double>(units);
    return sum;
  }

  void record(int epoch, const std::function<void(const EpochStats&)>& progress) {
    EpochStats st;
    st.epoch = epoch;
    double loss = 0;
    long units = 0, correct = 0, total = 0;
    each_unit(0, data_.rows, [&](const Bindings& b) {
      record_plan_->run(b);
      loss += record_plan_->scalar(0);
      ++units;
      if (predict_) {
        Eigen::MatrixXd p = record_plan_->value(1), y = record_plan_->value(2);
        for (Eigen::Index k = 0; k < p.size(); ++k) {
          bool pc = p.data()[k] >= opt_.threshold, yc = y.data()[k] >= opt_.threshold;
          correct += pc == yc;
          ++total;
        }
      }
    });
    st.loss = loss / static_cast<double>(units);
    if (!std::isfinite(st.loss))
      throw UserError(Msg::TrainDiverged, {std::isnan(st.loss) ? "nan" : "infinite", std::to_string(epoch)});
    if (predict_) st.accuracy = static_cast<double>(correct) / static_cast<double>(total);
    result.history.push_back(st);
    if (progress) progress(st);
  }
};

/// A value as a bracket literal that reads back exactly (17 significant digits).
std::string literal(const Eigen::MatrixXd& v, const Shape& shape) {
  auto num = [](double x) { return format_number(x, NumberStyle::exact()); };
  if (shape.is_scalar() && v.size() == 1) return num(v(0, 0));
  std::string out = "[";
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    if (i) out += "; ";
    for (Eigen::Index j = 0; j < v.cols(); ++j) out += (j ? ", " : "") + num(v(i, j));
  }
  return out + "]";
}

/// The type as the declaration wrote it ("matrix(2, 1)", which type_string
/// would give as the equal "vector(2)"), read from the declaration's source;
/// type_string when the source does not show it.
std::string declared_type(const Symbol& s) {
  static const std::regex decl(
      R"(^[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*\s*:\s*(scalar|vector\s*\([^)]*\)|matrix\s*\([^)]*\)))");
  if (s.origin != Symbol::Origin::Declared || !s.loc.valid()) return type_string(s);
  const std::string& text = s.loc.src->text;
  std::size_t at = 0;
  for (int line = 1; line < s.loc.line && at != std::string::npos; ++line) {
    at = text.find('\n', at);
    if (at != std::string::npos) ++at;
  }
  if (at == std::string::npos) return type_string(s);
  for (int col = 1; col < s.loc.col && at < text.size(); ++at)  // columns count characters, not bytes
    if ((static_cast<unsigned char>(text[at + 1]) & 0xC0) != 0x80) ++col;
  std::smatch m;
  std::string rest = text.substr(at, text.find('\n', at) - at);
  if (rest.compare(0, s.name.size(), s.name) != 0 || !std::regex_search(rest, m, decl)) return type_string(s);
  return m[2].str();
}

}  // namespace

TrainResult train(const Program& prog, const Dataset& data, const TrainOptions& opt,
                  const std::function<void(const EpochStats&)>& progress) {
  Trainer t(prog, data, opt);
  t.run(progress);
  return std::move(t.result);
}

std::string save_program(const Program& prog, const std::map<std::string, Eigen::MatrixXd>& values,
                         const std::string& header) {
  std::string out;
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t nl = header.find('\n', start);
    out += "# " + header.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  auto declaration = [&](const std::string& name) {
    const Symbol& s = prog.symbols.at(name);
    std::string line = name + " : " + declared_type(s);
    auto it = values.find(name);
    if (it != values.end())
      line += " = " + literal(it->second, s.shape);
    else if (s.value)
      line += " = " + to_text(s.value);
    return line + "\n";
  };
  // Names given values without a declaration of their own (assumed by the letter convention).
  for (const auto& [name, v] : values) {
    const Symbol* s = prog.find(name);
    MCALC_ASSERT(s != nullptr, "saving a value for an unknown name " + name);
    if (s->origin == Symbol::Origin::Assumed) out += declaration(name);
  }
  for (const Statement& st : prog.statements) {
    switch (st.kind) {
      case Statement::Kind::Declaration:
        for (const auto& n : st.names) out += declaration(n);
        break;
      case Statement::Kind::Definition: out += st.names[0] + " = " + to_text(st.expr) + "\n"; break;
      case Statement::Kind::Query:
        out += std::string(query_name(st.op)) + "(" + to_text(st.expr) + ", " + st.wrt->name + ")\n";
        break;
      case Statement::Kind::Evaluate: out += to_text(st.expr) + "\n"; break;
      case Statement::Kind::Derive: out += "derive(" + to_text(st.expr) + ", " + st.wrt->name + ")\n"; break;
      case Statement::Kind::Check:
        out += "check(" + std::string(query_name(st.op)) + "(" + to_text(st.expr) + ", " + st.wrt->name + "), " +
               to_text(st.answer) + ")\n";
        break;
    }
  }
  return out;
}

}  // namespace mcalc::train
