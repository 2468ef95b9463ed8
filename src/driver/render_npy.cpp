// --format npy: the one value of eval, diff, grad or hessian as a NumPy .npy
// array (float64), for `--output FILE`. Results without one value are errors.
#include "driver/render.hpp"
#include "mcalc/eval.hpp"

namespace mcalc::driver {
namespace {

class NpyRenderer : public Renderer {
 public:
  using Renderer::Renderer;

  void render(const DescribeResult& r) override {
    if (!r.value) throw not_one_value("parse and check-types compute no value");
    write_npy(out_, *r.value, r.expr->shape);
  }
  void render(const DerivativeResult& r) override {
    if (!r.answer.value) throw not_one_value("the derivative has a value only at values: give them with --at");
    write_npy(out_, *r.answer.value, r.answer.result->shape);
  }
  void render(const DeriveResult&) override { throw not_one_value("derive reports every step (diff gives the value)"); }
  void render(const RunResult&) override { throw not_one_value("a program has a value per statement"); }
  void render(const StepReport&) override { throw not_one_value("step reports a table per layer"); }
  void render(const TrainReport&) override { throw not_one_value("train reports parameters and a history"); }
  void render(const CheckVerdict&) override { throw not_one_value("check reports a verdict"); }
  void render(const BatchReport&) override { throw not_one_value("a batch reports a verdict per record"); }

 private:
  static UserError not_one_value(const std::string& why) {
    return UserError(Msg::BadOption, {"--format npy writes one value (of eval, diff, grad or hessian), but " + why});
  }
};

}  // namespace

std::unique_ptr<Renderer> npy_renderer(const RenderOptions& options, std::ostream& out) {
  return std::make_unique<NpyRenderer>(options, out);
}

}  // namespace mcalc::driver
