// The choice of renderer by --format.
#include "driver/render.hpp"

namespace mcalc::driver {

std::unique_ptr<Renderer> make_renderer(Format format, const RenderOptions& options, std::ostream& out) {
  switch (format) {
    case Format::Text: return text_renderer(options, out);
    case Format::Json: return json_renderer(options, out);
    case Format::Latex: return latex_renderer(options, out);
    case Format::Markdown: return markdown_renderer(options, out);
    case Format::Npy: return npy_renderer(options, out);
  }
  MCALC_UNREACHABLE("unknown format");
}

void render(const Result& result, Format format, const RenderOptions& options, std::ostream& out) {
  auto renderer = make_renderer(format, options, out);
  std::visit([&](const auto& r) { renderer->render(r); }, result);
}

}  // namespace mcalc::driver
