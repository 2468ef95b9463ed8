// The component expansion itself: entry names, every node kind against the
// entries written out by hand, sizes and their errors.
#include <catch2/catch.hpp>

#include "expand/cases.hpp"
#include "simplify/ginac_bridge.hpp"

using namespace mcalc;
using GiNaC::ex;

namespace {

const Dim n = Dim::sym("n"), m = Dim::sym("m");
Expr vec(const char* s, Dim d = n) { return ir::var(s, Shape::vector(d)); }
Expr sc(const char* s) { return ir::var(s, Shape::scalar()); }
Expr mat(const char* s, Dim r = n, Dim c = n) { return ir::var(s, Shape::matrix(r, c)); }
Expr num(double v) { return ir::num(v); }
Expr fn(Fn f, Expr a) { return ir::call(f, {std::move(a)}); }

/// The entry symbol of x by its printed name, for writing expectations.
ex sym(const Expr& var, long i, long j = 0) { return entry_symbol(var, i, j); }

bool same(const ex& a, const ex& b) { return (a - b).expand().is_zero() || (a - b).normal().is_zero(); }

/// Checks every entry of expand(e) against `want` (row-major).
void expect_entries(const Expr& e, const Sizes& s, long rows, long cols, const std::vector<ex>& want) {
  GiNaC::matrix got = expand(e, s);
  INFO(to_text(e) << " expands to\n" << matrix_text(got));
  REQUIRE(got.rows() == static_cast<unsigned>(rows));
  REQUIRE(got.cols() == static_cast<unsigned>(cols));
  REQUIRE(want.size() == static_cast<std::size_t>(rows * cols));
  for (long k = 0; k < rows * cols; ++k) {
    INFO("entry " << k / cols + 1 << ", " << k % cols + 1 << ": got " << got(k / cols, k % cols) << ", want "
                  << want[k]);
    auto r = static_cast<unsigned>(k / cols), c = static_cast<unsigned>(k % cols);
    CHECK(same(got(r, c), want[static_cast<std::size_t>(k)]));
  }
}

}  // namespace

TEST_CASE("entry names: x, x1.., A11.. row-major, two-digit indices separated", "[expand][names]") {
  CHECK(entry_name("b", Shape::scalar(), 0, 0) == "b");
  CHECK(entry_name("x", Shape::vector(n), 2, 0) == "x3");
  CHECK(entry_name("x", Shape::row(n), 0, 1) == "x2");
  CHECK(entry_name("A", Shape::matrix(n, m), 0, 1) == "A12");
  CHECK(entry_name("A", Shape::matrix(n, m), 1, 0) == "A21");
  CHECK(entry_name("A", Shape::matrix(n, m), 9, 0) == "A10_1");
  // The same variable and entry give the same symbol; x as a scalar and as a vector do not clash.
  CHECK(ex(entry_symbol(vec("x"), 0, 0)).is_equal(entry_symbol(vec("x"), 0, 0)));
  CHECK(!ex(entry_symbol(sc("x"), 0, 0)).is_equal(entry_symbol(vec("x"), 0, 0)));
  GiNaC::matrix a = variable_entries(mat("A"), {{"n", 2}});
  CHECK(a.rows() == 2);
  std::ostringstream os;
  os << a;
  CHECK(os.str() == "[[A11,A12],[A21,A22]]");
}

TEST_CASE("expansion: elementwise operations with scalar broadcasting", "[expand][kinds]") {
  auto x = vec("x"), w = vec("w"), a = sc("a");
  Sizes s{{"n", 2}};
  ex x1 = sym(x, 0), x2 = sym(x, 1), w1 = sym(w, 0), w2 = sym(w, 1), av = sym(a, 0);
  expect_entries(ir::add(w, x), s, 2, 1, {w1 + x1, w2 + x2});
  expect_entries(ir::sub(a, x), s, 2, 1, {av - x1, av - x2});
  expect_entries(ir::neg(x), s, 2, 1, {-x1, -x2});
  expect_entries(ir::hadamard(w, x), s, 2, 1, {w1 * x1, w2 * x2});
  expect_entries(ir::elem_div(a, x), s, 2, 1, {av / x1, av / x2});
  expect_entries(ir::elem_pow(x, num(3)), s, 2, 1, {GiNaC::pow(x1, 3), GiNaC::pow(x2, 3)});
  expect_entries(ir::mul(a, x), s, 2, 1, {av * x1, av * x2});
  expect_entries(ir::div(x, num(4)), s, 2, 1, {x1 / 4, x2 / 4});
  expect_entries(ir::pow(a, num(0.5)), s, 1, 1, {GiNaC::sqrt(av)});
  expect_entries(ir::add(x, ir::dim_size(n)), s, 2, 1, {x1 + 2, x2 + 2});
  // A decimal literal is the exact rational it denotes.
  expect_entries(ir::mul(num(0.01), a), s, 1, 1, {GiNaC::numeric(1, 100) * av});
}

