// Rules with head ' (transpose), indexing and bracket literals.
#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {

Expr transpose(Expr a) {
  if (a->is_scalar()) return a;                                                    // s' = s
  if (a->kind == Kind::Transpose) return a->args[0];                               // (A')' = A
  if (is_eye(a) || is_call(a, Fn::DiagOf)) return a;                               // I' = I, diag(v)' = diag(v)
  if (a->kind == Kind::Zeros) return ir::zeros(a->shape.transposed());             // 0' = 0
  if (a->kind == Kind::Ones && !a->shape.is_vector_like()) return ir::ones(a->shape.transposed());  // 1' = 1 (matrices)
  if (a->kind == Kind::Neg) return neg(transpose(a->args[0]));                     // (-A)' = -A'
  if (a->kind == Kind::Mul && a->args[0]->is_scalar())                             // (s*A)' = s*A'
    return mul(a->args[0], transpose(a->args[1]));
  if (a->kind == Kind::Literal) {                                                  // [..]' = transposed literal
    std::vector<Expr> es;
    for (long c = 0; c < a->lit_cols; ++c)
      for (long r = 0; r < a->lit_rows; ++r) es.push_back(a->args[static_cast<std::size_t>(r * a->lit_cols + c)]);
    return literal(a->lit_cols, a->lit_rows, std::move(es));
  }
  // (A*B)' = B'*A', (A ± B)' = A' ± B', (A.*B)' = A'.*B' where that is no larger.
  Expr cand;
  switch (a->kind) {
    case Kind::Mul: cand = mul(transpose(a->args[1]), transpose(a->args[0])); break;
    case Kind::Add: cand = add(transpose(a->args[0]), transpose(a->args[1])); break;
    case Kind::Sub: cand = sub(transpose(a->args[0]), transpose(a->args[1])); break;
    case Kind::Hadamard: cand = hadamard(transpose(a->args[0]), transpose(a->args[1])); break;
    default: break;
  }
  if (cand && expr_size(cand) <= expr_size(a)) return cand;
  return ir::transpose(std::move(a));
}

Expr index(Expr a, long i, long j) {
  const Shape& s = a->shape;
  if (a->kind == Kind::Literal) {                                                  // [..][i, j] = entry
    long r = j ? i : (s.cols.is_one() ? i : 1), c = j ? j : (s.cols.is_one() ? 1 : i);
    return a->args[static_cast<std::size_t>((r - 1) * a->lit_cols + (c - 1))];
  }
  if (a->kind == Kind::Ones) return ir::num(1);                                    // 1[i] = 1
  if (a->kind == Kind::Zeros) return ir::num(0);                                   // 0[i] = 0
  if (a->kind == Kind::Unit) return ir::num(a->i == i ? 1 : 0);                    // e_k[i] = (k == i)
  if (a->kind == Kind::Eye) return ir::num(i == j ? 1 : 0);                        // I[i, j] = (i == j)
  if (a->kind == Kind::Neg) return neg(index(a->args[0], i, j));                   // (-a)[i] = -a[i]
  if (a->kind == Kind::Add && a->args[0]->shape == s && a->args[1]->shape == s)    // (a + b)[i] = a[i] + b[i]
    return add(index(a->args[0], i, j), index(a->args[1], i, j));
  if (a->kind == Kind::Sub && a->args[0]->shape == s && a->args[1]->shape == s)    // (a - b)[i] = a[i] - b[i]
    return sub(index(a->args[0], i, j), index(a->args[1], i, j));
  if (a->kind == Kind::Transpose)                                                  // (A')[i, j] = A[j, i]
    return j ? index(a->args[0], j, i) : index(a->args[0], i, 0);
  if (a->kind == Kind::Mul && a->args[0]->is_scalar() && !a->is_scalar())          // (s*a)[i] = s*a[i]
    return mul(a->args[0], index(a->args[1], i, j));
  if (is_call(a, Fn::DiagOf) && j) return i == j ? index(a->args[0], i, 0) : ir::num(0);  // diag(v)[i, j]
  return ir::index(std::move(a), i, j);
}

Expr literal(long rows, long cols, std::vector<Expr> entries) {
  bool all_zero = true;
  for (const auto& e : entries) all_zero = all_zero && is_zero(e);
  if (all_zero) return ir::zeros(Shape{Dim::lit(rows), Dim::lit(cols)});         // [0, 0; ...] = zeros
  return ir::literal(rows, cols, std::move(entries));
}

}  // namespace simp
}  // namespace mcalc
