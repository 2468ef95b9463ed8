// The Markdown renderer: equations in $$ display math (as Jupyter and GitHub
// render it), names and shapes as code, tables as pipe tables.
#include <ostream>

#include "driver/derivation_format.hpp"
#include "driver/render.hpp"
#include "mcalc/print.hpp"

namespace mcalc::driver {
namespace {

std::string code(const std::string& s) { return "`" + s + "`"; }

std::string join_code(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + code(s);
  return out;
}

class MarkdownRenderer final : public Renderer {
 public:
  using Renderer::Renderer;

  void render(const DescribeResult& r) override {
    std::string eq = to_latex(r.expr);
    if (r.value) eq += " = " + value_latex(*r.value, r.expr->shape, opt_.numbers());
    math(eq);
    out_ << "\nshape: " << code(r.expr->shape.str()) << "\n";
    types(r.types);
  }

  void render(const DerivativeResult& r) override {
    const Answer& a = r.answer;
    math(derivative_latex(a.op, a.f, a.wrt, a.layout, a.shown.body));
    if (!a.shown.where.empty()) math(where_latex(a.shown));
    out_ << "\n- layout: " << layout_note(a.op, a.layout, by_vec(a.op, a.f->shape, a.wrt->shape)) << "\n- shape: " << code(a.result->shape.str()) << '\n';
    if (a.value) out_ << "- value: " << code(format_value(*a.value, a.result->shape, opt_.numbers())) << '\n';
    if (a.check) out_ << "- " << check_text(*a.check);
    types(r.types);
    if (r.expanded) {
      const Expansion& x = *r.expanded;
      out_ << "\nExpanded" << x.at() << " (" << x.pattern << "):\n\n";
      math(matrix_latex(x.closed));
      out_ << "\nExpansion check against GiNaC's entry-wise derivative: " << (x.passed ? "passed" : "FAILED") << ", "
           << x.check.summary() << '\n';
    }
  }

  void render(const DeriveResult& r) override {
    out_ << "Derivative of $" << derivation_latex(r.d.f, r.otimes) << "$ with respect to $" << to_latex(r.d.wrt)
         << "$:\n\n";
    math("\\begin{aligned}\n" + derivation_align_rows(r, opt_.numbers()) + "\\end{aligned}");
    types(r.types);
  }

  void render(const RunResult& r) override {
    bool first = true;
    for (const auto& item : r.items) {
      if (!first) out_ << '\n';
      first = false;
      if (const auto* e = std::get_if<Evaluation>(&item)) {
        std::string eq = to_latex(e->expr);
        if (e->value) eq += " = " + value_latex(*e->value, e->expr->shape, opt_.numbers());
        math(eq);
        if (!e->value) out_ << "\nshape: " << code(e->expr->shape.str()) << '\n';
        continue;
      }
      if (const auto* d = std::get_if<DeriveResult>(&item)) {
        out_ << "Derivation of " << code("diff(" + to_text(d->d.f) + ", " + d->d.wrt->name + ")") << ":\n\n";
        math("\\begin{aligned}\n" + derivation_align_rows(*d, opt_.numbers()) + "\\end{aligned}");
        continue;
      }
      if (const auto* c = std::get_if<CheckVerdict>(&item)) {
        out_ << code("check(" + c->result.question + ", " + c->result.answer + ")") << "\n\n";
        render(*c);
        continue;
      }
      const Answer& a = std::get<Answer>(item);
      std::string eq = derivative_latex(a.op, a.f, a.wrt, a.layout, a.shown.body);
      if (a.value) eq += " = " + value_latex(*a.value, a.result->shape, opt_.numbers());
      math(eq);
      if (!a.shown.where.empty()) math(where_latex(a.shown));
      if (a.check) out_ << '\n' << check_text(*a.check);
    }
    types(r.types);
  }

