// Located user errors of evaluation and value binding, one test per message.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "mcalc/sema.hpp"

using namespace mcalc;
using namespace mcalc::test;

namespace {
const Dim n = Dim::sym("n"), m = Dim::sym("m");

// The message id of the UserError `f` throws.
template <class F>
Msg error_of(F&& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.id();
  }
  FAIL("no UserError thrown");
  return Msg::BadOption;
}

template <class F>
std::string text_of(F&& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.text();
  }
  FAIL("no UserError thrown");
  return {};
}

Loc at(int line, int col) {
  auto src = std::make_shared<const SourceText>(SourceText{"x = [1; 2]", "--at"});
  return Loc{line, col, 1, src};
}

// A program with the given symbols (as sema would produce for their declarations).
Program program(std::vector<Symbol> symbols) {
  Program p;
  for (auto& s : symbols) {
    if (!s.node) s.node = ir::var(s.name, s.shape);
    p.symbol_order.push_back(s.name);
    p.symbols[s.name] = s;
  }
  return p;
}
Symbol declared(const char* name, Shape shape, Expr value = nullptr) {
  Symbol s;
  s.name = name;
  s.shape = shape;
  s.value = std::move(value);
  return s;
}
}  // namespace

TEST_CASE("eval errors: missing value and unbound dimension", "[eval][errors]") {
  auto x = ir::located(ir::var("x", Shape::vector(n)), at(1, 1));
  CHECK(error_of([&] { evaluate(x, {}); }) == Msg::MissingValue);
  CHECK(text_of([&] { evaluate(x, {}); }) == "no value given for 'x'");
  try {
    evaluate(x, {});
  } catch (const UserError& e) {
    CHECK(e.loc().line == 1);
    CHECK(e.loc().col == 1);
  }
  CHECK(error_of([&] { evaluate(ir::ones(Shape::vector(n)), {}); }) == Msg::UnboundDimension);
  CHECK(error_of([&] { evaluate(ir::dim_size(n), {}); }) == Msg::UnboundDimension);
  CHECK(text_of([&] { evaluate(ir::eye(m), {}); }) ==
        "the size of dimension 'm' is not known; give a value that fixes it");
}

TEST_CASE("eval errors: values against shapes", "[eval][errors]") {
  auto x = ir::var("x", Shape::vector(n)), y = ir::var("y", Shape::vector(n));
  auto A = ir::var("A", Shape::matrix(n, n));
  Bindings bs;
  bs.values["x"] = col({1, 2, 3});
  bs.values["y"] = col({1, 2});
  CHECK(error_of([&] { evaluate(ir::add(x, y), bs); }) == Msg::DimensionConflict);
  CHECK(text_of([&] { evaluate(ir::add(x, y), bs); }) == "dimension 'n' is 3 from 'x' but 2 from 'y'");
  bs.values["A"] = mat({{1, 2, 3}, {4, 5, 6}});
  CHECK(text_of([&] { evaluate(A, bs); }) == "value of 'A' is matrix(2, 3), but 'A' is declared matrix(n, n)");
  bs.values["x"] = mat({{1, 2}, {3, 4}});
  CHECK(error_of([&] { evaluate(x, bs); }) == Msg::ValueShape);
  // a flat list is the column it denotes
  bs.values["x"] = mat({{1, 2, 3}});
  CHECK_MAT(evaluate(x, bs), col({1, 2, 3}));
}

TEST_CASE("eval errors: index out of range at run time", "[eval][errors]") {
  auto x = ir::var("x", Shape::vector(n));
  auto A = ir::var("A", Shape::matrix(n, n));
  Bindings bs;
  bs.values["x"] = col({1, 2, 3});
  bs.values["A"] = mat({{1, 2}, {3, 4}});
  CHECK(error_of([&] { evaluate(ir::index(x, 4), bs); }) == Msg::IndexOutOfRange);
  CHECK(text_of([&] { evaluate(ir::index(x, 4), bs); }) == "index 4 is out of range for vector(3)");
  CHECK(text_of([&] { evaluate(ir::index(A, 1, 3), bs); }) == "index 3 is out of range for matrix(2, 2)");
  CHECK(text_of([&] { evaluate(ir::add(ir::index(x, 1), ir::call(Fn::Sum, {ir::unit(5, n)})), bs); }) ==
        "index 5 is out of range for vector(3)");
}

