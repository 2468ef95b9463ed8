#include "sema/dims.hpp"

#include <algorithm>

namespace mcalc::sema {

int Dims::lit(long value) {
  auto it = literals_.find(value);
  if (it != literals_.end()) return it->second;
  int id = static_cast<int>(vars_.size());
  vars_.push_back(Var{Kind::Literal, value, {}, false, id});
  literals_.emplace(value, id);
  return id;
}

int Dims::rigid(const std::string& name) {
  auto it = rigids_.find(name);
  if (it != rigids_.end()) return it->second;
  int id = static_cast<int>(vars_.size());
  vars_.push_back(Var{Kind::Rigid, 0, name, false, id});
  rigids_.emplace(name, id);
  return id;
}

int Dims::fresh(bool not_one) {
  int id = static_cast<int>(vars_.size());
  vars_.push_back(Var{Kind::Fresh, 0, {}, not_one, id});
  return id;
}

int Dims::product(int a, int b) {
  if (is_one(a)) return b;
  if (is_one(b)) return a;
  if (kind(a) == Kind::Literal && kind(b) == Kind::Literal) return lit(value(a) * value(b));
  int id = static_cast<int>(vars_.size());
  Var v{Kind::Product, 0, {}, true, id};
  v.a = a;
  v.b = b;
  vars_.push_back(v);
  return id;
}

std::vector<int> Dims::factor_list(int d) {
  std::vector<int> out, stack{d};
  while (!stack.empty()) {
    int r = find(stack.back());
    stack.pop_back();
    const Var& v = vars_[static_cast<std::size_t>(r)];
    if (v.kind == Kind::Product) {
      stack.push_back(v.a);
      stack.push_back(v.b);
    } else {
      out.push_back(r);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

int Dims::find(int d) {
  int root = d;
  while (vars_[static_cast<std::size_t>(root)].parent != root) root = vars_[static_cast<std::size_t>(root)].parent;
  while (vars_[static_cast<std::size_t>(d)].parent != root) {  // path compression
    int next = vars_[static_cast<std::size_t>(d)].parent;
    vars_[static_cast<std::size_t>(d)].parent = root;
    d = next;
  }
  return root;
}

std::optional<Dims::Conflict> Dims::unify(int a, int b) {
  int ra = find(a), rb = find(b);
  if (ra == rb) return std::nullopt;
  Var& va = vars_[static_cast<std::size_t>(ra)];
  Var& vb = vars_[static_cast<std::size_t>(rb)];
  if (va.kind == Kind::Product && vb.kind == Kind::Product) {
    // Equal products: the same factors in any order and grouping (m*n with n*m); otherwise
    // factor by factor, which binds fresh factors (m*k with m*n).
    if (factor_list(ra) != factor_list(rb)) {
      const int a1 = va.a, a2 = va.b, b1 = vb.a, b2 = vb.b;
      if (unify(a1, b1) || unify(a2, b2)) return Conflict{ra, rb};
    }
    vars_[static_cast<std::size_t>(rb)].parent = ra;
    return std::nullopt;
  }
  if ((va.kind == Kind::Product && vb.kind == Kind::Literal) || (vb.kind == Kind::Product && va.kind == Kind::Literal)) {
    // A product of literals (their factors became literals after it was made) is their value.
    const Var& p = va.kind == Kind::Product ? va : vb;
    const Var& l = va.kind == Kind::Product ? vb : va;
    if (kind(p.a) != Kind::Literal || kind(p.b) != Kind::Literal || value(p.a) * value(p.b) != l.value)
      return Conflict{ra, rb};
    vars_[static_cast<std::size_t>(va.kind == Kind::Product ? ra : rb)].parent = va.kind == Kind::Product ? rb : ra;
    return std::nullopt;
  }
  if (va.kind != Kind::Fresh && vb.kind != Kind::Fresh) return Conflict{ra, rb};
  // Link a fresh root below the other root; "not one" travels with it.
  Var& from = va.kind == Kind::Fresh ? va : vb;
  Var& to = va.kind == Kind::Fresh ? vb : va;
  int to_id = va.kind == Kind::Fresh ? rb : ra;
  if (from.not_one && to.kind == Kind::Literal && to.value == 1) return Conflict{ra, rb};
  if (to.kind == Kind::Fresh) to.not_one = to.not_one || from.not_one;
  from.parent = to_id;
  return std::nullopt;
}

}  // namespace mcalc::sema
