// Values from files: load_matrix over every format and layout the issue names
// (tests/corpus/files, made by make_files.py), save_npy round trips, and the
// located errors for missing and malformed files.
#include <catch2/catch.hpp>

#include <filesystem>

#include <unistd.h>

#include "golden.hpp"
#include "helpers.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/print.hpp"
#include "mcalc/sema.hpp"

using namespace mcalc;
using namespace mcalc::test;

namespace {
std::string file(const std::string& name) { return (source_dir() / "tests" / "corpus" / "files" / name).string(); }

Eigen::MatrixXd load(const std::string& name, const std::string& member = "") {
  return load_matrix(file(name), member, Loc{});
}

/// The error a load gives: its catalogue id and where it points (line:col, or "-" when unlocated).
std::pair<Msg, std::string> load_error(const std::string& name, const std::string& member = "") {
  try {
    load(name, member);
  } catch (const UserError& e) {
    std::string where = e.loc().valid() ? std::to_string(e.loc().line) + ":" + std::to_string(e.loc().col) : "-";
    return {e.id(), where};
  }
  FAIL("no error for " << name);
  return {Msg::BadOption, ""};
}

const Eigen::MatrixXd X123456 = mat({{1, 2}, {3, 4}, {5, 6}});
}  // namespace

TEST_CASE("load: .npy in C and Fortran order, float64 and float32, both byte orders", "[eval][files]") {
  CHECK_MAT(load("X.npy"), X123456);
  CHECK_MAT(load("X_fortran_f4.npy"), X123456);
  CHECK_MAT(load("X_big_endian_v2.npy"), X123456);
  CHECK_MAT(load("v.npy"), col({0.5, -1.25, 2}));  // 1-D: a column
  CHECK_MAT(load("s.npy"), scalar(7.5));           // 0-D: a scalar
}

TEST_CASE("load: .npz members, stored and deflated", "[eval][files]") {
  CHECK_MAT(load("data.npz", "X"), X123456);
  CHECK_MAT(load("data.npz", "y"), col({1, 0, 1}));
  CHECK_MAT(load("data_deflated.npz", "X"), X123456);
  CHECK_MAT(load("data_deflated.npz", "y.npy"), col({1, 0, 1}));
  CHECK_MAT(load("one.npz"), col({0.25, -0.5}));  // a single array needs no name
}

TEST_CASE("load: .csv with and without a header, .mtx coordinate and array", "[eval][files]") {
  CHECK_MAT(load("X.csv"), X123456);
  CHECK_MAT(load("X_header.csv"), X123456);  // header, spaces, CRLF, a blank line
  CHECK_MAT(load("y.csv"), col({1, 0, 1}));
  CHECK_MAT(load("A.mtx"), mat({{4, 1}, {1, 3}}));  // symmetric: the lower triangle mirrored
  CHECK_MAT(load("B.mtx"), X123456);                // array: column-major
  CHECK_MAT(load("P.mtx"), mat({{0, 0, 1}, {1, 0, 0}}));
}

TEST_CASE("save_npy writes what load reads back", "[eval][files]") {
  auto dir = std::filesystem::temp_directory_path() / ("mcalc-npy-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const Eigen::MatrixXd m = mat({{1.5, -2}, {3, 1e-300}, {5, 6.25}});
  save_npy((dir / "m.npy").string(), m, Shape::matrix(Dim::lit(3), Dim::lit(2)));
  CHECK_MAT(load_matrix((dir / "m.npy").string(), "", Loc{}), m);
  save_npy((dir / "v.npy").string(), col({1, 2}), Shape::vector(Dim::sym("n")));
  CHECK(read_file(dir / "v.npy").find("'shape': (2,)") != std::string::npos);
  CHECK(read_file(dir / "v.npy").size() == 128 + 16);  // the header padded to 128 bytes, 2 doubles
  CHECK_MAT(load_matrix((dir / "v.npy").string(), "", Loc{}), col({1, 2}));
  std::filesystem::remove_all(dir);
}

TEST_CASE("load: errors name the file, and the line and column inside text files", "[eval][files]") {
  using P = std::pair<Msg, std::string>;
  CHECK(load_error("missing.npy") == P{Msg::CannotReadFile, "-"});
  CHECK(load_error("X.txt") == P{Msg::LoadFormat, "-"});
  CHECK(load_error("X.npy", "X") == P{Msg::LoadMemberNotNpz, "-"});
  CHECK(load_error("not_npy.npy") == P{Msg::NpyMalformed, "-"});
  CHECK(load_error("short.npy") == P{Msg::NpyMalformed, "-"});
  CHECK(load_error("int.npy") == P{Msg::NpyUnsupported, "-"});
  CHECK(load_error("cube.npy") == P{Msg::NpyUnsupported, "-"});
  CHECK(load_error("not_zip.npz") == P{Msg::NpzMalformed, "-"});
  CHECK(load_error("data.npz") == P{Msg::NpzNeedsMember, "-"});
  CHECK(load_error("data.npz", "W") == P{Msg::NpzNoMember, "-"});
  CHECK(load_error("empty.csv") == P{Msg::FileNoData, "-"});
  CHECK(load_error("ragged.csv") == P{Msg::CsvRagged, "3:1"});
  CHECK(load_error("not_number.csv") == P{Msg::CsvNotNumber, "3:3"});
  CHECK(load_error("bad_entry.mtx") == P{Msg::MtxExpected, "4:3"});
  CHECK(load_error("outside.mtx") == P{Msg::MtxIndex, "3:1"});
  CHECK(load_error("complex.mtx") == P{Msg::MtxUnsupported, "1:34"});
}

TEST_CASE("load in --at values: shapes, later values using loaded ones, located errors", "[eval][files]") {
  auto v = parse_values("X = load(\"" + file("X.npy") + "\"); y = load(\"" + file("data.npz") +
                        "\", \"y\"); z = X*[1; 1]");
  REQUIRE(v.size() == 3);
  CHECK(v[0].name == "X");
  CHECK_MAT(v[0].value, X123456);
  CHECK_MAT(v[1].value, col({1, 0, 1}));
  CHECK_MAT(v[2].value, col({3, 7, 11}));
  CHECK(v[0].loc.line == 1);
  CHECK(v[0].loc.col == 1);

  // A file whose shape disagrees with the declaration: the error it is for a literal, at the value.
  Parsed let = parse_program("X: matrix(n, n)", "--let");
  Program prog = analyse(let);
  try {
    mcalc::bind(prog, parse_values("X = load(\"" + file("X.npy") + "\")"));
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::ValueShape);
    CHECK(e.loc().col == 1);
  }
  // Not the whole value, not strings, a missing file: located at the call or the string.
  auto where = [](const std::string& text) {
    try {
      parse_values(text);
    } catch (const UserError& e) {
      return std::string(message_name(e.id())) + "@" + std::to_string(e.loc().col);
    }
    return std::string("(no error)");
  };
  CHECK(where("X = 2*load(\"X.npy\")") == "LoadPlace@7");
  CHECK(where("X = \"X.npy\"") == "StringPlace@5");
  CHECK(where("X = load(X)") == "LoadArguments@5");
  CHECK(where("X = load(\"nowhere.npy\")") == "CannotReadFile@5");
  CHECK(where("X = load(\"X.npy)") == "SyntaxExpected@17");
}
