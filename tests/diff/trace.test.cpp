// The rule table and the trace: every rule has a name and formulas; a trace
// records rule applications and their combination, and never changes a result.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "diff/common.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/sema.hpp"

using namespace dtest;

namespace {
std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

/// diff/grad/hessian of a corpus case, with or without a trace.
Expr run(const std::string& op, const Expr& f, const Expr& wrt, Trace* t) {
  if (op == "diff") return derivative(f, wrt, Layout::Numerator, t);
  if (op == "diff-denominator") return derivative(f, wrt, Layout::Denominator, t);
  if (op == "grad") return gradient(f, wrt, t);
  return hessian(f, wrt, t);
}

const Trace::Partial* find_partial(const Trace& t, RuleId id) {
  for (const auto& p : t.partials)
    if (p.rule == id) return &p;
  return nullptr;
}
}  // namespace

TEST_CASE("rule table: every rule once, in id order, with a name and formulas", "[diff][rules]") {
  const auto& table = rule_table();
  std::set<std::string> keys, names;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const RuleInfo& r = table[i];
    CHECK(static_cast<std::size_t>(r.id) == i);
    CHECK(&rule_info(r.id) == &r);
    CHECK(keys.insert(r.key).second);
    CHECK(names.insert(r.name).second);
    CHECK(std::string(r.text).size() > 3);
    CHECK(std::string(r.latex).size() > 3);
  }
  CHECK(table.back().id == RuleId::Constant);
  CHECK(std::string(rule_info(RuleId::MatrixProduct).name) == "matrix product");
  CHECK(std::string(rule_info(RuleId::Hadamard).name) == "Hadamard product");
  CHECK(std::string(rule_info(RuleId::PiecewiseMax).name) == "piecewise max");
  CHECK(std::string(rule_info(RuleId::SumReduction).name) == "sum reduction");
  CHECK(rule_of(*fn(Fn::Sigmoid, vec("x"))) == RuleId::Elementwise);
  CHECK(rule_of(*ir::mul(mat("A"), vec("x"))) == RuleId::MatrixProduct);
  CHECK(rule_of(*ir::mul(sc("a"), vec("x"))) == RuleId::ScalarMultiple);
}

TEST_CASE("trace: the neuron's local partials, chain products and result", "[diff][trace]") {
  // u = w .* x, y = sum(u), z = y + b, by w (the lecture's gradient of a neuron)
  auto w = vec("w"), x = vec("x"), b = sc("b");
  Expr u = ir::hadamard(w, x), y = fn(Fn::Sum, u), z = ir::add(y, b);
  Trace t;
  Expr d = derivative(z, w, Layout::Numerator, &t);
  CHECK(to_text(d) == "x'");
  CHECK(t.mode == Trace::Mode::Reverse);
  CHECK(t.f == z);
  CHECK(t.wrt == w);
  const Trace::Partial* had = find_partial(t, RuleId::Hadamard);
  REQUIRE(had != nullptr);
  CHECK(had->node == u);
  CHECK(had->operand == 0);
  REQUIRE(had->jacobian != nullptr);
  CHECK(to_text(had->jacobian) == "diag(x)");
  const Trace::Partial* sum = find_partial(t, RuleId::SumReduction);
  REQUIRE(sum != nullptr);
  REQUIRE(sum->jacobian != nullptr);
  CHECK(to_text(sum->jacobian) == "ones(n)'");
  CHECK(to_text(sum->differential) == "sum(∂0)");
  int seeds = 0, chains = 0, results = 0;
  for (const auto& s : t.steps) {
    seeds += s.kind == Trace::Step::Kind::Seed;
    chains += s.kind == Trace::Step::Kind::Chain;
    results += s.kind == Trace::Step::Kind::Result;
  }
  CHECK(seeds == 1);
  CHECK(chains == 3);  // z -> y, y -> u, u -> w
  CHECK(results == 1);
}

TEST_CASE("trace: a node reached twice sums its paths", "[diff][trace]") {
  auto x = vec("x");
  Expr s = ir::dot(x, x);  // x·x: x is reached by two paths
  Trace t;
  Expr g = gradient(s, x, &t);
  CHECK(to_text(g) == "2*x");
  bool total = false;
  for (const auto& st : t.steps)
    if (st.kind == Trace::Step::Kind::Total && st.node == x) total = st.terms.size() == 2;
  CHECK(total);
}

TEST_CASE("trace: forward and Jacobian modes record differentials", "[diff][trace]") {
  auto W = mat("W", m, n), x = vec("x"), z = sc("z");
  Trace tj;
  Expr j = derivative(fn(Fn::Sigmoid, ir::mul(W, x)), x, Layout::Numerator, &tj);
  CHECK(tj.mode == Trace::Mode::Jacobian);
  REQUIRE(tj.dwrt != nullptr);
  CHECK(tj.dwrt->shape == x->shape);
  CHECK(find_partial(tj, RuleId::Elementwise) != nullptr);
  CHECK(find_partial(tj, RuleId::MatrixProduct) != nullptr);
  Trace tf;
  derivative(ir::mul(z, x), z, Layout::Numerator, &tf);
  CHECK(tf.mode == Trace::Mode::Forward);
  CHECK(find_partial(tf, RuleId::ScalarMultiple) != nullptr);
}

TEST_CASE("trace: results are identical with and without a trace over the derivative corpus", "[diff][trace]") {
  std::ifstream in(std::string(MCALC_SOURCE_DIR) + "/tests/corpus/derivatives.txt");
  REQUIRE(in.good());
  std::string line;
  int cases = 0;
  for (int no = 1; std::getline(in, line); ++no) {
    std::string l = trim(line);
    if (l.empty() || l[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(l);
    for (std::string part; std::getline(ss, part, '|');) f.push_back(trim(part));
    REQUIRE(f.size() == 4);
    INFO("derivatives.txt:" << no << ": " << l);
    std::vector<Parsed> units;
    if (!f[0].empty()) units.push_back(parse_program(f[0], "--let"));
    units.push_back(parse_expression(f[1], "<expr>"));
    units.push_back(parse_expression(f[2], "--wrt"));
    std::vector<const Parsed*> ptrs;
    for (const auto& u : units) ptrs.push_back(&u);
    Program prog = analyse(ptrs);
    const auto& st = prog.statements;
    Expr fx = st[st.size() - 2].expr, wrt = st.back().expr;
    Trace t;
    Expr plain = run(f[3], fx, wrt, nullptr), traced = run(f[3], fx, wrt, &t);
    CHECK(to_text(plain) == to_text(traced));
    CHECK(ir::equal(plain, traced));
    CHECK(!t.steps.empty());
    for (const auto& p : t.partials) {
      CHECK(p.node != nullptr);
      CHECK(p.operand < p.node->args.size());
      CHECK(p.differential->shape == p.node->shape);
      CHECK(p.d_operand->shape == p.node->args[p.operand]->shape);
    }
    ++cases;
  }
  CHECK(cases > 100);
}
