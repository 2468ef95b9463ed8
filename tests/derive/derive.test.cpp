// Derivations never contradict diff: over every case of the derivative corpus
// (tests/corpus/derivatives.txt) the derivation's result is diff's result
// exactly, its chain rule ends in the same value, and every local partial
// agrees with central finite differences of its own operation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "diff/harness.hpp"
#include "diff/random_expr.hpp"
#include "golden.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/derive.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/topo.hpp"

using namespace mcalc;

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

struct Case {
  int line;
  std::string let, expr, wrt, op;
};

std::vector<Case> corpus_cases() {
  std::ifstream in(MCALC_SOURCE_DIR "/tests/corpus/derivatives.txt");
  REQUIRE(in.good());
  std::vector<Case> out;
  std::string line;
  for (int no = 1; std::getline(in, line); ++no) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(t);
    for (std::string part; std::getline(ss, part, '|');) f.push_back(trim(part));
    REQUIRE(f.size() == 4);
    out.push_back({no, f[0], f[1], f[2], f[3]});
  }
  return out;
}

/// The input variables of `e` (through definitions).
std::vector<fdtest::In> inputs(const Expr& e) {
  std::vector<fdtest::In> out;
  std::set<std::string> seen;
  for (const Node* n : ir::topo_order(e).order)
    if (n->kind == Kind::Var && n->args.empty() && seen.insert(n->name).second)
      out.push_back({ir::var(n->name, n->shape), fdtest::Dist::Positive});
  return out;
}

/// The definition of intermediate `of` with every name it uses replaced by a
/// plain input variable of the same name (bound in `b` to the name's value):
/// the operation alone, the other names held fixed.
Expr local_function(const Derivation& d, const Derivation::Partial& p, Bindings& b) {
  const Expr& def = d.intermediates[p.of].var->args[0];
  return ir::map_args(def, [&](const Expr& a) {
    for (const auto& i : d.intermediates)
      if (a == i.var) {
        b.values[a->name] = evaluate(a, b);
        return ir::var(a->name, a->shape);
      }
    return a;
  });
}

/// Backpropagation's values: the gradient (the last adjoint) is diff's in numerator layout
/// (`want`, transposed: the gradient has the shape of wrt), and every adjoint δv is the
/// gradient of f by v held independent, by central finite differences of f cut at v.
void check_adjoints(const Derivation& d, const Eigen::MatrixXd& want, const Bindings& b) {
  REQUIRE(d.backprop());
  const auto& g = d.adjoints.back();
  REQUIRE(!g.var);
  CHECK(g.value->shape == d.wrt->shape);
  Eigen::MatrixXd got = evaluate(g.value, b);
  if (got.size() == want.size() && got.allFinite()) {
    // Numerator layout gives a scalar by x the shape of x' (a row by a column vector).
    Eigen::MatrixXd w = want.transpose();
    fdtest::expect_close(got, w, "gradient by backpropagation of " + to_text(d.f));
  }
  const Expr& f_named = d.intermediates.back().var;
  for (std::size_t k = 0; k + 1 < d.adjoints.size(); ++k) {
    const auto& a = d.adjoints[k];
    REQUIRE(a.var);
    CHECK(a.value->shape == d.intermediates[a.of].var->shape);
    const Expr& v = d.intermediates[a.of].var;
    Bindings bl = b;
    bl.values["held"] = evaluate(v, b);
    Expr cut = ir::cut_at(f_named, v, "held");
    Eigen::MatrixXd fd = fdtest::fd_jacobian(cut, "held", bl);
    Eigen::MatrixXd val = evaluate(a.var, b);
    if (!fd.allFinite() || !val.allFinite() || fd.size() != val.size()) continue;
    fd.resize(val.rows(), val.cols());  // the row of d f/d vec(v), in v's shape (column-major)
    fdtest::expect_close(val, fd, a.var->name + " = " + to_text(a.value));
  }
}

}  // namespace

