// --at values: a program of definitions `name = constant expression`,
// parsed and analysed by the ordinary stages, then evaluated. A definition
// `name = load("FILE"[, "MEMBER"])` is read from the file here; for the
// analysis it becomes a declaration of the shape read, so later values may use it.
#include <set>

#include "mcalc/eval.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"

namespace mcalc {
namespace {
// The first input variable (a Var that is not an intermediate) under e that
// is not a loaded value, if any.
const Node* first_input(const Expr& e, const std::set<std::string>& loaded) {
  if (e->kind == Kind::Var) return e->args.empty() && !loaded.count(e->name) ? e.get() : nullptr;
  for (const auto& a : e->args)
    if (const Node* n = first_input(a, loaded)) return n;
  return nullptr;
}

/// The call of load(...) that is the whole operand `value`, if it is one.
const ast::Call* load_call(const ast::Operand& value) {
  const auto* call = boost::get<ast::x3::forward_ast<ast::Call>>(&value.get());
  return call && call->get().function.name == "load" ? &call->get() : nullptr;
}
/// The arguments of load: a file name and, for an .npz archive, the member.
std::pair<std::string, std::string> load_arguments(const ast::Call& c, const Parsed& parsed) {
  std::vector<std::string> texts;
  for (const auto& a : c.args) {
    const auto* s = boost::get<ast::String>(&a.get());
    if (!s) throw UserError(Msg::LoadArguments, parsed.loc(c));
    texts.push_back(s->text);
  }
  if (texts.empty() || texts.size() > 2) throw UserError(Msg::LoadArguments, parsed.loc(c));
  return {texts[0], texts.size() == 2 ? texts[1] : std::string{}};
}

/// `name : matrix(rows, cols)` carrying the positions of the definition it replaces.
ast::Declaration declaration_of(const ast::Definition& def, const ast::Call& call, long rows, long cols) {
  ast::Declaration d;
  static_cast<ast::x3::position_tagged&>(d) = def;
  d.names = {def.name};
  static_cast<ast::x3::position_tagged&>(d.type) = call;
  d.type.kind = "matrix";
  for (long size : {rows, cols}) {
    ast::Number n;
    static_cast<ast::x3::position_tagged&>(n) = call;
    n.value = static_cast<double>(size);
    d.type.dims.emplace_back(n);
  }
  return d;
}
}  // namespace

Parsed read_loads(const Parsed& parsed, std::vector<ValueSpec>& loaded) {
  ast::Program program = parsed.program();
  for (auto& st : program.statements) {
    if (auto* decl = boost::get<ast::Declaration>(&st.get())) {
      // x : matrix(N, d) = load("X.npy"): the declaration stays, the value is read
      const ast::Call* call = decl->value ? load_call(*decl->value) : nullptr;
      if (!call) continue;
      if (decl->names.size() != 1) throw UserError(Msg::LoadPlace, parsed.loc(*call));
      auto [file, member] = load_arguments(*call, parsed);
      loaded.push_back({decl->names.front().name, load_matrix(file, member, parsed.loc(*call)), parsed.loc(*call)});
      decl->value = boost::none;
    } else if (const auto* def = boost::get<ast::Definition>(&st.get())) {
      // x = load("X.npy"): declared with the shape read
      const ast::Call* call = load_call(def->value);
      if (!call) continue;
      auto [file, member] = load_arguments(*call, parsed);
      Eigen::MatrixXd m = load_matrix(file, member, parsed.loc(*call));
      ast::Declaration decl = declaration_of(*def, *call, m.rows(), m.cols());
      loaded.push_back({def->name.name, std::move(m), parsed.loc(*call)});
      st = decl;
    }
  }
  return parsed.with_program(std::move(program));
}

std::vector<ValueSpec> parse_values(const std::string& text, const std::string& origin) {
  std::vector<ValueSpec> files;
  Parsed rewritten = read_loads(parse_program(text, origin), files);
  Bindings loaded;
  std::set<std::string> loaded_names;
  for (auto& f : files) {
    loaded_names.insert(f.name);
    loaded.values[f.name] = f.value;
  }
  Program prog = analyse(rewritten);
  std::vector<ValueSpec> out;
  for (const auto& st : prog.statements) {
    if (st.kind == Statement::Kind::Declaration && st.names.size() == 1 && loaded_names.count(st.names.front())) {
      for (const auto& f : files)
        if (f.name == st.names.front()) out.push_back({f.name, f.value, st.loc});
      continue;
    }
    if (st.kind != Statement::Kind::Definition) throw UserError(Msg::ValueNotDefinition, st.loc);
    MCALC_ASSERT(!st.names.empty() && st.expr, "definition without a name or an expression");
    const std::string& name = st.names.front();
    if (const Node* var = first_input(st.expr, loaded_names))
      throw UserError(Msg::ValueNotConstant, var->loc.valid() ? var->loc : st.loc, {name, var->name});
    out.push_back({name, evaluate(st.expr, loaded), st.loc});
  }
  return out;
}

}  // namespace mcalc
