// The rule table: one differential per node kind and function (Magnus &
// Neudecker's matrix differentials, JAX's JVP rules). Each row has an id, a
// name, its formula in text and LaTeX, and one case of `differential` below
// that builds it. The modes of the differentiator (engine.cpp) only interpret
// these differentials: forward (dz = 1), Jacobian (identified from dF = J dx),
// reverse (transposed).
#include "diff/rules.hpp"

#include "diff/internal.hpp"
#include "simplify/rules.hpp"

namespace mcalc {

namespace {

// clang-format off
const std::vector<RuleInfo> kRules = {
  {RuleId::Variable, "variable", "variable", "dx = dx", R"(\mathrm{d}x = \mathrm{d}x)"},
  {RuleId::Definition, "definition", "intermediate variable", "z = g: dz = dg", R"(z = g:\ \mathrm{d}z = \mathrm{d}g)"},
  {RuleId::Sum, "sum", "addition", "d(A + B) = dA + dB", R"(\mathrm{d}(A + B) = \mathrm{d}A + \mathrm{d}B)"},
  {RuleId::Difference, "difference", "difference", "d(A - B) = dA - dB", R"(\mathrm{d}(A - B) = \mathrm{d}A - \mathrm{d}B)"},
  {RuleId::Negation, "negation", "negation", "d(-A) = -dA", R"(\mathrm{d}(-A) = -\mathrm{d}A)"},
  {RuleId::ScalarMultiple, "scalar-multiple", "vector-scalar broadcasting",
   "d(s*A) = ds*A + s*dA", R"(\mathrm{d}(sA) = \mathrm{d}s\,A + s\,\mathrm{d}A)"},
  {RuleId::MatrixProduct, "matrix-product", "matrix product",
   "d(A*B) = dA*B + A*dB", R"(\mathrm{d}(AB) = \mathrm{d}A\,B + A\,\mathrm{d}B)"},
  {RuleId::Quotient, "quotient", "quotient by a scalar",
   "d(A/s) = dA/s - A*ds/s^2", R"(\mathrm{d}(A/s) = \mathrm{d}A/s - A\,\mathrm{d}s/s^2)"},
  {RuleId::Hadamard, "hadamard", "Hadamard product",
   "d(A .* B) = dA .* B + A .* dB", R"(\mathrm{d}(A \odot B) = \mathrm{d}A \odot B + A \odot \mathrm{d}B)"},
  {RuleId::ElemQuotient, "elementwise-quotient", "elementwise quotient",
   "d(A ./ B) = dA ./ B - A .* dB ./ B.^2", R"(\mathrm{d}(A \oslash B) = \mathrm{d}A \oslash B - A \odot \mathrm{d}B \oslash B^{\circ 2})"},
  {RuleId::ElemPower, "elementwise-power", "elementwise power",
   "d(A .^ B) = B .* A.^(B - 1) .* dA + A.^B .* log(A) .* dB",
   R"(\mathrm{d}(A^{\circ B}) = B \odot A^{\circ (B - 1)} \odot \mathrm{d}A + A^{\circ B} \odot \log A \odot \mathrm{d}B)"},
  {RuleId::ScalarPower, "scalar-power", "power",
   "d(a^b) = b*a^(b - 1)*da + a^b*log(a)*db", R"(\mathrm{d}(a^b) = b a^{b - 1}\,\mathrm{d}a + a^b \log a\,\mathrm{d}b)"},
  {RuleId::MatrixPower, "matrix-power", "matrix power",
   "d(A^k) = sum_{i<k} A^i*dA*A^(k-1-i);  d(A^-k) = -sum_{i<k} inv(A)^(i+1)*dA*inv(A)^(k-i)",
   R"(\mathrm{d}(A^k) = \sum_{i=0}^{k-1} A^i\,\mathrm{d}A\,A^{k-1-i})"},
  {RuleId::InnerProduct, "inner-product", "inner product",
   "d(a . b) = da . b + a . db", R"(\mathrm{d}(a \cdot b) = \mathrm{d}a \cdot b + a \cdot \mathrm{d}b)"},
  {RuleId::Transpose, "transpose", "transpose", "d(A') = (dA)'", R"(\mathrm{d}(A^\top) = (\mathrm{d}A)^\top)"},
  {RuleId::Indexing, "indexing", "indexing", "d(A[i, j]) = dA[i, j]", R"(\mathrm{d}(A_{ij}) = (\mathrm{d}A)_{ij})"},
  {RuleId::Literal, "literal", "bracket literal", "d[a, b; c, d] = [da, db; dc, dd]",
   R"(\mathrm{d}\begin{bmatrix} a & b \\ c & d \end{bmatrix} = \begin{bmatrix} \mathrm{d}a & \mathrm{d}b \\ \mathrm{d}c & \mathrm{d}d \end{bmatrix})"},
  {RuleId::Elementwise, "elementwise", "elementwise function",
   "d f(A) = f'(A) .* dA", R"(\mathrm{d}f(A) = f'(A) \odot \mathrm{d}A)"},
  {RuleId::PiecewiseMax, "max", "piecewise max",
   "d max(A, B) = step(A - B) .* dA + (1 - step(A - B)) .* dB",
   R"(\mathrm{d}\max(A, B) = [A > B] \odot \mathrm{d}A + [A \le B] \odot \mathrm{d}B)"},
  {RuleId::PiecewiseMin, "min", "piecewise min",
   "d min(A, B) = step(B - A) .* dA + (1 - step(B - A)) .* dB",
   R"(\mathrm{d}\min(A, B) = [A < B] \odot \mathrm{d}A + [A \ge B] \odot \mathrm{d}B)"},
  {RuleId::SumReduction, "sum-reduction", "sum reduction", "d sum(A) = sum(dA)",
   R"(\mathrm{d}\,\mathrm{sum}(A) = \mathrm{sum}(\mathrm{d}A) = \mathbf{1}^\top \mathrm{d}A\,\mathbf{1})"},
  {RuleId::Mean, "mean", "mean", "d mean(A) = mean(dA)", R"(\mathrm{d}\,\mathrm{mean}(A) = \mathrm{mean}(\mathrm{d}A))"},
  {RuleId::Norm2, "norm2", "Euclidean norm", "d norm2(u) = u'*du/norm2(u)",
   R"(\mathrm{d}\lVert u \rVert = u^\top \mathrm{d}u / \lVert u \rVert)"},
  {RuleId::Norm1, "norm1", "1-norm", "d norm1(u) = sign(u)'*du", R"(\mathrm{d}\lVert u \rVert_1 = \mathrm{sign}(u)^\top \mathrm{d}u)"},
  {RuleId::Logsumexp, "logsumexp", "log-sum-exp", "d logsumexp(u) = softmax(u)'*du",
   R"(\mathrm{d}\,\mathrm{logsumexp}(u) = \mathrm{softmax}(u)^\top \mathrm{d}u)"},
  {RuleId::Softmax, "softmax", "softmax", "s = softmax(u): ds = s .* du - s*(s'*du) = (diag(s) - s*s')*du",
   R"(s = \mathrm{softmax}(u):\ \mathrm{d}s = (\mathrm{diag}(s) - s s^\top)\,\mathrm{d}u)"},
  {RuleId::Trace, "trace", "trace", "d tr(A) = tr(dA)", R"(\mathrm{d}\,\mathrm{tr}(A) = \mathrm{tr}(\mathrm{d}A))"},
  {RuleId::Determinant, "determinant", "determinant", "d det(A) = det(A)*tr(inv(A)*dA)",
   R"(\mathrm{d}\det A = \det A\,\mathrm{tr}(A^{-1}\mathrm{d}A))"},
  {RuleId::Logdet, "logdet", "log-determinant", "d logdet(A) = tr(inv(A)*dA)",
   R"(\mathrm{d}\log\det A = \mathrm{tr}(A^{-1}\mathrm{d}A))"},
  {RuleId::Inverse, "inverse", "inverse", "d inv(A) = -inv(A)*dA*inv(A)",
   R"(\mathrm{d}A^{-1} = -A^{-1}\,\mathrm{d}A\,A^{-1})"},
  {RuleId::Adjugate, "adjugate", "adjugate", "d adj(A) = (tr(adj(A)*dA)*adj(A) - adj(A)*dA*adj(A))/det(A)",
   R"(\mathrm{d}\,\mathrm{adj}\,A = \frac{\mathrm{tr}(\mathrm{adj}\,A\,\mathrm{d}A)\,\mathrm{adj}\,A - \mathrm{adj}\,A\,\mathrm{d}A\,\mathrm{adj}\,A}{\det A})"},
  {RuleId::DiagMatrix, "diag-matrix", "diagonal matrix", "d diag(v) = diag(dv)",
   R"(\mathrm{d}\,\mathrm{diag}(v) = \mathrm{diag}(\mathrm{d}v))"},
  {RuleId::DiagVector, "diag-vector", "diagonal of a matrix", "d diag(A) = diag(dA)",
   R"(\mathrm{d}\,\mathrm{diag}(A) = \mathrm{diag}(\mathrm{d}A))"},
  {RuleId::Vectorization, "vec", "vectorization", "d vec(A) = vec(dA)",
   R"(\mathrm{d}\,\mathrm{vec}(A) = \mathrm{vec}(\mathrm{d}A))"},
  {RuleId::Kronecker, "kronecker", "Kronecker product", "d kron(A, B) = kron(dA, B) + kron(A, dB)",
   R"(\mathrm{d}(A \otimes B) = \mathrm{d}A \otimes B + A \otimes \mathrm{d}B)"},
  {RuleId::Constant, "constant", "constant", "dc = 0", R"(\mathrm{d}c = 0)"},
};
// clang-format on

}  // namespace

const std::vector<RuleInfo>& rule_table() { return kRules; }

const RuleInfo& rule_info(RuleId id) {
  const RuleInfo& r = kRules[static_cast<std::size_t>(id)];
  MCALC_ASSERT(r.id == id, "rule table out of order");
  return r;
}

RuleId rule_of(const Node& n) {
  switch (n.kind) {
    case Kind::Num: case Kind::DimSize: case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
      return RuleId::Constant;
    case Kind::Var: return n.args.empty() ? RuleId::Variable : RuleId::Definition;
    case Kind::Add: return RuleId::Sum;
    case Kind::Sub: return RuleId::Difference;
    case Kind::Neg: return RuleId::Negation;
    case Kind::Mul:
      return n.args[0]->is_scalar() || n.args[1]->is_scalar() ? RuleId::ScalarMultiple : RuleId::MatrixProduct;
    case Kind::Div: return RuleId::Quotient;
    case Kind::Hadamard: return RuleId::Hadamard;
    case Kind::ElemDiv: return RuleId::ElemQuotient;
    case Kind::ElemPow: return RuleId::ElemPower;
    case Kind::Pow: return n.args[0]->is_scalar() ? RuleId::ScalarPower : RuleId::MatrixPower;
    case Kind::Dot: return RuleId::InnerProduct;
    case Kind::Transpose: return RuleId::Transpose;
    case Kind::Index: return RuleId::Indexing;
    case Kind::Literal: return RuleId::Literal;
    case Kind::Call: break;
  }
  switch (n.fn) {
    case Fn::None: break;
#define MCALC_FN_ELEMENTWISE(Id, ...) case Fn::Id: return RuleId::Elementwise;
#define MCALC_FN_ELEMENTWISE2(Id, name, family, flags, rule, ...) case Fn::Id: return RuleId::rule;
#define MCALC_FN_MATRIX(Id, name, family, flags, rule, latex) case Fn::Id: return RuleId::rule;
#include "mcalc/functions.def"
  }
  MCALC_ASSERT(false, "a call without a function");
}

namespace dx {
namespace {

using namespace simp;  // the rule-applying constructors add, mul, ...

Expr plus(const Expr& a, const Expr& b) { return !a ? b : !b ? a : add(a, b); }
Expr minus(const Expr& a, const Expr& b) { return !b ? a : !a ? neg(b) : sub(a, b); }
Expr col(const Expr& v) { return v->shape.is_row() ? transpose(v) : v; }

/// The differential of a scalar operand broadcast over a node of shape s: ds 1.
Expr widen(const Expr& d, const Shape& s) {
  if (!d || !d->is_scalar() || s.is_scalar()) return d;
  return mul(d, ir::ones(s));
}

/// d f(A, B) = ∂f/∂A .* dA + ∂f/∂B .* dB for an elementwise f, the partials
/// from GiNaC (a scalar partial scales, a broadcast operand is widened).
Expr elementwise(const Expr& e, const std::vector<Expr>& d) {
  Expr r;
  for (std::size_t k = 0; k < e->args.size(); ++k) {
    if (!d[k]) continue;
    Expr p = elementwise_partial(e, k);
    if (is_zero(p)) continue;  // step, sign: 0 away from the kink
    // -p .* dA = -(p .* dA): the sign stays outside (-diag(p) in a Jacobian)
    bool negative = p->kind == Kind::Neg;
    if (negative) p = p->args[0];
    Expr t = p->is_scalar() ? mul(p, widen(d[k], e->shape)) : hadamard(p, d[k]);
    r = negative ? minus(r, t) : plus(r, t);
  }
  return r;
}

Expr rule(const Expr& e, const std::vector<Expr>& d);

}  // namespace

Expr differential(const Expr& e, const std::vector<Expr>& d) {
  Expr r = rule(e, d);
  return r && is_zero(r) ? nullptr : r;
}

namespace {
/// The differential of e by its rule (the table's one case per rule).
Expr rule(const Expr& e, const std::vector<Expr>& d) {
  const auto& x = e->args;
  switch (rule_of(*e)) {
    case RuleId::Constant: case RuleId::Variable:
      return nullptr;  // the engine seeds the variable differentiated by
    case RuleId::Definition:  // z = g: dz = dg
      return d[0];
    case RuleId::Sum:  // d(A + B) = dA + dB  (a broadcast scalar: ds 1)
      return plus(widen(d[0], e->shape), widen(d[1], e->shape));
    case RuleId::Difference:  // d(A - B) = dA - dB
      return minus(widen(d[0], e->shape), widen(d[1], e->shape));
    case RuleId::Negation:  // d(-A) = -dA
      return d[0] ? neg(d[0]) : nullptr;
    case RuleId::ScalarMultiple: case RuleId::MatrixProduct:  // d(A B) = dA B + A dB
      return plus(d[0] ? mul(d[0], x[1]) : nullptr, d[1] ? mul(x[0], d[1]) : nullptr);
    case RuleId::Quotient:  // d(A/s) = dA/s - A ds/s^2
      return minus(d[0] ? div(d[0], x[1]) : nullptr,
                   d[1] ? div(mul(d[1], x[0]), pow(x[1], ir::num(2))) : nullptr);
    case RuleId::Hadamard: case RuleId::ElemQuotient: case RuleId::ElemPower: case RuleId::ScalarPower:
    case RuleId::Elementwise: case RuleId::PiecewiseMax: case RuleId::PiecewiseMin:
      // d f(A, B) = ∂f/∂A .* dA + ∂f/∂B .* dB  (partials from GiNaC; see elementwise.cpp)
      return elementwise(e, d);
    case RuleId::MatrixPower: {
      // d(B^k) = Σ_{i<k} B^i dB B^(k-1-i), with B = A, or B = A⁻¹ and dB = -A⁻¹ dA A⁻¹ for A^(-k)
      if (!d[0]) return nullptr;
      if (x[1]->kind != Kind::Num) not_differentiable(e, "the exponent of a matrix power must be a number");
      double k = x[1]->num;
      if (k == 0) return nullptr;
      // (for A^(-k) this is -Σ_{i<k} B^(i+1) dA B^(k-i), each term one sandwich)
      bool inverse = k < 0;
      Expr B = inverse ? call(Fn::Inv, {x[0]}) : x[0];
      long kk = static_cast<long>(inverse ? -k : k);
      auto power = [&](long p) { return pow(B, ir::num(static_cast<double>(p))); };
      Expr r;
      for (long i = 0; i < kk; ++i)
        r = plus(r, inverse ? mul(mul(power(i + 1), d[0]), power(kk - i)) : mul(mul(power(i), d[0]), power(kk - 1 - i)));
      return inverse ? neg(r) : r;
    }
    case RuleId::InnerProduct:  // d(a·b) = da·b + a·db
      return plus(d[0] ? dot(d[0], x[1]) : nullptr, d[1] ? dot(x[0], d[1]) : nullptr);
    case RuleId::Transpose:  // d(Aᵀ) = (dA)ᵀ
      return d[0] ? transpose(d[0]) : nullptr;
    case RuleId::Indexing:  // d(A[i, j]) = dA[i, j]
      return d[0] ? index(d[0], e->i, e->j) : nullptr;
    case RuleId::Literal: {  // d[f1, f2; ...] = [df1, df2; ...]
      std::vector<Expr> ts;
      bool any = false;
      for (const auto& t : d) {
        any = any || t;
        ts.push_back(t ? t : ir::num(0));
      }
      return any ? literal(e->lit_rows, e->lit_cols, ts) : nullptr;
    }
    case RuleId::SumReduction:  // d sum(A) = sum(dA)
      return d[0] ? call(Fn::Sum, {d[0]}) : nullptr;
    case RuleId::Mean:  // d mean(A) = mean(dA)
      return d[0] ? call(Fn::Mean, {d[0]}) : nullptr;
    case RuleId::Norm2: {  // d‖u‖ = uᵀ du/‖u‖  (sum(U .* dU)/‖U‖ for a matrix)
      if (!d[0]) return nullptr;
      const Expr& u = x[0];
      if (u->shape.is_vector_like()) return div(mul(transpose(col(u)), col(d[0])), e);
      return div(call(Fn::Sum, {hadamard(u, d[0])}), e);
    }
    case RuleId::Norm1: {  // d‖u‖₁ = sign(u)ᵀ du  (sum(sign(U) .* dU) for a matrix)
      if (!d[0]) return nullptr;
      const Expr& u = x[0];
      if (u->shape.is_vector_like()) return mul(transpose(col(call(Fn::Sign, {u}))), col(d[0]));
      return call(Fn::Sum, {hadamard(call(Fn::Sign, {u}), d[0])});
    }
    case RuleId::Logsumexp:  // d logsumexp(u) = softmax(u)ᵀ du
      return d[0] ? mul(transpose(call(Fn::Softmax, {col(x[0])})), col(d[0])) : nullptr;
    case RuleId::Softmax:  // s = softmax(u): ds = s .* du - s (sᵀ du)   (= (diag(s) - s sᵀ) du)
      return d[0] ? sub(hadamard(e, d[0]), mul(e, mul(transpose(e), d[0]))) : nullptr;
    case RuleId::Trace:  // d tr(A) = tr(dA)
      return d[0] ? call(Fn::Tr, {d[0]}) : nullptr;
    case RuleId::Determinant:  // d det(A) = det(A) tr(A⁻¹ dA)
      return d[0] ? mul(e, call(Fn::Tr, {mul(call(Fn::Inv, {x[0]}), d[0])})) : nullptr;
    case RuleId::Logdet:  // d log det(A) = tr(A⁻¹ dA)
      return d[0] ? call(Fn::Tr, {mul(call(Fn::Inv, {x[0]}), d[0])}) : nullptr;
    case RuleId::Inverse:  // d A⁻¹ = -A⁻¹ dA A⁻¹
      return d[0] ? neg(mul(mul(e, d[0]), e)) : nullptr;
    case RuleId::Adjugate:  // adj A = det(A) A⁻¹: d adj A = (tr(adj A dA) adj A - adj A dA adj A) / det A
      if (!d[0]) return nullptr;
      if (e->is_scalar()) return nullptr;  // adj of a 1 x 1 matrix is 1
      return div(sub(mul(call(Fn::Tr, {mul(e, d[0])}), e), mul(mul(e, d[0]), e)), call(Fn::Det, {x[0]}));
    case RuleId::DiagMatrix:  // d diag(v) = diag(dv)
      return d[0] ? call(Fn::DiagOf, {d[0]}) : nullptr;
    case RuleId::DiagVector:  // d diag(A) = diag(dA)
      return d[0] ? call(Fn::DiagVec, {d[0]}) : nullptr;
    case RuleId::Vectorization:  // d vec(A) = vec(dA)
      return d[0] ? call(Fn::Vec, {d[0]}) : nullptr;
    case RuleId::Kronecker: {  // d kron(A, B) = kron(dA, B) + kron(A, dB)
      Expr da = d[0] ? call(Fn::Kron, {d[0], x[1]}) : nullptr, db = d[1] ? call(Fn::Kron, {x[0], d[1]}) : nullptr;
      return da && db ? add(da, db) : da ? da : db;
    }
  }
  MCALC_ASSERT(false, "no rule for " + describe(e));
}
}  // namespace

}  // namespace dx
}  // namespace mcalc