TEST_CASE("derive over the derivative corpus: diff's result, the chain's value, partials by finite differences",
          "[derive][corpus]") {
  int derived = 0, refused = 0, backpropagated = 0;
  std::mt19937 rng(2024);
  for (const Case& c : corpus_cases()) {
    INFO("derivatives.txt:" << c.line << ": " << c.op << "(" << c.expr << ", " << c.wrt << ")");
    std::vector<Parsed> units;
    if (!c.let.empty()) units.push_back(parse_program(c.let, "--let"));
    units.push_back(parse_expression(c.expr, "<expr>"));
    units.push_back(parse_expression(c.wrt, "--wrt"));
    std::vector<const Parsed*> ptrs;
    for (const auto& u : units) ptrs.push_back(&u);
    Program prog = analyse(ptrs);
    Expr f = prog.statements[prog.statements.size() - 2].expr, wrt = prog.statements.back().expr;
    Layout layout = c.op == "diff-denominator" ? Layout::Denominator : Layout::Numerator;
    bool matrix_on_the_way = false;
    for (const Node* n : ir::topo_order(f).order)
      matrix_on_the_way = matrix_on_the_way || (!n->shape.rows.is_one() && !n->shape.cols.is_one());
    Derivation d;
    try {
      d = derive(f, wrt, layout);
    } catch (const UserError& e) {
      INFO(render_error(e));
      // Only a matrix on the way of a non-scalar f is refused (its Jacobians would be tensors).
      CHECK(matrix_on_the_way);
      CHECK(!f->is_scalar());
      ++refused;
      continue;
    }
    ++derived;
    // The result is diff's, exactly.
    Expr diff_result = derivative(f, wrt, layout);
    CHECK(ir::equal(d.result, diff_result));
    CHECK(to_text(d.result) == to_text(diff_result));

    std::vector<fdtest::In> ins = inputs(f);
    if (ins.empty()) continue;
    Bindings b;
    if (!fdtest::try_sample(rng, ins, {f, d.result}, b)) continue;
    Eigen::MatrixXd want = evaluate(derivative(f, wrt, Layout::Numerator), b);
    if (!want.allFinite()) continue;
    // A scalar f is also derived by backpropagation (the default with a matrix on the way).
    if (f->is_scalar()) {
      Derivation bp = derive(f, wrt, layout, DeriveMethod::Backprop);
      CHECK(ir::equal(bp.result, diff_result));
      if (!bp.intermediates.empty()) {
        ++backpropagated;
        check_adjoints(bp, want, b);
      }
    }
    if (d.backprop()) continue;
    REQUIRE(d.chain.size() == d.intermediates.size());
    // The chain rule ends in the same value (numerator layout): the last intermediate is f.
    if (!d.intermediates.empty()) {
      Eigen::MatrixXd got = evaluate(d.chain.back().value, b);
      if (got.size() == want.size()) {
        Eigen::MatrixXd g = got;
        if (g.rows() != want.rows()) g.resize(want.rows(), want.cols());
        fdtest::expect_close(g, want, "chain rule of " + to_text(f));
      }
    }
    // Each local partial against finite differences of its operation alone.
    for (const auto& p : d.partials) {
      Bindings bl = b;
      Expr local = local_function(d, p, bl);
      Eigen::MatrixXd j = evaluate(p.jacobian, b);
      Eigen::MatrixXd fd = fdtest::fd_jacobian(local, p.by->name, bl);
      if (!fd.allFinite() || !j.allFinite()) continue;
      if (j.size() == fd.size() && (j.rows() != fd.rows())) j.resize(fd.rows(), fd.cols());
      fdtest::expect_close(j, fd, "∂" + d.intermediates[p.of].var->name + "/∂" + p.by->name + " = " +
                                      to_text(p.jacobian) + " (" + p.rule + ")");
    }
  }
  CHECK(derived >= 80);
  CHECK(backpropagated >= 40);
  INFO("refused " << refused);
}

