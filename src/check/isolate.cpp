// Answers are checked in worker processes, each answer bounded in time (a
// watchdog kills the worker at the answer's deadline and starts another) and
// every worker in memory (RLIMIT_AS): whatever an answer does (A^1000000,
// x.^1e308, a megabyte of text), the caller gets a verdict, "too complex" past
// a limit. A batch keeps `jobs` workers busy; each checks many answers, so a
// batch forks about `jobs` times rather than once per answer.
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "mcalc/check.hpp"

namespace mcalc::check {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

/// Address space of one worker: far above what any sensible answer needs.
constexpr rlim_t kMemoryLimit = rlim_t(2) << 30;

/// A worker is replaced after this many records, so that what earlier answers left in its heap
/// (fragments of a large one) never counts against a later answer's memory limit.
constexpr std::size_t kRecordsPerWorker = 64;

#if defined(__SANITIZE_ADDRESS__) || defined(MCALC_SANITIZE)
constexpr bool kLimitMemory = false;  // AddressSanitizer reserves terabytes of address space
#else
constexpr bool kLimitMemory = true;
#endif

/// A worker process: forked once, it checks the records whose indices it is sent, one at a time,
/// and answers each with a frame (8-byte length, then the result as JSON). It sees the records in
/// its copy of the parent's memory, so only indices cross the pipe. A worker past a record's
/// deadline is killed and replaced; one fork serves many records (docs/checking.md#throughput).
struct Worker {
  pid_t pid = -1;
  int to = -1;    // indices to check (the write end)
  int from = -1;  // frames (the read end)
  bool busy = false;
  std::size_t index = 0;
  std::size_t checked = 0;  // records this worker has checked
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

bool write_all(int fd, const char* p, std::size_t left) {
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  return true;
}

bool read_all(int fd, char* p, std::size_t left) {
  while (left > 0) {
    ssize_t r = read(fd, p, left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    left -= static_cast<std::size_t>(r);
  }
  return true;
}

[[noreturn]] void worker_loop(const std::vector<Record>& records, const Options& o, int in, int out) {
  if (kLimitMemory) {
    rlimit r{kMemoryLimit, kMemoryLimit};
    setrlimit(RLIMIT_AS, &r);
  }
  std::uint64_t index = 0;
  while (read_all(in, reinterpret_cast<char*>(&index), sizeof index) && index < records.size()) {
    const Record& r = records[index];
    const std::string result = run_check(r.question, r.answer, o);
    const std::uint64_t size = result.size();
    if (!write_all(out, reinterpret_cast<const char*>(&size), sizeof size) ||
        !write_all(out, result.data(), result.size()))
      break;
  }
  _exit(0);  // no destructors, no atexit handlers of the parent's state
}

Worker start_worker(const std::vector<Record>& records, const Options& o, const std::vector<Worker>& others) {
  int task[2], result[2];
  if (pipe(task) != 0) throw std::runtime_error("cannot create a pipe");
  if (pipe(result) != 0) {
    close(task[0]);
    close(task[1]);
    throw std::runtime_error("cannot create a pipe");
  }
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {task[0], task[1], result[0], result[1]}) close(fd);
    throw std::runtime_error("cannot start a process");
  }
  if (pid == 0) {
    // The other workers' pipes stay with the parent: a worker must see the end of its own input alone.
    for (const Worker& w : others) {
      if (w.to >= 0) close(w.to);
      if (w.from >= 0) close(w.from);
    }
    close(task[1]);
    close(result[0]);
    worker_loop(records, o, task[0], result[1]);
  }
  close(task[0]);
  close(result[1]);
  Worker w;
  w.pid = pid;
  w.to = task[1];
  w.from = result[0];
  return w;
}

/// Ends a worker: killed (past a deadline, or when the batch stops) or told there is no more work.
int stop_worker(Worker& w, bool kill_it) {
  if (kill_it) kill(w.pid, SIGKILL);
  close(w.to);
  close(w.from);
  int status = 0;
  while (waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
  }
  w = Worker{};
  return status;
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

/// The verdict in one frame of a worker.
Result from_frame(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return too_complex("the check ended without a verdict");
  if (j.contains("internal")) throw InternalError(j["internal"].get<std::string>());
  return result_from_json(j);
}

/// The verdict for a worker that died in the middle of a record.
Result died(int status) {
  if (WIFSIGNALED(status))
    return too_complex("the check stopped with signal " + std::to_string(WTERMSIG(status)) +
                       " (usually memory exhausted)");
  return too_complex("the check ended without a verdict");
}

/// Writing to a worker that has died must be an error to handle, not the end of the caller (SIGPIPE).
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_);
  }
  ~IgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

}  // namespace

