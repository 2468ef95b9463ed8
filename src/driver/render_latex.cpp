// The LaTeX renderer: math-mode LaTeX (equations without the surrounding $...$,
// tables as tabular environments).
#include <sstream>
#include <ostream>

#include "driver/derivation_format.hpp"
#include "driver/render.hpp"
#include "mcalc/print.hpp"

namespace mcalc::driver {
namespace {

class LatexRenderer final : public Renderer {
 public:
  using Renderer::Renderer;

  void render(const DescribeResult& r) override {
    out_ << to_latex(r.expr);
    if (r.value) out_ << " = " << value_latex(*r.value, r.expr->shape, opt_.numbers());
    out_ << '\n';
  }

  void render(const DerivativeResult& r) override {
    const Answer& a = r.answer;
    out_ << derivative_latex(a.op, a.f, a.wrt, a.layout, a.shown.body) << '\n';
    if (!a.shown.where.empty()) out_ << where_latex(a.shown) << '\n';
    if (r.expanded) out_ << "% expanded" << r.expanded->at() << "\n= " << matrix_latex(r.expanded->closed) << '\n';
  }

  void render(const DeriveResult& r) override {
    if (r.standalone)
      out_ << "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\usepackage[margin=2cm]{geometry}\n"
              "\\allowdisplaybreaks\n"
              "\\begin{document}\n\\noindent Derivative of $" << derivation_latex(r.d.f, r.otimes) << "$ with respect to $"
           << to_latex(r.d.wrt) << "$.\n";
    out_ << "\\begin{align*}\n" << derivation_align_rows(r, opt_.numbers()) << "\\end{align*}\n";
    if (r.standalone) out_ << "\\end{document}\n";
  }

  void render(const RunResult& r) override {
    for (const auto& item : r.items) {
      if (const auto* e = std::get_if<Evaluation>(&item)) {
        out_ << to_latex(e->expr);
        if (e->value) out_ << " = " << value_latex(*e->value, e->expr->shape, opt_.numbers());
        out_ << '\n';
        continue;
      }
      if (const auto* d = std::get_if<DeriveResult>(&item)) {
        out_ << "\\begin{align*}\n" << derivation_align_rows(*d, opt_.numbers()) << "\\end{align*}\n";
        continue;
      }
      if (const auto* c = std::get_if<CheckVerdict>(&item)) {
        out_ << "% check(" << c->result.question << ", " << c->result.answer << ")\n";
        render(*c);
        continue;
      }
      const Answer& a = std::get<Answer>(item);
      out_ << derivative_latex(a.op, a.f, a.wrt, a.layout, a.shown.body);
      if (a.value) out_ << " = " << value_latex(*a.value, a.result->shape, opt_.numbers());
      out_ << '\n';
      if (!a.shown.where.empty()) out_ << where_latex(a.shown) << '\n';
      if (a.check) out_ << "% " << check_text(*a.check);
    }
  }

  void render(const StepReport& r) override {
    const train::StepResult& s = r.step;
    const NumberStyle fx = NumberStyle::fixed(r.decimals);
    auto pass = [&](const train::ForwardPass& p, bool full, const char* title) {
      for (std::size_t k = 0; k < s.layers.size(); ++k) {
        const train::Layer& l = s.layers[k];
        const train::LayerValues& v = p.layers[k];
        out_ << "% " << title << ", layer " << l.index << ": " << layer_title(l) << "\n";
        out_ << "\\begin{tabular}{r" << (full ? "rrrrr" : "rr") << "}\n\\hline\n";
        out_ << "\\multicolumn{" << (full ? 6 : 3) << "}{l}{layer " << l.index << ": $" << to_latex(l.a) << " = "
             << to_latex(l.a->args[0]) << "$} \\\\\n\\hline\n";
        out_ << "neuron & $z$ & $a$";
        if (full) out_ << " & $\\partial a/\\partial z$ & $\\partial L/\\partial z$ & $\\partial L/\\partial a$";
        out_ << " \\\\\n\\hline\n";
        for (Eigen::Index i = 0; i < v.z.size(); ++i) {
          out_ << i + 1 << " & " << format_number(v.z(i), fx) << " & " << format_number(v.a(i), fx);
          if (full)
            out_ << " & " << format_number(v.da_dz(i), fx) << " & " << format_number(v.dL_dz(i), fx) << " & "
                 << format_number(v.dL_da(i), fx);
          out_ << " \\\\\n";
        }
        out_ << "\\hline\n\\end{tabular}\n\n";
      }
      out_ << "$" << s.loss_name << " = " << format_number(p.loss, fx) << "$\n\n";
    };
    pass(s.before, true, "forward pass");
    out_ << "% gradients and updates\n\\begin{tabular}{lrrr}\n\\hline\nentry & $\\partial L/\\partial w$ & old & new "
            "\\\\\n\\hline\n";
    for (const auto& p : s.params) {
      const Shape& sh = r.shapes.at(p);
      const Eigen::MatrixXd &g = s.gradients.at(p), &o = s.old_values.at(p), &n = s.new_values.at(p);
      for (Eigen::Index i = 0; i < g.rows(); ++i)
        for (Eigen::Index j = 0; j < g.cols(); ++j)
          out_ << "\\texttt{" << indexed_name(p, sh, i, j) << "} & " << format_number(g(i, j), fx) << " & "
               << format_number(o(i, j), fx) << " & " << format_number(n(i, j), fx) << " \\\\\n";
    }
    out_ << "\\hline\n\\end{tabular}\n\n";
    pass(s.after, false, "forward pass with the new parameters");
    out_ << "$\\Delta " << s.loss_name << " = " << format_number(s.delta_loss(), fx) << "$ ("
         << format_number(s.delta_percent(), NumberStyle::fixed(2)) << "\\%)\n";
  }

  void render(const CheckVerdict& r) override {  // comments: the verdict is prose, not math
    std::istringstream lines(verdict_text(r.result));
    for (std::string l; std::getline(lines, l);) out_ << "% " << l << '\n';
  }
  void render(const BatchReport&) override {
    throw UserError(Msg::BadOption, {"a batch is data: its verdicts are JSON Lines (--format text or json) or a "
                                     "table (--format markdown), not LaTeX"});
  }

  void render(const TrainReport& r) override {
    const train::TrainResult& res = r.result;
    out_ << "\\begin{tabular}{lr}\n\\hline\nparameter & value \\\\\n\\hline\n";
    for (const auto& p : res.params)
      out_ << "$" << to_latex(r.nodes.at(p)) << "$ & $" << format_value(res.final.at(p), r.shapes.at(p), opt_.precision)
           << "$ \\\\\n";
    out_ << "\\hline\n\\end{tabular}\n\n$" << r.loss << " = " << format_number(res.history.back().loss, opt_.precision)
         << "$\n";
  }
};

}  // namespace

std::unique_ptr<Renderer> latex_renderer(const RenderOptions& options, std::ostream& out) {
  return std::make_unique<LatexRenderer>(options, out);
}

}  // namespace mcalc::driver
