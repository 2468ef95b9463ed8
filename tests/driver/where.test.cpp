// Results that share subexpressions print each once, under a name, in every
// format: text `where`, JSON `where` list, LaTeX \text{where} block; the
// printed size of a deep network's gradient is linear in its depth.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "mcalc/driver.hpp"

using mcalc::driver::Format;
using mcalc::driver::Request;
using mcalc::driver::Verb;

namespace {

/// sum(tanh(W_L*...tanh(W_1*x))) and its declarations.
Request tanh_network(int layers, Format format) {
  std::string f = "x", let = "x: vector(n)";
  for (int k = 1; k <= layers; ++k) {
    std::string w = "W" + std::to_string(k);
    f = "tanh(" + w + "*" + f + ")";
    let += "; " + w + ": matrix(n)";
  }
  Request r;
  r.verb = Verb::Grad;
  r.input = "sum(" + f + ")";
  r.let = let;
  r.wrt = "W1";
  r.format = format;
  return r;
}

std::string run(const Request& r) {
  std::ostringstream out, err;
  int code = mcalc::driver::run(r, out, err);
  INFO(err.str());
  REQUIRE(code == mcalc::driver::Ok);
  return out.str();
}

}  // namespace

TEST_CASE("where: the gradient of a deep tanh network by W1 is linear in depth", "[driver][where]") {
  std::string t3 = run(tanh_network(3, Format::Text));
  // The last layer's activation is used once in the gradient, so it stays inline.
  CHECK(t3.rfind("W2'*(W3'*(1 - tanh(W3*a2).^2).*(1 - a2.^2)).*(1 - a1.^2)*x'\n"
                 "  where a1 = tanh(W1*x), a2 = tanh(W2*a1)\n",
                 0) == 0);
  for (Format f : {Format::Text, Format::Json, Format::Latex, Format::Markdown}) {
    std::size_t s16 = run(tanh_network(16, f)).size(), s64 = run(tanh_network(64, f)).size();
    INFO(mcalc::driver::format_name(f) << ": L = 16: " << s16 << " bytes, L = 64: " << s64 << " bytes");
    // Four times the depth: about four times the size (a tree grows sixteenfold).
    CHECK(s64 < 5 * s16);
  }
}

TEST_CASE("where: JSON lists the names with their text and LaTeX", "[driver][where]") {
  auto j = nlohmann::json::parse(run(tanh_network(3, Format::Json)));
  CHECK(j["result"] == "W2'*(W3'*(1 - tanh(W3*a2).^2).*(1 - a2.^2)).*(1 - a1.^2)*x'");
  REQUIRE(j["where"].size() == 2);
  CHECK(j["where"][0]["name"] == "a1");
  CHECK(j["where"][0]["expr"] == "tanh(W1*x)");
  CHECK(j["where"][0]["latex"] == "\\tanh\\left(W_{1} \\mathbf{x}\\right)");
  CHECK(j["where"][1]["name"] == "a2");
  CHECK(j["where"][1]["expr"] == "tanh(W2*a1)");
  // Without shared subexpressions there is no where list.
  Request r = tanh_network(1, Format::Json);
  r.input = "sum(W1*x)";
  CHECK(nlohmann::json::parse(run(r)).count("where") == 0);
}

TEST_CASE("where: LaTeX and Markdown give a \\text{where} block", "[driver][where]") {
  std::string l = run(tanh_network(3, Format::Latex));
  CHECK(l.find("\n\\text{where } \\mathbf{a}_{1} = \\tanh\\left(W_{1} \\mathbf{x}\\right), \\quad \\mathbf{a}_{2} = "
               "\\tanh\\left(W_{2} \\mathbf{a}_{1}\\right)\n") != std::string::npos);
  std::string m = run(tanh_network(3, Format::Markdown));
  CHECK(m.find("$$\n\\text{where } \\mathbf{a}_{1}") != std::string::npos);
}
