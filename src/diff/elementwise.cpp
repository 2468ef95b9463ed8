// Scalar derivatives of the elementwise operations, taken from GiNaC:
// d/dt_k f(t_1, t_2) for fresh symbols t_k, mapped back with t_k := u_k.
// For vector operands the result is the elementwise derivative f'(u), which is
// the diagonal of the Jacobian:  d f(u)/du = diag(f'(u)).
#include <ginac/ginac.h>

#include "diff/internal.hpp"
#include "simplify/ginac_bridge.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace dx {


Expr elementwise_partial(const Expr& e, std::size_t k) {
  gx::Bridge b;
  std::vector<GiNaC::ex> ts;
  for (const auto& a : e->args) ts.push_back(a->kind == Kind::Num ? b.to(a) : b.bind(a));
  MCALC_ASSERT(k < ts.size() && GiNaC::is_a<GiNaC::symbol>(ts[k]), "partial with respect to a constant");
  const GiNaC::symbol& t = GiNaC::ex_to<GiNaC::symbol>(ts[k]);
  GiNaC::ex fx, d;
  Expr r;
  try {  // GiNaC evaluates as it builds: x./0 throws already here
    switch (e->kind) {
      case Kind::Hadamard: fx = ts[0] * ts[1]; break;                  // d(a.*b)/da = b
      case Kind::ElemDiv: fx = ts[0] / ts[1]; break;                   // d(a./b)/da = 1./b, /db = -a./b.^2
      case Kind::Pow: case Kind::ElemPow: fx = GiNaC::pow(ts[0], ts[1]); break;  // p*a^(p-1), a^p*log(a)
      case Kind::Call:
        if (e->fn == Fn::Abs) {                                        // abs'(t) = t/abs(t) = sign(t), t != 0
          d = gx::sign_of(ts[0]);
          break;
        }
        fx = gx::apply_fn(e->fn, ts);
        break;
      default:
        MCALC_ASSERT(false, "not an elementwise operation: " + describe(e));
    }
    if (!(e->kind == Kind::Call && e->fn == Fn::Abs)) d = fx.diff(t);
    r = b.from(d, e->shape);
  } catch (const InternalError&) {
    throw;
  } catch (const std::exception& x) {  // GiNaC: e.g. 0^a, whose derivative divides by zero
    not_differentiable(e, std::string("its derivative is undefined (") + x.what() + ")");
  }
  // (-4)^c: a^c log(a) is not real for a < 0.
  if (!r && d.has(GiNaC::I)) not_differentiable(e, "its derivative is not a real number");
  MCALC_ASSERT(r != nullptr, "cannot map the derivative of " + describe(e) + " back from GiNaC");
  // A constant partial (e.g. 1 for a + b) stays a scalar.
  if (r && r->kind == Kind::Mul && r->args[0]->is_scalar() && r->args[1]->kind == Kind::Ones) r = r->args[0];
  return r;
}

bool is_wrt(const Node* n, const Expr& wrt) {
  // An intermediate variable may be a wrt too (the partial derivative that
  // treats it as independent, as the lecture's d gamma/du).
  return n->kind == Kind::Var && n->name == wrt->name && n->args.size() == wrt->args.size();
}

std::string describe(const Expr& e) { return simp::key(e); }

void not_differentiable(const Expr& e, const std::string& why) {
  throw UserError(Msg::NotDifferentiable, e->loc, {describe(e), why});
}


}  // namespace dx
}  // namespace mcalc
