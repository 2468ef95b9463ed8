#include <catch2/catch.hpp>

#include "mcalc/topo.hpp"

using namespace mcalc;

TEST_CASE("topo_order lists each shared node once, operands first, with use counts", "[topo]") {
  auto x = ir::var("x", Shape::vector(Dim::sym("n")));
  auto s = ir::call(Fn::Sin, {x});
  auto h = ir::hadamard(s, s);  // s used twice by one node
  auto r = ir::add(h, x);       // x used by s and by r
  auto t = ir::topo_order(r);
  REQUIRE(t.size() == 4);
  CHECK(t.order.front() == x.get());
  CHECK(t.order.back() == r.get());
  CHECK(t.index.at(s.get()) < t.index.at(h.get()));
  CHECK(t.uses_of(s.get()) == 2);
  CHECK(t.uses_of(x.get()) == 2);
  CHECK(t.uses_of(r.get()) == 1);
}

TEST_CASE("topo_order of several roots shares their common nodes", "[topo]") {
  auto a = ir::var("a", Shape::scalar());
  auto e = ir::call(Fn::Exp, {a});
  auto f = ir::mul(e, a);
  auto t = ir::topo_order(std::vector<Expr>{e, f});
  REQUIRE(t.size() == 3);
  CHECK(t.uses_of(e.get()) == 2);  // operand of f, and a root
  CHECK(t.order.back() == f.get());
}

TEST_CASE("topo_order is linear on a DAG that is exponential as a tree", "[topo]") {
  Expr e = ir::var("a", Shape::scalar());
  for (int k = 0; k < 200; ++k) e = ir::add(e, e);  // 2^200 leaves as a tree
  auto t = ir::topo_order(e);
  CHECK(t.size() == 201);
  CHECK(t.uses_of(t.order.front()) == 2);
}

TEST_CASE("topo_order of a very deep chain does not overflow the stack", "[topo]") {
  Expr e = ir::var("a", Shape::scalar());
  for (int k = 0; k < 200000; ++k) e = ir::neg(e);
  CHECK(ir::topo_order(e).size() == 200001);
}

TEST_CASE("rewrite substitutes over a shared DAG once per node and keeps what it does not change", "[topo]") {
  Expr a = ir::var("a", Shape::scalar()), b = ir::var("b", Shape::scalar()), c = ir::var("c", Shape::scalar());
  Expr e = a;
  for (int k = 0; k < 200; ++k) e = ir::add(e, e);  // 2^200 leaves as a tree: a pass per node or it never ends
  Expr keep = ir::mul(b, c);
  std::size_t visits = 0;
  auto out = ir::rewrite({e, keep}, [&](const Expr& original, const Expr& rebuilt) {
    ++visits;
    return original == a ? b : rebuilt;
  });
  CHECK(visits == 201 + 3);
  CHECK(out[1] == keep);  // no operand changed: the same node
  auto t = ir::topo_order(out[0]);
  CHECK(t.size() == 201);
  CHECK(t.order.front()->name == "b");
  // deep chains do not recurse
  Expr d = a;
  for (int k = 0; k < 200000; ++k) d = ir::neg(d);
  CHECK(ir::topo_order(ir::rewrite({d}, [&](const Expr& o, const Expr& r) { return o == a ? c : r; })[0])
            .order.front()->name == "c");
}

TEST_CASE("cut_at replaces an intermediate variable, by name, by a plain input; held_independent of an input is a no-op",
          "[topo]") {
  const Shape v = Shape::vector(Dim::sym("n"));
  Expr x = ir::var("x", v), w = ir::var("w", v);
  Expr z = ir::var("z", v, ir::hadamard(w, x));  // z = w .* x
  Expr a = ir::var("a", v, ir::call(Fn::Sin, {z}));  // a = sin(z)
  Expr f = ir::add(ir::call(Fn::Sum, {a}), ir::call(Fn::Sum, {z}));
  ir::Held h = ir::held_independent({f, a}, z);
  REQUIRE(h.roots.size() == 2);
  CHECK(h.wrt->kind == Kind::Var);
  CHECK(h.wrt->args.empty());
  CHECK(h.wrt->name == "z");
  CHECK(h.wrt->shape == v);
  // Both occurrences of z, and the one inside a's definition, are the input; w and x are gone.
  std::size_t plain_z = 0;
  for (const Node* n : ir::topo_order(h.roots).order) {
    CHECK(n->name != "w");
    CHECK(n->name != "x");
    if (n->kind == Kind::Var && n->name == "z") {
      CHECK(n->args.empty());
      ++plain_z;
    }
  }
  CHECK(plain_z == 1);
  CHECK(h.roots[1]->name == "a");  // a stays a named intermediate, now of the input z
  CHECK(h.roots[1]->args[0]->args[0] == h.wrt);
  // By an input: nothing to cut.
  ir::Held same = ir::held_independent({f}, x);
  CHECK(same.roots[0] == f);
  CHECK(same.wrt == x);
}