TEST_CASE("eval errors: singular matrices and logdet", "[eval][errors]") {
  auto A = ir::var("A", Shape::matrix(n, n));
  auto x = ir::var("x", Shape::vector(n));
  Bindings bs;
  bs.values["A"] = mat({{1, 2}, {2, 4}});
  bs.values["x"] = col({1, 0});
  bs.dims["n"] = 2;
  CHECK(text_of([&] { evaluate(ir::call(Fn::Inv, {A}), bs); }) ==
        "inv needs an invertible matrix, but this one is singular");
  CHECK(error_of([&] { evaluate(ir::pow(A, ir::num(-1)), bs); }) == Msg::SingularMatrix);
  CHECK(error_of([&] { evaluate(ir::call(Fn::Inv, {ir::call(Fn::DiagOf, {x})}), bs); }) == Msg::SingularMatrix);
  CHECK(error_of([&] { evaluate(ir::call(Fn::Inv, {ir::ones(Shape::matrix(n, n))}), bs); }) ==
        Msg::SingularMatrix);
  CHECK(error_of([&] { evaluate(ir::call(Fn::Inv, {ir::mul(ir::num(0), ir::eye(n))}), bs); }) ==
        Msg::SingularMatrix);
  CHECK(text_of([&] { evaluate(ir::call(Fn::Logdet, {A}), bs); }) ==
        "logdet needs a matrix with positive determinant, but the determinant is 0");
  bs.values["A"] = mat({{0, 1}, {1, 0}});
  CHECK(text_of([&] { evaluate(ir::call(Fn::Logdet, {A}), bs); }) ==
        "logdet needs a matrix with positive determinant, but the determinant is -1");
  // logdet is log det for det > 0: -eye(2) has determinant 1, -eye(3) has -1
  CHECK(evaluate(ir::call(Fn::Logdet, {ir::neg(ir::eye(n))}), bs)(0, 0) == 0);
  CHECK(text_of([&] { evaluate(ir::call(Fn::Logdet, {ir::neg(ir::eye(Dim::lit(3)))}), bs); }) ==
        "logdet needs a matrix with positive determinant, but the determinant is -1");
  // diag(v): the sign of the product of the entries decides; the number shown is the determinant
  bs.values["x"] = col({-2, -3});
  CHECK(evaluate(ir::call(Fn::Logdet, {ir::call(Fn::DiagOf, {x})}), bs)(0, 0) == Approx(std::log(6.0)));
  bs.values["x"] = col({-2, 3});
  CHECK(text_of([&] { evaluate(ir::call(Fn::Logdet, {ir::call(Fn::DiagOf, {x})}), bs); }) ==
        "logdet needs a matrix with positive determinant, but the determinant is -6");
  bs.values["x"] = col({0, 3});
  CHECK(text_of([&] { evaluate(ir::call(Fn::Logdet, {ir::call(Fn::DiagOf, {x})}), bs); }) ==
        "logdet needs a matrix with positive determinant, but the determinant is 0");
  bs.values["x"] = col({1, 0});
  // det itself is defined for every square matrix
  CHECK(evaluate(ir::call(Fn::Det, {A}), bs)(0, 0) == Approx(-1));
}

TEST_CASE("eval errors: results beyond the element limit", "[eval][errors]") {
  auto x = ir::var("x", Shape::vector(n));
  Bindings bs;
  bs.values["x"] = Eigen::VectorXd::Ones(10000);
  CHECK(error_of([&] { evaluate(ir::mul(x, ir::transpose(x)), bs); }) == Msg::TooManyElements);
  CHECK(error_of([&] { evaluate(ir::add(ir::eye(n), ir::call(Fn::Sum, {x})), bs); }) == Msg::TooManyElements);
  Bindings sizes;
  sizes.dims["n"] = 100000;
  CHECK(error_of([&] { evaluate(ir::eye(n), sizes); }) == Msg::TooManyElements);
  // structured, the same sizes are fine
  CHECK(evaluate(ir::call(Fn::Sum, {ir::mul(x, ir::mul(ir::transpose(x), x))}), bs)(0, 0) == 1e8);
}

