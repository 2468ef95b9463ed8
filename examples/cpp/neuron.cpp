// The lecture's neuron through the library: parse, differentiate, print, evaluate.
//   neuron            prints the gradient of max(0, w'*x + b) with respect to w and its value
#include <iostream>

#include <mcalc/mcalc.hpp>

int main() {
  try {
    // Parse and type-check a program: declarations, then the expression.
    mcalc::Parsed decls = mcalc::parse_program("x, w: vector(n); b: scalar", "--let");
    mcalc::Parsed expr = mcalc::parse_expression("max(0, w'*x + b)");
    mcalc::Program prog = mcalc::analyse({&decls, &expr});
    const mcalc::Expr& f = prog.statements.back().expr;
    const mcalc::Expr& w = prog.find("w")->node;

    // Differentiate and print in both notations.
    mcalc::Expr g = mcalc::gradient(f, w);
    std::cout << "f      = " << mcalc::to_text(f) << "  : " << f->shape.str() << '\n';
    std::cout << "grad_w = " << mcalc::to_text(g) << "  : " << g->shape.str() << '\n';
    std::cout << "latex  = " << mcalc::to_latex(g) << '\n';

    // Evaluate at values given in the language's own syntax.
    mcalc::Bindings at = mcalc::bind(prog, mcalc::parse_values("x = [1; 2]; w = [0.5; -0.25]; b = 0.1"));
    std::cout << "f(x)   = " << mcalc::evaluate(f, at)(0, 0) << '\n';
    std::cout << "grad   = " << mcalc::evaluate(g, at).transpose() << '\n';
  } catch (const mcalc::UserError& e) {
    std::cerr << mcalc::render_error(e);
    return 2;
  }
  return 0;
}
