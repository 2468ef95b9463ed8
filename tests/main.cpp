// The test runner: Catch2's session on a thread with the stack the command
// line gives its work (src/cli/large_stack.hpp), so that the tests of the
// nesting limits (256 levels of the recursive-descent parser, 5,000 levels of
// analysis) run as the command runs them, also in sanitizer builds, whose
// stack frames are several times larger.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "cli/large_stack.hpp"

int main(int argc, char** argv) {
  return mcalc::cli::on_large_stack([&] { return Catch::Session().run(argc, argv); });
}
