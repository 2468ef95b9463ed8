// Type-error goldens: every tests/corpus/errors/type_<slug>.mc must fail
// analysis with exactly the rendered error in type_<slug>.err. Set
// MCALC_UPDATE_GOLDENS=1 to rewrite the .err files (then review the diff).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sema/helpers.hpp"

using namespace mcalc;
using namespace mcalc::testing;
namespace fs = std::filesystem;

namespace {
std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

/// The error analysing `text` throws, as the command renders it, and its id.
std::pair<std::string, Msg> failure(const std::string& text, const std::string& origin) {
  try {
    analyse_text(text, origin);
  } catch (const UserError& e) {
    return {render_error(e), e.id()};
  }
  return {"", Msg::BadOption};
}

// The messages of the sema section of messages.def (and the value-section
// messages sema reports).
const std::vector<Msg> kSemaMessages = {
    Msg::UnknownFunction, Msg::ArgumentCount,     Msg::Redeclared,          Msg::UndefinedDimension,
    Msg::ShapeMismatch,   Msg::MulMismatch,       Msg::NotScalar,           Msg::NotVector,
    Msg::NotSquare,       Msg::BadIndex,          Msg::RaggedLiteral,       Msg::UnknownName,
    Msg::Redefined,       Msg::UsedBeforeDefinition, Msg::NameIsDimension,
    Msg::BadDimension,    Msg::DimensionTooLarge, Msg::DivisorNotScalar,    Msg::PowerNotSquare,
    Msg::MatrixPowerExponent, Msg::IndexOutOfRange, Msg::IndexCount,
    Msg::ValueNotConstant, Msg::UninferredSize,      Msg::QueryNotStatement,
    Msg::WrtNotName,      Msg::ValueShape,          Msg::DimensionConflict,
    Msg::WrtNotVariable,
};
}  // namespace

TEST_CASE("type-error goldens", "[sema][golden]") {
  const fs::path dir = fs::path(MCALC_SOURCE_DIR) / "tests/corpus/errors";
  const bool update = std::getenv("MCALC_UPDATE_GOLDENS") != nullptr;
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("type_", 0) == 0 && entry.path().extension() == ".mc") inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  CHECK(inputs.size() >= 22);

  std::set<Msg> seen;
  for (const auto& in : inputs) {
    const std::string origin = in.filename().string();
    auto [rendered, id] = failure(read(in), origin);
    INFO(origin);
    REQUIRE(!rendered.empty());  // the input must not type-check
    seen.insert(id);
    fs::path golden = in;
    golden.replace_extension(".err");
    if (update) {
      std::ofstream(golden, std::ios::binary) << rendered;
      continue;
    }
    REQUIRE(fs::exists(golden));
    CHECK(rendered == read(golden));
  }

  for (Msg m : kSemaMessages) {
    INFO("no test reports " << message_name(m));
    CHECK(seen.count(m) == 1);
  }
}

TEST_CASE("errors are located in their own unit", "[sema]") {
  Parsed let = parse_program("x, w: vector(n); b: scalar", "--let");
  Parsed expr = parse_expression("b*A*x + w'", "<expr>");
  try {
    analyse({&let, &expr});
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK(render_error(e) ==
          "error: <expr>:1:1: cannot add vector(m) and vector(n)': shapes differ\n"
          "  1 | b*A*x + w'\n"
          "    | ^~~~~~~~~~\n");
  }
  Parsed let2 = parse_program("x, w: vector(n); x: scalar", "--let");
  Parsed expr2 = parse_expression("x", "<expr>");
  try {
    analyse({&let2, &expr2});
    FAIL("no error");
  } catch (const UserError& e) {
    CHECK(e.id() == Msg::Redeclared);
    CHECK(e.loc().src->origin == "--let");
    CHECK(e.loc().col == 18);
  }
}
