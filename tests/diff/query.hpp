#pragma once
// Queries from source text, as the command runs them (parse, analyse,
// differentiate), each result checked against finite differences.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "diff/harness.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/topo.hpp"

namespace qtest {
using namespace mcalc;
using fdtest::Dist;
using fdtest::In;

struct Query {
  QueryOp op;
  Expr f, wrt;
  std::vector<In> ins;  // the input variables of f
};

/// Input values are drawn from `dist`, or from `per[name]` for the names given there.
inline Query parse_query(const std::string& program, Dist dist = Dist::Normal, std::map<std::string, Dist> per = {}) {
  Parsed p = parse_program(program, "<test>");
  Program prog = analyse(p);
  const Statement* q = nullptr;
  for (const auto& s : prog.statements)
    if (s.kind == Statement::Kind::Query) q = &s;
  REQUIRE(q != nullptr);
  Query r{q->op, q->expr, q->wrt, {}};
  for (const Node* n : ir::topo_order(std::vector<Expr>{q->expr, q->wrt}).order)
    if (n->kind == Kind::Var && n->args.empty()) {
      bool known = false;
      for (const auto& i : r.ins) known = known || i.var->name == n->name;
      if (!known) r.ins.push_back({ir::var(n->name, n->shape), per.count(n->name) ? per.at(n->name) : dist});
    }
  return r;
}

/// The result of the query in `program`, checked against finite differences.
inline std::string checked(const std::string& program, Dist dist = Dist::Normal, std::map<std::string, Dist> per = {}) {
  Query q = parse_query(program, dist, std::move(per));
  Expr r;
  switch (q.op) {
    case QueryOp::Diff:
      r = derivative(q.f, q.wrt);
      fdtest::check_numeric(q.f, q.wrt, r, q.ins, Layout::Numerator);
      break;
    case QueryOp::Grad:
      r = gradient(q.f, q.wrt);
      fdtest::check_gradient(q.f, q.wrt, r, q.ins);
      break;
    case QueryOp::Hessian:
      r = hessian(q.f, q.wrt);
      fdtest::check_hessian(q.f, q.wrt, r, q.ins);
      break;
  }
  CHECK(fdtest::forbidden_pattern(r) == "");
  return to_text(r);
}

/// The result of a query whose function is at a tie of max/min everywhere
/// (max(u, u) = u is smooth), checked against finite differences at random
/// points without avoiding the kink.
inline std::string checked_at_tie(const std::string& program) {
  Query q = parse_query(program);
  Expr r = q.op == QueryOp::Grad ? gradient(q.f, q.wrt) : derivative(q.f, q.wrt);
  std::mt19937 rng(7);
  for (int t = 0; t < 4; ++t) {
    Bindings b;
    REQUIRE(fdtest::try_sample(rng, q.ins, {}, b));
    Layout l = q.op == QueryOp::Grad ? Layout::Denominator : Layout::Numerator;
    Eigen::MatrixXd got = fdtest::as_jacobian(evaluate(r, b), q.f, q.wrt, l);
    fdtest::expect_close(got, fdtest::fd_jacobian(q.f, q.wrt->name, b), "at a tie: " + to_text(r));
  }
  return to_text(r);
}

/// The message of the user error the query in `program` raises (and that it is located).
inline std::string error_of(const std::string& program, Msg id) {
  Query q = parse_query(program);
  try {
    switch (q.op) {
      case QueryOp::Diff: derivative(q.f, q.wrt); break;
      case QueryOp::Grad: gradient(q.f, q.wrt); break;
      case QueryOp::Hessian: hessian(q.f, q.wrt); break;
    }
  } catch (const UserError& e) {
    CHECK(e.id() == id);
    CHECK(e.loc().valid());
    return e.what();
  }
  FAIL("expected an error");
  return "";
}


}  // namespace qtest
