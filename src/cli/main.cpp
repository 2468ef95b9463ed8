// mcalc: the command line. Parses argv into a driver::Request; the driver does the rest.
#include <algorithm>
#include <cctype>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>

#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/large_stack.hpp"
#include "cli/repl.hpp"
#include "mcalc/driver.hpp"
#include "mcalc/errors.hpp"
#include "mcalc/version.hpp"

namespace {
using mcalc::driver::Request;
using mcalc::driver::Verb;

std::string read_stream(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// "-" is standard input.
bool load(const std::string& path, Request& req, bool is_file) {
  if (path == "-") {
    req.input = read_stream(std::cin);
    req.origin = "<stdin>";
    return true;
  }
  if (!is_file) {
    req.input = path;
    return true;
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  req.input = read_stream(f);
  req.origin = path;
  return true;
}
/// Written by the SIGALRM handler: the rendered --timeout error, made before
/// the work starts (a signal handler may only write and exit).
std::string g_timeout_message;

extern "C" void on_timeout(int) {
  ssize_t ignored = ::write(STDERR_FILENO, g_timeout_message.data(), g_timeout_message.size());
  (void)ignored;
  ::_exit(mcalc::driver::UserFailure);
}

/// The address space the process has mapped now (the first field of /proc/self/statm, in pages).
[[maybe_unused]] rlim_t mapped_bytes() {
  std::ifstream statm("/proc/self/statm");
  unsigned long pages = 0;
  statm >> pages;
  return static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE));
}

/// The request's limits for the whole process: a time limit (SIGALRM) and an
/// address-space limit (allocation beyond it throws std::bad_alloc, which the
/// driver reports as "too complex"). Sanitizer builds reserve large shadow
/// address ranges, so they do without the memory limit.
void enforce_limits(const Request& req) {
#if !defined(__SANITIZE_ADDRESS__) && !defined(MCALC_SANITIZE)
  if (req.max_memory > 0) {  // on top of what the process has mapped already (code, libraries, stacks)
    rlim_t bytes = (static_cast<rlim_t>(req.max_memory) << 20) + mapped_bytes();
    struct rlimit rl {bytes, bytes};
    setrlimit(RLIMIT_AS, &rl);
  }
#endif
  if (req.timeout > 0) {
    g_timeout_message = mcalc::driver::render_limit_error(req, false);
    std::signal(SIGALRM, on_timeout);
    struct itimerval t {};
    t.it_value.tv_sec = static_cast<time_t>(req.timeout);
    t.it_value.tv_usec = static_cast<suseconds_t>((req.timeout - static_cast<double>(t.it_value.tv_sec)) * 1e6);
    setitimer(ITIMER_REAL, &t, nullptr);
  }
}

/// A number option's allowed range, checked before conversion so that every
/// bad value gets one sentence naming the range: "--seed: must be an integer
/// from 0 to 4294967295, not -1".
CLI::Validator within(double lo, double hi, bool integer) {
  auto text = [](double v) {
    std::ostringstream o;
    o << std::setprecision(12) << v;
    return o.str();
  };
  std::string range = std::string(integer ? "an integer" : "a number") + " from " + text(lo) + " to " + text(hi);
  return CLI::Validator(
      [lo, hi, integer, range](std::string& s) -> std::string {
        std::istringstream in(s);
        double v = 0;
        char extra = 0;
        bool ok = static_cast<bool>(in >> v) && !(in >> extra) && v >= lo && v <= hi &&
                  (!integer || v == std::floor(v));
        return ok ? std::string() : "must be " + range + ", not " + s;
      },
      integer ? "INT in [" + text(lo) + ", " + text(hi) + "]" : "NUMBER in [" + text(lo) + ", " + text(hi) + "]");
}

/// The option `name` ("--at") of `sub` or of the apps above it, if there is one.
const CLI::Option* find_option(const CLI::App* sub, const std::string& name) {
  for (; sub != nullptr; sub = sub->get_parent())
    if (const CLI::Option* o = sub->get_option_no_throw(name)) return o;
  return nullptr;
}

/// Expressions often start with a minus sign ("-log(x)", --answer "-a'", --seed -1).
/// CLI11 would take such an argument for an option, so before parsing, every
/// argument that starts with '-' but is not one of our options becomes a value:
/// glued to the option before it when that option takes a value (--at=-1), and
/// otherwise moved behind "--", where CLI11 reads only positionals.
std::vector<std::string> values_not_options(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> out, positionals;
  const CLI::App* sub = &app;
  bool after_separator = false;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    if (after_separator) {
      positionals.push_back(a);
      continue;
    }
    if (a == "--") {
      after_separator = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-') {
      if (out.empty() && sub == &app) {  // the verb
        auto named = app.get_subcommands([&a](const CLI::App* s) { return s->get_name() == a; });
        if (!named.empty()) sub = named.front();
      }
      out.push_back(a);
      continue;
    }
    std::string name = a.substr(0, a.find('='));
    const CLI::Option* opt = a == "-h" ? find_option(sub, "--help") : (a[1] == '-' ? find_option(sub, name) : nullptr);
    bool looks_like_option = a[1] == '-' && a.size() > 2 && std::isalpha(static_cast<unsigned char>(a[2]));
    if (opt == nullptr && !looks_like_option) {  // a value that starts with '-': an expression or a number
      positionals.push_back(a);
      continue;
    }
    bool takes_value = opt != nullptr && opt->get_type_size() != 0 && name.size() == a.size();
    if (takes_value && k + 1 < argc && argv[k + 1][0] == '-' && argv[k + 1][1] != '\0' &&
        find_option(sub, std::string(argv[k + 1]).substr(0, std::string(argv[k + 1]).find('='))) == nullptr) {
      out.push_back(a + "=" + argv[++k]);
      continue;
    }
    out.push_back(a);
  }
  if (!positionals.empty()) {
    out.emplace_back("--");
    out.insert(out.end(), positionals.begin(), positionals.end());
  }
  return out;
}
}  // namespace

