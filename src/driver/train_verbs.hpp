#pragma once
// The verbs `step` (one gradient-descent step shown neuron by neuron) and
// `train` (gradient descent over a CSV data set). See docs/cli.md.
#include <iosfwd>

#include "mcalc/driver.hpp"

namespace mcalc::driver {

int do_step(const Request& r, std::ostream& out);
int do_train(const Request& r, std::ostream& out);

}  // namespace mcalc::driver
