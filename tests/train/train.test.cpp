// Training over data: XOR (a hidden layer learns it, a perceptron cannot),
// saving and reloading, mini-batches against hand-written SGD, the vectorised
// form against the per-sample one, progress output and the loss CSV.
#include <unistd.h>
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "helpers.hpp"

using namespace train_test;
namespace tr = mcalc::train;

namespace {

struct Setup {
  mcalc::Program prog;
  tr::Dataset data;
};

Setup load(const std::string& mc, const std::string& csv) {
  mcalc::Program prog = analyse_text(read(source_path(mc)), mc);
  tr::Dataset data = tr::read_csv(read(source_path(csv)), csv, prog);
  return {std::move(prog), std::move(data)};
}

std::string msg_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const mcalc::UserError& e) {
    return mcalc::message_name(e.id());
  }
  return "no error";
}

/// The mean loss of `prog` over `data` with `values` for its parameters, evaluated directly.
double mean_loss(const mcalc::Program& prog, const tr::Dataset& data,
                 const std::map<std::string, Eigen::MatrixXd>& values) {
  mcalc::Bindings b = mcalc::bind(prog, {});
  for (const auto& [n, v] : values) b.values[n] = v;
  double sum = 0;
  for (long i = 0; i < data.rows; ++i) {
    mcalc::Bindings bi = b;
    for (const auto& n : data.names) bi.values[n] = data.value(prog, n, i, i + 1);
    sum += mcalc::evaluate(prog.find("L")->node, bi)(0, 0);
  }
  return sum / static_cast<double>(data.rows);
}

}  // namespace

TEST_CASE("xor: a 2-2-1 sigmoid network trains to 100% accuracy with a fixed seed", "[train][xor]") {
  Setup s = load("examples/xor.mc", "examples/xor.csv");
  CHECK(s.data.names == std::vector<std::string>{"x", "y"});
  CHECK_FALSE(s.data.vectorised);
  tr::TrainOptions opt;
  opt.epochs = 2000;
  opt.lr = 2;
  opt.seed = 1;
  opt.accuracy = true;
  auto t0 = std::chrono::steady_clock::now();
  tr::TrainResult r = tr::train(s.prog, s.data, opt);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN("xor: 2000 epochs in " << secs << " s");
  CHECK(r.params == std::vector<std::string>{"W1", "b1", "W2", "b2"});
  CHECK(r.initialised == r.params);  // no values in xor.mc: all drawn from the seed
  CHECK(r.predict == "yhat");
  CHECK(r.label == "y");
  REQUIRE(r.history.size() == 2001);
  CHECK(r.history.front().accuracy.value() < 1.0);
  CHECK(r.history.back().accuracy.value() == 1.0);
  CHECK(r.history.back().loss < 0.01);
  CHECK(r.history.back().loss < r.history.front().loss);
  // The reported loss is the loss of the final parameters, evaluated independently.
  CHECK(mean_loss(s.prog, s.data, r.final) == Approx(r.history.back().loss).epsilon(1e-12));
  // The same seed gives the same initial values; another seed others.
  opt.epochs = 0;
  CHECK(tr::train(s.prog, s.data, opt).initial.at("W1") == r.initial.at("W1"));
  opt.seed = 2;
  CHECK(tr::train(s.prog, s.data, opt).initial.at("W1") != r.initial.at("W1"));
}

TEST_CASE("xor: a single heaviside perceptron cannot learn it", "[train][xor]") {
  Setup s = load("examples/xor_perceptron.mc", "examples/xor.csv");
  tr::TrainOptions opt;
  opt.epochs = 0;
  opt.accuracy = true;
  tr::TrainResult r = tr::train(s.prog, s.data, opt);
  CHECK(r.history.back().accuracy.value() == 0.75);  // the example's weights (OR)
  // Every line w'x + b over a grid of weights classifies at most 3 of the 4 points.
  double best = 0;
  mcalc::Expr yhat = s.prog.find("yhat")->node;
  for (double w1 = -2; w1 <= 2; w1 += 0.25)
    for (double w2 = -2; w2 <= 2; w2 += 0.25)
      for (double b = -2; b <= 2; b += 0.25) {
        int correct = 0;
        for (long i = 0; i < s.data.rows; ++i) {
          mcalc::Bindings bi;
          bi.values["w"] = (Eigen::MatrixXd(2, 1) << w1, w2).finished();
          bi.values["b"] = Eigen::MatrixXd::Constant(1, 1, b);
          bi.values["x"] = s.data.value(s.prog, "x", i, i + 1);
          double y = s.data.value(s.prog, "y", i, i + 1)(0, 0);
          correct += (mcalc::evaluate(yhat, bi)(0, 0) >= 0.5) == (y >= 0.5);
        }
        best = std::max(best, correct / 4.0);
      }
  CHECK(best == 0.75);
  // Gradient descent: the derived gradient is identically zero, and mcalc says so.
  opt.epochs = 10;
  CHECK(msg_of([&] { tr::train(s.prog, s.data, opt); }) == "ZeroGradient");
  CHECK(r.zero_gradient == std::vector<std::string>{"w", "b"});
}

