// name_shared: a DAG printed with each shared subexpression once, under a
// name; the where form reads back (definitions first) as the same expression.
#include <catch2/catch.hpp>

#include <unordered_map>

#include "ir_builders.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/topo.hpp"

using namespace mcalc;
using namespace mcalc::test::build;

namespace {

/// `e` with every intermediate variable named in `names` replaced by its definition.
Expr inline_names(const Expr& e, const std::vector<std::string>& names) {
  std::unordered_map<const Node*, Expr> memo;
  ir::Topo t = ir::topo_order(e);
  std::vector<Expr> self(t.size());
  self[t.index.at(e.get())] = e;
  for (const Node* n : t.order)
    for (const auto& a : n->args) self[t.index.at(a.get())] = a;
  std::vector<Expr> now(t.size());
  for (std::size_t k = 0; k < t.size(); ++k) {
    const Node* n = t.order[k];
    bool named = n->kind == Kind::Var && !n->args.empty() &&
                 std::find(names.begin(), names.end(), n->name) != names.end();
    if (named) {
      now[k] = now[t.index.at(n->args[0].get())];
    } else if (n->kind == Kind::Var) {
      now[k] = self[k];
    } else {
      now[k] = ir::map_args(self[k], [&](const Expr& a) { return now[t.index.at(a.get())]; });
    }
  }
  return now.back();
}

/// The where form as a program: "a1 = d1", "a2 = d2", ..., then the body.
std::string as_program(const std::string& printed) {
  const std::string sep = "\n  where ";
  auto at = printed.find(sep);
  if (at == std::string::npos) return printed;
  std::string program, defs = printed.substr(at + sep.size());
  int depth = 0;
  std::string cur;
  for (std::size_t i = 0; i < defs.size(); ++i) {
    char c = defs[i];
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (depth == 0 && c == ',' && i + 1 < defs.size() && defs[i + 1] == ' ') {
      program += cur + "\n";
      cur.clear();
      ++i;
      continue;
    }
    cur += c;
  }
  return program + cur + "\n" + printed.substr(0, at) + "\n";
}

/// The expression the last statement of `program` (with `decls`) denotes, names inlined.
Expr read_back(const std::string& decls, const std::string& program, const std::vector<std::string>& names) {
  Parsed d = parse_program(decls, "--let");
  Parsed p = parse_program(program, "<where>");
  Program prog = analyse({&d, &p});
  return inline_names(prog.statements.back().expr, names);
}

}  // namespace

TEST_CASE("name_shared: a tree keeps its form", "[print][shared]") {
  auto x = vec("x"), w = vec("w"), b = sc("b");
  Expr e = ir::add(ir::mul(ir::transpose(w), x), b);
  Shared s = name_shared(e);
  CHECK(s.where.empty());
  CHECK(s.body == e);
  CHECK(to_text(s) == "w'*x + b");
}

TEST_CASE("name_shared: a subexpression used twice is printed once", "[print][shared]") {
  auto z = sc("z");
  Expr sz = ir::call(Fn::Sigmoid, {ir::add(z, num(1))});
  Expr e = ir::mul(sz, ir::sub(num(1), sz));
  Shared s = name_shared(e);
  REQUIRE(s.where.size() == 1);
  CHECK(to_text(s) == "a1*(1 - a1)\n  where a1 = sigmoid(z + 1)");
  CHECK(ir::equal(inline_names(s.body, {"a1"}), e));
}

TEST_CASE("name_shared: leaves, transposes and negations of leaves are not named", "[print][shared]") {
  auto x = vec("x"), y = vec("y");
  Expr xt = ir::transpose(x);
  Expr e = ir::add(ir::mul(xt, y), ir::mul(xt, x));
  CHECK(name_shared(e).where.empty());
  Expr nx = ir::neg(x);
  CHECK(name_shared(ir::hadamard(nx, nx)).where.empty());
}

TEST_CASE("name_shared: names avoid the program's names and read as one sequence", "[print][shared]") {
  auto z = sc("z");
  Expr sz = ir::call(Fn::Sigmoid, {ir::add(z, num(1))});
  Expr e = ir::mul(sz, ir::sub(num(1), sz));
  CHECK(to_text(name_shared(e, {"a1"})) == "t1*(1 - t1)\n  where t1 = sigmoid(z + 1)");
  CHECK(to_text(name_shared(e, {"a", "a_1", "t"})) == "a1*(1 - a1)\n  where a1 = sigmoid(z + 1)");
  // A name of the expression itself counts too.
  Expr a2 = ir::var("a2", Shape::scalar(), ir::call(Fn::Exp, {z}));
  Expr f = ir::mul(a2, ir::mul(sz, sz));
  CHECK(to_text(name_shared(f)) == "a2*(t1*t1)\n  where t1 = sigmoid(z + 1)");
}

TEST_CASE("name_shared: what prints as short as a name is not named", "[print][shared]") {
  auto z = sc("z");
  auto A = mat("A");
  Expr s = ir::call(Fn::Sigmoid, {z});
  CHECK(to_text(name_shared(ir::mul(s, ir::sub(num(1), s)))) == "sigmoid(z)*(1 - sigmoid(z))");
  Expr p = ir::pow(ir::transpose(A), num(9));
  CHECK(to_text(name_shared(ir::add(ir::mul(A, p), ir::mul(p, A)))) == "A*A'^9 + A'^9*A");
}

TEST_CASE("name_shared: an intermediate variable prints as its name, its definition is not searched",
          "[print][shared]") {
  auto x = vec("x"), w = vec("w");
  Expr u = ir::call(Fn::Tanh, {ir::mul(ir::transpose(w), x)});
  Expr a = ir::var("a", Shape::scalar(), ir::mul(u, u));  // u twice, but inside a's definition
  Expr e = ir::add(a, ir::mul(a, a));
  CHECK(name_shared(e).where.empty());
  CHECK(to_text(name_shared(e)) == "a + a*a");
}

TEST_CASE("name_shared: the where form of a deep network is linear in depth and reads back", "[print][shared]") {
  // a_k = tanh(W_k * a_{k-1}), a_0 = x; f = sum(a_L) .* a_L, which uses every a_k twice.
  auto build = [](int layers, std::string& decls) {
    Expr a = vec("x");
    decls = "x: vector(n)";
    std::vector<Expr> acts;
    for (int k = 1; k <= layers; ++k) {
      std::string wk = "W" + std::to_string(k);
      decls += "; " + wk + ": matrix(n)";
      Expr pre = ir::mul(mat(wk.c_str()), a);
      a = ir::call(Fn::Tanh, {pre});
      acts.push_back(a);
    }
    // Use every activation twice: once in the chain, once in a sum of their squares.
    Expr e = ir::call(Fn::Sum, {acts[0]});
    for (const auto& act : acts) e = ir::add(e, ir::dot(act, act));
    return e;
  };
  std::string d8, d32;
  Expr e8 = build(8, d8), e32 = build(32, d32);
  std::string t8 = to_text(name_shared(e8)), t32 = to_text(name_shared(e32));
  INFO(t8);
  CHECK(t8.find("where a1 = tanh(W1*x), a2 = tanh(W2*a1)") != std::string::npos);
  // 4 times the depth, about 4 times the text (a tree would be about 16 times).
  CHECK(t32.size() < 5 * t8.size());
  CHECK(to_text(e32).size() > 5 * t32.size());
  std::vector<std::string> names;
  for (const auto& v : name_shared(e8).where) names.push_back(v->name);
  CHECK(ir::equal(read_back(d8, as_program(t8), names), e8));
}
