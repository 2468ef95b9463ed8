#pragma once
// Shorthands for building IR in tests: x = vec("x") is a vector(n), A = mat("A")
// an n x n matrix, b = sc("b") a scalar, with the dimensions n, m and N.
#include <utility>

#include "mcalc/ir.hpp"

namespace mcalc::test::build {

inline const Dim n = Dim::sym("n"), m = Dim::sym("m"), N = Dim::sym("N");
inline Expr vec(const char* s, Dim d = n) { return ir::var(s, Shape::vector(d)); }
inline Expr sc(const char* s) { return ir::var(s, Shape::scalar()); }
inline Expr mat(const char* s, Dim r = n, Dim c = n) { return ir::var(s, Shape::matrix(r, c)); }
inline Expr num(double v) { return ir::num(v); }
inline Expr fn(Fn f, Expr a) { return ir::call(f, {std::move(a)}); }
inline Expr fn(Fn f, Expr a, Expr b) { return ir::call(f, {std::move(a), std::move(b)}); }
inline Expr T(Expr a) { return ir::transpose(std::move(a)); }

}  // namespace mcalc::test::build
