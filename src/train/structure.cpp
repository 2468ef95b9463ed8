// The structure of a training program: layers, inputs, the loss, its
// parameters, and cutting the DAG at an intermediate quantity.
#include <algorithm>
#include <set>

#include "mcalc/topo.hpp"
#include "mcalc/train.hpp"

namespace mcalc::train {
namespace {

/// The names of the intermediate variables `e` depends on.
std::set<std::string> defined_names_of(const Expr& e) {
  std::set<std::string> out;
  for (const Node* n : ir::topo_order(e).order)
    if (n->kind == Kind::Var && !n->args.empty()) out.insert(n->name);
  return out;
}

/// The argument z of an activation f(z), or null when `def` is not one.
/// max(0, z) and max(z, 0) are relu(z).
Expr activation_argument(const Expr& def) {
  if (def->kind != Kind::Call) return nullptr;
  if (fn_has(def->fn, fnflag::Activation)) return def->args[0];
  if (def->fn == Fn::Max && def->args.size() == 2) {
    if (def->args[0]->is_num(0) && def->args[1]->shape == def->shape) return def->args[1];
    if (def->args[1]->is_num(0) && def->args[0]->shape == def->shape) return def->args[0];
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> inputs_of(const Expr& e) {
  std::vector<std::string> out;
  // Leaves come in the same left-to-right order in topological order as in a depth-first walk.
  for (const Node* n : ir::topo_order(e).order)
    if (n->kind == Kind::Var && n->args.empty() && std::find(out.begin(), out.end(), n->name) == out.end())
      out.push_back(n->name);
  return out;
}

std::vector<Layer> find_layers(const Program& prog, const Expr& loss) {
  std::set<std::string> used = defined_names_of(loss);
  std::vector<Layer> layers;
  for (const Statement& st : prog.statements) {
    if (st.kind != Statement::Kind::Definition || st.names.empty() || !used.count(st.names[0])) continue;
    const Symbol* sym = prog.find(st.names[0]);
    if (!sym || !sym->node || sym->node->args.empty()) continue;
    Expr z = activation_argument(sym->node->args[0]);
    if (!z) continue;
    Layer l;
    l.index = static_cast<int>(layers.size()) + 1;
    l.a_name = sym->name;
    l.a = sym->node;
    l.activation = sym->node->args[0]->fn;
    l.z = z;
    l.z_named = z->kind == Kind::Var && !z->args.empty();
    if (l.z_named) {
      l.z_name = z->name;
    } else {
      // A label for the unnamed z that no name of the program uses.
      l.z_name = "z" + std::to_string(l.index);
      while (prog.find(l.z_name)) l.z_name += "_";
    }
    layers.push_back(std::move(l));
  }
  return layers;
}

Expr loss_expr(const Program& prog, const std::string& name) {
  const Symbol* s = prog.find(name);
  if (!s || !s->node) throw UserError(Msg::LossUnknown, {name});
  if (!s->node->is_scalar()) throw UserError(Msg::LossNotScalar, s->loc, {name, s->shape.str()});
  return s->node;
}

std::vector<std::string> parameters(const Program& prog, const Expr& loss, const std::vector<std::string>& data_names,
                                    const std::vector<std::string>& requested) {
  std::vector<std::string> inputs = inputs_of(loss);
  auto depends = [&](const std::string& n) { return std::find(inputs.begin(), inputs.end(), n) != inputs.end(); };
  std::vector<std::string> out;
  if (!requested.empty()) {
    for (const auto& n : requested) {
      const Symbol* s = prog.find(n);
      if (!s) throw UserError(Msg::ParamUnknown, {n, "it is not a name of the program"});
      if (s->origin == Symbol::Origin::Defined)
        throw UserError(Msg::ParamUnknown, s->loc, {n, "it is defined by an expression"});
      if (!depends(n))
        throw UserError(Msg::ParamUnknown, s->loc, {n, "the loss '" + loss->name + "' does not depend on it"});
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    }
  } else {
    // Declaration order, which is the order a reader meets the parameters in.
    for (const auto& n : prog.symbol_order) {
      const Symbol& s = prog.symbols.at(n);
      if (s.origin != Symbol::Origin::Declared || !depends(n)) continue;
      if (std::find(data_names.begin(), data_names.end(), n) != data_names.end()) continue;
      out.push_back(n);
    }
  }
  if (out.empty()) throw UserError(Msg::NoParameters, {loss->name});
  return out;
}

}  // namespace mcalc::train
