#pragma once
// The verbs `step` (one gradient-descent step shown neuron by neuron) and
// `train` (gradient descent over a CSV data set). See docs/cli.md.
#include <iosfwd>

#include "driver/results.hpp"
#include "mcalc/driver.hpp"

namespace mcalc::driver {

StepReport step_result(const Request& r);
/// Trains; in text format the header and the progress go to `out` as training
/// runs (before the result is rendered). Writes --loss-csv and --save.
TrainReport train_result(const Request& r, std::ostream& out);

}  // namespace mcalc::driver