TEST_CASE("train: a parameter reached only through heaviside is reported, the others train", "[train][xor]") {
  mcalc::Program prog = analyse_text(
      "x : vector(2); y : scalar\nw : vector(2) = [0.1; 0.1]; b : scalar = 0; c : scalar = 0.5\n"
      "L = (w'*x + b - y)^2 + heaviside(c)");
  tr::Dataset d = tr::read_csv(read(source_path("examples/xor.csv")), "xor.csv", prog);
  tr::TrainOptions opt;
  opt.epochs = 5;
  tr::TrainResult r = tr::train(prog, d, opt);
  CHECK(r.zero_gradient == std::vector<std::string>{"c"});
  CHECK(r.final.at("c")(0, 0) == 0.5);
  CHECK(r.final.at("b")(0, 0) != 0);
}

TEST_CASE("train: the saved program loads back with the same loss", "[train][save]") {
  Setup s = load("examples/xor.mc", "examples/xor.csv");
  tr::TrainOptions opt;
  opt.epochs = 300;
  opt.lr = 2;
  tr::TrainResult r = tr::train(s.prog, s.data, opt);
  std::string saved = tr::save_program(s.prog, r.final, "trained\nsecond line");
  CHECK(saved.rfind("# trained\n# second line\n", 0) == 0);
  mcalc::Program back = analyse_text(saved, "saved.mc");
  // Same declarations (names and types), new values.
  REQUIRE(back.symbol_order == s.prog.symbol_order);
  for (const auto& n : s.prog.symbol_order) CHECK(back.find(n)->shape == s.prog.find(n)->shape);
  mcalc::Bindings b = mcalc::bind(back, {});
  for (const auto& p : r.params) {
    REQUIRE(b.values.count(p));
    Eigen::MatrixXd v = b.values.at(p);
    if (v.rows() != r.final.at(p).rows()) v.transposeInPlace();
    // 17 significant digits: the value reads back to within the parser's last-bit rounding.
    CHECK(v.isApprox(r.final.at(p), 1e-15));
  }
  // Its loss over the data is the final loss of training.
  tr::Dataset data2 = tr::read_csv(read(source_path("examples/xor.csv")), "xor.csv", back);
  std::map<std::string, Eigen::MatrixXd> none;
  CHECK(mean_loss(back, data2, none) == Approx(r.history.back().loss).epsilon(1e-12));
  // Training the saved program for 0 epochs starts from the saved values.
  opt.epochs = 0;
  tr::TrainResult again = tr::train(back, data2, opt);
  CHECK(again.initialised.empty());
  CHECK(again.history.front().loss == Approx(r.history.back().loss).epsilon(1e-12));
}

TEST_CASE("train: saving keeps the declarations as written", "[train][save]") {
  mcalc::Program prog = analyse_text(read(source_path("grammar/examples/network_1_2_3_1.mc")));
  std::map<std::string, Eigen::MatrixXd> values = {{"b3", Eigen::MatrixXd::Constant(1, 1, 0.25)}};
  std::string saved = mcalc::train::save_program(prog, values, "h");
  CHECK(saved.find("\nW1 : matrix(2, 1) = [0.1; 0.1]\n") != std::string::npos);  // not the equal vector(2)
  CHECK(saved.find("\nb1 : vector(2) = [0.1; 0.2]\n") != std::string::npos);
  CHECK(saved.find("\nb3 : scalar = 0.25\n") != std::string::npos);
  CHECK(saved.find("\nyhat = sigmoid(W3*a2 + b3)\n") != std::string::npos);
  CHECK(saved.find("\ngrad(L, W1)\n") != std::string::npos);
  mcalc::Program multi = analyse_text("x, w : vector(n)\nc : scalar\nL = (w'*x + c)^2");
  std::string m = mcalc::train::save_program(multi, {{"c", Eigen::MatrixXd::Constant(1, 1, 2)}}, "");
  CHECK(m == "x : vector(n)\nw : vector(n)\nc : scalar = 2\nL = (w'*x + c)^2\n");
}

