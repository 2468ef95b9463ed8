// Rules with head ' (transpose), indexing and bracket literals.
#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {

Expr transpose(Expr a) {
  if (a->is_scalar()) return fire(Rule::transpose_simple, a);                          // s' = s
  if (a->kind == Kind::Transpose) return fire(Rule::transpose_simple, a->args[0]);     // (A')' = A
  if (is_eye(a) || is_call(a, Fn::DiagOf)) return fire(Rule::transpose_simple, a);     // I' = I, diag(v)' = diag(v)
  if (a->kind == Kind::Zeros) return fire(Rule::transpose_simple, ir::zeros(a->shape.transposed()));  // 0' = 0
  if (a->kind == Kind::Ones && !a->shape.is_vector_like())
    return fire(Rule::transpose_simple, ir::ones(a->shape.transposed()));           // ones(m, n)' = ones(n, m)
  if (a->kind == Kind::Ones && a->shape.cols.is_one() == false && a->shape.rows.is_one())
    return fire(Rule::transpose_simple, ir::ones(a->shape.transposed()));           // (ones(n)')' = ones(n)
  if (a->kind == Kind::Neg) return fire(Rule::transpose_out, neg(transpose(a->args[0])));  // (-A)' = -A'
  if (a->kind == Kind::Mul && a->args[0]->is_scalar())                                 // (s*A)' = s*A'
    return fire(Rule::transpose_out, mul(a->args[0], transpose(a->args[1])));
  if (is_symmetric(a)) return fire(Rule::transpose_symmetric, a);                      // S' = S
  if (is_call(a, Fn::Kron))                                                            // kron(A, B)' = kron(A', B')
    return fire(Rule::transpose_kron, call(Fn::Kron, {transpose(a->args[0]), transpose(a->args[1])}));
  if (a->kind == Kind::Pow)                                                            // (A^k)' = A'^k
    return fire(Rule::transpose_out, pow(transpose(a->args[0]), a->args[1]));
  if (a->kind == Kind::Literal) {                                                      // [..]' = transposed literal
    std::vector<Expr> es;
    for (long c = 0; c < a->lit_cols; ++c)
      for (long r = 0; r < a->lit_rows; ++r) es.push_back(a->args[static_cast<std::size_t>(r * a->lit_cols + c)]);
    return fire(Rule::transpose_literal, literal(a->lit_cols, a->lit_rows, std::move(es)));
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
  if (cand && expr_size(cand) <= expr_size(a)) return fire(Rule::transpose_distribute, cand);
  return ir::transpose(std::move(a));
}

Expr index(Expr a, long i, long j) {
  const Shape& s = a->shape;
  if (a->kind == Kind::Literal) {                                                  // [..][i, j] = entry
    long r = j ? i : (s.cols.is_one() ? i : 1), c = j ? j : (s.cols.is_one() ? 1 : i);
    return fire(Rule::index_structural, a->args[static_cast<std::size_t>((r - 1) * a->lit_cols + (c - 1))]);
  }
  if (a->kind == Kind::Ones) return fire(Rule::index_structural, ir::num(1));                                    // 1[i] = 1
  if (a->kind == Kind::Zeros) return fire(Rule::index_structural, ir::num(0));                                   // 0[i] = 0
  if (a->kind == Kind::Unit) return fire(Rule::index_structural, ir::num(a->i == i ? 1 : 0));                    // e_k[i] = (k == i)
  if (a->kind == Kind::Eye) return fire(Rule::index_structural, ir::num(i == j ? 1 : 0));                        // I[i, j] = (i == j)
  if (a->kind == Kind::Neg) return fire(Rule::index_distribute, neg(index(a->args[0], i, j)));                   // (-a)[i] = -a[i]
  if (a->kind == Kind::Add && a->args[0]->shape == s && a->args[1]->shape == s)    // (a + b)[i] = a[i] + b[i]
    return fire(Rule::index_distribute, add(index(a->args[0], i, j), index(a->args[1], i, j)));
  if (a->kind == Kind::Sub && a->args[0]->shape == s && a->args[1]->shape == s)    // (a - b)[i] = a[i] - b[i]
    return fire(Rule::index_distribute, sub(index(a->args[0], i, j), index(a->args[1], i, j)));
  if (a->kind == Kind::Transpose)                                                  // (A')[i, j] = A[j, i]
    return fire(Rule::index_distribute, j ? index(a->args[0], j, i) : index(a->args[0], i, 0));
  if (a->kind == Kind::Mul && a->args[0]->is_scalar() && !a->is_scalar())          // (s*a)[i] = s*a[i]
    return fire(Rule::index_distribute, mul(a->args[0], index(a->args[1], i, j)));
  if (is_call(a, Fn::DiagOf) && j) return fire(Rule::index_structural, i == j ? index(a->args[0], i, 0) : ir::num(0));  // diag(v)[i, j]
  return ir::index(std::move(a), i, j);
}

Expr literal(long rows, long cols, std::vector<Expr> entries) {
  bool all_zero = true;
  for (const auto& e : entries) all_zero = all_zero && is_zero(e);
  if (all_zero) return fire(Rule::literal_zero, ir::zeros(Shape{Dim::lit(rows), Dim::lit(cols)}));         // [0, 0; ...] = zeros
  return ir::literal(rows, cols, std::move(entries));
}

}  // namespace simp
}  // namespace mcalc
