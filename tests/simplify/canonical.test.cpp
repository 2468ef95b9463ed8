// The canonical-form table: queries with the form a careful textbook prints.
// Each result equals its textbook form up to the order of commutative factors
// and terms and the association of products (canonical_key below), and is
// checked against finite differences of f at random points.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "diff/harness.hpp"
#include "simplify/common.hpp"
#include "simplify/query.hpp"
#include "simplify/rules.hpp"

using namespace stest;

namespace {

std::string ckey(const Expr& e);

/// The factors of a .* chain, with their signs and numbers moved into coef.
void hadamard_factors(const Expr& e, double& coef, std::vector<std::string>& out) {
  if (e->kind == Kind::Hadamard) {
    hadamard_factors(e->args[0], coef, out);
    hadamard_factors(e->args[1], coef, out);
  } else if (e->kind == Kind::Neg) {
    coef = -coef;
    hadamard_factors(e->args[0], coef, out);
  } else if (e->kind == Kind::Num) {
    coef *= e->num;
  } else {
    out.push_back(ckey(e));
  }
}

/// A product read as coefficient * scalar factors (any order) * matrix factors (in order).
struct Prod {
  double coef = 1;
  std::vector<std::string> scalars, matrices;
};

void product(const Expr& e, Prod& p) {
  bool scalar_of_scalars = e->kind == Kind::Mul && e->is_scalar() && e->args[0]->is_scalar() && e->args[1]->is_scalar();
  if (e->kind == Kind::Num) {
    p.coef *= e->num;
  } else if (e->kind == Kind::Neg) {
    p.coef = -p.coef;
    product(e->args[0], p);
  } else if (scalar_of_scalars || (e->kind == Kind::Mul && !e->is_scalar())) {
    product(e->args[0], p);
    product(e->args[1], p);
  } else if (e->kind == Kind::Mul) {  // an inner product u'*v: one scalar factor
    Prod q;
    product(e->args[0], q);
    product(e->args[1], q);
    std::string k;
    for (const auto& m : q.matrices) k += m + "*";
    p.coef *= q.coef;
    for (const auto& s : q.scalars) p.scalars.push_back(s);
    p.scalars.push_back("(" + k + ")");
  } else if (e->kind == Kind::Hadamard) {  // a .* chain: one factor, its own factors in any order
    std::vector<std::string> fs;
    hadamard_factors(e, p.coef, fs);
    std::sort(fs.begin(), fs.end());
    std::string k = "had{";
    for (const auto& f : fs) k += f + "; ";
    (e->is_scalar() ? p.scalars : p.matrices).push_back(k + "}");
  } else {
    (e->is_scalar() ? p.scalars : p.matrices).push_back(ckey(e));
  }
}

std::string product_key(const Expr& e, bool negative) {
  Prod p;
  product(e, p);
  if (negative) p.coef = -p.coef;
  std::sort(p.scalars.begin(), p.scalars.end());
  std::ostringstream os;
  os.precision(12);
  os << p.coef;
  for (const auto& s : p.scalars) os << " s:" << s;
  for (const auto& m : p.matrices) os << " m:" << m;
  return os.str();
}

void terms(const Expr& e, bool negative, std::vector<std::string>& out) {
  if (e->kind == Kind::Add || e->kind == Kind::Sub) {
    terms(e->args[0], negative, out);
    terms(e->args[1], e->kind == Kind::Sub ? !negative : negative, out);
  } else {
    out.push_back(product_key(e, negative));
  }
}

/// Equal for trees equal up to commutative order and association.
std::string ckey(const Expr& e) {
  switch (e->kind) {
    case Kind::Add: case Kind::Sub: case Kind::Neg: case Kind::Mul: case Kind::Num: case Kind::Hadamard: {
      std::vector<std::string> ts;
      terms(e, false, ts);
      std::sort(ts.begin(), ts.end());
      std::string k = "sum{";
      for (const auto& t : ts) k += t + "; ";
      return k + "}";
    }
    case Kind::Var: case Kind::DimSize: case Kind::Ones: case Kind::Zeros: case Kind::Eye: case Kind::Unit:
      return simp::key(e);
    case Kind::Div: case Kind::ElemDiv: case Kind::Dot: case Kind::Pow: case Kind::ElemPow: case Kind::Transpose:
    case Kind::Index: case Kind::Call: case Kind::Literal: {
      std::string k = std::to_string(static_cast<int>(e->kind)) + ":" + fn_name(e->fn) + ":" + std::to_string(e->i) +
                      "," + std::to_string(e->j) + "(";
      for (const auto& a : e->args) k += ckey(a) + ", ";
      return k + ")";
    }
  }
  return "";
}

struct Row {
  const char* let;
  const char* op;  // diff, grad, hessian
  const char* f;
  const char* wrt;
  const char* textbook;
  std::map<std::string, fdtest::Dist> dist = {};
  long min_size = 1;  // smallest size drawn for the finite differences (x[3] needs n >= 3)
};

Expr closed_form(const std::string& op, const Expr& f, const Expr& wrt) {
  if (op == "grad") return gradient(f, wrt);
  if (op == "hessian") return hessian(f, wrt);
  return derivative(f, wrt, Layout::Numerator);
}

/// The query's result is the textbook form (up to commutative order) and its
/// value matches finite differences of f.
void check_row(const Row& r) {
  INFO(r.op << "(" << r.f << ", " << r.wrt << ")  with " << r.let << "\n  textbook: " << r.textbook);
  Analysed a = analyse_texts(r.let, {r.f, r.wrt, r.textbook});
  Expr f = a.exprs[0], wrt = a.exprs[1], want = a.exprs[2];
  Expr got = closed_form(r.op, f, wrt);
  INFO("result: " << to_text(got));
  CHECK(ckey(got) == ckey(want));
  fdtest::MinSize sizes(r.min_size);
  std::vector<fdtest::In> ins;
  for (const auto& name : a.prog.symbol_order) {
    const Symbol* s = a.prog.find(name);
    if (s->origin == Symbol::Origin::Defined) continue;
    auto it = r.dist.find(name);
    ins.push_back({s->node, it == r.dist.end() ? fdtest::Dist::Normal : it->second});
  }
  if (std::string(r.op) == "grad") fdtest::check_gradient(f, wrt, got, ins, 3);
  else if (std::string(r.op) == "hessian") fdtest::check_hessian(f, wrt, got, ins, 3);
  else fdtest::check_numeric(f, wrt, got, ins, Layout::Numerator, 3);
}

const char* kV = "x, y, a: vector(n); c, s: scalar; A, B: matrix(n, n); X: matrix(m, n); W: matrix(m, n)";

}  // namespace