  void render(const StepReport& r) override {
    const train::StepResult& s = r.step;
    const NumberStyle fx = NumberStyle::fixed(r.decimals);
    out_ << "Loss " << code(s.loss_name + " = " + r.loss_text) << ", learning rate " << format_number(s.lr, 6)
         << ".\nParameters: " << join_code(s.params) << ".\n";
    if (!r.data.empty()) out_ << "Data: " << join_code(r.data) << ".\n";
    auto pass = [&](const train::ForwardPass& p, bool full, const char* title) {
      out_ << "\n### " << title << "\n";
      for (std::size_t k = 0; k < s.layers.size(); ++k) {
        const train::Layer& l = s.layers[k];
        const train::LayerValues& v = p.layers[k];
        out_ << "\nLayer " << l.index << ": " << code(layer_title(l)) << "\n\n| neuron | $z$ | $a$ |";
        if (full) out_ << " $\\partial a/\\partial z$ | $\\partial L/\\partial z$ | $\\partial L/\\partial a$ |";
        out_ << (full ? "\n|---:|---:|---:|---:|---:|---:|\n" : "\n|---:|---:|---:|\n");
        for (Eigen::Index i = 0; i < v.z.size(); ++i) {
          out_ << "| " << i + 1 << " | " << format_number(v.z(i), fx) << " | " << format_number(v.a(i), fx) << " |";
          if (full)
            out_ << ' ' << format_number(v.da_dz(i), fx) << " | " << format_number(v.dL_dz(i), fx) << " | "
                 << format_number(v.dL_da(i), fx) << " |";
          out_ << '\n';
        }
      }
      out_ << '\n' << code(s.loss_name + " = " + format_number(p.loss, fx)) << '\n';
    };
    pass(s.before, true, "Forward pass");
    out_ << "\n### Gradients and updates\n\n| entry | $\\partial L/\\partial w$ | old | new |\n|---|---:|---:|---:|\n";
    for (const auto& p : s.params) {
      const Shape& sh = r.shapes.at(p);
      const Eigen::MatrixXd &g = s.gradients.at(p), &o = s.old_values.at(p), &n = s.new_values.at(p);
      for (Eigen::Index i = 0; i < g.rows(); ++i)
        for (Eigen::Index j = 0; j < g.cols(); ++j)
          out_ << "| " << code(indexed_name(p, sh, i, j)) << " | " << format_number(g(i, j), fx) << " | "
               << format_number(o(i, j), fx) << " | " << format_number(n(i, j), fx) << " |\n";
    }
    pass(s.after, false, "Forward pass with the new parameters");
    out_ << "\n$\\Delta " << s.loss_name << " = " << format_number(s.delta_loss(), fx) << "$ ("
         << format_number(s.delta_percent(), NumberStyle::fixed(2)) << "% "
         << (s.delta_loss() >= 0 ? "reduction" : "increase") << ")\n";
  }

  void render(const CheckVerdict& r) override { out_ << "```text\n" << verdict_text(r.result) << "```\n"; }
  void render(const BatchReport& r) override {  // a table for reading; JSON Lines are for programs
    auto cell = [](std::string s) {
      for (std::size_t k = 0; (k = s.find('|', k)) != std::string::npos; k += 2) s.replace(k, 1, "\\|");
      for (auto& ch : s) if (ch == '\n') ch = ' ';
      return s;
    };
    out_ << "| id | verdict | diagnosis | decided by |\n|---|---|---|---|\n";
    for (std::size_t k = 0; k < r.results.size(); ++k) {
      const check::Result& c = r.results[k];
      out_ << "| " << cell(r.ids[k]) << " | " << check::verdict_name(c.verdict) << " | "
           << cell(c.diagnosis.empty() ? c.error : c.diagnosis) << " | " << cell(c.decided_by) << " |\n";
    }
    out_ << '\n' << r.results.size() << " records";
    for (const auto& [v, n] : verdict_counts(r)) out_ << ", " << n << ' ' << v;
    out_ << '\n';
  }

  void render(const TrainReport& r) override {
    const train::TrainResult& res = r.result;
    out_ << "Loss " << code(r.loss) << ": " << format_number(res.history.front().loss, opt_.precision) << " → "
         << format_number(res.history.back().loss, opt_.precision) << " after " << r.epochs << " epochs.\n";
    if (res.history.back().accuracy)
      out_ << "Accuracy of " << code(res.predict) << " against " << code(res.label)
           << " (threshold 0.5): " << format_number(100.0 * *res.history.back().accuracy, NumberStyle::fixed(2))
           << "%.\n";
    out_ << "\n| parameter | value |\n|---|---|\n";
    for (const auto& p : res.params)
      out_ << "| $" << to_latex(r.nodes.at(p)) << "$ | " << code(format_value(res.final.at(p), r.shapes.at(p), opt_.precision))
           << " |\n";
  }

 private:
  void math(const std::string& latex) { out_ << "$$\n" << latex << "\n$$\n"; }

  void types(const Types& t) {
    if (t.empty()) return;
    out_ << "\n| name | type |\n|---|---|\n";
    for (const auto& e : t) {
      std::string note = origin_note(e.origin);  // "  (assumed)"
      out_ << "| " << code(e.name) << " | " << code(e.shape.str()) << (note.empty() ? "" : " " + note.substr(2)) << " |\n";
    }
  }
};

}  // namespace

std::unique_ptr<Renderer> markdown_renderer(const RenderOptions& options, std::ostream& out) {
  return std::make_unique<MarkdownRenderer>(options, out);
}

}  // namespace mcalc::driver
