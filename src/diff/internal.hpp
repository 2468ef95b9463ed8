#pragma once
// Internal interface of the differentiator.
#include <string>
#include <unordered_map>
#include <vector>

#include "mcalc/diff.hpp"
#include "mcalc/ir.hpp"

namespace mcalc {
namespace dx {

/// The partial derivative of the elementwise operation at node `e` (an
/// elementwise call, .*, ./, .^, or scalar ^) with respect to its k-th operand,
/// as an elementwise IR expression in the operands (scalar when it is
/// constant). Scalar derivatives come from GiNaC: d/dt_k of f(t_1, t_2).
Expr elementwise_partial(const Expr& e, std::size_t k);

/// True for an input variable with the same name as `wrt`.
bool is_wrt(const Node* n, const Expr& wrt);

/// Reverse mode: the gradient of scalar f with respect to wrt (shape of wrt),
/// built with the simplifier's rules but not yet normalised (engine.cpp).
Expr reverse_gradient(const Expr& f, const Expr& wrt, Trace* trace = nullptr);

/// Forward mode for a scalar wrt: df/dz with the shape of f (any shape).
Expr forward_tangent(const Expr& f, const Expr& wrt, Trace* trace = nullptr);

/// Jacobian mode: the Jacobian (numerator layout, len(f) x len(wrt)) of a
/// vector-like f with respect to a scalar or column-vector wrt: the
/// differential in a placeholder dx, then identified.
Expr forward_jacobian(const Expr& f, const Expr& wrt, Trace* trace = nullptr);

/// The transposer: for L linear in the placeholder p and a cotangent g of L's
/// shape, the adjoint of p (transpose.cpp).
Expr transpose_linear(const Expr& l, const Expr& p, const Expr& g);

/// Identification: the Jacobian J with vec(dF) = J dx, for dF linear in the
/// column placeholder p (identify.cpp). `origin` maps a differential to the
/// node of f it is the differential of (to locate errors; f otherwise).
Expr identify(const Expr& dF, const Expr& p, const Expr& f,
              const std::unordered_map<const Node*, Expr>& origin = {});

/// The vec/Kronecker identification: the J with vec(dF) = J vec(dP), for dF of
/// any shape linear in the placeholder p of any shape (identify.cpp).
Expr identify_vec(const Expr& dF, const Expr& p, const Expr& f,
                  const std::unordered_map<const Node*, Expr>& origin = {});

/// Jacobian by vec (Magnus & Neudecker): d vec(f) / d vec(wrt)ᵀ, (len f) x (len wrt),
/// for any f and wrt (engine.cpp).
Expr forward_vec_jacobian(const Expr& f, const Expr& wrt);

/// Whether a sub-expression depends on the placeholder `p` of a differential
/// (memoised per node; a node without variables never does). The identifications
/// and the transposer ask it of every node they rewrite.
class DependsOn {
 public:
  explicit DependsOn(const Node* p) : p_(p) {}
  bool operator()(const Expr& e) {
    if (e.get() == p_) return true;
    if (!e->has_var) return false;  // p is a variable: a constant cannot hold it
    auto it = memo_.find(e.get());
    if (it != memo_.end()) return it->second;
    bool r = false;
    for (const auto& a : e->args) r = r || (*this)(a);
    memo_[e.get()] = r;
    return r;
  }

 private:
  const Node* p_;
  std::unordered_map<const Node*, bool> memo_;
};

/// Throws Msg::NotDifferentiable located at `e`.
[[noreturn]] void not_differentiable(const Expr& e, const std::string& why);
/// A short text of e for messages.
std::string describe(const Expr& e);

}  // namespace dx
}  // namespace mcalc
