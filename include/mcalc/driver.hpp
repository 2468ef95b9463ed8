#pragma once
// The command layer: one request (a verb with its input and options) in, text
// or JSON out, and an exit code: 0 success, 1 a --check that failed, 2 a user
// error, 3 an internal error. The CLI (src/cli/main.cpp) only parses argv into
// a Request; everything else lives here so that tests can call it directly.
#include <iosfwd>
#include <string>

namespace mcalc::driver {

enum class Verb { Parse, CheckTypes, Eval, Run, Diff, Grad, Hessian };

struct Request {
  Verb verb = Verb::Parse;
  std::string input;            // the EXPR, or the program text for Run
  std::string origin = "<expr>";
  std::string let;              // --let declarations
  std::string at;               // --at values
  std::string wrt;              // --wrt variable
  std::string format = "text";  // text | json | latex
  std::string layout = "numerator";
  bool check = false;           // --check: compare with central finite differences
  bool expand = false;          // --expand: the derivative entry by entry at concrete sizes
  int precision = 6;            // significant digits of printed numbers
  unsigned seed = 1;            // random points for --check without --at
};

enum ExitCode { Ok = 0, CheckFailed = 1, UserFailure = 2, InternalFailure = 3 };

/// Runs one request; writes results to `out` and errors to `err`.
int run(const Request& req, std::ostream& out, std::ostream& err);

}  // namespace mcalc::driver
