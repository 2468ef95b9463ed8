// --at values: a program of definitions `name = constant expression`,
// parsed and analysed by the ordinary stages, then evaluated.
#include "mcalc/eval.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"

namespace mcalc {
namespace {
// The first input variable (a Var that is not an intermediate) under e, if any.
const Node* first_input(const Expr& e) {
  if (e->kind == Kind::Var) return e->args.empty() ? e.get() : nullptr;  // intermediates were checked
  for (const auto& a : e->args)
    if (const Node* n = first_input(a)) return n;
  return nullptr;
}
}  // namespace

std::vector<ValueSpec> parse_values(const std::string& text, const std::string& origin) {
  Parsed parsed = parse_program(text, origin);
  Program prog = analyse(parsed);
  std::vector<ValueSpec> out;
  Evaluator ev{Bindings{}};
  for (const auto& st : prog.statements) {
    if (st.kind != Statement::Kind::Definition) throw UserError(Msg::ValueNotDefinition, st.loc);
    MCALC_ASSERT(!st.names.empty() && st.expr, "definition without a name or an expression");
    const std::string& name = st.names.front();
    if (const Node* var = first_input(st.expr))
      throw UserError(Msg::ValueNotConstant, var->loc.valid() ? var->loc : st.loc, {name, var->name});
    out.push_back({name, ev.evaluate(st.expr), st.loc});
  }
  return out;
}

}  // namespace mcalc
