// `mcalc step` and `mcalc train`: the command side of mcalc::train.
#include "driver/train_verbs.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include "driver/format.hpp"
#include "driver/results.hpp"
#include "mcalc/print.hpp"
#include "mcalc/train.hpp"

namespace mcalc::driver {
namespace {
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

std::string percent(double fraction) { return format_number(100.0 * fraction, NumberStyle{2, true}) + "%"; }

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

StepReport step_result(const Request& r) {
  Loaded l = load_program(r);
  const Program& prog = l.prog;
  Expr loss = train::loss_expr(prog, r.loss);
  std::vector<std::string> data;
  for (const auto& n : split_names(r.data_names))
    if (prog.find(n)) data.push_back(n);
  std::vector<std::string> params = train::parameters(prog, loss, data, split_names(r.params));
  Bindings b = mcalc::bind(prog, r.at.empty() ? std::vector<ValueSpec>{} : parse_values(r.at, "--at"));
  StepReport rep;
  rep.step = train::gradient_step(prog, b, r.loss, params, r.lr);
  const Expr& node = prog.find(r.loss)->node;
  rep.loss_text = to_text(node->args.empty() ? node : node->args[0]);
  rep.data = data;
  for (const auto& p : params) rep.shapes[p] = prog.find(p)->shape;
  rep.decimals = r.decimals >= 0 ? r.decimals : 4;  // the lecture's four decimals
  return rep;
}

TrainReport train_result(const Request& r, std::ostream& out) {
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

  // Progress is shown live, before the result, in text only.
  bool text = r.format == Format::Text;
  long batch = r.batch <= 0 || r.batch > data.rows ? data.rows : r.batch;
  if (text) {
    out << "training " << r.loss << " on " << r.data << ": " << data.rows << " samples ("
        << (data.vectorised ? "vectorised: one evaluation per batch" : "per sample: loss and gradients averaged")
        << "), batch " << batch << ", learning rate " << format_number(r.lr, 6) << ", " << r.epochs << " epochs\n";
  }
  Progress progress(out, r.epochs, r.terminal, !text, r.precision);
  TrainReport rep;
  rep.result = train::train(prog, data, opt, std::ref(progress));
  const train::TrainResult& res = rep.result;

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
  rep.loss = r.loss;
  rep.data_file = r.data;
  rep.save = r.save;
  rep.loss_csv = r.loss_csv;
  rep.samples = data.rows;
  rep.batch = batch;
  rep.vectorised = data.vectorised;
  rep.lr = r.lr;
  rep.epochs = r.epochs;
  rep.seed = r.seed;
  for (const auto& p : res.params) {
    rep.shapes[p] = prog.find(p)->shape;
    rep.nodes[p] = prog.find(p)->node;
  }
  return rep;
}

}  // namespace mcalc::driver
