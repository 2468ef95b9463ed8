// Harness: text -> parse -> type-check -> print -> parse -> type-check must
// give an equal tree; and where the expression differentiates, its derivative
// -> simplify -> print -> parse (under the same declarations) must give an
// equal tree too. Any difference, crash or internal error is a finding.
#include <cstdlib>
#include <iostream>

#include "fuzz/common.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"

namespace {
using namespace mcalc;

[[noreturn]] void finding(const std::string& what, const std::string& a, const std::string& b) {
  std::cerr << "finding: " << what << "\n  first:  " << a << "\n  second: " << b << "\n";
  std::abort();
}

/// The declarations of every symbol of `prog`, as --let text.
std::string declarations(const Program& prog) {
  std::string out;
  for (const auto& name : prog.symbol_order) {
    const Symbol& s = prog.symbols.at(name);
    if (s.origin == Symbol::Origin::Defined) continue;
    out += (out.empty() ? "" : "; ") + name + ": " + type_string(s.shape);
  }
  return out;
}

/// The expression of `text` analysed after `let`, or null for a user error.
Expr analyse_text(const std::string& let, const std::string& text, Program* out = nullptr) {
  try {
    std::vector<Parsed> units;
    if (!let.empty()) units.push_back(parse_program(let, "--let"));
    units.push_back(parse_expression(text));
    std::vector<const Parsed*> ptrs;
    for (const auto& u : units) ptrs.push_back(&u);
    Program prog = analyse(ptrs);
    const Statement& st = prog.statements.back();
    if (st.kind != Statement::Kind::Evaluate) return nullptr;
    Expr e = st.expr;
    if (out) *out = std::move(prog);
    return e;
  } catch (const UserError&) {
    return nullptr;
  }
}
}  // namespace

int one_input(const std::uint8_t* data, std::size_t size) {
  std::string text = mcalc::fuzz::text_of(data, size, 1);  // byte 0: options, as in the other harnesses
  Program prog;
  Expr e = analyse_text("", text, &prog);
  if (!e) return 0;
  const std::string let = declarations(prog);
  const std::string printed = to_text(e);
  Expr again = analyse_text(let, printed);
  if (!again) finding("the printed form does not parse back", text, printed);
  if (to_text(again) != printed) finding("the printed form is not a fixed point", printed, to_text(again));
  for (const auto& name : prog.symbol_order) {
    const Symbol& s = prog.symbols.at(name);
    if (s.origin == Symbol::Origin::Defined || !s.node) continue;
    Expr d;
    try {
      d = e->is_scalar() ? gradient(e, s.node) : derivative(e, s.node);
    } catch (const UserError&) {
      continue;  // not differentiable here (a located error, as it must be)
    }
    const std::string dt = to_text(d);
    Expr d2 = analyse_text(let, dt);
    if (!d2) finding("a derivative's printed form does not parse back", text + "  by " + name, dt);
    if (to_text(d2) != dt) finding("a derivative's printed form is not a fixed point", dt, to_text(d2));
    break;  // one variable per input keeps runs short
  }
  return 0;
}
