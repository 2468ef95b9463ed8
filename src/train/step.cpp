// One gradient-descent step, shown the way the lecture computes it by hand.
// Every number is a derived closed form evaluated numerically:
//   dL/dW     = gradient(L, W)
//   dL/dz, dL/da: gradient of L cut at z (or a), i.e. with z replaced by an
//                 input variable of the same name and shape, at z's value
//   da/dz     = the diagonal of derivative(a cut at z, z): f'(z) for an
//               elementwise activation a = f(z)
#include <cmath>

#include "mcalc/diff.hpp"
#include "mcalc/topo.hpp"
#include "mcalc/train.hpp"

namespace mcalc::train {
namespace {

Eigen::VectorXd flat(const Eigen::MatrixXd& m) { return Eigen::Map<const Eigen::VectorXd>(m.data(), m.size()); }

ForwardPass forward(const Bindings& b, const std::vector<Layer>& layers, const Expr& loss) {
  Evaluator ev(b);
  ForwardPass p;
  for (const Layer& l : layers) {
    LayerValues v;
    v.z = flat(ev.evaluate(l.z));
    v.a = flat(ev.evaluate(l.a));
    p.layers.push_back(std::move(v));
  }
  p.loss = ev.scalar(loss);
  return p;
}

/// The gradient of `loss` with respect to the intermediate quantity `at`
/// (value `value`), from the DAG cut there.
Eigen::VectorXd gradient_at(const Expr& loss, const Expr& at, const std::string& name, const Eigen::MatrixXd& value,
                            const Bindings& b) {
  Expr cut = ir::cut_at(loss, at, name);
  Expr g = gradient(cut, ir::var(name, at->shape));
  Bindings bc = b;
  bc.values[name] = value;
  return flat(evaluate(g, bc));
}

/// f'(z) of the layer's activation, from the Jacobian of a = f(z) with z an input.
Eigen::VectorXd activation_slope(const Layer& l, const Eigen::MatrixXd& z_value, const Bindings& b) {
  Expr a_of_z = ir::cut_at(l.a->args[0], l.z, l.z_name);
  Expr zin = ir::var(l.z_name, l.z->shape);
  Bindings bc = b;
  bc.values[l.z_name] = z_value;
  if (l.z->is_scalar()) return flat(evaluate(derivative(a_of_z, zin), bc));
  // The Jacobian of an elementwise map is diagonal: diag(f'(z)).
  Eigen::MatrixXd j = evaluate(derivative(a_of_z, zin), bc);
  MCALC_ASSERT(j.rows() == j.cols(), "the Jacobian of an elementwise activation is not square");
  return j.diagonal();
}

}  // namespace

StepResult gradient_step(const Program& prog, const Bindings& b, const std::string& loss,
                         const std::vector<std::string>& params, double lr) {
  StepResult r;
  r.loss_name = loss;
  r.lr = lr;
  r.params = params;
  Expr L = loss_expr(prog, loss);
  r.layers = find_layers(prog, L);
  for (const auto& p : params) {
    const Symbol* s = prog.find(p);
    MCALC_ASSERT(s != nullptr, "unknown parameter " + p);
    if (!b.values.count(p)) throw UserError(Msg::ParamNoValue, s->loc, {p, type_string(*s)});
  }

  r.before = forward(b, r.layers, L);
  Evaluator ev(b);
  for (std::size_t k = 0; k < r.layers.size(); ++k) {
    const Layer& l = r.layers[k];
    LayerValues& v = r.before.layers[k];
    Eigen::MatrixXd z = ev.evaluate(l.z), a = ev.evaluate(l.a);
    v.dL_dz = gradient_at(L, l.z, l.z_name, z, b);
    v.dL_da = gradient_at(L, l.a, l.a_name, a, b);
    v.da_dz = activation_slope(l, z, b);
  }

  Bindings updated = b;
  for (const auto& p : params) {
    const Symbol* s = prog.find(p);
    Expr g = gradient(L, s->node);
    r.gradient_exprs[p] = g;
    Eigen::MatrixXd gv = ev.evaluate(g);
    Eigen::MatrixXd old = b.values.at(p);
    if (old.rows() != gv.rows()) old.transposeInPlace();  // a flat list given for a column
    r.old_values[p] = old;
    r.gradients[p] = gv;
    r.new_values[p] = old - lr * gv;
    updated.values[p] = r.new_values[p];
  }
  r.after = forward(updated, r.layers, L);
  return r;
}

}  // namespace mcalc::train