TEST_CASE("train: mini-batches follow stochastic gradient descent by hand", "[train][batch]") {
  // L = (w*x + b - y)^2, dL/dw = 2 (w x + b - y) x, dL/db = 2 (w x + b - y).
  mcalc::Program prog = analyse_text("x : scalar; y : scalar\nw : scalar = 0.5; b : scalar = -1\nL = (w*x + b - y)^2");
  tr::Dataset data = tr::read_csv("x,y\n1,2\n2,3.5\n-1,0.5\n3,4\n4,7\n", "lin.csv", prog);
  const double xs[] = {1, 2, -1, 3, 4}, ys[] = {2, 3.5, 0.5, 4, 7};
  for (long batch : {0L, 1L, 2L, 3L, 5L, 9L}) {
    tr::TrainOptions opt;
    opt.epochs = 3;
    opt.lr = 0.02;
    opt.batch = batch;
    tr::TrainResult r = tr::train(prog, data, opt);
    double w = 0.5, b = -1;
    long bsz = batch <= 0 || batch > 5 ? 5 : batch;
    for (int e = 0; e < 3; ++e)
      for (long s = 0; s < 5; s += bsz) {
        double gw = 0, gb = 0;
        long n = std::min(5L, s + bsz) - s;
        for (long i = s; i < s + n; ++i) {
          double res = w * xs[i] + b - ys[i];
          gw += 2 * res * xs[i];
          gb += 2 * res;
        }
        w -= 0.02 * gw / static_cast<double>(n);
        b -= 0.02 * gb / static_cast<double>(n);
      }
    INFO("batch " << batch);
    CHECK(r.final.at("w")(0, 0) == Approx(w).epsilon(1e-12));
    CHECK(r.final.at("b")(0, 0) == Approx(b).epsilon(1e-12));
    double loss = 0;
    for (int i = 0; i < 5; ++i) loss += (w * xs[i] + b - ys[i]) * (w * xs[i] + b - ys[i]) / 5;
    CHECK(r.history.back().loss == Approx(loss).epsilon(1e-12));
  }
}

TEST_CASE("train: a vectorised program trains like the per-sample one", "[train][batch]") {
  mcalc::Program per =
      analyse_text("x : vector(2); y : scalar\nw : vector(2) = [0.1; -0.2]; b : scalar = 0\nL = (w'*x + b - y)^2");
  mcalc::Program vec = analyse_text(
      "X : matrix(N, 2); Y : vector(N)\nw : vector(2) = [0.1; -0.2]; b : scalar = 0\n"
      "L = sum((X*w + b - Y).^2)/N");
  std::string csv_per = "x1,x2,y\n1,2,3\n0,1,1\n2,-1,0.5\n1,1,2\n";
  std::string csv_vec = "X1,X2,Y\n1,2,3\n0,1,1\n2,-1,0.5\n1,1,2\n";
  tr::Dataset dp = tr::read_csv(csv_per, "per.csv", per);
  tr::Dataset dv = tr::read_csv(csv_vec, "vec.csv", vec);
  CHECK_FALSE(dp.vectorised);
  CHECK(dv.vectorised);
  CHECK(dv.value(vec, "X", 1, 3) == (Eigen::MatrixXd(2, 2) << 0, 1, 2, -1).finished());
  for (long batch : {0L, 2L, 3L}) {
    tr::TrainOptions opt;
    opt.epochs = 5;
    opt.lr = 0.05;
    opt.batch = batch;
    tr::TrainResult rp = tr::train(per, dp, opt), rv = tr::train(vec, dv, opt);
    INFO("batch " << batch);
    CHECK(rv.final.at("w").isApprox(rp.final.at("w"), 1e-12));
    CHECK(rv.final.at("b")(0, 0) == Approx(rp.final.at("b")(0, 0)).epsilon(1e-12));
    CHECK(rv.history.back().loss == Approx(rp.history.back().loss).epsilon(1e-12));
  }
}

TEST_CASE("read_csv: column forms, order, spaces, CRLF and blank lines", "[train][data]") {
  mcalc::Program prog =
      analyse_text("x : vector(3); y : scalar; r : matrix(1, 2)\nw : vector(3) = [1; 1; 1]\nL = (w'*x - y)^2");
  tr::Dataset d = tr::read_csv("y, x[3] ,x[1],x2,r1,r2\r\n\r\n1, 30, 10, 20, 5, 6\r\n\n2,3,1,2,7,8\n\n", "d.csv", prog);
  CHECK(d.names == std::vector<std::string>{"y", "x", "r"});
  CHECK(d.rows == 2);
  CHECK(d.value(prog, "x", 0, 1) == (Eigen::MatrixXd(3, 1) << 10, 20, 30).finished());
  CHECK(d.value(prog, "x", 1, 2) == (Eigen::MatrixXd(3, 1) << 1, 2, 3).finished());
  CHECK(d.value(prog, "y", 1, 2)(0, 0) == 2);
  CHECK(d.value(prog, "r", 0, 1) == (Eigen::MatrixXd(1, 2) << 5, 6).finished());  // a row-vector sample
}

