// The test runner: Catch2's session on a thread with the stack the command
// line gives its work (512 MiB, src/cli/main.cpp), so that the tests of the
// nesting limits (256 levels of the recursive-descent parser, 5,000 levels of
// analysis) run as the command runs them, also in sanitizer builds, whose
// stack frames are several times larger.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <pthread.h>

int main(int argc, char** argv) {
  struct Call {
    int argc;
    char** argv;
    int rc;
  } call{argc, argv, 0};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, std::size_t{512} << 20);
  pthread_t worker;
  auto body = [](void* p) -> void* {
    auto* c = static_cast<Call*>(p);
    c->rc = Catch::Session().run(c->argc, c->argv);
    return nullptr;
  };
  if (pthread_create(&worker, &attr, body, &call) != 0) return Catch::Session().run(argc, argv);
  pthread_join(worker, nullptr);
  return call.rc;
}
