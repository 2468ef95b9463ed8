// Binding values to a program's variables: shapes are checked against the
// declared (or inferred) types and the sizes of symbolic dimensions are read
// off the values.
#include <set>

#include "mcalc/eval.hpp"
#include "mcalc/limits.hpp"
#include "mcalc/sema.hpp"
#include "value.hpp"

namespace mcalc {
namespace eval {

bool flat_column(const Shape& shape, const Eigen::MatrixXd& value) {
  return shape.cols.is_one() && !shape.rows.is_one() && value.rows() == 1 && value.cols() != 1;
}

void unify_value(const std::string& name, const Shape& shape, Eigen::MatrixXd& value, const Loc& loc,
                 DimTable& dims) {
  // A flat list [1, 2, 3] for a column vector means the column.
  if (flat_column(shape, value)) value.transposeInPlace();
  unify_size(name, shape, value.rows(), value.cols(), loc, dims);
}

void unify_size(const std::string& name, const Shape& shape, long rows, long cols, const Loc& loc,
                DimTable& dims) {
  check_size(rows, cols, loc);
  const std::string got = Shape{Dim::lit(rows), Dim::lit(cols)}.str();
  auto mismatch = [&] { return UserError(Msg::ValueShape, loc, {name, got, shape.str()}); };
  // Literal dimensions must match, and one symbolic dimension used twice
  // (matrix(n) is n x n) must get one size, before anything is recorded.
  if (shape.rows.is_const() && shape.rows.value() != rows) throw mismatch();
  if (shape.cols.is_const() && shape.cols.value() != cols) throw mismatch();
  if (!shape.rows.is_const() && shape.rows == shape.cols && rows != cols) throw mismatch();
  const std::pair<const Dim*, long> sides[] = {{&shape.rows, rows}, {&shape.cols, cols}};
  for (const auto& [d, size] : sides) {
    if (!d->is_symbol()) continue;  // a literal, or a product no value of an input fixes
    auto it = dims.sizes.find(d->name());
    if (it == dims.sizes.end()) {
      dims.sizes[d->name()] = size;
      dims.from[d->name()] = name;
    } else if (it->second != size) {
      throw UserError(Msg::DimensionConflict, loc,
                      {d->name(), std::to_string(it->second), dims.from[d->name()], std::to_string(size), name});
    }
  }
}

}  // namespace eval

Bindings bind(const Program& prog, const std::vector<ValueSpec>& values) {
  Bindings b;
  eval::DimTable dims;
  std::set<std::string> given;
  // The given values first: they take precedence over declared ones.
  for (const auto& v : values) {
    const Symbol* sym = prog.find(v.name);
    if (!sym) throw UserError(Msg::ValueUnknownName, v.loc, {v.name});
    if (sym->origin == Symbol::Origin::Defined) throw UserError(Msg::ValueForDefinition, v.loc, {v.name});
    if (!given.insert(v.name).second) throw UserError(Msg::DuplicateValue, v.loc, {v.name});
    Eigen::MatrixXd m = v.value;
    eval::unify_value(v.name, sym->shape, m, v.loc, dims);
    b.values[v.name] = std::move(m);
  }
  // Then the values in declarations (x : vector(3) = [1; 2; 3]), in order.
  for (const auto& name : prog.symbol_order) {
    const Symbol* sym = prog.find(name);
    if (!sym || !sym->value || given.count(name)) continue;
    b.dims = dims.sizes;
    Eigen::MatrixXd m = evaluate(sym->value, b);
    eval::unify_value(name, sym->shape, m, sym->loc, dims);
    b.values[name] = std::move(m);
  }
  b.dims = dims.sizes;
  return b;
}

}  // namespace mcalc