TEST_CASE("train command: plain progress lines when not a terminal, a bar on a terminal", "[train][cli]") {
  mcalc::driver::Request r;
  r.verb = mcalc::driver::Verb::Train;
  r.input = read(source_path("examples/xor.mc"));
  r.origin = "xor.mc";
  r.data = source_path("examples/xor.csv");
  r.epochs = 40;
  r.lr = 2;
  r.accuracy = true;
  std::string out, err;
  REQUIRE(run(r, out, err) == 0);
  CHECK(err.empty());
  CHECK(out.find('\r') == std::string::npos);
  // Every 40/20 = 2 epochs, from epoch 0 to the last.
  int lines = 0;
  for (std::size_t p = out.find("\nepoch "); p != std::string::npos; p = out.find("\nepoch ", p + 1)) ++lines;
  CHECK(lines == 21);
  CHECK(out.find("\nepoch 0/40  loss ") != std::string::npos);
  CHECK(out.find("\nepoch 40/40  loss ") != std::string::npos);
  CHECK(out.find("accuracy of yhat against y (threshold 0.5): ") != std::string::npos);
  CHECK(out.find("random initial values (seed 1, uniform in [-1, 1]): W1, b1, W2, b2\n") != std::string::npos);

  r.terminal = true;
  REQUIRE(run(r, out, err) == 0);
  CHECK(out.find("\r[") != std::string::npos);
  CHECK(out.find("\r[##############################] epoch 40/40  loss ") != std::string::npos);
  CHECK(out.find("\nepoch ") == std::string::npos);

  // LaTeX: a table of the final parameters.
  r.format = mcalc::driver::Format::Latex;
  REQUIRE(run(r, out, err) == 0);
  CHECK(out.find("\\begin{tabular}{lr}") != std::string::npos);
  CHECK(out.find("\nepoch ") == std::string::npos);

  // JSON: no progress, the whole history.
  r.format = mcalc::driver::Format::Json;
  REQUIRE(run(r, out, err) == 0);
  auto j = nlohmann::json::parse(out);
  CHECK(j["history"].size() == 41);
  CHECK(j["params"].size() == 4);
}

TEST_CASE("train command: --let declares names for the program", "[train][cli]") {
  mcalc::driver::Request r;
  r.verb = mcalc::driver::Verb::Train;
  r.let = "x : vector(2); w : vector(2) = [0; 0]";
  r.input = "y : scalar\nb : scalar = 0\nyhat = sigmoid(w'*x + b)\nL = (y - yhat)^2";
  r.origin = "let.mc";
  r.data = source_path("examples/xor.csv");
  r.epochs = 1;
  r.format = mcalc::driver::Format::Json;
  std::string out, err;
  REQUIRE(run(r, out, err) == 0);
  auto j = nlohmann::json::parse(out);
  CHECK(j["params"] == nlohmann::json::parse(R"(["w", "b"])"));
}

TEST_CASE("train command: --loss-csv and --save write files that read back", "[train][cli]") {
  char csv_name[] = "/tmp/mcalc_loss_XXXXXX";
  char mc_name[] = "/tmp/mcalc_save_XXXXXX";
  int f1 = mkstemp(csv_name), f2 = mkstemp(mc_name);
  REQUIRE((f1 >= 0 && f2 >= 0));
  close(f1);
  close(f2);
  mcalc::driver::Request r;
  r.verb = mcalc::driver::Verb::Train;
  r.input = read(source_path("examples/xor.mc"));
  r.origin = "xor.mc";
  r.data = source_path("examples/xor.csv");
  r.epochs = 10;
  r.lr = 2;
  r.batch = 2;
  r.accuracy = true;
  r.loss_csv = csv_name;
  r.save = mc_name;
  r.format = mcalc::driver::Format::Json;
  std::string out, err;
  REQUIRE(run(r, out, err) == 0);
  auto j = nlohmann::json::parse(out);
  std::string csv = read(csv_name);
  CHECK(csv.rfind("epoch,loss,accuracy\n0,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 12);
  // The last row holds the last loss at full precision.
  std::size_t last = csv.rfind("\n10,");
  REQUIRE(last != std::string::npos);
  CHECK(std::stod(csv.substr(last + 4)) == Approx(j["history"][10]["loss"].get<double>()).epsilon(1e-15));
  // The saved program runs: step on it works from its values.
  mcalc::driver::Request s;
  s.verb = mcalc::driver::Verb::Train;
  s.input = read(mc_name);
  s.origin = "saved.mc";
  s.data = r.data;
  s.epochs = 0;
  s.format = mcalc::driver::Format::Json;
  REQUIRE(run(s, out, err) == 0);
  auto k = nlohmann::json::parse(out);
  CHECK(k["initialised"].empty());
  CHECK(k["history"][0]["loss"].get<double>() == Approx(j["history"][10]["loss"].get<double>()).epsilon(1e-12));
  std::remove(csv_name);
  std::remove(mc_name);
}
