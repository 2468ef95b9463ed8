#include "driver/derivation_format.hpp"

#include "mcalc/print.hpp"

namespace mcalc::driver {
namespace {

/// The language with the lecture's symbols: xᵀ, x ⊙ y (or x ⊗ y), x ⊘ y. The
/// grammar reads all of them, so the text still parses back.
class LectureText final : public TextPrinter {
 public:
  explicit LectureText(bool otimes) : otimes_(otimes) {}

 protected:
  std::string hadamard(const Expr& e) override { return infix(e, Prec::Mul, otimes_ ? " ⊗ " : " ⊙ "); }
  std::string elem_div(const Expr& e) override { return infix(e, Prec::Mul, " ⊘ "); }
  std::string transpose(const Expr& e) override { return operand(e->args[0], Prec::Postfix) + "ᵀ"; }
  std::string ones_zeros(const Node& n) const override {  // ones(n)ᵀ
    std::string s = TextPrinter::ones_zeros(n);
    if (!s.empty() && s.back() == '\'') s.replace(s.size() - 1, 1, "ᵀ");
    return s;
  }

 private:
  bool otimes_;
};

/// LaTeX with \otimes for the Hadamard product when asked (the lecture's sign).
class LectureLatex final : public LatexPrinter {
 public:
  explicit LectureLatex(bool otimes) : otimes_(otimes) {}

 protected:
  std::string hadamard(const Expr& e) override {
    return otimes_ ? infix(e, Prec::Elem, " \\otimes ") : LatexPrinter::hadamard(e);
  }