TEST_CASE("expansion: elementwise functions are GiNaC functions entry by entry", "[expand][kinds]") {
  auto x = vec("x"), a = sc("a");
  Sizes s{{"n", 2}};
  ex x1 = sym(x, 0), x2 = sym(x, 1);
  expect_entries(fn(Fn::Sin, x), s, 2, 1, {GiNaC::sin(x1), GiNaC::sin(x2)});
  expect_entries(fn(Fn::Log, x), s, 2, 1, {GiNaC::log(x1), GiNaC::log(x2)});
  expect_entries(fn(Fn::Sqrt, x), s, 2, 1, {GiNaC::sqrt(x1), GiNaC::sqrt(x2)});
  // relu(x1) at x1 = 0.5 and -0.5 through the numeric evaluator (the function is not GiNaC's).
  GiNaC::matrix r = expand(fn(Fn::Relu, x), s);
  CHECK(numeric_value(r(0, 0), {{"x1", 0.5}}) == 0.5);
  CHECK(numeric_value(r(0, 0), {{"x1", -0.5}}) == 0.0);
  GiNaC::matrix mx = expand(ir::call(Fn::Max, {num(0), x}), s);
  CHECK(numeric_value(mx(1, 0), {{"x2", 3.0}}) == 3.0);
  CHECK(numeric_value(mx(1, 0), {{"x2", -3.0}}) == 0.0);
  GiNaC::matrix lr = expand(ir::call(Fn::LeakyRelu, {x, a}), s);
  CHECK(numeric_value(lr(0, 0), {{"x1", -2.0}, {"a", 0.1}}) == Approx(-0.2));
  GiNaC::matrix sg = expand(fn(Fn::Sigmoid, x), s);
  CHECK(numeric_value(sg(0, 0), {{"x1", 0.0}}) == 0.5);
  // Derivatives are GiNaC's diff of these functions: sigmoid' = sigmoid (1 - sigmoid), relu' = step.
  ex t = sg(0, 0);
  CHECK(same(t.diff(GiNaC::ex_to<GiNaC::symbol>(x1)), t * (1 - t)));
  CHECK(numeric_value(r(0, 0).diff(GiNaC::ex_to<GiNaC::symbol>(x1)), {{"x1", 0.5}}) == 1.0);
  CHECK(numeric_value(r(0, 0).diff(GiNaC::ex_to<GiNaC::symbol>(x1)), {{"x1", -0.5}}) == 0.0);
}

TEST_CASE("expansion: products, dot, transpose, indexing, literals, structure", "[expand][kinds]") {
  auto x = vec("x"), y = vec("y", m), A = mat("A", m, n);
  Sizes s{{"n", 2}, {"m", 2}};
  ex x1 = sym(x, 0), x2 = sym(x, 1), y1 = sym(y, 0), y2 = sym(y, 1);
  ex a11 = sym(A, 0, 0), a12 = sym(A, 0, 1), a21 = sym(A, 1, 0), a22 = sym(A, 1, 1);
  // (Ax)_i = Σ_j A_ij x_j
  expect_entries(ir::mul(A, x), s, 2, 1, {a11 * x1 + a12 * x2, a21 * x1 + a22 * x2});
  expect_entries(ir::transpose(A), s, 2, 2, {a11, a21, a12, a22});
  expect_entries(ir::mul(ir::transpose(y), ir::mul(A, x)), s, 1, 1,
                 {y1 * (a11 * x1 + a12 * x2) + y2 * (a21 * x1 + a22 * x2)});
  expect_entries(ir::dot(x, x), s, 1, 1, {x1 * x1 + x2 * x2});
  expect_entries(ir::mul(x, ir::transpose(x)), s, 2, 2, {x1 * x1, x1 * x2, x2 * x1, x2 * x2});
  expect_entries(ir::index(x, 2), s, 1, 1, {x2});
  expect_entries(ir::index(ir::transpose(x), 2), s, 1, 1, {x2});
  expect_entries(ir::index(A, 1, 2), s, 1, 1, {a12});
  expect_entries(ir::literal(1, 3, {ir::index(x, 1), num(2), ir::index(A, 2, 1)}), s, 1, 3, {x1, 2, a21});
  expect_entries(ir::ones(Shape::matrix(m, n)), s, 2, 2, {1, 1, 1, 1});
  expect_entries(ir::zeros(Shape::vector(n)), s, 2, 1, {0, 0});
  expect_entries(ir::eye(n), s, 2, 2, {1, 0, 0, 1});
  expect_entries(ir::unit(2, n), s, 2, 1, {0, 1});
  // Intermediate variables are their definitions.
  auto z = ir::var("z", Shape::vector(m), ir::mul(A, x));
  expect_entries(ir::hadamard(z, z), s, 2, 1, {GiNaC::pow(a11 * x1 + a12 * x2, 2), GiNaC::pow(a21 * x1 + a22 * x2, 2)});
}

