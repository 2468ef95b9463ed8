// Rules with head ' (transpose), indexing and bracket literals.
#include "mcalc/simplify.hpp"
#include "simplify/rules.hpp"

namespace mcalc {
namespace simp {

Expr transpose(Expr a) {
  if (a->is_scalar()) return fire(Rule::transpose_scalar, a);                          // s' = s
  if (a->kind == Kind::Transpose) return fire(Rule::transpose_transpose, a->args[0]);  // (A')' = A
  if (is_eye(a)) return fire(Rule::transpose_eye, a);                                  // I' = I
  if (is_call(a, Fn::DiagOf)) return fire(Rule::transpose_diag, a);                    // diag(v)' = diag(v)
  if (a->kind == Kind::Zeros) return fire(Rule::transpose_zeros, ir::zeros(a->shape.transposed()));  // zeros(m, n)' = zeros(n, m)
  if (a->kind == Kind::Ones && !a->shape.is_vector_like())
    return fire(Rule::transpose_ones, ir::ones(a->shape.transposed()));             // ones(m, n)' = ones(n, m)
  if (a->kind == Kind::Ones && a->shape.cols.is_one() == false && a->shape.rows.is_one())
    return fire(Rule::transpose_ones_row, ir::ones(a->shape.transposed()));         // ones(1, n)' = ones(n)
  if (a->kind == Kind::Neg) return fire(Rule::transpose_neg, neg(transpose(a->args[0])));  // (-A)' = -A'
  if (a->kind == Kind::Mul && a->args[0]->is_scalar())                                 // (s*A)' = s*A'
    return fire(Rule::transpose_scaling, mul(a->args[0], transpose(a->args[1])));
  if (is_symmetric(a)) return fire(Rule::transpose_symmetric, a);                      // S' = S
  if (is_call(a, Fn::Kron))                                                            // kron(A, B)' = kron(A', B')
    return fire(Rule::transpose_kron, call(Fn::Kron, {transpose(a->args[0]), transpose(a->args[1])}));
  if (a->kind == Kind::Pow)                                                            // (A^k)' = A'^k
    return fire(Rule::transpose_pow, pow(transpose(a->args[0]), a->args[1]));
  if (a->kind == Kind::Literal) {                                                      // [a_ij]' = [a_ji]
    std::vector<Expr> es;
    for (long c = 0; c < a->lit_cols; ++c)
      for (long r = 0; r < a->lit_rows; ++r) es.push_back(a->args[static_cast<std::size_t>(r * a->lit_cols + c)]);
    return fire(Rule::transpose_literal, literal(a->lit_cols, a->lit_rows, std::move(es)));
  }
  // Distributed over a product, sum or Hadamard product where that is no larger.
  auto no_larger = [&](Expr c) { return expr_size(c) <= expr_size(a) ? c : nullptr; };
  const std::vector<Expr>& x = a->args;
  if (a->kind == Kind::Mul)
    if (Expr c = no_larger(mul(transpose(x[1]), transpose(x[0])))) return fire(Rule::transpose_mul, c);       // (A*B)' = B'*A'
  if (a->kind == Kind::Add)
    if (Expr c = no_larger(add(transpose(x[0]), transpose(x[1])))) return fire(Rule::transpose_add, c);       // (A + B)' = A' + B'
  if (a->kind == Kind::Sub)
    if (Expr c = no_larger(sub(transpose(x[0]), transpose(x[1])))) return fire(Rule::transpose_sub, c);       // (A - B)' = A' - B'
  if (a->kind == Kind::Hadamard)
    if (Expr c = no_larger(hadamard(transpose(x[0]), transpose(x[1])))) return fire(Rule::transpose_hadamard, c);  // (A.*B)' = A'.*B'
  return ir::transpose(std::move(a));
}

Expr index(Expr a, long i, long j) {
  const Shape& s = a->shape;
  if (a->kind == Kind::Literal) {                                                  // [a_ij][i, j] = a_ij
    long r = j ? i : (s.cols.is_one() ? i : 1), c = j ? j : (s.cols.is_one() ? 1 : i);
    return fire(Rule::index_literal, a->args[static_cast<std::size_t>((r - 1) * a->lit_cols + (c - 1))]);
  }
  if (a->kind == Kind::Ones) return fire(Rule::index_ones, ir::num(1));                                          // 1[i] = 1
  if (a->kind == Kind::Zeros) return fire(Rule::index_zeros, ir::num(0));                                        // 0[i] = 0
  if (a->kind == Kind::Unit && a->i == i) return fire(Rule::index_unit, ir::num(1));                             // e_i[i] = 1
  if (a->kind == Kind::Unit) return fire(Rule::index_unit_other, ir::num(0));                                    // e_k[i] = 0, i != k
  if (a->kind == Kind::Eye && i == j) return fire(Rule::index_eye, ir::num(1));                                  // I[i, i] = 1
  if (a->kind == Kind::Eye) return fire(Rule::index_eye_other, ir::num(0));                                      // I[i, j] = 0, i != j
  if (a->kind == Kind::Neg) return fire(Rule::index_neg, neg(index(a->args[0], i, j)));                          // (-a)[i] = -a[i]
  if (a->kind == Kind::Add && a->args[0]->shape == s && a->args[1]->shape == s)    // (a + b)[i] = a[i] + b[i]
    return fire(Rule::index_add, add(index(a->args[0], i, j), index(a->args[1], i, j)));
  if (a->kind == Kind::Sub && a->args[0]->shape == s && a->args[1]->shape == s)    // (a - b)[i] = a[i] - b[i]
    return fire(Rule::index_sub, sub(index(a->args[0], i, j), index(a->args[1], i, j)));
  if (a->kind == Kind::Transpose && j) return fire(Rule::index_transpose, index(a->args[0], j, i));               // (A')[i, j] = A[j, i]
  if (a->kind == Kind::Transpose) return fire(Rule::index_transpose_row, index(a->args[0], i, 0));               // (v')[i] = v[i]
  if (a->kind == Kind::Mul && a->args[0]->is_scalar() && !a->is_scalar())          // (s*a)[i] = s*a[i]
    return fire(Rule::index_scaling, mul(a->args[0], index(a->args[1], i, j)));
  if (is_call(a, Fn::DiagOf) && j && i == j) return fire(Rule::index_diag, index(a->args[0], i, 0));             // diag(v)[i, i] = v[i]
  if (is_call(a, Fn::DiagOf) && j) return fire(Rule::index_diag_other, ir::num(0));                              // diag(v)[i, j] = 0, i != j
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