std::vector<Result> check_batch(const std::vector<Record>& records, const Options& o, int jobs) {
  std::vector<Result> results(records.size());
  const IgnoreSigpipe no_sigpipe;
  std::vector<Worker> workers;
  std::size_t next = 0;
  jobs = std::max(1, jobs);
  auto stop_all = [&](bool kill_them) {
    for (auto& w : workers)
      if (w.pid > 0) stop_worker(w, kill_them);
    workers.clear();
  };
  auto settle = [&](Worker& w, Result r) {
    if (r.answer.empty()) r.answer = records[w.index].answer;
    results[w.index] = std::move(r);
    w.busy = false;
  };
  const auto timeout = std::chrono::microseconds(static_cast<long>(o.timeout * 1e6));
  try {
    while (true) {
      // Hand out work: records that could not be read are settled here, the rest go to idle workers.
      for (std::size_t k = 0; k < workers.size() || (static_cast<int>(k) < jobs && next < records.size()); ++k) {
        while (next < records.size() && !records[next].error.empty()) {
          results[next].verdict = Verdict::InvalidAnswer;
          results[next].answer = records[next].answer;
          results[next].error = records[next].error;
          ++next;
        }
        if (next >= records.size()) break;
        if (k == workers.size()) workers.push_back(start_worker(records, o, workers));
        Worker& w = workers[k];
        if (w.busy) continue;
        if (w.pid > 0 && w.checked >= kRecordsPerWorker) stop_worker(w, false);  // told no more: it exits
        if (w.pid < 0) w = start_worker(records, o, workers);
        const std::uint64_t index = next;
        if (!write_all(w.to, reinterpret_cast<const char*>(&index), sizeof index)) {
          // It died between records: a fresh one takes the record.
          stop_worker(w, true);
          w = start_worker(records, o, workers);
          if (!write_all(w.to, reinterpret_cast<const char*>(&index), sizeof index))
            throw std::runtime_error("cannot hand a record to a worker");
        }
        w.busy = true;
        ++w.checked;
        w.index = next++;
        w.deadline = Clock::now() + timeout;
        w.out.clear();
      }
      std::vector<std::size_t> busy;
      for (std::size_t k = 0; k < workers.size(); ++k)
        if (workers[k].busy) busy.push_back(k);
      if (busy.empty()) break;
      std::vector<pollfd> fds;
      Clock::time_point soonest = workers[busy[0]].deadline;
      for (std::size_t k : busy) {
        fds.push_back({workers[k].from, POLLIN, 0});
        soonest = std::min(soonest, workers[k].deadline);
      }
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now()).count();
      int n = poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait) + 1));
      if (n < 0 && errno != EINTR) throw std::runtime_error("poll failed");
      for (std::size_t b = 0; b < busy.size(); ++b) {
        Worker& w = workers[busy[b]];
        if (n > 0 && (fds[b].revents & (POLLIN | POLLHUP | POLLERR))) {
          char buf[65536];
          ssize_t got = read(w.from, buf, sizeof buf);
          if (got > 0) {
            w.out.append(buf, static_cast<std::size_t>(got));
          } else if (got == 0 || errno != EINTR) {  // it died in the middle of the record
            const std::size_t index = w.index;
            const int status = stop_worker(w, true);
            w.index = index;
            settle(w, died(status));
            continue;
          }
          std::uint64_t size = 0;
          if (w.out.size() >= sizeof size) {
            std::memcpy(&size, w.out.data(), sizeof size);
            if (w.out.size() >= sizeof size + size) {
              settle(w, from_frame(w.out.substr(sizeof size, size)));
              w.out.clear();
              continue;
            }
          }
        }
        if (Clock::now() >= w.deadline) {
          const std::size_t index = w.index;
          stop_worker(w, true);
          w.index = index;
          settle(w, too_complex("the check took longer than the limit of " + seconds(o.timeout) + " s (--timeout)"));
        }
      }
    }
  } catch (...) {
    stop_all(true);
    throw;
  }
  stop_all(false);
  return results;
}

Result check_isolated(const Question& question, const std::string& answer, const Options& options) {
  Record r{"", question, answer, ""};
  return check_batch({r}, options, 1).front();
}

}  // namespace mcalc::check
