#pragma once
/// \file
/// Gradient descent driven by the derived closed forms.
///
/// A program declares parameters (with values), data names, layers and a loss.
/// gradient_step() does one step the way the lecture does by hand: the forward
/// pass (z and a of every neuron), dL/dz and dL/da of every layer, the weight
/// gradients, the updated weights and the forward pass with them. Every
/// gradient is mcalc::gradient() of the loss, evaluated numerically; dL/dz and
/// dL/da of an intermediate quantity come from cutting the DAG there (cut_at).
///
/// train() runs gradient descent over a data set read from CSV (read_csv), over
/// the whole batch or over mini-batches.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "mcalc/eval.hpp"
#include "mcalc/ir.hpp"
#include "mcalc/sema.hpp"

namespace mcalc::train {

// ---- the structure of a program -------------------------------------------

/// One layer: an activation a = f(z) with f elementwise (sigmoid, relu, tanh,
/// heaviside, max(0, .), ...), in the loss's DAG.
struct Layer {
  int index = 0;         // 1-based, in order of definition
  std::string a_name;    // the defined name of the activation (a1, yhat)
  std::string z_name;    // the defined name of z (z1), or the label "z<index>" when z is not named
  bool z_named = false;  // z_name is a definition of the program
  Fn activation = Fn::None;
  Expr a;  // the intermediate variable node of a
  Expr z;  // the node of z: the variable z1, or f's argument expression
};

/// The layers of `loss`, nearest the inputs first: every definition a = f(z)
/// (f elementwise, unary or max(0, z) / max(z, 0)) that the loss depends on.
std::vector<Layer> find_layers(const Program& prog, const Expr& loss);

/// The names of the input variables `e` depends on (through definitions), in
/// order of first appearance.
std::vector<std::string> inputs_of(const Expr& e);

/// The loss: a scalar name of the program. LossUnknown / LossNotScalar otherwise.
Expr loss_expr(const Program& prog, const std::string& name);

/// Parameters of `loss`: `requested` when it is not empty (each must be a
/// declared input variable the loss depends on: ParamUnknown otherwise), else
/// every declared input variable the loss depends on that is not a data name.
/// NoParameters when the result is empty.
std::vector<std::string> parameters(const Program& prog, const Expr& loss, const std::vector<std::string>& data_names,
                                    const std::vector<std::string>& requested);

// ---- one step ---------------------------------------------------------------

/// The values of one layer (entries in column-major order, one per neuron).
struct LayerValues {
  Eigen::VectorXd z, a;
  Eigen::VectorXd da_dz;         // f'(z), the diagonal of the Jacobian da/dz (before the step only)
  Eigen::VectorXd dL_dz, dL_da;  // before the step only
};

struct ForwardPass {
  std::vector<LayerValues> layers;
  double loss = 0;
};

struct StepResult {
  std::string loss_name;
  double lr = 0;
  std::vector<std::string> params;
  std::vector<Layer> layers;
  ForwardPass before, after;
  std::map<std::string, Expr> gradient_exprs;         // param -> grad(L, param), closed form
  std::map<std::string, Eigen::MatrixXd> old_values;  // param -> value before the step
  std::map<std::string, Eigen::MatrixXd> gradients;   // param -> value of grad(L, param)
  std::map<std::string, Eigen::MatrixXd> new_values;  // param -> value - lr * gradient
  double delta_loss() const { return before.loss - after.loss; }
  double delta_percent() const { return 100.0 * delta_loss() / before.loss; }
};

/// One gradient-descent step of `loss` at the values `b`, over `params`.
StepResult gradient_step(const Program& prog, const Bindings& b, const std::string& loss,
                         const std::vector<std::string>& params, double lr);

// ---- data -------------------------------------------------------------------

/// A data set read from CSV. The header names the columns: `x` for a scalar x,
/// `x1..xk` or `x[1]..x[k]` for a vector(k) x. A data name declared over a
/// symbolic dimension (X : matrix(N, 2), Y : vector(N)) takes the whole batch
/// at once (one row per sample, N = batch size): the program is vectorised and
/// its loss is evaluated once per batch. Otherwise every row is one sample and
/// the loss and its gradients are averaged over the samples of a batch.
struct Dataset {
  std::vector<std::string> names;  // the data names, in header order
  bool vectorised = false;
  long rows = 0;
  /// name -> rows x k matrix (k = entries of one sample; row r is sample r).
  std::map<std::string, Eigen::MatrixXd> columns;
  /// The value of `name` for the samples [begin, end): one sample's value in
  /// per-sample mode (end = begin + 1), the stacked rows when vectorised.
  Eigen::MatrixXd value(const Program& prog, const std::string& name, long begin, long end) const;
};

/// Reads CSV `text` (from `origin`, for the locations of errors) for `prog`.
/// Every error is a located UserError naming the line and column.
Dataset read_csv(const std::string& text, const std::string& origin, const Program& prog);

// ---- training ---------------------------------------------------------------

struct TrainOptions {
  std::string loss = "L";
  std::vector<std::string> params;  // empty: the default rule of parameters()
  /// Names that are data even when the CSV lacks them (then DataMissingColumn),
  /// so that a label is never trained as a parameter. The CSV's names are data too.
  std::vector<std::string> data_names = {"x", "y", "X", "Y"};
  int epochs = 100;
  double lr = 0.1;
  long batch = 0;     // 0: the whole data set
  unsigned seed = 1;  // initial values of parameters declared without one
  bool accuracy = false;
  std::string predict;  // empty: the output of the last layer
  std::string label;    // empty: y, or Y
  double threshold = 0.5;
};

struct EpochStats {
  int epoch = 0;  // 0: before training
  double loss = 0;
  std::optional<double> accuracy;  // fraction in [0, 1]
};

struct TrainResult {
  std::vector<std::string> params;
  std::vector<std::string> initialised;  // parameters given random initial values (seeded)
  std::vector<std::string> zero_gradient;  // parameters whose gradient is identically zero (they keep their values)
  std::map<std::string, Eigen::MatrixXd> initial, final;
  std::vector<EpochStats> history;  // epochs 0..E
  std::string predict, label;       // with accuracy
};

/// Gradient descent over `data`. `progress` is called after every epoch (and
/// for epoch 0). ZeroGradient when every parameter's gradient is identically
/// zero and epochs > 0; TrainDiverged when the loss stops being finite.
TrainResult train(const Program& prog, const Dataset& data, const TrainOptions& opt,
                  const std::function<void(const EpochStats&)>& progress = {});

/// The program with `values` in place of the declared values of those names,
/// as `.mc` text that parses and analyses to the same program; `header` is
/// written first as comment lines.
std::string save_program(const Program& prog, const std::map<std::string, Eigen::MatrixXd>& values,
                         const std::string& header);

}  // namespace mcalc::train
