// The text renderer: results in the language's own notation, for terminals.
#include <ostream>

#include "driver/derivation_format.hpp"
#include "driver/render.hpp"
#include "mcalc/print.hpp"

namespace mcalc::driver {
namespace {

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : std::string(w - s.size(), ' ') + s; }
std::string pad_right(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

class TextRenderer final : public Renderer {
 public:
  using Renderer::Renderer;

  void render(const DescribeResult& r) override {
    if (r.value) {
      out_ << format_value(*r.value, r.expr->shape, opt_.numbers()) << '\n';
      return;
    }
    out_ << r.text << '\n';
    if (r.verb == Verb::CheckTypes) out_ << "shape: " << r.expr->shape.str() << '\n';
    out_ << types_text(r.types);
    if (r.verb == Verb::Parse) out_ << "shape: " << r.expr->shape.str() << '\n';
  }

  void render(const DerivativeResult& r) override {
    const Answer& a = r.answer;
    out_ << to_text(a.shown) << '\n';
    out_ << "layout: " << layout_note(a.op, a.layout, by_vec(a.op, a.f->shape, a.wrt->shape)) << '\n';
    out_ << "shape: " << a.result->shape.str() << '\n';
    out_ << types_text(r.types);
    if (a.value) out_ << "value: " << format_value(*a.value, a.result->shape, opt_.numbers()) << '\n';
    if (a.check) out_ << check_text(*a.check);
    if (r.expanded) {
      const Expansion& x = *r.expanded;
      out_ << "expanded" << x.at() << ", f = " << to_text(a.f) << " (" << x.pattern << "):\n"
           << matrix_text(x.closed) << "expansion check against GiNaC's entry-wise derivative: "
           << (x.passed ? "passed" : "FAILED") << ", " << x.check.summary() << '\n';
    }
  }

  void render(const DeriveResult& r) override {
    derivation(r);
    out_ << types_text(r.types);
  }

  /// The steps of a derivation, without the types (a program lists them once).
  void derivation(const DeriveResult& r) {
    const Derivation& d = r.d;
    auto txt = [&](const Expr& e) { return derivation_text(e, r.otimes); };
    auto value = [&](const std::vector<Eigen::MatrixXd>& vs, std::size_t k, const Shape& s) -> std::string {
      return k < vs.size() ? " = " + format_value(vs[k], s, opt_.numbers()) : "";
    };
    out_ << "derivation of diff(" << txt(d.f) << ", " << d.wrt->name << ")\n";
    if (!d.intermediates.empty()) {
      out_ << "\nintermediate variables\n";
      for (std::size_t k = 0; k < d.intermediates.size(); ++k) {
        const Expr& v = d.intermediates[k].var;
        out_ << "  " << v->name << " = " << txt(v->args[0]) << value(r.intermediate_values, k, v->shape) << "  : "
             << type_string(v->shape) << '\n';
      }
    }
    if (!d.partials.empty()) {
      out_ << "\nlocal partials\n";
      for (std::size_t k = 0; k < d.partials.size(); ++k) {
        const auto& p = d.partials[k];
        out_ << "  " << partial_symbol_text(p, d) << " = " << txt(p.jacobian)
             << value(r.partial_values, k, p.jacobian->shape) << "  (" << p.rule << ")\n";
      }
      out_ << "\nchain rule\n";
      for (std::size_t k = 0; k < d.chain.size(); ++k) {
        const auto& c = d.chain[k];
        out_ << "  " << total_symbol_text(d.intermediates[c.of].var, d.wrt) << " = " << chain_form_text(c, d) << " = "
             << txt(c.value) << value(r.chain_values, k, c.value->shape) << '\n';
        for (Rule id : c.identities) out_ << "      by " << rule_info(id).statement << '\n';
      }
    }
    if (d.backprop()) {
      out_ << "\nbackpropagation (delta_v = ∂f/∂v, with the shape of v; ∂f/∂f = 1)\n";
      for (std::size_t k = 0; k < d.adjoints.size(); ++k) {
        const auto& a = d.adjoints[k];
        Expr written = a.written();
        out_ << "  " << (a.var ? a.var->name + " = " : "") << adjoint_symbol_text(a, d) << " = " << txt(written);
        if (txt(written) != txt(a.value)) out_ << " = " << txt(a.value);
        out_ << value(r.adjoint_values, k, a.value->shape) << "  (" << adjoint_rules(a, d) << ")\n";
        for (Rule id : a.identities) out_ << "      by " << rule_info(id).statement << '\n';
      }
    }
    out_ << "\nresult\n  ∂f/∂" << d.wrt->name << " = " << txt(r.shown.body);
    if (r.value) out_ << " = " << format_value(*r.value, d.result->shape, opt_.numbers());
    out_ << '\n';
    for (std::size_t k = 0; k < r.shown.where.size(); ++k)
      out_ << (k ? ", " : "    where ") << r.shown.where[k]->name << " = " << txt(r.shown.where[k]->args[0])
           << (k + 1 == r.shown.where.size() ? "\n" : "");
    if (d.condition)
      out_ << "  = " << txt(d.where_nonpositive) << " where " << txt(d.condition) << " <= 0\n    " << txt(d.where_positive)
           << " where " << txt(d.condition) << " > 0\n";
    out_ << "layout: " << layout_note(QueryOp::Diff, d.layout) << '\n';
    out_ << "shape: " << d.result->shape.str() << '\n';
  }

  void render(const RunResult& r) override {
    for (const auto& item : r.items) {
      if (const auto* e = std::get_if<Evaluation>(&item)) {
        out_ << to_text(e->expr);
        if (e->value)
          out_ << " = " << format_value(*e->value, e->expr->shape, opt_.numbers()) << '\n';
        else
          out_ << " : " << e->expr->shape.str() << '\n';
        continue;
      }
      if (const auto* c = std::get_if<CheckVerdict>(&item)) {
        out_ << "check(" << c->result.question << ", " << c->result.answer << ")\n";
        render(*c);
        if (!c->result.error.empty()) out_ << "error: " << c->result.error << '\n';
        continue;
      }
      if (const auto* d = std::get_if<DeriveResult>(&item)) {
        derivation(*d);
        continue;
      }
      const Answer& a = std::get<Answer>(item);
      out_ << query_name(a.op) << "(" << to_text(a.f) << ", " << a.wrt->name << ") = " << to_text(a.shown) << '\n';
      if (a.value) out_ << "  = " << format_value(*a.value, a.result->shape, opt_.numbers()) << '\n';
      if (a.check) out_ << check_text(*a.check);
    }
  }

  void render(const CheckVerdict& r) override { out_ << verdict_text(r.result); }
  void render(const BatchReport& r) override { out_ << batch_lines(r); }  // a batch is data: JSON Lines

  void render(const StepReport& r) override {
    const train::StepResult& s = r.step;
    const int d = r.decimals;
    const NumberStyle fx = NumberStyle::fixed(d);
    const std::size_t w = static_cast<std::size_t>(d) + 5;
    out_ << "loss " << s.loss_name << " = " << r.loss_text << ", learning rate " << format_number(s.lr, 6) << '\n';
    out_ << "parameters: " << join(s.params) << '\n';
    if (!r.data.empty()) out_ << "data: " << join(r.data) << '\n';

    auto layers = [&](const train::ForwardPass& p, bool full) {
      for (std::size_t k = 0; k < s.layers.size(); ++k) {
        const train::Layer& l = s.layers[k];
        const train::LayerValues& v = p.layers[k];
        out_ << "layer " << l.index << ": " << layer_title(l) << '\n';
        out_ << "  neuron" << pad("z", w) << pad("a", w);
        if (full) out_ << pad("da/dz", w) << pad("dL/dz", w) << pad("dL/da", w);
        out_ << '\n';
        for (Eigen::Index i = 0; i < v.z.size(); ++i) {
          out_ << pad(std::to_string(i + 1), 8) << pad(format_number(v.z(i), fx), w)
               << pad(format_number(v.a(i), fx), w);
          if (full)
            out_ << pad(format_number(v.da_dz(i), fx), w) << pad(format_number(v.dL_dz(i), fx), w)
                 << pad(format_number(v.dL_da(i), fx), w);
          out_ << '\n';
        }
      }
      if (!s.layers.empty() && p.layers.back().a.size() == 1)
        out_ << s.layers.back().a_name << " = " << format_number(p.layers.back().a(0), fx) << '\n';
      out_ << s.loss_name << " = " << format_number(p.loss, fx) << '\n';
    };

    out_ << "\nforward pass\n";
    layers(s.before, true);

    out_ << "\ngradients and updates (new = old - " << format_number(s.lr, 6) << " * dL/dw)\n";
    std::size_t nw = 5;
    for (const auto& p : s.params) nw = std::max(nw, indexed_name(p, r.shapes.at(p), 9, 9).size());
    out_ << "  " << pad_right("entry", nw) << pad("dL/dw", w) << pad("old", w) << pad("new", w) << '\n';
    for (const auto& p : s.params) {
      const Shape& sh = r.shapes.at(p);
      const Eigen::MatrixXd &g = s.gradients.at(p), &o = s.old_values.at(p), &n = s.new_values.at(p);
      for (Eigen::Index i = 0; i < g.rows(); ++i)
        for (Eigen::Index j = 0; j < g.cols(); ++j)
          out_ << "  " << pad_right(indexed_name(p, sh, i, j), nw) << pad(format_number(g(i, j), fx), w)
               << pad(format_number(o(i, j), fx), w) << pad(format_number(n(i, j), fx), w) << '\n';
    }

    out_ << "\nforward pass with the new parameters\n";
    layers(s.after, false);
    out_ << "\ndelta " << s.loss_name << " = " << format_number(s.before.loss, fx) << " - "
         << format_number(s.after.loss, fx) << " = " << format_number(s.delta_loss(), fx) << " ("
         << format_number(s.delta_percent(), NumberStyle::fixed(2)) << "% "
         << (s.delta_loss() >= 0 ? "reduction" : "increase") << ")\n";
  }

  void render(const TrainReport& r) override {
    const train::TrainResult& res = r.result;
    const train::EpochStats& first = res.history.front();
    const train::EpochStats& last = res.history.back();
    if (!res.zero_gradient.empty() && r.epochs > 0)
      out_ << "note: the gradient of " << r.loss << " is identically zero for " << join(res.zero_gradient)
           << " (piecewise-constant functions), so training leaves them unchanged\n";
    if (!res.initialised.empty())
      out_ << "random initial values (seed " << r.seed << ", uniform in [-1, 1]): " << join(res.initialised) << '\n';
    out_ << "loss " << format_number(first.loss, opt_.precision) << " -> " << format_number(last.loss, opt_.precision)
         << '\n';
    if (last.accuracy)
      out_ << "accuracy of " << res.predict << " against " << res.label
           << " (threshold 0.5): " << format_number(100.0 * *last.accuracy, NumberStyle::fixed(2)) << "%\n";
    out_ << "parameters:\n";
    for (const auto& p : res.params)
      out_ << "  " << p << " = " << format_value(res.final.at(p), r.shapes.at(p), opt_.precision) << '\n';
    if (!r.save.empty()) out_ << "saved to " << r.save << '\n';
    if (!r.loss_csv.empty()) out_ << "loss per epoch written to " << r.loss_csv << '\n';
  }
};

}  // namespace

std::unique_ptr<Renderer> text_renderer(const RenderOptions& options, std::ostream& out) {
  return std::make_unique<TextRenderer>(options, out);
}

}  // namespace mcalc::driver