TEST_CASE("canonical forms: equality up to commutative order", "[simplify][canonical]") {
  Analysed a = analyse_texts(kV, {"2*(x'*y)*x + (x'*x)*y", "(x'*y)*2*x + y*(x'*x)", "2*x'*y*x + x'*x*y",
                                  "2*x'*y*x - x'*x*y"});
  CHECK(ckey(a.exprs[0]) == ckey(a.exprs[1]));
  CHECK(ckey(a.exprs[0]) == ckey(a.exprs[2]));
  CHECK(ckey(a.exprs[0]) != ckey(a.exprs[3]));
}

namespace {
// Declarations of the rows: x, y, a vectors of n, t of m, scalars c, s,
// square A, B, and X, W of m x n.
const char* kL = "x, y, a: vector(n); t: vector(m); c, s: scalar; A, B: matrix(n, n); X, W: matrix(m, n)";
const char* kMse = "X: matrix(N, n); y: vector(N); w: vector(n); b: scalar";

std::vector<Row> rows() {
  using fdtest::Dist;
  return {
      // The table of the issue.
      {kL, "grad", "tr(A^5)", "A", "5*A'^4"},
      {kL, "grad", "tr(A^1000)", "A", "1000*A'^999", {{"A", Dist::Unit01}}},
      {kL, "diff", "x + x + x", "x", "3*eye(n)"},
      {kL, "diff", "tr(inv(A + c*eye(n)))", "c", "-tr(inv(A + c*eye(n))^2)", {{"A", Dist::Spd}, {"c", Dist::Positive}}},
      {kL, "diff", "logdet(A + c*eye(n))", "c", "tr(inv(A + c*eye(n)))", {{"A", Dist::Spd}, {"c", Dist::Positive}}},
      {kL, "diff", "sqrt(x.^2 + 1)", "x", "diag(x./sqrt(x.^2 + 1))"},
      {"X: matrix(n, n)", "grad", "logdet(X'*X)", "X", "2*X*inv(X'*X)"},
      {kL, "hessian", "sum(log(1 + exp(-t .* (X*x))))", "x",
       "X'*diag(t.^2.*sigmoid(-t.*(X*x)).*(1 - sigmoid(-t.*(X*x))))*X"},
      {kL, "grad", "sum(log(1 + exp(-t .* (X*x))))", "x", "-X'*(t.*sigmoid(-t.*(X*x)))"},
      {kL, "grad", "det(inv(A))", "A", "-det(inv(A))*inv(A)'"},
      {kL, "diff", "log(sum(exp(x)))", "x", "softmax(x)'"},
      {kL, "diff", "log(softmax(x))", "x", "eye(n) - ones(n)*softmax(x)'"},
      {kL, "grad", "-log(softmax(x)[3])", "x", "softmax(x) - unit(3, n)", {}, 3},
      {kL, "grad", "x'*x*x'*y", "x", "2*(x'*y)*x + (x'*x)*y"},
      {kL, "grad", "sum(x')", "x", "ones(n)"},
      {kL, "hessian", "sum(tanh(W*x))", "x", "-2*W'*diag(tanh(W*x).*(1 - tanh(W*x).^2))*W"},
      {"x: vector(2)", "grad", "x'*[1, 2; 3, 4]*x", "x", "[2, 5; 5, 8]*x"},
      {"X: matrix(n, n)", "grad", "det(X'*X)", "X", "2*det(X'*X)*X*inv(X'*X)"},
      {kMse, "grad", "sum((X*w + b - y).^2)/N", "b", "(2/N)*sum(X*w + b - y)"},
      {kMse, "grad", "sum((X*w + b - y).^2)/N", "w", "(2/N)*X'*(X*w + b - y)"},
      {kMse, "grad", "mean((X*w + b - y).^2)", "b", "(2/N)*sum(X*w + b - y)"},
      // Everyday textbook results.
      {kL, "grad", "x'*A*x", "x", "(A + A')*x"},
      {kL, "hessian", "x'*A*x", "x", "A + A'"},
      {kL, "grad", "x'*x", "x", "2*x"},
      {kL, "hessian", "x'*x", "x", "2*eye(n)"},
      {kL, "grad", "a'*x", "x", "a"},
      {kL, "diff", "A*x", "x", "A"},
      {kL, "grad", "norm2(W*x - t)^2", "x", "2*W'*(W*x - t)"},
      {kL, "grad", "tr(A*B)", "A", "B'"},
      {kL, "grad", "tr(X'*X)", "X", "2*X"},
      {kL, "grad", "tr(A^2)", "A", "2*A'"},
      {kL, "grad", "det(A)", "A", "det(A)*inv(A)'"},
      {kL, "grad", "logdet(A)", "A", "inv(A)'", {{"A", Dist::Spd}}},
      {kL, "grad", "sum(x.^2)", "x", "2*x"},
      {kL, "grad", "mean(x.^2)", "x", "(2/n)*x"},
      {kL, "grad", "sum(exp(x))", "x", "exp(x)"},
      {kL, "grad", "c*c + c*c + c*c", "c", "6*c"},
      {kL, "diff", "x + y + x", "x", "2*eye(n)"},
      {kL, "grad", "tr(A'*A*A)", "A", "A^2 + A*A' + A'*A"},
  };
}
}  // namespace

TEST_CASE("canonical forms: the textbook table", "[simplify][canonical]") {
  auto rs = rows();
  CHECK(rs.size() >= 30);
  for (const Row& r : rs) check_row(r);
}


TEST_CASE("canonical forms: thousands of like terms are collected fast", "[simplify][canonical]") {
  std::string sum_x = "x", sum_sq = "c*c";
  for (int k = 1; k < 4000; ++k) {
    sum_x += " + x";
    sum_sq += " + c*c";
  }
  Analysed a = analyse_texts(kL, {sum_x, "x", sum_sq, "c"});
  CHECK(to_text(derivative(a.exprs[0], a.exprs[1])) == "4000*eye(n)");
  CHECK(to_text(gradient(a.exprs[2], a.exprs[3])) == "8000*c");
}
