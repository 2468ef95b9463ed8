#pragma once
/// \file
/// Dimensions and shapes. A scalar is 1x1, vector(n) is the column n x 1,
/// matrix(m, n) is m x n, and a row vector arises as x' (1 x n).
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

namespace mcalc {

/// A dimension: a positive integer, a symbolic name such as n, or a product of
/// names with an integer coefficient (m*n, the length of vec of an m x n matrix;
/// 2*n). The names of a product are kept sorted, so equal products compare equal.
class Dim {
 public:
  Dim() = default;
  static Dim lit(long n) { Dim d; d.coef_ = n; return d; }
  static Dim sym(std::string name) { Dim d; d.names_.push_back(std::move(name)); return d; }
  bool is_const() const { return names_.empty(); }
  bool is_one() const { return is_const() && coef_ == 1; }
  /// One name with coefficient 1 (n, not m*n or 2*n).
  bool is_symbol() const { return coef_ == 1 && names_.size() == 1; }
  long value() const { return is_const() ? coef_ : 0; }  // 0 for a symbolic dimension
  /// The name of a symbol (is_symbol()); empty otherwise.
  const std::string& name() const {
    static const std::string none;
    return is_symbol() ? names_.front() : none;
  }
  /// The names of the product, sorted, each as often as it occurs; the integer coefficient.
  const std::vector<std::string>& symbols() const { return names_; }
  long coefficient() const { return coef_; }
  /// The size given the sizes of the names (`size_of(name)`, a positive long).
  template <class F>
  long size(F&& size_of) const {
    long v = coef_;
    for (const auto& n : names_) v *= size_of(n);
    return v;
  }
  std::string str() const {
    if (is_const()) return std::to_string(coef_);
    std::string s = coef_ == 1 ? "" : std::to_string(coef_) + "*";
    for (std::size_t i = 0; i < names_.size(); ++i) s += (i ? "*" : "") + names_[i];
    return s;
  }
  friend Dim operator*(const Dim& a, const Dim& b) {
    Dim d;
    d.coef_ = a.coef_ * b.coef_;
    d.names_.reserve(a.names_.size() + b.names_.size());
    std::merge(a.names_.begin(), a.names_.end(), b.names_.begin(), b.names_.end(), std::back_inserter(d.names_));
    return d;
  }
  bool operator==(const Dim& o) const { return coef_ == o.coef_ && names_ == o.names_; }
  bool operator!=(const Dim& o) const { return !(*this == o); }
  bool operator<(const Dim& o) const { return coef_ != o.coef_ ? coef_ < o.coef_ : names_ < o.names_; }

 private:
  long coef_ = 1;
  std::vector<std::string> names_;
};

struct Shape {
  Dim rows, cols;
  static Shape scalar() { return {Dim::lit(1), Dim::lit(1)}; }
  static Shape vector(Dim n) { return {n, Dim::lit(1)}; }
  static Shape row(Dim n) { return {Dim::lit(1), n}; }
  static Shape matrix(Dim m, Dim n) { return {m, n}; }
  bool is_scalar() const { return rows.is_one() && cols.is_one(); }
  bool is_col() const { return cols.is_one() && !rows.is_one(); }  // a proper column vector
  bool is_row() const { return rows.is_one() && !cols.is_one(); }  // a proper row vector
  bool is_vector_like() const { return cols.is_one() || rows.is_one(); }
  bool is_square() const { return rows == cols; }
  Shape transposed() const { return {cols, rows}; }
  bool operator==(const Shape& o) const { return rows == o.rows && cols == o.cols; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
  /// The type as the language writes it: scalar, vector(n), vector(n)' , matrix(m, n).
  std::string str() const {
    if (is_scalar()) return "scalar";
    if (cols.is_one()) return "vector(" + rows.str() + ")";
    if (rows.is_one()) return "vector(" + cols.str() + ")'";
    return "matrix(" + rows.str() + ", " + cols.str() + ")";
  }
};

}  // namespace mcalc
