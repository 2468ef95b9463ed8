#pragma once
// Dimension variables for shape inference: a union-find over literal sizes,
// rigid names (declared dimensions such as n) and fresh variables (the unknown
// sizes of assumed names and of vector(c)/matrix(c)).
//
// Unification: a fresh variable unifies with anything (a fresh variable that
// stands for the length of an assumed vector or a side of an assumed matrix is
// "not one": it refuses the literal 1, so `x^2` is an error rather than a
// silent decision that x is a scalar); two literals or two rigid names unify
// only when equal; a rigid name never unifies with a literal.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcalc::sema {

/// The shape of a typed sub-expression: two dimension variables.
struct TShape {
  int rows = 0, cols = 0;
};

class Dims {
 public:
  enum class Kind { Literal, Rigid, Fresh, Product };

  int lit(long value);
  int rigid(const std::string& name);
  int fresh(bool not_one);
  int one() { return lit(1); }
  /// The product a*b (the rows of kron(A, B), the length of vec(A)): a literal
  /// when both are, a when b is 1; otherwise a product variable, which unifies
  /// with a fresh variable, with an equal product, and with a literal equal to
  /// its value once its factors are literals.
  int product(int a, int b);
  /// The roots of the factors of d, a product flattened (m*(n*p) and (p*n)*m alike), sorted.
  std::vector<int> factor_list(int d);
  /// The factors of a product variable.
  std::pair<int, int> factors(int d) {
    const Var& v = vars_[static_cast<std::size_t>(find(d))];
    return {v.a, v.b};
  }

  int find(int d);
  Kind kind(int d) { return vars_[static_cast<std::size_t>(find(d))].kind; }
  long value(int d) { return vars_[static_cast<std::size_t>(find(d))].value; }
  const std::string& name(int d) { return vars_[static_cast<std::size_t>(find(d))].name; }
  bool is_one(int d) { int r = find(d); return vars_[static_cast<std::size_t>(r)].kind == Kind::Literal &&
                                               vars_[static_cast<std::size_t>(r)].value == 1; }
  bool is_free(int d) { return kind(d) == Kind::Fresh; }
  bool is_scalar(TShape s) { return is_one(s.rows) && is_one(s.cols); }

  /// The two roots that could not be unified.
  struct Conflict {
    int a, b;
  };
  std::optional<Conflict> unify(int a, int b);
  std::optional<Conflict> unify(TShape a, TShape b) {
    if (auto c = unify(a.rows, b.rows)) return c;
    return unify(a.cols, b.cols);
  }

 private:
  struct Var {
    Kind kind;
    long value = 0;    // Literal
    std::string name;  // Rigid
    bool not_one = false;
    int parent;
    int a = -1, b = -1;  // Product: the factors
  };
  std::vector<Var> vars_;
  std::map<long, int> literals_;
  std::map<std::string, int> rigids_;
};

}  // namespace mcalc::sema