TEST_CASE("derive: the neuron by w, step by step", "[derive]") {
  Parsed decls = parse_program("x, w: vector(n); b: scalar", "--let");
  Parsed e = parse_expression("max(0, w'*x + b)", "<expr>");
  Parsed v = parse_expression("w", "--wrt");
  Program prog = analyse({&decls, &e, &v});
  Derivation d = derive(prog.statements[prog.statements.size() - 2].expr, prog.statements.back().expr);
  REQUIRE(d.intermediates.size() == 3);
  CHECK(to_text(d.intermediates[0].var->args[0]) == "w'*x");
  CHECK(to_text(d.intermediates[1].var->args[0]) == "u1 + b");
  CHECK(to_text(d.intermediates[2].var->args[0]) == "max(0, u2)");
  REQUIRE(d.partials.size() == 3);
  CHECK(to_text(d.partials[0].jacobian) == "x'");
  CHECK(d.partials[0].rule == "matrix product");
  CHECK(to_text(d.partials[1].jacobian) == "1");
  CHECK(d.partials[1].rule == "addition");
  CHECK(to_text(d.partials[2].jacobian) == "step(u2)");
  CHECK(d.partials[2].rule == "piecewise max");
  CHECK(to_text(d.result) == "step(w'*x + b)*x'");
  REQUIRE(d.condition);
  CHECK(to_text(d.condition) == "w'*x + b");
  CHECK(to_text(d.where_nonpositive) == "zeros(n)'");
  CHECK(to_text(d.where_positive) == "x'");
}

TEST_CASE("derive: each chain-rule step names the simplifier's identities it used", "[derive]") {
  // The lecture's form of the neuron: sum(w .* x). du2/dw = 1'*diag(x) simplifies to x' by 1'*diag(x) = x'.
  Parsed decls = parse_program("x, w: vector(n); b: scalar", "--let");
  Parsed e = parse_expression("max(0, sum(w .* x) + b)", "<expr>");
  Parsed v = parse_expression("w", "--wrt");
  Program prog = analyse({&decls, &e, &v});
  Derivation d = derive(prog.statements[prog.statements.size() - 2].expr, prog.statements.back().expr);
  REQUIRE(d.chain.size() == 4);
  CHECK(to_text(d.chain[1].value) == "x'");
  const auto& used = d.chain[1].identities;
  CHECK(std::find(used.begin(), used.end(), Rule::mul_ones_row_diag) != used.end());
  // The values are what the simplifier leaves: simplifying again changes nothing.
  for (const auto& c : d.chain) {
    RuleLog again;
    CHECK(ir::equal(simplify(c.value, &again), c.value));
  }
}

// The lecture's 1-2-3-1 network (slides' values, errata applied): the
// derivation by b1 and by W1 goes through every layer and ends in the values
// of the backward pass, dL/db1 = [-0.0026, -0.0034] and dL/dW1 = [-0.0053, -0.0067].
TEST_CASE("derive: the 1-2-3-1 network by b1 and W1 at the slides' values", "[derive][lecture]") {
  Parsed p = parse_program(test::read_file(test::source_dir() / "tests/corpus/train/network_named_z.mc"), "net.mc");
  Program prog = analyse(p);
  Bindings b = bind(prog, {});
  Expr loss = prog.find("L")->node;
  auto rounded = [](const Eigen::MatrixXd& m) {
    std::vector<double> out;
    for (Eigen::Index k = 0; k < m.size(); ++k) out.push_back(std::round(m.data()[k] * 1e4) / 1e4);
    return out;
  };
  Derivation db1 = derive(loss, prog.find("b1")->node);
  CHECK(rounded(evaluate(db1.result, b)) == std::vector<double>{-0.0026, -0.0034});
  CHECK(rounded(evaluate(db1.chain.back().value, b)) == std::vector<double>{-0.0026, -0.0034});
  // z1, a1, W2*a1, z2, a2, W3*a2, z3, yhat and the loss's own operations: every layer.
  REQUIRE(db1.intermediates.size() >= 8);
  CHECK(db1.intermediates[0].var->name == "z1");
  CHECK(db1.intermediates[0].given);
  CHECK(db1.intermediates[1].var->name == "a1");
  Derivation dw1 = derive(loss, prog.find("W1")->node);
  CHECK(rounded(evaluate(dw1.result, b)) == std::vector<double>{-0.0053, -0.0067});
  CHECK(rounded(evaluate(dw1.chain.back().value, b)) == std::vector<double>{-0.0053, -0.0067});
}

TEST_CASE("derive: cross-entropy of a sigmoid simplifies to sigmoid(z) - y", "[derive][lecture]") {
  Parsed p = parse_program("y, z: scalar; L = -(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z)))", "--let");
  Program prog = analyse(p);
  Derivation d = derive(prog.find("L")->node, prog.find("z")->node);
  CHECK(to_text(d.result) == "sigmoid(z) - y");
  CHECK(d.partials.front().rule == "elementwise function");
}

