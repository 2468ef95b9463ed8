// mcalc: the command line. Parses argv into a driver::Request; the driver does the rest.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <unistd.h>

#include <CLI/CLI.hpp>

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
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mcalc: symbolic matrix calculus with closed-form Jacobians, gradients and Hessians"};
  // No verb: the interactive session on a terminal, an error otherwise.
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("mcalc ") + mcalc::version);

  Request req;
  std::string source, format = "text", layout = "numerator", output;
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
    sub->add_option("--precision", req.precision, "significant digits of printed numbers")->check(CLI::Range(1, 17));
    sub->add_option("--decimals", req.decimals, "print numbers with exactly this many decimals (the lecture uses 4)")
        ->check(CLI::Range(0, 17));
    if (values) sub->add_option("--at", req.at, "values, e.g. \"x = [1; 2; 3]; b = 0.5\"");
    if (derivative) {
      sub->add_option("--layout", layout, "numerator (default) or denominator")
          ->check(CLI::IsMember({"numerator", "denominator"}));
      sub->add_flag("--check", req.check, "compare with central finite differences (exit code 1 on failure)");
      sub->add_option("--seed", req.seed, "seed of the random point used by --check without --at");
      sub->add_option("--emit", req.emit, "print the derivative as code: a function returning (value, derivative)")
          ->check(CLI::IsMember({"numpy", "torch", "cpp"}));
      sub->add_option("--name", req.emit_name, "the name of the emitted function (default value_and_grad)");
      sub->add_flag("--emit-check", req.emit_check, "also emit check_<name>: central differences of the value");
    }
  };
  struct VerbSpec { const char* name; Verb verb; const char* help; };
  const VerbSpec verbs[] = {
      {"parse", Verb::Parse, "parse EXPR and print it in canonical form with its types"},
      {"check-types", Verb::CheckTypes, "type-check EXPR and print its shape and the types of its names"},
      {"eval", Verb::Eval, "evaluate EXPR numerically at the --at values"},
      {"diff", Verb::Diff, "derivative (Jacobian) of EXPR with respect to --wrt"},
      {"grad", Verb::Grad, "gradient of a scalar EXPR with respect to --wrt (shape of the variable)"},
      {"hessian", Verb::Hessian, "Hessian of a scalar EXPR with respect to the vector --wrt"},
  };
  for (const auto& v : verbs) {
    CLI::App* sub = app.add_subcommand(v.name, v.help);
    sub->add_option("EXPR", source, "the expression ('-' reads standard input)")->required();
    bool derivative = v.verb == Verb::Diff || v.verb == Verb::Grad || v.verb == Verb::Hessian;
    bool values = v.verb != Verb::Parse && v.verb != Verb::CheckTypes;
    common(sub, values, derivative, values);
    if (derivative) sub->add_option("--wrt", req.wrt, "the variable")->required();
    if (derivative)
      sub->add_flag("--expand", req.expand,
                    "also write the derivative out entry by entry at concrete sizes (x1, x2, ...; A11, A12, ...) "
                    "and check it against GiNaC's entry-wise derivative");
    sub->callback([&req, verb = v.verb] { req.verb = verb; });
  }
  CLI::App* run = app.add_subcommand("run", "run a program file (.mc); '-' reads standard input");
  run->add_option("FILE", source, "the program")->required();
  common(run, true, true);
  run->callback([&req] { req.verb = Verb::Run; });

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
  trainv->add_option("--epochs", req.epochs, "passes over the data (default 100)");
  trainv->add_option("--batch", req.batch, "mini-batch size (default: the whole data set)");
  trainv->add_option("--params", req.params, "parameters, e.g. W1,b1 (default: see docs/cli.md)");
  trainv->add_option("--data-names", req.data_names, "names that are data besides the CSV columns (default x,y,X,Y)");
  trainv->add_option("--seed", req.seed, "seed of the initial values of parameters declared without one");
  trainv->add_flag("--accuracy", req.accuracy, "report the accuracy of the prediction (threshold 0.5)");
  trainv->add_option("--predict", req.predict, "the prediction for --accuracy (default: the last layer's output)");
  trainv->add_option("--label", req.label, "the labels for --accuracy (default y, or Y)");
  trainv->add_option("--loss-csv", req.loss_csv, "write the loss per epoch to this CSV file");
  trainv->add_option("--save", req.save, "write the trained parameters as a .mc program");
  trainv->callback([&req] {
    req.verb = Verb::Train;
    req.terminal = isatty(STDOUT_FILENO) != 0;
  });

  bool interactive = false;
  CLI::App* replv = app.add_subcommand("repl", "an interactive session (also: mcalc with no arguments on a terminal)");
  replv->add_option("--format", format, "output format")->check(CLI::IsMember({"text", "json", "latex", "markdown"}));
  replv->add_option("--layout", layout, "numerator (default) or denominator")
      ->check(CLI::IsMember({"numerator", "denominator"}));
  replv->add_option("--precision", req.precision, "significant digits of printed numbers")->check(CLI::Range(1, 17));
  replv->callback([&interactive] { interactive = true; });

  try {
    app.parse(argc, argv);
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
  // Both were checked against their names above.
  req.format = *mcalc::driver::parse_format(format);
  req.layout = *mcalc::driver::parse_layout(layout);
  if (interactive) return mcalc::cli::repl(req);
  if (req.format == mcalc::driver::Format::Npy && output.empty()) {
    std::cerr << mcalc::render_error(
        mcalc::UserError(mcalc::Msg::BadOption, {"--format npy writes a binary file: name it with --output FILE"}));
    return mcalc::driver::UserFailure;
  }
  if (!load(source, req, req.verb == Verb::Run || req.verb == Verb::Step || req.verb == Verb::Train)) {
    std::cerr << mcalc::render_error(mcalc::UserError(mcalc::Msg::CannotReadFile, {source}));
    return mcalc::driver::UserFailure;
  }
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