TEST_CASE("expansion: reductions, vector and matrix functions", "[expand][kinds]") {
  auto x = vec("x"), A = mat("A");
  Sizes s{{"n", 2}};
  ex x1 = sym(x, 0), x2 = sym(x, 1);
  ex a11 = sym(A, 0, 0), a12 = sym(A, 0, 1), a21 = sym(A, 1, 0), a22 = sym(A, 1, 1);
  ex det = a11 * a22 - a12 * a21;
  expect_entries(fn(Fn::Sum, x), s, 1, 1, {x1 + x2});
  expect_entries(fn(Fn::Mean, A), s, 1, 1, {(a11 + a12 + a21 + a22) / 4});
  expect_entries(fn(Fn::Norm2, x), s, 1, 1, {GiNaC::sqrt(x1 * x1 + x2 * x2)});
  // abs is the language's real abs (its derivative is sign), as the bridge writes it for GiNaC
  auto abs = [](const ex& t) { return gx::apply_fn(Fn::Abs, {t}); };
  expect_entries(fn(Fn::Norm1, x), s, 1, 1, {abs(x1) + abs(x2)});
  expect_entries(fn(Fn::Logsumexp, x), s, 1, 1, {GiNaC::log(GiNaC::exp(x1) + GiNaC::exp(x2))});
  ex z = GiNaC::exp(x1) + GiNaC::exp(x2);
  expect_entries(fn(Fn::Softmax, x), s, 2, 1, {GiNaC::exp(x1) / z, GiNaC::exp(x2) / z});
  expect_entries(fn(Fn::Tr, A), s, 1, 1, {a11 + a22});
  expect_entries(fn(Fn::Det, A), s, 1, 1, {det});
  expect_entries(fn(Fn::Logdet, A), s, 1, 1, {GiNaC::log(det)});
  expect_entries(fn(Fn::Inv, A), s, 2, 2, {a22 / det, -a12 / det, -a21 / det, a11 / det});
  expect_entries(fn(Fn::DiagOf, x), s, 2, 2, {x1, 0, 0, x2});
  expect_entries(fn(Fn::DiagVec, A), s, 2, 1, {a11, a22});
  expect_entries(ir::pow(A, num(2)), s, 2, 2,
                 {a11 * a11 + a12 * a21, a11 * a12 + a12 * a22, a21 * a11 + a22 * a21, a21 * a12 + a22 * a22});
  expect_entries(ir::pow(A, num(-1)), s, 2, 2, {a22 / det, -a12 / det, -a21 / det, a11 / det});
  expect_entries(ir::pow(A, num(0)), s, 2, 2, {1, 0, 0, 1});
}

TEST_CASE("expansion: a vector of size 1 is one entry, named x1", "[expand][kinds]") {
  auto x = vec("x"), w = vec("w");
  Sizes s{{"n", 1}};
  expect_entries(ir::mul(ir::transpose(w), x), s, 1, 1, {sym(w, 0) * sym(x, 0)});
  expect_entries(ir::mul(x, ir::transpose(w)), s, 1, 1, {sym(x, 0) * sym(w, 0)});
  CHECK(entry_text(expand(x, s)(0, 0)) == "x1");
}

TEST_CASE("expansion errors: symbolic sizes, too large, index beyond the size, singular inverse",
          "[expand][errors]") {
  // A symbolic dimension without a size: located at the variable, asking for concrete sizes.
  auto a = etest::analyse_case("", "w .* x", "w");
  try {
    expand(a.f, {});
    FAIL("expected an error");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::ExpandNeedsSize);
    CHECK(e.loc().valid());
    CHECK(e.loc().col == 1);
    CHECK(e.text() ==
          "cannot expand entry by entry: dimension 'n' of 'w' (vector(n)) is symbolic; give concrete sizes, as in "
          "--let \"w: vector(3)\", or values with --at");
  }
  // A size beyond the limit.
  try {
    expand(vec("x"), {{"n", kMaxExpandSize + 1}});
    FAIL("expected an error");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::ExpandTooLarge);
    CHECK(e.text() == "--expand writes every entry out, so sizes are limited to 10, but a dimension of 'x' "
                      "(vector(n)) is 11 here");
  }
  // x[3] of a vector(n) is out of range at n = 2.
  auto b = etest::analyse_case("x: vector(n)", "x[3]", "x");
  CHECK_NOTHROW(expand(b.f, {{"n", 3}}));
  try {
    expand(b.f, {{"n", 2}});
    FAIL("expected an error");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::IndexOutOfRange);
    CHECK(e.loc().valid());
  }
  // inv of a singular constant matrix.
  auto c = etest::analyse_case("", "inv([1, 2; 2, 4])", "x");
  CHECK_THROWS_AS(expand(c.f, {}), UserError);
}