// The lecture's backpropagation slides (1-2-3-1 network, errata applied): by the weight matrix W2 the
// derivation is backpropagation, and its adjoints are the slides' values: dL/dyhat = -1.2921,
// dL/dz3 = -0.2261, dL/da2 = [-0.0904, -0.0452, -0.1357], dL/dz2 = [-0.0214, -0.0109, -0.0323],
// and the weight gradients of layer 2, neuron by neuron.
TEST_CASE("derive: the 1-2-3-1 network by W2 is backpropagation with the slides' values", "[derive][lecture]") {
  Parsed p = parse_program(test::read_file(test::source_dir() / "tests/corpus/train/network_named_z.mc"), "net.mc");
  Program prog = analyse(p);
  Bindings b = bind(prog, {});
  Derivation d = derive(prog.find("L")->node, prog.find("W2")->node);
  REQUIRE(d.backprop());
  CHECK(d.partials.empty());
  auto rounded = [](const Eigen::MatrixXd& m) {
    std::vector<double> out;
    for (Eigen::Index k = 0; k < m.size(); ++k) out.push_back(std::round(m.data()[k] * 1e4) / 1e4);
    return out;
  };
  auto adjoint = [&](const std::string& name) -> const Derivation::Adjoint& {
    for (const auto& a : d.adjoints)
      if (a.of < d.intermediates.size() && d.intermediates[a.of].var->name == name) return a;
    FAIL("no adjoint of " << name);
    return d.adjoints.front();
  };
  CHECK(rounded(evaluate(adjoint("yhat").var, b)) == std::vector<double>{-1.2921});
  CHECK(rounded(evaluate(adjoint("z3").var, b)) == std::vector<double>{-0.2261});
  CHECK(rounded(evaluate(adjoint("a2").var, b)) == std::vector<double>{-0.0904, -0.0452, -0.1357});
  CHECK(rounded(evaluate(adjoint("z2").var, b)) == std::vector<double>{-0.0214, -0.0109, -0.0323});
  // The recurrence in the lecture's form: δz3 = δyhat·yhat(1 - yhat), δz2 = δa2 ⊙ a2 ⊙ (1 - a2).
  CHECK(to_text(adjoint("z3").value) == "delta_yhat*yhat*(1 - yhat)");
  CHECK(to_text(adjoint("z2").value) == "delta_a2.*(a2.*(1 - a2))");
  CHECK(adjoint("z2").terms.front().rule == "elementwise function");
  // The gradient by W2 (its shape; column-major): neuron i's weights are row i.
  const auto& g = d.adjoints.back();
  CHECK(g.value->shape == d.wrt->shape);
  CHECK(rounded(evaluate(g.value, b)) ==
        std::vector<double>{-0.0123, -0.0063, -0.0186, -0.0128, -0.0065, -0.0194});
  // And the result is diff's (numerator layout: the shape of W2').
  CHECK(ir::equal(d.result, derivative(prog.find("L")->node, prog.find("W2")->node)));
}

TEST_CASE("derive: backpropagation of a deep network grows linearly with depth", "[derive]") {
  auto derivation_size = [](int layers, const char* wrt) {
    std::string f = "x", let = "x: vector(n)";
    for (int k = 1; k <= layers; ++k) {
      f = "tanh(W" + std::to_string(k) + "*" + f + ")";
      let += "; W" + std::to_string(k) + ": matrix(n)";
    }
    Parsed decls = parse_program(let, "--let");
    Parsed e = parse_expression("sum(" + f + ")", "<expr>");
    Parsed v = parse_expression(wrt, "--wrt");
    Program prog = analyse({&decls, &e, &v});
    Derivation d = derive(prog.statements[prog.statements.size() - 2].expr, prog.statements.back().expr);
    REQUIRE(d.backprop());
    // One intermediate per operation, one adjoint each (and the gradient), each a line of bounded size.
    CHECK(d.intermediates.size() == static_cast<std::size_t>(2 * layers + 1));
    CHECK(d.adjoints.size() == d.intermediates.size());
    std::size_t size = 0;
    for (const auto& i : d.intermediates) size += to_text(i.var->args[0]).size();
    for (const auto& a : d.adjoints) {
      CHECK(to_text(a.value).size() < 40);
      size += to_text(a.value).size();
    }
    return size;
  };
  std::size_t s16 = derivation_size(16, "W1"), s64 = derivation_size(64, "W1");
  INFO("by W1: L = 16: " << s16 << ", L = 64: " << s64);
  CHECK(s64 < 5 * s16);
  // By the input vector: no matrix-valued node on the way, but a network of many layers is backpropagated.
  std::size_t x16 = derivation_size(16, "x"), x64 = derivation_size(64, "x");
  INFO("by x: L = 16: " << x16 << ", L = 64: " << x64);
  CHECK(x64 < 5 * x16);
}