 private:
  bool otimes_;
};

std::string by_text(const Expr& by) { return by->name; }

}  // namespace

std::string derivation_text(const Expr& e, bool otimes) {
  LectureText p(otimes);
  return p.print(e);
}

std::string derivation_latex(const Expr& e, bool otimes) {
  LectureLatex p(otimes);
  return p.print(e);
}

std::string partial_symbol_text(const Derivation::Partial& p, const Derivation& d) {
  return "∂" + d.intermediates[p.of].var->name + "/∂" + by_text(p.by);
}

std::string total_symbol_text(const Expr& of, const Expr& wrt) { return "d" + of->name + "/d" + wrt->name; }

std::string partial_symbol_latex(const Derivation::Partial& p, const Derivation& d) {
  return "\\frac{\\partial " + to_latex(d.intermediates[p.of].var) + "}{\\partial " + to_latex(p.by) + "}";
}

std::string total_symbol_latex(const Expr& of, const Expr& wrt) {
  return "\\frac{d " + to_latex(of) + "}{d " + to_latex(wrt) + "}";
}

std::string chain_form_text(const Derivation::Chain& c, const Derivation& d) {
  std::string out;
  for (std::size_t k : c.partials) {
    const auto& p = d.partials[k];
    out += (out.empty() ? "" : " + ") + partial_symbol_text(p, d);
    if (p.by != d.wrt) out += " · " + total_symbol_text(p.by, d.wrt);
  }
  return out;
}

std::string chain_form_latex(const Derivation::Chain& c, const Derivation& d) {
  std::string out;
  for (std::size_t k : c.partials) {
    const auto& p = d.partials[k];
    out += (out.empty() ? "" : " + ") + partial_symbol_latex(p, d);
    if (p.by != d.wrt) out += " " + total_symbol_latex(p.by, d.wrt);
  }
  return out;
}

namespace {
/// The name an adjoint is the derivative by: an intermediate, or the variable.
const Expr& adjoint_of(const Derivation::Adjoint& a, const Derivation& d) {
  return a.of < d.intermediates.size() ? d.intermediates[a.of].var : d.wrt;
}
}  // namespace

// The gradient by the variable is written grad(f, W) (∇_W f), apart from the result's ∂f/∂W, whose
// layout may transpose it.
std::string adjoint_symbol_text(const Derivation::Adjoint& a, const Derivation& d) {
  return a.var ? "∂f/∂" + adjoint_of(a, d)->name : "grad(f, " + d.wrt->name + ")";
}

std::string adjoint_symbol_latex(const Derivation::Adjoint& a, const Derivation& d) {
  return a.var ? "\\frac{\\partial f}{\\partial " + to_latex(adjoint_of(a, d)) + "}"
               : "\\nabla_{" + to_latex(d.wrt) + "} f";
}

std::string adjoint_rules(const Derivation::Adjoint& a, const Derivation& d, bool latex) {
  std::string out;
  for (const auto& t : a.terms) {
    const Expr& through = d.intermediates[t.from].var;
    out += (out.empty() ? "" : "; ") + t.rule + ", through " + (latex ? "$" + to_latex(through) + "$" : through->name);
  }
  return out;
}

std::string derivation_align_rows(const DeriveResult& r, const NumberStyle& numbers) {
  const Derivation& d = r.d;
  auto tex = [&](const Expr& e) { return derivation_latex(e, r.otimes); };
  auto value = [&](const std::vector<Eigen::MatrixXd>& vs, std::size_t k, const Shape& s) -> std::string {
    return k < vs.size() ? " = " + value_latex(vs[k], s, numbers) : "";
  };
  std::string out;
  auto section = [&](const char* title) { out += "&\\text{" + std::string(title) + "} \\\\\n"; };
  if (!d.intermediates.empty()) {
    section("Intermediate variables");
    for (std::size_t k = 0; k < d.intermediates.size(); ++k) {
      const Expr& v = d.intermediates[k].var;
      out += to_latex(v) + " &= " + tex(v->args[0]) + value(r.intermediate_values, k, v->shape) +
             " && \\text{" + type_string(v->shape) + "} \\\\\n";
    }
  }
  if (!d.partials.empty()) {
    section("Local partials");
    for (std::size_t k = 0; k < d.partials.size(); ++k) {
      const auto& p = d.partials[k];
      out += partial_symbol_latex(p, d) + " &= " + tex(p.jacobian) + value(r.partial_values, k, p.jacobian->shape) +
             " && \\text{" + p.rule + "} \\\\\n";
    }
    section("Chain rule");
    for (std::size_t k = 0; k < d.chain.size(); ++k) {
      const auto& c = d.chain[k];
      out += total_symbol_latex(d.intermediates[c.of].var, d.wrt) + " &= " + chain_form_latex(c, d) + " = " +
             tex(c.value) + value(r.chain_values, k, c.value->shape);
      // The simplifier's identities by id (docs/rules.md lists each with its statement).
      std::string ids;
      for (Rule id : c.identities) {
        std::string name = rule_info(id).id, escaped;
        for (char ch : name) escaped += ch == '_' ? std::string("\\_") : std::string(1, ch);
        ids += (ids.empty() ? "" : ", ") + ("\\texttt{" + escaped + "}");
      }
      if (!ids.empty()) out += " && \\text{by } " + ids;
      out += " \\\\\n";
    }
  }
  if (d.backprop()) {
    section("Backpropagation: $\\delta_v = \\partial f / \\partial v$, with the shape of $v$");
    for (std::size_t k = 0; k < d.adjoints.size(); ++k) {
      const auto& a = d.adjoints[k];
      std::string lhs = a.var ? to_latex(a.var) + " = " + adjoint_symbol_latex(a, d) : adjoint_symbol_latex(a, d);
      Expr written = a.written();
      std::string rhs = tex(written);
      if (tex(a.value) != rhs) rhs += " = " + tex(a.value);
      out += lhs + " &= " + rhs + value(r.adjoint_values, k, a.value->shape) + " \\quad \\text{(" +
             adjoint_rules(a, d, true) + ")} \\\\\n";
    }
  }
  section("Result");
  std::string lhs = d.layout == Layout::Numerator
                        ? "\\frac{\\partial f}{\\partial " + to_latex(d.wrt) + "}"
                        : "\\left(\\frac{\\partial f}{\\partial " + to_latex(d.wrt) + "}\\right)^\\top";
  out += lhs + " &= " + tex(r.shown.body);
  if (r.value) out += " = " + value_latex(*r.value, d.result->shape, numbers);
  out += " \\\\\n";
  for (const auto& w : r.shown.where) out += "\\text{where } " + to_latex(w) + " &= " + tex(w->args[0]) + " \\\\\n";
  if (d.condition)
    out += "&= \\begin{cases} " + tex(d.where_nonpositive) + " & \\text{where } " + tex(d.condition) + " \\le 0 \\\\ " +
           tex(d.where_positive) + " & \\text{where } " + tex(d.condition) + " > 0 \\end{cases} \\\\\n";
  out += "&\\text{" + layout_note(QueryOp::Diff, d.layout) + "; shape " + type_string(d.result->shape) + "}\n";
  return out;
}

}  // namespace mcalc::driver
