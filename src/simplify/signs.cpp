#include "simplify/signs.hpp"

#include <unordered_map>
#include <utility>

#include "simplify/rules.hpp"

namespace mcalc::simp {
namespace {

bool in_product(const Expr& e) {
  return e->kind == Kind::Mul || e->kind == Kind::Hadamard || e->kind == Kind::Neg;
}

class Signs {
 public:
  Expr walk(const Expr& e) {
    if (auto it = walked_.find(e.get()); it != walked_.end()) return it->second;
    Expr r;
    if (in_product(e)) {
      auto [p, negative] = orient(e);
      r = negative ? absorb(p) : p;
    } else {
      r = with_walked_args(e);
    }
    walked_[e.get()] = r;
    return r;
  }

 private:
  Expr with_walked_args(const Expr& e) {
    return ir::map_args(e, [&](const Expr& a) { return walk(a); });
  }

  /// The product with its differences in canonical orientation and no minus
  /// signs, and whether a minus sign is left over.
  std::pair<Expr, bool> orient(const Expr& e) {
    if (auto it = oriented_.find(e.get()); it != oriented_.end()) return it->second;
    std::pair<Expr, bool> r;
    switch (e->kind) {
      case Kind::Neg: {
        auto [a, n] = orient(e->args[0]);
        r = {a, !n};
        break;
      }
      case Kind::Mul:
      case Kind::Hadamard: {
        auto [a, na] = orient(e->args[0]);
        auto [b, nb] = orient(e->args[1]);
        bool same = a == e->args[0] && b == e->args[1];
        r = {same ? e : ir::rebuild(e, {a, b}), na != nb};
        break;
      }
      case Kind::Div:
      case Kind::ElemDiv: {
        auto [a, na] = orient(e->args[0]);
        Expr b = walk(e->args[1]);
        r = {a == e->args[0] && b == e->args[1] ? e : ir::rebuild(e, {a, b}), na};
        break;
      }
      case Kind::Num:
        r = e->num < 0 ? std::pair<Expr, bool>{ir::num(-e->num), true} : std::pair<Expr, bool>{e, false};
        break;
      case Kind::Sub: {
        Expr a = walk(e->args[0]), b = walk(e->args[1]);
        if (key(b) < key(a)) r = {ir::sub(b, a), true};
        else r = {a == e->args[0] && b == e->args[1] ? e : ir::sub(a, b), false};
        break;
      }
      default:
        r = {walk(e), false};
        break;
    }
    oriented_[e.get()] = r;
    return r;
  }

  /// Puts a leftover minus sign into the first difference of the product, or
  /// else into its first number ((-2/N)*X'*e), or else in front.
  Expr absorb(const Expr& p) {
    bool done = false;
    Expr r = flip_first(p, done, Kind::Sub);
    if (!done) r = flip_first(p, done, Kind::Num);
    return done ? r : ir::neg(p);
  }

  /// Negates the first node of kind `what` (a difference or a number) in the product.
  Expr flip_first(const Expr& e, bool& done, Kind what) {
    switch (e->kind) {
      case Kind::Sub:
        if (what != Kind::Sub) return e;
        done = true;
        return ir::sub(e->args[1], e->args[0]);
      case Kind::Num:
        if (what != Kind::Num) return e;
        done = true;
        return ir::num(-e->num);
      case Kind::Mul:
      case Kind::Hadamard: {
        Expr a = flip_first(e->args[0], done, what);
        if (done) return ir::rebuild(e, {a, e->args[1]});
        Expr b = flip_first(e->args[1], done, what);
        return done ? ir::rebuild(e, {e->args[0], b}) : e;
      }
      case Kind::Div:
      case Kind::ElemDiv: {
        Expr a = flip_first(e->args[0], done, what);
        return done ? ir::rebuild(e, {a, e->args[1]}) : e;
      }
      default:
        return e;
    }
  }

  std::unordered_map<const Node*, Expr> walked_;
  std::unordered_map<const Node*, std::pair<Expr, bool>> oriented_;
};

}  // namespace

Expr canonical_signs(const Expr& e) { return Signs().walk(e); }

}  // namespace mcalc::simp