int mcalc_main(int argc, char** argv) {
  CLI::App app{"mcalc: symbolic matrix calculus with closed-form Jacobians, gradients and Hessians"};
  // No verb: the interactive session on a terminal, an error otherwise.
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("mcalc ") + mcalc::version);

  Request req;
  std::string source, format = "text", layout = "numerator", hadamard = "odot", method, output;
  auto common = [&](CLI::App* sub, bool values, bool derivative, bool npy = false) {
    sub->add_option("--let", req.let, "declarations, e.g. \"x, w: vector(n); b: scalar\"");
    if (npy) {
      sub->add_option("--format", format, "output format (npy: the value as a NumPy array, written to --output)")
          ->check(CLI::IsMember({"text", "json", "latex", "markdown", "npy"}));
      sub->add_option("--output", output, "write the output to this file (--format npy needs it)");
    } else {
      sub->add_option("--format", format, "output format")
          ->check(CLI::IsMember({"text", "json", "latex", "markdown"}));
    }
    sub->add_option("--precision", req.precision, "significant digits of printed numbers")->check(within(1, 17, true));
    sub->add_option("--decimals", req.decimals, "print numbers with exactly this many decimals (the lecture uses 4)")
        ->check(within(0, 17, true));
    if (values) sub->add_option("--at", req.at, "values, e.g. \"x = [1; 2; 3]; b = 0.5\"");
    sub->add_option("--timeout", req.timeout, "time limit in seconds, 0 for none (default 10; train: none)")
        ->check(within(0, 1e6, false));
    sub->add_option("--max-memory", req.max_memory, "memory limit in MiB, 0 for none (default 4096)")
        ->check(within(0, 1 << 30, true));
    if (derivative) {
      sub->add_option("--layout", layout, "numerator (default) or denominator")
          ->check(CLI::IsMember({"numerator", "denominator"}));
      sub->add_flag("--check", req.check, "compare with central finite differences (exit code 1 on failure)");
      sub->add_option("--seed", req.seed, "seed of the random point used by --check without --at")
          ->check(within(0, 4294967295.0, true));
      sub->add_option("--emit", req.emit, "print the derivative as code: a function returning (value, derivative)")
          ->check(CLI::IsMember({"numpy", "torch", "cpp"}));
      sub->add_option("--name", req.emit_name, "the name of the emitted function (default value_and_grad)");
      sub->add_flag("--emit-check", req.emit_check, "also emit check_<name>: central differences of the value");
    }
  };
  // Limits of evaluation (docs/language.md#limits), on the verbs that evaluate expressions.
  auto eval_limits = [&](CLI::App* sub) {
    sub->add_option("--max-elements", req.max_elements, "largest dense value evaluated, in entries (default 50000000)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
    sub->add_option("--max-work", req.max_work, "largest cost of one dense operation, in multiply-adds (default 2e10)")
        ->check(CLI::Range(1.0, 1e18));
  };
  struct VerbSpec { const char* name; Verb verb; const char* help; };
  const VerbSpec verbs[] = {
      {"parse", Verb::Parse, "parse EXPR and print it in canonical form with its types"},
      {"check-types", Verb::CheckTypes, "type-check EXPR and print its shape and the types of its names"},
      {"eval", Verb::Eval, "evaluate EXPR numerically at the --at values"},
      {"diff", Verb::Diff, "derivative (Jacobian) of EXPR with respect to --wrt"},
      {"grad", Verb::Grad, "gradient of a scalar EXPR with respect to --wrt (shape of the variable)"},
      {"hessian", Verb::Hessian, "Hessian of a scalar EXPR with respect to the vector --wrt"},
      {"derive", Verb::Derive, "the derivative of EXPR by --wrt step by step: intermediates, local partials, chain rule"},
  };
  for (const auto& v : verbs) {
    CLI::App* sub = app.add_subcommand(v.name, v.help);
    sub->add_option("EXPR", source, "the expression ('-' reads standard input)")->required();
    bool derivative = v.verb == Verb::Diff || v.verb == Verb::Grad || v.verb == Verb::Hessian || v.verb == Verb::Derive;
    bool values = v.verb != Verb::Parse && v.verb != Verb::CheckTypes;
    common(sub, values, derivative && v.verb != Verb::Derive, values && v.verb != Verb::Derive);
    if (v.verb == Verb::Derive)
      sub->add_option("--layout", layout, "numerator (default) or denominator")
          ->check(CLI::IsMember({"numerator", "denominator"}));
    if (derivative) sub->add_option("--wrt", req.wrt, "the variable")->required();
    if (v.verb == Verb::Derive) {
      sub->add_flag("--standalone", req.standalone, "with --format latex: a whole document for pdflatex");
      sub->add_option("--hadamard", hadamard, "otimes (the lecture's ⊗) or odot (⊙, default)")
          ->check(CLI::IsMember({"otimes", "odot"}));
      sub->add_option("--method", method,
                      "chain (Jacobians multiplied in order) or backprop (adjoints from f down); default: "
                      "backprop for a scalar f with a matrix or two layers on the way, chain otherwise")
          ->check(CLI::IsMember({"chain", "backprop"}));
    }
    if (v.verb != Verb::Parse && v.verb != Verb::CheckTypes) eval_limits(sub);
    if (derivative && v.verb != Verb::Derive)
      sub->add_flag("--expand", req.expand,
                    "also write the derivative out entry by entry at concrete sizes (x1, x2, ...; A11, A12, ...) "
                    "and check it against GiNaC's entry-wise derivative");
    sub->callback([&req, verb = v.verb] { req.verb = verb; });
  }
  CLI::App* run = app.add_subcommand("run", "run a program file (.mc); '-' reads standard input");
  run->add_option("FILE", source, "the program")->required();
  common(run, true, true);
  eval_limits(run);
  run->callback([&req] { req.verb = Verb::Run; });

  CLI::App* checkv = app.add_subcommand("check", "check an answer (--answer) to diff/grad/hessian of EXPR, or a batch");
  checkv->add_option("EXPR", source, "the question's expression ('-' reads standard input)");
  checkv->add_option("--wrt", req.wrt, "the variable");
  checkv->add_option("--answer", req.answer, "the answer to check, in the language");
  checkv->add_option("--op", req.op, "diff (default), grad or hessian")
      ->check(CLI::IsMember({"diff", "grad", "hessian"}));
  checkv->add_option("--let", req.let, "declarations, e.g. \"x, w: vector(n); b: scalar\"");
  checkv->add_option("--layout", layout, "numerator (default), denominator, or any (either is right)")
      ->check(CLI::IsMember({"numerator", "denominator", "any"}));
  checkv->add_option("--format", format, "output format")->check(CLI::IsMember({"text", "json", "latex", "markdown"}));
  checkv->add_option("--batch", req.batch_file, "grade every record of a .jsonl or .csv file (one JSON verdict a line)");
  checkv->add_option("--timeout", req.check_timeout, "seconds per answer (default 2)")->check(CLI::Range(0.001, 3600.0));
  checkv->add_option("--jobs", req.jobs, "answers checked at once (default: one per core)")->check(CLI::Range(1, 64));
  checkv->add_option("--seed", req.seed, "seed of the random points");
  checkv->callback([&req] {
    req.verb = Verb::Check;
    req.timeout = 0;  // each answer is bounded by its own --timeout, in its own process
  });

  CLI::App* step = app.add_subcommand("step", "one gradient-descent step of a network program, neuron by neuron");
  step->add_option("FILE", source, "the program")->required();
  common(step, true, false);
  step->add_option("--loss", req.loss, "the scalar loss (default L)");
  step->add_option("--lr", req.lr, "learning rate (default 0.1)");
  step->add_option("--params", req.params, "parameters, e.g. W1,b1 (default: see docs/cli.md)");
  step->add_option("--data-names", req.data_names, "names that are data, not parameters (default x,y,X,Y)");
  step->callback([&req] { req.verb = Verb::Step; });

  CLI::App* trainv = app.add_subcommand("train", "gradient descent over a CSV data set");
  trainv->add_option("FILE", source, "the program")->required();
  common(trainv, false, false);
  trainv->remove_option(trainv->get_option("--decimals"));  // train prints with --precision
  trainv->add_option("--data", req.data, "the data (CSV with a header row)")->required();
  trainv->add_option("--loss", req.loss, "the scalar loss (default L)");
  trainv->add_option("--lr", req.lr, "learning rate (default 0.1)");
  trainv->add_option("--epochs", req.epochs, "passes over the data (default 100)")->check(within(0, 1e9, true));
  trainv->add_option("--batch", req.batch, "mini-batch size (default: the whole data set)")
      ->check(within(0, 1e12, true));
  trainv->add_option("--params", req.params, "parameters, e.g. W1,b1 (default: see docs/cli.md)");
  trainv->add_option("--data-names", req.data_names, "names that are data besides the CSV columns (default x,y,X,Y)");
  trainv->add_option("--seed", req.seed, "seed of the initial values of parameters declared without one")
      ->check(within(0, 4294967295.0, true));
  trainv->add_flag("--accuracy", req.accuracy, "report the accuracy of the prediction (threshold 0.5)");
  trainv->add_option("--predict", req.predict, "the prediction for --accuracy (default: the last layer's output)");
  trainv->add_option("--label", req.label, "the labels for --accuracy (default y, or Y)");
  trainv->add_option("--loss-csv", req.loss_csv, "write the loss per epoch to this CSV file");
  trainv->add_option("--save", req.save, "write the trained parameters as a .mc program");
  trainv->callback([&req, trainv] {
    req.verb = Verb::Train;
    if (trainv->count("--timeout") == 0) req.timeout = 0;  // training runs as long as it is asked to
    req.terminal = isatty(STDOUT_FILENO) != 0;
  });

  bool interactive = false;
  CLI::App* replv = app.add_subcommand("repl", "an interactive session (also: mcalc with no arguments on a terminal)");
  replv->add_option("--format", format, "output format")->check(CLI::IsMember({"text", "json", "latex", "markdown"}));
  replv->add_option("--layout", layout, "numerator (default) or denominator")
      ->check(CLI::IsMember({"numerator", "denominator"}));
  replv->add_option("--precision", req.precision, "significant digits of printed numbers")->check(within(1, 17, true));
  replv->callback([&interactive] { interactive = true; });

  try {
    std::vector<std::string> args = values_not_options(app, argc, argv);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    app.parse(args);
    if (app.get_subcommands().empty()) {
      if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) throw CLI::RequiredError("A subcommand");
      interactive = true;
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\nRun 'mcalc --help' for the verbs and options.\n";
    return mcalc::driver::UserFailure;
  }
  // Both were checked against their names above ("any" only for check).
  req.format = *mcalc::driver::parse_format(format);
  req.any_layout = layout == "any";
  req.layout = req.any_layout ? mcalc::Layout::Numerator : *mcalc::driver::parse_layout(layout);
  req.otimes = hadamard == "otimes";
  req.method = method == "chain"      ? mcalc::DeriveMethod::Chain
               : method == "backprop" ? mcalc::DeriveMethod::Backprop
                                      : mcalc::DeriveMethod::Auto;
  if (interactive) return mcalc::cli::repl(req);  // no time or memory limit on a session
  if (req.format == mcalc::driver::Format::Npy && output.empty()) {
    std::cerr << mcalc::render_error(
        mcalc::UserError(mcalc::Msg::BadOption, {"--format npy writes a binary file: name it with --output FILE"}));
    return mcalc::driver::UserFailure;
  }
  if (!(req.verb == Verb::Check && source.empty()) &&
      !load(source, req, req.verb == Verb::Run || req.verb == Verb::Step || req.verb == Verb::Train)) {
    std::cerr << mcalc::render_error(mcalc::UserError(mcalc::Msg::CannotReadFile, {source}));
    return mcalc::driver::UserFailure;
  }
  enforce_limits(req);
  if (!output.empty()) {
    std::ofstream file(output, std::ios::binary);
    int code = file ? mcalc::driver::run(req, file, std::cerr) : mcalc::driver::UserFailure;
    file.close();
    if (code != mcalc::driver::Ok && code != mcalc::driver::CheckFailed) std::remove(output.c_str());
    if (!file) {
      std::cerr << mcalc::render_error(mcalc::UserError(mcalc::Msg::CannotWriteFile, {output}));
      return mcalc::driver::UserFailure;
    }
    return code;
  }
  return mcalc::driver::run(req, std::cout, std::cerr);
}

/// The work runs on a thread with a large stack (src/cli/large_stack.hpp).
namespace {
/// GiNaC orders the terms of a sum by hashes that mix in the addresses of its type descriptors, so under
/// address-space layout randomisation the same question could print an equal result in another form from
/// one run to the next. mcalc re-executes itself once with randomisation off (personality(2), as
/// `setarch -R` does), so that equal inputs give equal outputs; where the system refuses, it runs as it is.
void reproducible_layout(char** argv) {
  const int p = personality(0xffffffff);
  if (p == -1 || (p & ADDR_NO_RANDOMIZE) != 0) return;
  if (personality(static_cast<unsigned long>(p) | ADDR_NO_RANDOMIZE) == -1) return;
  execv("/proc/self/exe", argv);
  personality(static_cast<unsigned long>(p));  // not re-executed: run as it is
}
}  // namespace

int main(int argc, char** argv) {
  reproducible_layout(argv);
  return mcalc::cli::on_large_stack([&] { return mcalc_main(argc, argv); });
}
