#include "sema/dims.hpp"

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