TEST_CASE("bind: declared and given values, dimension inference", "[eval][bind]") {
  const Dim N = Dim::sym("N");
  Program p = program({declared("X", Shape::matrix(N, n)), declared("w", Shape::vector(n)),
                       declared("b", Shape::scalar(), ir::num(0.5)),
                       declared("W2", Shape::matrix(Dim::lit(3), Dim::lit(2)),
                                ir::literal(3, 2, {ir::num(0.2), ir::num(0.1), ir::num(0.3), ir::num(0.2),
                                                   ir::num(0.1), ir::num(0.3)}))});
  Bindings bs = bind(p, {{"X", mat({{1, 2}, {3, 4}, {5, 6}}), at(1, 1)}, {"w", mat({{1, -1}}), at(1, 1)}});
  CHECK(bs.dims.at("N") == 3);
  CHECK(bs.dims.at("n") == 2);
  CHECK_MAT(bs.values.at("w"), col({1, -1}));  // flat list accepted as the column
  CHECK_MAT(bs.values.at("b"), scalar(0.5));
  CHECK_MAT(bs.values.at("W2"), mat({{0.2, 0.1}, {0.3, 0.2}, {0.1, 0.3}}));
  // a given value takes precedence over the declared one
  Bindings again = bind(p, {{"b", scalar(2), at(1, 1)}});
  CHECK_MAT(again.values.at("b"), scalar(2));
  CHECK(again.dims.empty());
  // and the bindings evaluate the program's expressions
  auto X = p.symbols.at("X").node, w = p.symbols.at("w").node;
  CHECK_MAT(evaluate(ir::add(ir::mul(X, w), p.symbols.at("b").node), bs), col({-0.5, -0.5, -0.5}));
  CHECK(evaluate(ir::dim_size(N), bs)(0, 0) == 3);
}

TEST_CASE("bind errors", "[eval][errors][bind]") {
  Program p = program({declared("x", Shape::vector(Dim::sym("n"))), declared("y", Shape::vector(Dim::sym("n"))),
                       declared("A", Shape::matrix(Dim::lit(2), Dim::lit(2)))});
  Symbol z = declared("z", Shape::scalar());
  z.origin = Symbol::Origin::Defined;
  z.node = ir::var("z", Shape::scalar(), ir::num(1));
  p.symbols["z"] = z;
  p.symbol_order.push_back("z");

  CHECK(text_of([&] { bind(p, {{"x", col({1, 2, 3}), at(1, 1)}, {"y", col({1, 2}), at(1, 12)}}); }) ==
        "dimension 'n' is 3 from 'x' but 2 from 'y'");
  try {
    bind(p, {{"x", col({1, 2, 3}), at(1, 1)}, {"y", col({1, 2}), at(1, 12)}});
  } catch (const UserError& e) {
    CHECK(e.loc().col == 12);  // at the value that disagrees
  }
  CHECK(text_of([&] { bind(p, {{"A", col({1, 2}), at(1, 1)}}); }) ==
        "value of 'A' is vector(2), but 'A' is declared matrix(2, 2)");
  CHECK(text_of([&] { bind(p, {{"x", mat({{1, 2}, {3, 4}}), at(1, 1)}}); }) ==
        "value of 'x' is matrix(2, 2), but 'x' is declared vector(n)");
  CHECK(text_of([&] { bind(p, {{"q", col({1, 2}), at(1, 1)}}); }) ==
        "a value is given for 'q', which is not a name of the program");
  CHECK(text_of([&] { bind(p, {{"z", scalar(1), at(1, 1)}}); }) ==
        "'z' is defined by an expression, so it cannot be given a value");
  CHECK(text_of([&] { bind(p, {{"x", col({1, 2}), at(1, 1)}, {"x", col({1, 2}), at(1, 1)}}); }) ==
        "'x' is given more than one value");
}
