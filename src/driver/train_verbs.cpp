// `mcalc step` and `mcalc train`: the command side of mcalc::train.
#include "driver/train_verbs.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "driver/format.hpp"
#include "mcalc/print.hpp"
#include "mcalc/train.hpp"

namespace mcalc::driver {
namespace {
using json = nlohmann::ordered_json;

std::vector<std::string> split_names(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

/// A number with `d` digits after the point (the lecture's 0.7739, -0.0053).
std::string fixed(double v, int d) {
  if (!std::isfinite(v)) return format_number(v, 6);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", d, v);
  std::string s = buf;
  // -0.0000 is 0.0000.
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : std::string(w - s.size(), ' ') + s; }
std::string pad_right(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

json vec_json(const Eigen::VectorXd& v) {
  json j = json::array();
  for (Eigen::Index k = 0; k < v.size(); ++k) j.push_back(std::isfinite(v(k)) ? json(v(k)) : json(nullptr));
  return j;
}

/// "W1[2, 1]", "b1[3]", "b3": the name of one entry, 1-based.
std::string entry_name(const std::string& name, const Shape& s, long r, long c) {
  if (s.is_scalar()) return name;
  if (s.cols.is_one()) return name + "[" + std::to_string(r + 1) + "]";
  return name + "[" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + "]";
}

/// The program with its --let declarations; the parsed units stay alive for the locations of errors.
struct Loaded {
  std::vector<Parsed> units;
  Program prog;
};

Loaded load_program(const Request& r) {
  Loaded l;
  if (!r.let.empty()) l.units.push_back(parse_program(r.let, "--let"));
  l.units.push_back(parse_program(r.input, r.origin));
  std::vector<const Parsed*> ptrs;
  for (const auto& u : l.units) ptrs.push_back(&u);
  l.prog = analyse(ptrs);
  return l;
}

/// The definition line of a layer: "a1 = sigmoid(z1), z1 = W1*x + b1".
std::string layer_title(const train::Layer& l) {
  std::string zdef = l.z_named ? to_text(l.z->args[0]) : to_text(l.z);
  return l.a_name + " = " + fn_name(l.activation) + "(" + l.z_name + "), " + l.z_name + " = " + zdef;
}

void step_text(const train::StepResult& s, const Program& prog, const std::vector<std::string>& data, int d,
               std::ostream& out) {
  const std::size_t w = static_cast<std::size_t>(d) + 5;
  out << "loss " << s.loss_name << " = "
      << to_text(prog.find(s.loss_name)->node->args.empty() ? prog.find(s.loss_name)->node
                                                            : prog.find(s.loss_name)->node->args[0])
      << ", learning rate " << format_number(s.lr, 6) << '\n';
  out << "parameters: " << join(s.params) << '\n';
  if (!data.empty()) out << "data: " << join(data) << '\n';

  auto layers = [&](const train::ForwardPass& p, bool full) {
    for (std::size_t k = 0; k < s.layers.size(); ++k) {
      const train::Layer& l = s.layers[k];
      const train::LayerValues& v = p.layers[k];
      out << "layer " << l.index << ": " << layer_title(l) << '\n';
      out << "  neuron" << pad("z", w) << pad("a", w);
      if (full) out << pad("da/dz", w) << pad("dL/dz", w) << pad("dL/da", w);
      out << '\n';
      for (Eigen::Index i = 0; i < v.z.size(); ++i) {
        out << pad(std::to_string(i + 1), 8) << pad(fixed(v.z(i), d), w) << pad(fixed(v.a(i), d), w);
        if (full) out << pad(fixed(v.da_dz(i), d), w) << pad(fixed(v.dL_dz(i), d), w) << pad(fixed(v.dL_da(i), d), w);
        out << '\n';
      }
    }
    if (!s.layers.empty() && p.layers.back().a.size() == 1)
      out << s.layers.back().a_name << " = " << fixed(p.layers.back().a(0), d) << '\n';
    out << s.loss_name << " = " << fixed(p.loss, d) << '\n';
  };

  out << "\nforward pass\n";
  layers(s.before, true);

  out << "\ngradients and updates (new = old - " << format_number(s.lr, 6) << " * dL/dw)\n";
  std::size_t nw = 5;
  for (const auto& p : s.params) nw = std::max(nw, entry_name(p, prog.find(p)->shape, 9, 9).size());
  out << "  " << pad_right("entry", nw) << pad("dL/dw", w) << pad("old", w) << pad("new", w) << '\n';
  for (const auto& p : s.params) {
    const Shape& sh = prog.find(p)->shape;
    const Eigen::MatrixXd &g = s.gradients.at(p), &o = s.old_values.at(p), &n = s.new_values.at(p);
    for (Eigen::Index r = 0; r < g.rows(); ++r)
      for (Eigen::Index c = 0; c < g.cols(); ++c)
        out << "  " << pad_right(entry_name(p, sh, r, c), nw) << pad(fixed(g(r, c), d), w) << pad(fixed(o(r, c), d), w)
            << pad(fixed(n(r, c), d), w) << '\n';
  }

  out << "\nforward pass with the new parameters\n";
  layers(s.after, false);
  out << "\ndelta " << s.loss_name << " = " << fixed(s.before.loss, d) << " - " << fixed(s.after.loss, d) << " = "
      << fixed(s.delta_loss(), d) << " (" << fixed(s.delta_percent(), 2) << "% "
      << (s.delta_loss() >= 0 ? "reduction" : "increase") << ")\n";
}

json step_json(const train::StepResult& s, const Program& prog, const std::vector<std::string>& data) {
  json j;
  j["loss"] = s.loss_name;
  j["lr"] = s.lr;
  j["params"] = s.params;
  j["data"] = data;
  auto pass = [&](const train::ForwardPass& p, bool full) {
    json o;
    json ls = json::array();
    for (std::size_t k = 0; k < s.layers.size(); ++k) {
      const train::Layer& l = s.layers[k];
      const train::LayerValues& v = p.layers[k];
      json lj;
      lj["layer"] = l.index;
      lj["a"] = l.a_name;
      lj["z"] = l.z_name;
      lj["z_expr"] = to_text(l.z_named ? l.z->args[0] : l.z);
      lj["activation"] = fn_name(l.activation);
      lj["z_values"] = vec_json(v.z);
      lj["a_values"] = vec_json(v.a);
      if (full) {
        lj["da_dz"] = vec_json(v.da_dz);
        lj["dL_dz"] = vec_json(v.dL_dz);
        lj["dL_da"] = vec_json(v.dL_da);
      }
      ls.push_back(lj);
    }
    o["layers"] = ls;
    o["loss"] = p.loss;
    return o;
  };
  j["forward"] = pass(s.before, true);
  json g = json::object(), old = json::object(), nw = json::object(), ex = json::object();
  for (const auto& p : s.params) {
    const Shape& sh = prog.find(p)->shape;
    ex[p] = to_text(s.gradient_exprs.at(p));
    g[p] = value_json(s.gradients.at(p), sh);
    old[p] = value_json(s.old_values.at(p), sh);
    nw[p] = value_json(s.new_values.at(p), sh);
  }
  j["gradient_exprs"] = ex;
  j["gradients"] = g;
  j["old"] = old;
  j["new"] = nw;
  j["after"] = pass(s.after, false);
  j["delta_loss"] = s.delta_loss();
  j["delta_percent"] = s.delta_percent();
  return j;
}

void step_latex(const train::StepResult& s, const Program& prog, int d, std::ostream& out) {
  auto pass = [&](const train::ForwardPass& p, bool full, const char* title) {
    for (std::size_t k = 0; k < s.layers.size(); ++k) {
      const train::Layer& l = s.layers[k];
      const train::LayerValues& v = p.layers[k];
      out << "% " << title << ", layer " << l.index << ": " << layer_title(l) << "\n";
      out << "\\begin{tabular}{r" << (full ? "rrrrr" : "rr") << "}\n\\hline\n";
      out << "\\multicolumn{" << (full ? 6 : 3) << "}{l}{layer " << l.index << ": $" << to_latex(l.a) << " = "
          << to_latex(l.a->args[0]) << "$} \\\\\n\\hline\n";
      out << "neuron & $z$ & $a$";
      if (full) out << " & $\\partial a/\\partial z$ & $\\partial L/\\partial z$ & $\\partial L/\\partial a$";
      out << " \\\\\n\\hline\n";
      for (Eigen::Index i = 0; i < v.z.size(); ++i) {
        out << i + 1 << " & " << fixed(v.z(i), d) << " & " << fixed(v.a(i), d);
        if (full)
          out << " & " << fixed(v.da_dz(i), d) << " & " << fixed(v.dL_dz(i), d) << " & " << fixed(v.dL_da(i), d);
        out << " \\\\\n";
      }
      out << "\\hline\n\\end{tabular}\n\n";
    }
    out << "$" << s.loss_name << " = " << fixed(p.loss, d) << "$\n\n";
  };
  pass(s.before, true, "forward pass");
  out << "% gradients and updates\n\\begin{tabular}{lrrr}\n\\hline\nentry & $\\partial L/\\partial w$ & old & new "
         "\\\\\n\\hline\n";
  for (const auto& p : s.params) {
    const Shape& sh = prog.find(p)->shape;
    const Eigen::MatrixXd &g = s.gradients.at(p), &o = s.old_values.at(p), &n = s.new_values.at(p);
    for (Eigen::Index r = 0; r < g.rows(); ++r)
      for (Eigen::Index c = 0; c < g.cols(); ++c)
        out << "\\texttt{" << entry_name(p, sh, r, c) << "} & " << fixed(g(r, c), d) << " & " << fixed(o(r, c), d)
            << " & " << fixed(n(r, c), d) << " \\\\\n";
  }
  out << "\\hline\n\\end{tabular}\n\n";
  pass(s.after, false, "forward pass with the new parameters");
  out << "$\\Delta " << s.loss_name << " = " << fixed(s.delta_loss(), d) << "$ (" << fixed(s.delta_percent(), 2)
      << "\\%)\n";
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw UserError(Msg::CannotReadFile, {path});
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  if (!f || !(f << text) || !f.flush()) throw UserError(Msg::CannotWriteFile, {path});
}

std::string percent(double fraction) { return fixed(100.0 * fraction, 2) + "%"; }

/// Progress: a bar redrawn in place on a terminal, plain lines otherwise.
class Progress {
 public:
  Progress(std::ostream& out, int epochs, bool terminal, bool quiet, int precision)
      : out_(out), epochs_(epochs), terminal_(terminal), quiet_(quiet), precision_(precision) {
    every_ = std::max(1, epochs / (terminal ? 100 : 20));
  }
  void operator()(const train::EpochStats& st) {
    if (quiet_) return;
    bool last = st.epoch == epochs_;
    if (st.epoch % every_ != 0 && !last) return;
    std::string stats = "loss " + format_number(st.loss, precision_);
    if (st.accuracy) stats += "  accuracy " + percent(*st.accuracy);
    if (terminal_) {
      const int width = 30;
      int filled = epochs_ == 0 ? width : static_cast<int>(static_cast<long>(width) * st.epoch / epochs_);
      out_ << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
           << std::string(static_cast<std::size_t>(width - filled), '-') << "] epoch " << st.epoch << "/" << epochs_
           << "  " << stats << "   " << std::flush;
      if (last) out_ << '\n';
    } else {
      out_ << "epoch " << st.epoch << "/" << epochs_ << "  " << stats << '\n';
    }
  }

 private:
  std::ostream& out_;
  int epochs_;
  bool terminal_, quiet_;
  int every_;
  int precision_;
};

}  // namespace

int do_step(const Request& r, std::ostream& out) {
  Loaded l = load_program(r);
  const Program& prog = l.prog;
  Expr loss = train::loss_expr(prog, r.loss);
  std::vector<std::string> data;
  for (const auto& n : split_names(r.data_names))
    if (prog.find(n)) data.push_back(n);
  std::vector<std::string> params = train::parameters(prog, loss, data, split_names(r.params));
  Bindings b = mcalc::bind(prog, r.at.empty() ? std::vector<ValueSpec>{} : parse_values(r.at, "--at"));
  train::StepResult s = train::gradient_step(prog, b, r.loss, params, r.lr);
  const int decimals = r.decimals >= 0 ? r.decimals : 4;  // the lecture's four decimals
  if (r.format == "json")
    out << step_json(s, prog, data).dump(2) << '\n';
  else if (r.format == "latex")
    step_latex(s, prog, decimals, out);
  else
    step_text(s, prog, data, decimals, out);
  return Ok;
}

int do_train(const Request& r, std::ostream& out) {
  Loaded l = load_program(r);
  const Program& prog = l.prog;
  if (r.data.empty()) throw UserError(Msg::BadOption, {"--data FILE.csv is required"});
  if (r.epochs < 0) throw UserError(Msg::BadOption, {"--epochs must not be negative"});
  if (r.batch < 0) throw UserError(Msg::BadOption, {"--batch must be positive"});
  if (!(r.lr > 0) || !std::isfinite(r.lr)) throw UserError(Msg::BadOption, {"--lr must be a positive number"});
  train::Dataset data = train::read_csv(read_file(r.data), r.data, prog);

  train::TrainOptions opt;
  opt.loss = r.loss;
  opt.params = split_names(r.params);
  opt.data_names = split_names(r.data_names);
  opt.epochs = r.epochs;
  opt.lr = r.lr;
  opt.batch = r.batch;
  opt.seed = r.seed;
  opt.accuracy = r.accuracy;
  opt.predict = r.predict;
  opt.label = r.label;

  bool text = r.format == "text";
  long batch = r.batch <= 0 || r.batch > data.rows ? data.rows : r.batch;
  if (text) {
    out << "training " << r.loss << " on " << r.data << ": " << data.rows << " samples ("
        << (data.vectorised ? "vectorised: one evaluation per batch" : "per sample: loss and gradients averaged")
        << "), batch " << batch << ", learning rate " << format_number(r.lr, 6) << ", " << r.epochs << " epochs\n";
  }
  Progress progress(out, r.epochs, r.terminal, !text, r.precision);
  train::TrainResult res = train::train(prog, data, opt, std::ref(progress));

  if (!r.loss_csv.empty()) {
    std::string csv = res.predict.empty() ? "epoch,loss\n" : "epoch,loss,accuracy\n";
    char buf[64];
    for (const auto& st : res.history) {
      std::snprintf(buf, sizeof buf, "%d,%.17g", st.epoch, st.loss);
      csv += buf;
      if (st.accuracy) {
        std::snprintf(buf, sizeof buf, ",%.17g", *st.accuracy);
        csv += buf;
      }
      csv += "\n";
    }
    write_file(r.loss_csv, csv);
  }
  if (!r.save.empty()) {
    std::string header = "Trained by: mcalc train " + r.origin + " --data " + r.data + " --loss " + r.loss +
                         " --epochs " + std::to_string(r.epochs) + " --lr " + format_number(r.lr, 15) +
                         (r.batch > 0 ? " --batch " + std::to_string(r.batch) : "") + " --seed " +
                         std::to_string(r.seed) + "\nfinal loss " + format_number(res.history.back().loss, 17);
    write_file(r.save, train::save_program(prog, res.final, header));
  }

  const train::EpochStats& first = res.history.front();
  const train::EpochStats& last = res.history.back();
  if (r.format == "json") {
    json j;
    j["loss"] = r.loss;
    j["samples"] = data.rows;
    j["vectorised"] = data.vectorised;
    j["batch"] = batch;
    j["lr"] = r.lr;
    j["epochs"] = r.epochs;
    j["params"] = res.params;
    j["initialised"] = res.initialised;
    j["zero_gradient"] = res.zero_gradient;
    json h = json::array();
    for (const auto& st : res.history) {
      json e;
      e["epoch"] = st.epoch;
      e["loss"] = st.loss;
      if (st.accuracy) e["accuracy"] = *st.accuracy;
      h.push_back(e);
    }
    j["history"] = h;
    json fin = json::object();
    for (const auto& p : res.params) fin[p] = value_json(res.final.at(p), prog.find(p)->shape);
    j["final"] = fin;
    if (last.accuracy) j["accuracy"] = *last.accuracy;
    out << j.dump(2) << '\n';
    return Ok;
  }
  if (r.format == "latex") {
    out << "\\begin{tabular}{lr}\n\\hline\nparameter & value \\\\\n\\hline\n";
    for (const auto& p : res.params)
      out << "$" << to_latex(prog.find(p)->node) << "$ & $"
          << format_value(res.final.at(p), prog.find(p)->shape, r.precision) << "$ \\\\\n";
    out << "\\hline\n\\end{tabular}\n\n$" << r.loss << " = " << format_number(last.loss, r.precision) << "$\n";
    return Ok;
  }
  if (!res.zero_gradient.empty() && r.epochs > 0)
    out << "note: the gradient of " << r.loss << " is identically zero for " << join(res.zero_gradient)
        << " (piecewise-constant functions), so training leaves them unchanged\n";
  if (!res.initialised.empty())
    out << "random initial values (seed " << r.seed << ", uniform in [-1, 1]): " << join(res.initialised) << '\n';
  out << "loss " << format_number(first.loss, r.precision) << " -> " << format_number(last.loss, r.precision) << '\n';
  if (last.accuracy)
    out << "accuracy of " << res.predict << " against " << res.label << " (threshold 0.5): " << percent(*last.accuracy)
        << '\n';
  out << "parameters:\n";
  for (const auto& p : res.params)
    out << "  " << p << " = " << format_value(res.final.at(p), prog.find(p)->shape, r.precision) << '\n';
  if (!r.save.empty()) out << "saved to " << r.save << '\n';
  if (!r.loss_csv.empty()) out << "loss per epoch written to " << r.loss_csv << '\n';
  return Ok;
}

}  // namespace mcalc::driver
