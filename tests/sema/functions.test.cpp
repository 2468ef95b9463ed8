// The function table: aliases, arities, suggestions.
#include <catch2/catch.hpp>

#include "sema/functions.hpp"

using namespace mcalc;
using namespace mcalc::sema;

TEST_CASE("aliases resolve to one function", "[sema][functions]") {
  CHECK(lookup_function("ln")->fn == Fn::Log);
  CHECK(lookup_function("σ")->fn == Fn::Sigmoid);
  CHECK(lookup_function("norm")->fn == Fn::Norm2);
  CHECK(lookup_function("leaky_relu")->min_args == 1);
  CHECK(lookup_function("leaky_relu")->max_args == 2);
  CHECK(lookup_function("grad")->cls == FnClass::Query);
  CHECK(lookup_function("sigmod") == nullptr);
}

TEST_CASE("unknown names get the closest known one", "[sema][functions]") {
  CHECK(suggest_function("sigmod") == "; did you mean 'sigmoid'?");
  CHECK(suggest_function("soft_max") == "; did you mean 'softmax'?");
  CHECK(suggest_function("sine") == "; did you mean 'sin'?");
  CHECK(suggest_function("frobnicate").empty());
  CHECK(suggest_function("x").empty());
  CHECK(closest_name("weight", {"x", "weights"}) == "weights");
  CHECK(closest_name("q", {"w", "x"}).empty());
}

TEST_CASE("counts are phrased in words", "[sema][functions]") {
  CHECK(count_phrase(1, 1, "argument") == "1 argument");
  CHECK(count_phrase(2, 2, "argument") == "2 arguments");
  CHECK(count_phrase(1, 2, "argument") == "1 or 2 arguments");
  CHECK(count_phrase(3, 3, "entry") == "3 entries");
  CHECK(count_phrase(0, 0, "dimension") == "0 dimensions");
}
