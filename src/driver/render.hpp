#pragma once
// Renderers: one per --format, each writes every kind of result
// (src/driver/results.hpp). A renderer overrides one `render` per result
// type; they are pure virtual, so a new result type does not compile until
// every format says how it looks.
//
//   text      src/driver/render_text.cpp      for terminals, the language's own notation
//   json      src/driver/render_json.cpp      data for programs (one object per request)
//   latex     src/driver/render_latex.cpp     math-mode LaTeX
//   markdown  src/driver/render_markdown.cpp  Markdown with $$ math (Jupyter, GitHub)
//   npy       src/driver/render_npy.cpp       the value as a NumPy array (binary; --output)
//
// Pieces that several renderers share (numbers, values, types, the check
// line) are in src/driver/format.hpp.
#include <memory>
#include <ostream>

#include "driver/format.hpp"
#include "driver/results.hpp"

namespace mcalc::driver {

/// What every renderer needs besides the result.
struct RenderOptions {
  int precision = 6;  // significant digits of printed numbers (--precision)
  int decimals = -1;  // --decimals: exactly this many digits after the point, -1 = not given
  NumberStyle numbers() const {
    return decimals >= 0 ? NumberStyle::fixed(decimals) : NumberStyle::significant(precision);
  }
};

class Renderer {
 public:
  Renderer(const RenderOptions& options, std::ostream& out) : opt_(options), out_(out) {}
  virtual ~Renderer() = default;
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  virtual void render(const DescribeResult& r) = 0;
  virtual void render(const DerivativeResult& r) = 0;
  virtual void render(const DeriveResult& r) = 0;
  virtual void render(const RunResult& r) = 0;
  virtual void render(const StepReport& r) = 0;
  virtual void render(const TrainReport& r) = 0;
  virtual void render(const CheckVerdict& r) = 0;
  virtual void render(const BatchReport& r) = 0;

 protected:
  RenderOptions opt_;
  std::ostream& out_;
};

std::unique_ptr<Renderer> text_renderer(const RenderOptions& options, std::ostream& out);
std::unique_ptr<Renderer> json_renderer(const RenderOptions& options, std::ostream& out);
std::unique_ptr<Renderer> latex_renderer(const RenderOptions& options, std::ostream& out);
std::unique_ptr<Renderer> markdown_renderer(const RenderOptions& options, std::ostream& out);
std::unique_ptr<Renderer> npy_renderer(const RenderOptions& options, std::ostream& out);

/// The renderer of `format`.
std::unique_ptr<Renderer> make_renderer(Format format, const RenderOptions& options, std::ostream& out);

/// Writes `result` to `out` in `format`.
void render(const Result& result, Format format, const RenderOptions& options, std::ostream& out);

}  // namespace mcalc::driver
