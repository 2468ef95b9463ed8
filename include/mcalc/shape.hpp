#pragma once
/// \file
/// Dimensions and shapes. A scalar is 1x1, vector(n) is the column n x 1,
/// matrix(m, n) is m x n, and a row vector arises as x' (1 x n).
#include <string>

namespace mcalc {

/// A dimension: a positive integer or a symbolic name such as n.
class Dim {
 public:
  Dim() : value_(1) {}
  static Dim lit(long n) { Dim d; d.value_ = n; return d; }
  static Dim sym(std::string name) { Dim d; d.value_ = 0; d.name_ = std::move(name); return d; }
  bool is_const() const { return value_ > 0; }
  bool is_one() const { return value_ == 1; }
  long value() const { return value_; }            // 0 for a symbolic dimension
  const std::string& name() const { return name_; }  // empty for a literal
  std::string str() const { return is_const() ? std::to_string(value_) : name_; }
  bool operator==(const Dim& o) const { return value_ == o.value_ && name_ == o.name_; }
  bool operator!=(const Dim& o) const { return !(*this == o); }
  bool operator<(const Dim& o) const { return value_ != o.value_ ? value_ < o.value_ : name_ < o.name_; }

 private:
  long value_;
  std::string name_;
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
