// Diagnoses of wrong answers, each proved: the corrected answer (or the
// derivative under the condition the diagnosis names) is compared with the
// same layers as the answer itself, and the diagnosis is given only when
// they are equal.
#include <set>
#include <sstream>

#include "check/internal.hpp"
#include "mcalc/print.hpp"
#include "mcalc/simplify.hpp"

namespace mcalc::check::detail {
namespace {

bool equal_to(const Expr& a, const Expr& b, const Problem& p, const Variant& v = {}) {
  if (a->shape != b->shape) return false;
  try {
    return compare(a, b, p, v).same == Same::Equal;
  } catch (const UserError&) {
    return false;
  }
}

/// A constant c with c*answer = expected, from the first entry where the
/// answer is nonzero at the first sizes, or nothing.
std::optional<GiNaC::numeric> ratio(const Expr& answer, const Expr& expected, const Problem& p) {
  Sizes s;
  long k = 2;
  for (const auto& d : p.dims) s[d] = k++;
  GiNaC::matrix a = expand(answer, s), e = expand(expected, s);
  for (unsigned i = 0; i < a.rows(); ++i)
    for (unsigned j = 0; j < a.cols(); ++j) {
      if (a(i, j).expand().is_zero()) continue;
      GiNaC::ex r = (e(i, j) / a(i, j)).normal();
      if (GiNaC::is_a<GiNaC::numeric>(r) && GiNaC::ex_to<GiNaC::numeric>(r).is_rational())
        return GiNaC::ex_to<GiNaC::numeric>(r);
      return std::nullopt;
    }
  return std::nullopt;
}

std::string rational_text(const GiNaC::numeric& c) {
  std::ostringstream os;
  os << c;
  return os.str();
}

/// Every step(u) (and heaviside(u)) of `e` with argument u replaced by ones: e where u > 0.
Expr where_positive(const Expr& e, const Expr& u) {
  return replace(e, [&](const Node& n, const std::vector<Expr>&) -> Expr {
    if (n.kind == Kind::Call && (n.fn == Fn::Step || n.fn == Fn::Heaviside) && ir::equal(n.args[0], u))
      return ir::ones(n.shape);
    return nullptr;
  });
}

/// f with every occurrence of u replaced by t.
Expr substitute(const Expr& f, const Expr& u, const Expr& t) {
  const bool by_name = u->kind == Kind::Var && u->args.empty();
  return replace(f, [&](const Node& n, const std::vector<Expr>&) -> Expr {
    if (&n == u.get() || (by_name && n.kind == Kind::Var && n.args.empty() && n.name == u->name)) return t;
    return nullptr;
  });
}

bool depends_on(const Expr& e, const Expr& wrt) {
  for (const Node* n : ir::topo_order(e).order)
    if (n->kind == Kind::Var && n->args.empty() && n->name == wrt->name) return true;
  return false;
}

std::string square_inputs(const Problem& p) {
  std::string out, sep;
  for (const auto& v : p.inputs)
    if (!v->is_scalar() && v->shape.is_square()) out += sep + v->name, sep = ", ";
  return out;
}

std::string diagnose(const Expr& answer, const Expr& expected, const Expr& f, const Expr& wrt, QueryOp op,
                     Layout layout, const Problem& p) {
  // A sign error, or a constant factor.
  if (auto c = ratio(answer, expected, p)) {
    if (*c == -1 && equal_to(ir::neg(answer), expected, p))
      return "a sign error: the answer is the negative of the derivative";
    if (*c != 0 && *c != 1 && equal_to(ir::mul(ir::num(c->to_double()), answer), expected, p)) {
      std::string t = rational_text(*c);
      if (c->is_integer()) return "off by a constant factor: the derivative is " + t + " times the answer (a factor " + t + " is missing)";
      return "off by a constant factor: the derivative is " + t + " times the answer";
    }
  }
  // Right only for symmetric matrices.
  if (!square_inputs(p).empty() && equal_to(answer, expected, p, Variant{true, std::nullopt}))
    return "right only for symmetric matrices: the answer equals the derivative when " + square_inputs(p) +
           " equals its transpose, but not in general (the derivative has terms such as A + A' where the answer "
           "assumes A' = A)";
  // Right only where some step(u) is 1: the piecewise factor is missing.
  for (const Expr& u : step_conditions(expected)) {
    Expr e1 = simplify(where_positive(expected, u));
    if (!ir::equal(e1, expected) && equal_to(answer, e1, p))
      return "a missing piecewise factor: the answer is right only where step(" + to_text(u) + ") is 1, that is " +
             to_text(u) + " > 0; the factor step(" + to_text(u) + ") is missing";
  }
  // A missing chain-rule factor: the answer is the outer derivative alone.
  {
    Expr g = f;
    while (g->kind == Kind::Var && !g->args.empty()) g = g->args[0];
    ir::Topo topo = ir::topo_order(g);
    std::vector<Expr> nodes = exprs_in_order({g}, topo);
    int tried = 0;
    for (auto it = nodes.rbegin(); it != nodes.rend() && tried < 8; ++it) {
      const Expr& u = *it;
      if (u == g || u->kind == Kind::Var || u->kind == Kind::Num || !depends_on(u, wrt)) continue;
      if (u->shape != wrt->shape) continue;  // the outer derivative must have the answer's shape
      ++tried;
      Expr t = ir::var(wrt->name + "__inner", u->shape);
      Expr outer_f = substitute(g, u, t);
      if (depends_on(outer_f, wrt)) continue;  // u is not the only way f depends on wrt
      try {
        Expr outer = op == QueryOp::Diff ? derivative(outer_f, t, layout)
                     : op == QueryOp::Grad ? gradient(outer_f, t)
                                           : hessian(outer_f, t);
        outer = substitute(outer, t, u);
        if (outer->shape == answer->shape && !equal_to(outer, expected, p) && equal_to(answer, outer, p))
          return "a missing chain-rule factor: the answer is the derivative of the outer function alone, by " +
                 to_text(u) + "; the factor d(" + to_text(u) + ")/d" + wrt->name + " is missing";
      } catch (const UserError&) {
      }
    }
  }
  // eye where ones is due, or ones where eye is due.
  auto swapped = [&](Kind from) {
    return replace(answer, [&](const Node& n, const std::vector<Expr>&) -> Expr {
      if (from == Kind::Eye && n.kind == Kind::Eye) return ir::ones(n.shape);
      if (from == Kind::Ones && n.kind == Kind::Ones && n.shape.is_square() && !n.shape.is_scalar())
        return ir::eye(n.shape.rows);
      return nullptr;
    });
  };
  for (Kind k : {Kind::Eye, Kind::Ones}) {
    Expr s = swapped(k);
    if (s != answer && equal_to(s, expected, p))
      return k == Kind::Eye ? "eye(n) where ones is due: with ones in place of eye the answer is right"
                            : "ones where eye(n) is due: with eye in place of ones the answer is right";
  }
  // Right only at n = 1.
  if (!p.dims.empty() && equal_to(answer, expected, p, Variant{false, 1L}))
    return "right only at n = 1: the answer equals the derivative when every dimension (" +
           [&] {
             std::string s, sep;
             for (const auto& d : p.dims) s += sep + d, sep = ", ";
             return s;
           }() +
           ") is 1, but not at larger sizes";
  return "";
}

}  // namespace

std::string diagnose_same_shape(const Expr& answer, const Expr& expected, const Expr& f, const Expr& wrt,
                                QueryOp op, Layout layout, const Problem& p) {
  try {
    return diagnose(answer, expected, f, wrt, op, layout, p);
  } catch (const UserError&) {
    return "";  // an answer undefined at some size (an index past it): no diagnosis
  }
}

std::string diagnose_shape(const Expr& answer, const Expr& expected, const Problem& p) {
  auto column = [](const Expr& v) { return v->shape.is_row() ? ir::transpose(v) : v; };
  // diag(v) given where the vector v (or v') is due.
  if (expected->shape.is_vector_like() && !expected->is_scalar() && answer->shape.is_square() &&
      answer->shape.rows == (expected->shape.is_row() ? expected->shape.cols : expected->shape.rows)) {
    Expr d = ir::call(Fn::DiagOf, {column(expected)});
    if (equal_to(answer, d, p)) {
      std::string v = to_text(expected);
      return answer->kind == Kind::Eye ? "eye where " + v + " is due: the entries belong in a " +
                                             (expected->shape.is_row() ? "row" : "column") + ", not on a diagonal"
                                       : "diag(v) where " + v + " is due: the entries belong in a " +
                                             (expected->shape.is_row() ? "row" : "column") + ", not on a diagonal";
    }
  }
  // A vector given where diag(v) is due.
  if (answer->shape.is_vector_like() && !answer->is_scalar() && expected->shape.is_square() &&
      expected->shape.rows == (answer->shape.is_row() ? answer->shape.cols : answer->shape.rows)) {
    Expr d = ir::call(Fn::DiagOf, {column(answer)});
    if (equal_to(d, expected, p))
      return "a vector where the diagonal matrix diag(" + to_text(simplify(column(answer))) +
             ") is due: the Jacobian of an elementwise function is diagonal";
  }
  return "";
}

}  // namespace mcalc::check::detail
