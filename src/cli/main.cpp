// mcalc: the command line. Parses argv into a driver::Request; the driver does the rest.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <CLI/CLI.hpp>

#include "mcalc/driver.hpp"
#include "mcalc/errors.hpp"

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
  app.require_subcommand(1);
  app.set_version_flag("--version", "mcalc 0.1.0");

  Request req;
  std::string source;
  auto common = [&](CLI::App* sub, bool values, bool derivative) {
    sub->add_option("--let", req.let, "declarations, e.g. \"x, w: vector(n); b: scalar\"");
    sub->add_option("--format", req.format, "output format")->check(CLI::IsMember({"text", "json", "latex"}));
    sub->add_option("--precision", req.precision, "significant digits of printed numbers")->check(CLI::Range(1, 17));
    if (values) sub->add_option("--at", req.at, "values, e.g. \"x = [1; 2; 3]; b = 0.5\"");
    if (derivative) {
      sub->add_option("--layout", req.layout, "numerator (default) or denominator")
          ->check(CLI::IsMember({"numerator", "denominator"}));
      sub->add_flag("--check", req.check, "compare with central finite differences (exit code 1 on failure)");
      sub->add_option("--seed", req.seed, "seed of the random point used by --check without --at");
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
    common(sub, v.verb != Verb::Parse && v.verb != Verb::CheckTypes, derivative);
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : mcalc::driver::UserFailure;
  }
  if (!load(source, req, req.verb == Verb::Run)) {
    std::cerr << mcalc::render_error(mcalc::UserError(mcalc::Msg::CannotReadFile, {source}));
    return mcalc::driver::UserFailure;
  }
  return mcalc::driver::run(req, std::cout, std::cerr);
}
