#pragma once
/// \file
/// The command layer: one request (a verb with its input and options) in, the
/// rendered result out, and an exit code: 0 success, 1 a --check that failed,
/// 2 a user error, 3 an internal error. The CLI (src/cli/main.cpp) only parses
/// argv into a Request; everything else lives here so that tests can call it
/// directly. Each verb builds a result object (src/driver/results.hpp) that one
/// renderer per format writes out (src/driver/render.hpp); docs/architecture.md.
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "mcalc/derive.hpp"
#include "mcalc/diff.hpp"

#include "mcalc/limits.hpp"

namespace mcalc::driver {

enum class Verb { Parse, CheckTypes, Eval, Run, Diff, Grad, Hessian, Derive, Step, Train, Check };

/// --format: how a result is written out.
enum class Format { Text, Json, Latex, Markdown, Npy };
/// "text", "json", "latex", "markdown", "npy"; nullopt for any other name.
std::optional<Format> parse_format(std::string_view name);
const char* format_name(Format f);
/// "numerator", "denominator"; nullopt for any other name.
std::optional<Layout> parse_layout(std::string_view name);
const char* layout_name(Layout l);

struct Request {
  Verb verb = Verb::Parse;
  std::string input;            // the EXPR, or the program text for Run
  std::string origin = "<expr>";
  std::string let;              // --let declarations
  std::string at;               // --at values
  std::string wrt;              // --wrt variable
  Format format = Format::Text;  // Npy: the value (eval, diff, grad, hessian) as a NumPy array, binary
  Layout layout = Layout::Numerator;
  bool check = false;           // --check: compare with central finite differences
  bool expand = false;          // --expand: the derivative entry by entry at concrete sizes
  bool standalone = false;      // derive --standalone: a whole LaTeX document
  bool otimes = false;          // derive --hadamard otimes: the Hadamard product as ⊗ (the lecture), not ⊙
  DeriveMethod method = DeriveMethod::Auto;  // derive --method chain|backprop
  std::string emit;             // --emit numpy|torch|cpp: print the derivative as code (docs/codegen.md)
  std::string emit_name = "value_and_grad";  // --name: the emitted function's name
  bool emit_check = false;      // --emit-check: also emit check_<name> (central differences)
  int precision = 6;            // significant digits of printed numbers
  unsigned seed = 1;            // random points for --check without --at; initial parameters of train
  // step and train (src/driver/train_verbs.cpp)
  std::string loss = "L";       // --loss: the name of the scalar loss
  double lr = 0.1;              // --lr: learning rate
  std::string params;           // --params W1,b1,...: empty = the default rule (docs/cli.md)
  std::string data_names = "x,y,X,Y";  // --data-names: names that are data, not parameters
  int decimals = -1;            // --decimals N: exactly N digits after the point (step: 4 when not given)
  std::string data;             // train --data: CSV file
  int epochs = 100;             // train --epochs
  long batch = 0;               // train --batch: mini-batch size, 0 = the whole data set
  bool accuracy = false;        // train --accuracy
  std::string predict, label;   // train --predict / --label (defaults: last layer's output, y or Y)
  std::string loss_csv;         // train --loss-csv FILE
  std::string save;             // train --save FILE.mc
  bool terminal = false;        // standard output is a terminal: train shows a progress bar
  // check (src/driver/check_verb.cpp)
  bool any_layout = false;      // --layout any: either layout is right
  std::string answer;           // --answer: the answer to check
  std::string op = "diff";      // --op diff | grad | hessian
  std::string batch_file;       // --batch FILE (.jsonl or .csv): grade every record
  double check_timeout = 2.0;   // check --timeout: seconds per answer (the process itself has no limit)
  int jobs = 0;                 // --jobs: answers checked at once (0 = one per core)
  std::size_t max_elements = limits::max_elements;  // --max-elements: largest dense value evaluated
  double max_work = limits::max_work;               // --max-work: largest cost of one dense operation
  // Resource limits of one request (docs/cli.md#limits); 0 = none. The CLI
  // enforces them for the whole process; the driver reports running out.
  double timeout = 10;          // --timeout SECONDS (train: none unless given)
  long max_memory = 4096;       // --max-memory MIB of address space
};

/// The located "too complex" error of a request that ran past --timeout or
/// --max-memory: it points at the whole input (the first line of a program).
std::string render_limit_error(const Request& req, bool memory);

enum ExitCode { Ok = 0, CheckFailed = 1, UserFailure = 2, InternalFailure = 3 };

/// Runs one request; writes results to `out` and errors to `err`.
int run(const Request& req, std::ostream& out, std::ostream& err);

}  // namespace mcalc::driver
