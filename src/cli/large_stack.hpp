#pragma once
// Expressions up to limits::max_expression_depth, and their derivatives, are
// walked recursively by every stage: the command's work (src/cli/main.cpp) and
// the test runner (tests/main.cpp) run on a thread with a stack large enough
// for that (address space is reserved, pages are used as needed).
#include <cstddef>

#include <pthread.h>

namespace mcalc::cli {

inline constexpr std::size_t kWorkStackBytes = std::size_t{512} << 20;

/// f() on a thread with a kWorkStackBytes stack (on this thread if none can be started); its result.
template <class F>
int on_large_stack(F f) {
  struct Call {
    F* f;
    int rc;
  } call{&f, 0};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kWorkStackBytes);
  pthread_t worker;
  auto body = [](void* p) -> void* {
    auto* c = static_cast<Call*>(p);
    c->rc = (*c->f)();
    return nullptr;
  };
  const bool started = pthread_create(&worker, &attr, body, &call) == 0;
  pthread_attr_destroy(&attr);
  if (!started) return f();
  pthread_join(worker, nullptr);
  return call.rc;
}

}  // namespace mcalc::cli
