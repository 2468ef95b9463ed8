// Answers are checked in child processes, each bounded in time (a watchdog
// kills it at its deadline) and in memory (RLIMIT_AS): whatever an answer
// does (A^1000000, x.^1e308, a megabyte of text), the caller gets a verdict,
// "too complex" past a limit. A batch keeps `jobs` children running at once.
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "mcalc/check.hpp"

namespace mcalc::check {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

/// Address space of one check: far above what any sensible answer needs.
constexpr rlim_t kMemoryLimit = rlim_t(2) << 30;

#if defined(__SANITIZE_ADDRESS__) || defined(MCALC_SANITIZE)
constexpr bool kLimitMemory = false;  // AddressSanitizer reserves terabytes of address space
#else
constexpr bool kLimitMemory = true;
#endif

struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::size_t index = 0;
  Clock::time_point deadline;
  std::string out;
};

std::string run_check(const Question& q, const std::string& answer, const Options& o) {
  try {
    return to_json(check_answer(q, answer, o)).dump();
  } catch (const InternalError& e) {
    return json{{"internal", e.what()}}.dump();
  } catch (const std::bad_alloc&) {
    return json{{"verdict", "too complex"}, {"error", "the check ran out of memory"}}.dump();
  } catch (const std::exception& e) {
    return json{{"internal", std::string("unexpected exception: ") + e.what()}}.dump();
  }
}

Child spawn(const Question& q, const std::string& answer, const Options& o, std::size_t index) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("cannot create a pipe");
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error("cannot start a process");
  }
  if (pid == 0) {
    close(fds[0]);
    if (kLimitMemory) {
      rlimit r{kMemoryLimit, kMemoryLimit};
      setrlimit(RLIMIT_AS, &r);
    }
    std::string out = run_check(q, answer, o);
    const char* p = out.data();
    std::size_t left = out.size();
    while (left > 0) {
      ssize_t w = write(fds[1], p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    _exit(0);  // no destructors, no atexit handlers of the parent's state
  }
  close(fds[1]);
  Child c;
  c.pid = pid;
  c.fd = fds[0];
  c.index = index;
  c.deadline = Clock::now() + std::chrono::microseconds(static_cast<long>(o.timeout * 1e6));
  return c;
}

Result too_complex(const std::string& why) {
  Result r;
  r.verdict = Verdict::TooComplex;
  r.error = why;
  return r;
}

std::string seconds(double t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", t);
  return buf;
}

/// The result of a child that has closed its pipe (or been killed).
Result finish(Child& c, bool killed, const Options& o) {
  if (killed) kill(c.pid, SIGKILL);
  close(c.fd);
  int status = 0;
  while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (killed)
    return too_complex("the check took longer than the limit of " + seconds(o.timeout) + " s (--timeout)");
  json j = json::parse(c.out, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    if (WIFSIGNALED(status))
      return too_complex("the check stopped with signal " + std::to_string(WTERMSIG(status)) +
                         " (usually memory exhausted)");
    return too_complex("the check ended without a verdict");
  }
  if (j.contains("internal")) throw InternalError(j["internal"].get<std::string>());
  return result_from_json(j);
}

}  // namespace

std::vector<Result> check_batch(const std::vector<Record>& records, const Options& o, int jobs) {
  std::vector<Result> results(records.size());
  std::vector<Child> running;
  std::size_t next = 0;
  jobs = std::max(1, jobs);
  auto stop_all = [&] {
    for (auto& c : running) {
      kill(c.pid, SIGKILL);
      close(c.fd);
      waitpid(c.pid, nullptr, 0);
    }
    running.clear();
  };
  try {
    while (next < records.size() || !running.empty()) {
      while (next < records.size() && static_cast<int>(running.size()) < jobs) {
        const Record& r = records[next];
        if (!r.error.empty()) {
          results[next].verdict = Verdict::InvalidAnswer;
          results[next].answer = r.answer;
          results[next].error = r.error;
        } else {
          running.push_back(spawn(r.question, r.answer, o, next));
        }
        ++next;
      }
      if (running.empty()) continue;
      std::vector<pollfd> fds;
      Clock::time_point soonest = running[0].deadline;
      for (const auto& c : running) {
        fds.push_back({c.fd, POLLIN, 0});
        soonest = std::min(soonest, c.deadline);
      }
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now()).count();
      int n = poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait) + 1));
      if (n < 0 && errno != EINTR) throw std::runtime_error("poll failed");
      std::vector<Child> still;
      for (std::size_t k = 0; k < running.size(); ++k) {
        Child& c = running[k];
        bool done = false, killed = false;
        if (n > 0 && (fds[k].revents & (POLLIN | POLLHUP | POLLERR))) {
          char buf[65536];
          ssize_t got = read(c.fd, buf, sizeof buf);
          if (got > 0) c.out.append(buf, static_cast<std::size_t>(got));
          else if (got == 0 || errno != EINTR) done = true;
        }
        if (!done && Clock::now() >= c.deadline) done = killed = true;
        if (done) {
          Result r = finish(c, killed, o);
          if (r.answer.empty()) r.answer = records[c.index].answer;
          results[c.index] = std::move(r);
        } else {
          still.push_back(std::move(c));
        }
      }
      running = std::move(still);
    }
  } catch (...) {
    stop_all();
    throw;
  }
  return results;
}

Result check_isolated(const Question& question, const std::string& answer, const Options& options) {
  Record r{"", question, answer, ""};
  return check_batch({r}, options, 1).front();
}

}  // namespace mcalc::check
