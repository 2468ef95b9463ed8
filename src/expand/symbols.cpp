// Concrete sizes and the entry symbols of input variables (x1, A12, ...).
#include <functional>
#include <mutex>
#include <unordered_set>

#include "mcalc/expand.hpp"
#include "mcalc/topo.hpp"
#include "mcalc/print.hpp"

namespace mcalc {
namespace {

/// The declaration the error suggests: the variable's type with every
/// symbolic dimension replaced by 3 ("x: vector(3)").
std::string suggestion(const std::string& name, const Shape& s) {
  auto lit = [](const Dim& d) { return d.is_const() ? d.str() : std::string("3"); };
  if (s.is_scalar()) return name + ": scalar";
  if (s.cols.is_one()) return name + ": vector(" + lit(s.rows) + ")";
  return name + ": matrix(" + lit(s.rows) + ", " + lit(s.cols) + ")";
}

std::string described(const Expr& e) {
  if (e->kind == Kind::Var) return "'" + e->name + "' (" + e->shape.str() + ")";
  return "this " + e->shape.str();
}

/// The first name of dimension d missing from sizes, if any.
const std::string* unsized(const Dim& d, const Sizes& sizes) {
  for (const auto& name : d.symbols())
    if (sizes.count(name) == 0) return &name;
  return nullptr;
}
/// The first name of a dimension of s missing from sizes, if any.
const std::string* unsized(const Shape& s, const Sizes& sizes) {
  const std::string* r = unsized(s.rows, sizes);
  return r ? r : unsized(s.cols, sizes);
}

}  // namespace

long concrete_size(const Dim& d, const Sizes& sizes) {
  if (const std::string* missing = unsized(d, sizes))
    throw UserError(Msg::ExpandNeedsSize, {*missing, "the expression", "n: 3"});
  const long v = d.size([&](const std::string& name) {
    const long s = sizes.at(name);
    MCALC_ASSERT(s >= 1, "size of " + name + " must be positive");
    return s;
  });
  // A product m*n (the length of vec of an m x n matrix) is limited by its factors: each is at most
  // kMaxExpandSize, as the sizes of the inputs are.
  const long limit = d.symbols().size() > 1 ? kMaxExpandSize * kMaxExpandSize : kMaxExpandSize;
  if (v > limit)
    throw UserError(Msg::ExpandTooLarge, {d.is_const() ? "a dimension" : "dimension '" + d.str() + "'",
                                          std::to_string(v), std::to_string(limit)});
  return v;
}

void require_sizes(const Expr& e, const Sizes& sizes) {
  // Input variables first (the declaration is what the user changes), in
  // order of appearance; then any other node (a DimSize, ones(n), ...).
  std::unordered_set<const Node*> seen;
  const Node* culprit = nullptr;
  Expr culprit_expr;
  std::function<void(const Expr&)> vars = [&](const Expr& x) {
    if (culprit || !seen.insert(x.get()).second) return;
    if (x->kind == Kind::Var && x->args.empty() && unsized(x->shape, sizes)) {
      culprit = x.get();
      culprit_expr = x;
      return;
    }
    if (x->kind == Kind::Var && x->args.empty())
      for (const Dim* d : {&x->shape.rows, &x->shape.cols}) {
        long v = d->size([&](const std::string& name) { return sizes.at(name); });
        if (v > kMaxExpandSize)
          throw UserError(Msg::ExpandTooLarge, x->loc.valid() ? x->loc : e->loc,
                          {"a dimension of " + described(x), std::to_string(v), std::to_string(kMaxExpandSize)});
      }
    for (const auto& a : x->args) vars(a);
  };
  vars(e);
  if (!culprit) {
    seen.clear();
    std::function<void(const Expr&)> any = [&](const Expr& x) {
      if (culprit || !seen.insert(x.get()).second) return;
      bool missing = unsized(x->shape, sizes) || (x->kind == Kind::DimSize && unsized(x->dim, sizes));
      if (missing) {
        culprit = x.get();
        culprit_expr = x;
        return;
      }
      for (const auto& a : x->args) any(a);
    };
    any(e);
  }
  if (!culprit) {
    // Determinants, log-determinants and inverses expand by minors: n! terms.
    for (const Node* n : ir::topo_order(e).order) {
      if (n->kind != Kind::Call || !fn_has(n->fn, fnflag::Cubic)) continue;
      long v = concrete_size(n->shape.rows.is_one() ? n->args[0]->shape.rows : n->shape.rows, sizes);
      if (v > kMaxExpandMinors)
        throw UserError(Msg::ExpandTooLarge, n->loc.valid() ? n->loc : e->loc,
                        {std::string("the matrix of ") + fn_name(n->fn) + " (expanded by minors, n! terms)",
                         std::to_string(v), std::to_string(kMaxExpandMinors)});
    }
    return;
  }
  const std::string* d = unsized(culprit_expr->shape, sizes);
  std::string dim = d ? *d : *unsized(culprit_expr->dim, sizes);
  std::string what = culprit_expr->kind == Kind::DimSize ? "the size " + dim : described(culprit_expr);
  std::string name = culprit_expr->kind == Kind::Var ? culprit_expr->name : "x";
  Shape shape = culprit_expr->kind == Kind::Var ? culprit_expr->shape : Shape::vector(Dim::sym(dim));
  // Locate at the node, or at the nearest located ancestor when it has no place.
  Loc loc = culprit_expr->loc.valid() ? culprit_expr->loc : e->loc;
  throw UserError(Msg::ExpandNeedsSize, loc, {dim, what, suggestion(name, shape)});
}

std::string entry_name(const std::string& name, const Shape& s, long i, long j) {
  if (s.is_scalar()) return name;
  bool vector = s.cols.is_one() || s.rows.is_one();
  if (vector) return name + std::to_string((s.cols.is_one() ? i : j) + 1);
  std::string a = std::to_string(i + 1), b = std::to_string(j + 1);
  return name + (a.size() > 1 || b.size() > 1 ? a + "_" + b : a + b);
}

GiNaC::symbol entry_symbol(const Expr& var, long i, long j) {
  MCALC_ASSERT(var->kind == Kind::Var && var->args.empty(), "entry of a non-input " + to_text(var));
  // One realsymbol per (variable, entry), kept for the life of the process so
  // that separate expansions (closed form and original) share their symbols.
  static std::mutex lock;
  // Keyed by the variable and the printed entry name, so that x as a scalar
  // (x) and as a vector (x1, x2, ...) in different programs stay apart.
  static std::map<std::pair<std::string, std::string>, GiNaC::realsymbol> table;
  std::lock_guard<std::mutex> guard(lock);
  std::string printed = entry_name(var->name, var->shape, i, j);
  auto key = std::make_pair(var->name, printed);
  auto it = table.find(key);
  if (it == table.end()) it = table.emplace(key, GiNaC::realsymbol(printed)).first;
  return it->second;
}

GiNaC::matrix variable_entries(const Expr& var, const Sizes& sizes) {
  long r = concrete_size(var->shape.rows, sizes), c = concrete_size(var->shape.cols, sizes);
  GiNaC::matrix m(static_cast<unsigned>(r), static_cast<unsigned>(c));
  for (long i = 0; i < r; ++i)
    for (long j = 0; j < c; ++j) m(static_cast<unsigned>(i), static_cast<unsigned>(j)) = entry_symbol(var, i, j);
  return m;
}

}  // namespace mcalc