// Random expressions (the differentiator's property-test generator): every scalar f is derived by both
// methods without error, its result is diff's, and the chain's last value and every adjoint agree with
// finite differences; a vector f is derived or refused only for a matrix on the way.
TEST_CASE("derive: random expressions by both methods agree with diff and finite differences", "[derive][property]") {
  dtest::Gen g(20261201u);
  std::vector<fdtest::In> ins{{g.a}, {g.b}, {g.x}, {g.y}, {g.A}, {g.B}};
  int scalars = 0, backprops = 0, refused = 0, attempts = 0, other_forms = 0;
  while (scalars < 300 && attempts < 3000) {
    ++attempts;
    bool vector = g.pick(4) == 0;
    Expr f = vector ? g.vector(1 + g.pick(2)) : g.scalar(1 + g.pick(3));
    std::vector<Expr> wrts;
    for (const auto& v : {g.a, g.b, g.x, g.y, g.A, g.B})
      if (dtest::depends_on(f, v->name)) wrts.push_back(v);
    if (wrts.empty()) continue;
    Expr wrt = wrts[static_cast<std::size_t>(g.pick(static_cast<int>(wrts.size())))];
    INFO("derive(" << to_text(f) << ", " << wrt->name << ")");
    bool matrix = !wrt->shape.rows.is_one() && !wrt->shape.cols.is_one();
    for (const Node* n : ir::topo_order(f).order)
      matrix = matrix || (dtest::depends_on(Expr(Expr(), const_cast<Node*>(n)), wrt->name) &&
                          !n->shape.rows.is_one() && !n->shape.cols.is_one());
    Derivation d;
    try {
      d = derive(f, wrt);
    } catch (const UserError& e) {
      INFO(render_error(e));
      CHECK(vector);  // only a non-scalar f with a matrix on the way is refused
      CHECK(matrix);
      ++refused;
      continue;
    }
    // The result is diff's. GiNaC orders the terms of a sum by hashes of its symbols, which differ from one
    // call to the next, so a second call may write an equal result in another form (as d.result does, the
    // same call): the forms are compared where they agree, the values always.
    Expr again = derivative(f, wrt);
    if (!ir::equal(d.result, again)) ++other_forms;
    if (vector) continue;
    ++scalars;
    Derivation bp = derive(f, wrt, Layout::Numerator, DeriveMethod::Backprop);
    Bindings b;
    if (!fdtest::try_sample(g.rng(), ins, {f, d.result, again}, b)) continue;
    Eigen::MatrixXd want = evaluate(d.result, b);
    if (!want.allFinite()) continue;
    fdtest::expect_close(evaluate(again, b), want, "diff's result of " + to_text(f));
    if (!bp.intermediates.empty()) {
      ++backprops;
      check_adjoints(bp, want, b);
    }
    if (!d.backprop() && !d.chain.empty()) {
      Eigen::MatrixXd got = evaluate(d.chain.back().value, b);
      if (got.size() == want.size() && got.allFinite()) {
        got.resize(want.rows(), want.cols());
        fdtest::expect_close(got, want, "chain rule of " + to_text(f));
      }
    }
  }
  INFO("scalars " << scalars << ", backpropagated " << backprops << ", refused " << refused << ", other forms "
                   << other_forms);
  CHECK(scalars >= 300);
  CHECK(other_forms < 20);
  CHECK(backprops >= 250);
}
