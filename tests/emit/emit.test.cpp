// Generated code against mcalc's own evaluation over tests/corpus/derivatives.txt:
// every case is emitted for NumPy, PyTorch and C++/Eigen, run at a random
// point (the generated Python with /usr/bin/python3, the C++ compiled with the
// system compiler against Eigen), and its value and derivative must agree with
// mcalc's Evaluator to 1e-10 relative (max-norm). Plus the structure the issue
// asks of the code: shared subexpressions once, diag structural, stable forms.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include "mcalc/check.hpp"
#include "expand/cases.hpp"
#include "golden.hpp"
#include "mcalc/driver.hpp"
#include "mcalc/emit.hpp"
#include "mcalc/eval.hpp"

namespace fs = std::filesystem;
using namespace mcalc;

namespace {

struct Prepared {
  etest::Case c;
  EmitFunction fn;
  Bindings point;
  Eigen::MatrixXd value, derivative;
};

QueryOp op_of(const std::string& op) {
  return op == "grad" ? QueryOp::Grad : op == "hessian" ? QueryOp::Hessian : QueryOp::Diff;
}

/// Every corpus case with a point where mcalc evaluates f and the derivative to finite values.
std::vector<Prepared> prepare(std::size_t& skipped) {
  std::vector<Prepared> out;
  for (const auto& c : etest::load_cases()) {
    etest::Analysed a = etest::analyse_case(c);
    Prepared p;
    p.c = c;
    p.fn.f = a.f;
    p.fn.wrt = a.wrt;
    p.fn.op = op_of(c.op);
    p.fn.layout = c.op == "diff-denominator" ? Layout::Denominator : Layout::Numerator;
    p.fn.derivative = etest::closed_form(c.op, a.f, a.wrt);
    p.fn.inputs = emit_inputs(a.prog, a.f, a.wrt);
    bool ok = false;
    for (unsigned seed = 1; seed <= 5 && !ok; ++seed) {
      try {
        p.point = check::random_point(a.prog, {a.f, a.wrt}, seed);
        p.value = evaluate(a.f, p.point);
        p.derivative = evaluate(p.fn.derivative, p.point);
        ok = p.value.allFinite() && p.derivative.allFinite();
      } catch (const UserError&) {
        ok = false;
      }
    }
    if (!ok) {
      ++skipped;
      continue;
    }
    out.push_back(std::move(p));
  }
  return out;
}

int run(const std::string& cmd) {
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/// |got - want| <= 1e-10 * max|want| entry by entry (exact when want is 0).
void check_agrees(const Eigen::MatrixXd& got, const Eigen::MatrixXd& want, const std::string& what) {
  INFO(what << "\n  got " << got.rows() << "x" << got.cols() << ":\n" << got << "\n  want " << want.rows() << "x"
            << want.cols() << ":\n" << want);
  REQUIRE(got.rows() == want.rows());
  REQUIRE(got.cols() == want.cols());
  const double scale = want.cwiseAbs().maxCoeff();
  CHECK((got - want).cwiseAbs().maxCoeff() <= 1e-10 * scale);
}

struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& tag) {
    dir = fs::temp_directory_path() / ("mcalc-emit-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
};

/// Shape of an input for save_npy.
Shape shape_of(const Eigen::MatrixXd& m, const Shape& declared) {
  return declared.is_scalar() ? Shape::scalar() : Shape{Dim::lit(m.rows()), Dim::lit(m.cols())};
}

const char* const kRunner = R"(
import importlib.util, sys, traceback
import numpy as np
target, folder = sys.argv[1], sys.argv[2]
if target == "torch":
    import torch
for line in open(folder + "/manifest.txt"):
    k, *names = line.split()
    try:
        spec = importlib.util.spec_from_file_location("case" + k, folder + "/case" + k + ".py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        args = {n: np.load(folder + "/case" + k + "_" + n + ".npy") for n in names}
        if target == "torch":
            args = {n: torch.from_numpy(a) for n, a in args.items()}
        v, d = mod.value_and_grad(**args)
        if target == "torch":
            v, d = v.detach().cpu().numpy(), d.detach().cpu().numpy()
        np.save(folder + "/case" + k + "_value.npy", np.asarray(v, dtype=np.float64))
        np.save(folder + "/case" + k + "_deriv.npy", np.asarray(d, dtype=np.float64))
    except Exception:
        with open(folder + "/case" + k + "_error.txt", "w") as f:
            f.write(traceback.format_exc())
)";

void python_target(EmitTarget target, const char* tag) {
  std::size_t skipped = 0;
  std::vector<Prepared> cases = prepare(skipped);
  REQUIRE(cases.size() >= 140);  // the corpus has ~150 cases; few points are singular
  Scratch s(tag);
  std::ofstream manifest(s.dir / "manifest.txt");
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& p = cases[k];
    std::ofstream(s.dir / ("case" + std::to_string(k) + ".py")) << emit_module(target, {p.fn}, false);
    manifest << k;
    for (const auto& [name, shape] : p.fn.inputs) {
      const Eigen::MatrixXd& v = p.point.values.at(name);
      save_npy((s.dir / ("case" + std::to_string(k) + "_" + name + ".npy")).string(), v, shape_of(v, shape));
      manifest << ' ' << name;
    }
    manifest << '\n';
  }
  manifest.close();
  std::ofstream(s.dir / "runner.py") << kRunner;
  REQUIRE(run("/usr/bin/python3 '" + (s.dir / "runner.py").string() + "' " + tag + " '" + s.dir.string() + "'") == 0);
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& p = cases[k];
    const std::string stem = "case" + std::to_string(k);
    INFO(p.c.str() << "\n" << mcalc::test::read_file(s.dir / (stem + ".py")) << "\n"
                   << mcalc::test::read_file(s.dir / (stem + "_error.txt")));
    REQUIRE(!fs::exists(s.dir / (stem + "_error.txt")));
    Eigen::MatrixXd v = load_matrix((s.dir / (stem + "_value.npy")).string(), "", Loc{});
    Eigen::MatrixXd d = load_matrix((s.dir / (stem + "_deriv.npy")).string(), "", Loc{});
    check_agrees(v, p.value, "value");
    check_agrees(d, p.derivative, "derivative");
  }
}

std::string hex(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

}  // namespace

TEST_CASE("emitted NumPy agrees with mcalc over the derivative corpus", "[emit][numpy]") {
  python_target(EmitTarget::NumPy, "numpy");
}

TEST_CASE("emitted PyTorch agrees with mcalc over the derivative corpus", "[emit][torch]") {
  python_target(EmitTarget::Torch, "torch");
}

TEST_CASE("emitted C++/Eigen agrees with mcalc over the derivative corpus", "[emit][cpp]") {
  std::size_t skipped = 0;
  std::vector<Prepared> cases = prepare(skipped);
  REQUIRE(cases.size() >= 140);
  Scratch s("cpp");
  // Two translation units (compiled side by side), each printing "k value... / k deriv...".
  const std::size_t parts = 2;
  std::vector<std::ostringstream> units(parts), mains(parts);
  for (std::size_t k = 0; k < cases.size(); ++k) {
    auto& p = cases[k];
    p.fn.name = "case" + std::to_string(k);
    std::size_t u = k % parts;
    std::ofstream(s.dir / (p.fn.name + ".hpp")) << emit_module(EmitTarget::Cpp, {p.fn}, false);
    units[u] << "#include \"" << p.fn.name << ".hpp\"\n";
    std::string call;
    mains[u] << "  {\n";
    for (const auto& [name, shape] : p.fn.inputs) {
      const Eigen::MatrixXd& v = p.point.values.at(name);
      std::string lit;
      for (long r = 0; r < v.rows(); ++r)
        for (long c = 0; c < v.cols(); ++c) lit += (lit.empty() ? "" : ", ") + hex(v(r, c));
      if (shape.is_scalar())
        mains[u] << "    const double " << name << " = " << hex(v(0, 0)) << ";\n";
      else
        mains[u] << "    const Eigen::MatrixXd " << name << " = mcalc_emit::literal<double>(" << v.rows() << ", "
                 << v.cols() << ", {" << lit << "});\n";
      call += (call.empty() ? "" : ", ") + name;
    }
    mains[u] << "    const auto res_ = " << p.fn.name << "(" << call << ");\n";
    mains[u] << "    print(" << k << ", \"value\", res_.value);\n    print(" << k << ", \"deriv\", res_.derivative);\n  }\n";
  }
  std::string cmd;
  for (std::size_t u = 0; u < parts; ++u) {
    std::ofstream f(s.dir / ("unit" + std::to_string(u) + ".cpp"));
    f << units[u].str() << "#include <cstdio>\n"
      << "static void print(int k, const char* what, double v) { std::printf(\"%d %s 1 1 %a\\n\", k, what, v); }\n"
      << "static void print(int k, const char* what, const Eigen::MatrixXd& m) {\n"
      << "  std::printf(\"%d %s %ld %ld\", k, what, (long)m.rows(), (long)m.cols());\n"
      << "  for (long r = 0; r < m.rows(); ++r) for (long c = 0; c < m.cols(); ++c) std::printf(\" %a\", m(r, c));\n"
      << "  std::printf(\"\\n\");\n}\nint main() {\n" << mains[u].str() << "  return 0;\n}\n";
    f.close();
    std::string src = (s.dir / ("unit" + std::to_string(u) + ".cpp")).string();
    std::string exe = (s.dir / ("unit" + std::to_string(u))).string();
    cmd += "(c++ -std=c++17 -O0 -w -I/usr/include/eigen3 '" + src + "' -o '" + exe + "' && '" + exe + "' > '" + exe +
           ".out') & ";
  }
  cmd += "wait";
  REQUIRE(run("sh -c \"" + cmd + "\"") == 0);
  std::map<std::pair<long, std::string>, Eigen::MatrixXd> results;
  for (std::size_t u = 0; u < parts; ++u) {
    std::ifstream in(s.dir / ("unit" + std::to_string(u) + ".out"));
    long k, r, c;
    std::string what;
    while (in >> k >> what >> r >> c) {
      Eigen::MatrixXd m(r, c);
      for (long i = 0; i < r; ++i)
        for (long j = 0; j < c; ++j) {
          std::string t;
          in >> t;
          m(i, j) = std::strtod(t.c_str(), nullptr);
        }
      results[{k, what}] = m;
    }
  }
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& p = cases[k];
    INFO(p.c.str() << "\n" << mcalc::test::read_file(s.dir / (p.fn.name + ".hpp")));
    REQUIRE(results.count({static_cast<long>(k), "value"}));
    REQUIRE(results.count({static_cast<long>(k), "deriv"}));
    check_agrees(results[{static_cast<long>(k), "value"}], p.value, "value");
    check_agrees(results[{static_cast<long>(k), "deriv"}], p.derivative, "derivative");
  }
}

namespace {
std::string emitted(const std::string& verb, const std::string& expr, const std::string& let, const std::string& wrt,
                    const std::string& target, bool check = false) {
  driver::Request r;
  r.verb = verb == "grad" ? driver::Verb::Grad : verb == "hessian" ? driver::Verb::Hessian : driver::Verb::Diff;
  r.input = expr;
  r.let = let;
  r.wrt = wrt;
  r.emit = target;
  r.emit_check = check;
  std::ostringstream out, err;
  REQUIRE(driver::run(r, out, err) == driver::Ok);
  return out.str();
}
std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("emitted code: shared subexpressions once, diag structural, stable forms", "[emit][structure]") {
  // The logistic loss: sigmoid's argument X*w is computed once and named.
  std::string py = emitted("grad", "sum(softplus(X*w)) - y'*(X*w)", "X: matrix(N, n); y: vector(N); w: vector(n)",
                           "w", "numpy");
  CHECK(count(py, "(X @ w)") == 1);
  CHECK(count(py, "np.logaddexp(0.0, ") == 2);  // softplus, stably (and once in the _expit helper)
  CHECK(count(py, "_expit(") >= 1);             // its derivative, sigmoid, stably
  CHECK(py.find("def value_and_grad(X, y, w):") != std::string::npos);

  // X'*diag(s)*X: the rows of X scaled, never an N x N matrix.
  std::string h = emitted("hessian", "sum(softplus(X*w))", "X: matrix(N, n); w: vector(n)", "w", "numpy");
  CHECK(h.find("np.diagflat") == std::string::npos);
  CHECK(h.find("np.diag(") == std::string::npos);
  std::string ht = emitted("hessian", "sum(softplus(X*w))", "X: matrix(N, n); w: vector(n)", "w", "torch");
  CHECK(ht.find("torch.diag(") == std::string::npos);
  std::string hc = emitted("hessian", "sum(softplus(X*w))", "X: matrix(N, n); w: vector(n)", "w", "cpp");
  CHECK(hc.find("asDiagonal() *") != std::string::npos);

  // logsumexp and log(1 + u)
  std::string l = emitted("grad", "logsumexp(x) + log(1 + x'*x)", "x: vector(n)", "x", "numpy");
  CHECK(l.find("_logsumexp(") != std::string::npos);
  CHECK(l.find("np.log1p(") != std::string::npos);
  CHECK(l.find("np.log(1") == std::string::npos);

  // The docstring states shapes, layout and formula; --name renames; --emit-check adds the helper.
  std::string d = emitted("diff", "A*x", "A: matrix(m, n); x: vector(n)", "x", "numpy", true);
  CHECK(d.find("f = A*x    (vector(m))") != std::string::npos);
  CHECK(d.find("diff(f, x) = A    (matrix(m, n))") != std::string::npos);
  CHECK(d.find("numerator layout") != std::string::npos);
  CHECK(d.find("A : matrix(m, n)") != std::string::npos);
  CHECK(d.find("def check_value_and_grad(A, x, eps=None):") != std::string::npos);
}

TEST_CASE("check helpers (emitted with --emit-check) report agreement in NumPy, PyTorch and C++", "[emit][check]") {
  Scratch s("check");
  const std::string let = "X: matrix(N, n); y: vector(N); w: vector(n)";
  const std::string f = "sum(softplus(X*w)) - y'*(X*w) + w'*w";
  std::ofstream(s.dir / "g_np.py") << emitted("grad", f, let, "w", "numpy", true);
  std::ofstream(s.dir / "h_np.py") << emitted("hessian", f, let, "w", "numpy", true);
  std::ofstream(s.dir / "g_torch.py") << emitted("grad", f, let, "w", "torch", true);
  std::ofstream(s.dir / "j_np.py") << emitted("diff", "sigmoid(A*x)", "A: matrix(m, n); x: vector(n)", "x", "numpy", true);
  std::ofstream(s.dir / "m_np.py") << emitted("diff", "x'*A*x", "A: matrix(n, n); x: vector(n)", "A", "numpy", true);
  std::ofstream(s.dir / "run.py") << R"(
import sys
sys.path.insert(0, sys.argv[1])
import numpy as np, torch
import g_np, h_np, g_torch, j_np, m_np
rng = np.random.default_rng(1)
X, y, w = rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=3)
A, x, B = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(3, 3))
errors = [g_np.check_value_and_grad(X, y, w), h_np.check_value_and_grad(X, y, w),
          float(g_torch.check_value_and_grad(torch.from_numpy(X), torch.from_numpy(y), torch.from_numpy(w))),
          j_np.check_value_and_grad(A, x), m_np.check_value_and_grad(B, x)]
print(" ".join("%.3g" % e for e in errors))
sys.exit(0 if max(errors) < 1e-6 else 1)
)";
  CHECK(run("/usr/bin/python3 '" + (s.dir / "run.py").string() + "' '" + s.dir.string() + "'") == 0);

  std::ofstream(s.dir / "g.hpp") << emitted("grad", f, let, "w", "cpp", true);
  std::ofstream(s.dir / "main.cpp") << R"(#include "g.hpp"
#include <cstdio>
int main() {
  Eigen::MatrixXd X(4, 2);
  X << 0.5, -1, 0.25, 2, -0.75, 0.1, 1.5, 0.3;
  Eigen::VectorXd y(4), w(2);
  y << 1, 0, 1, 1;
  w << 0.2, -0.4;
  double e = check_value_and_grad(X, y, w);
  std::printf("%g\n", e);
  return e < 1e-6 ? 0 : 1;
}
)";
  std::string exe = (s.dir / "main").string();
  CHECK(run("c++ -std=c++17 -O1 -I/usr/include/eigen3 '" + (s.dir / "main.cpp").string() + "' -o '" + exe + "' && '" +
            exe + "'") == 0);
}

TEST_CASE("inputs named like a keyword of the target become NAME_ parameters, and the code runs", "[emit][names]") {
  Scratch s("names");
  // lambda and in are Python keywords; int and class are C++ keywords.
  const std::string f = "sum(lambda.*x) + in'*x";
  const std::string let = "lambda, in, x: vector(n)";
  std::string py = emitted("grad", f, let, "x", "numpy", true);
  CHECK(py.find("def value_and_grad(lambda_, in_, x):") != std::string::npos);
  CHECK(py.find("lambda_ : vector(n)") != std::string::npos);
  std::ofstream(s.dir / "k_np.py") << py;
  std::ofstream(s.dir / "k_torch.py") << emitted("grad", f, let, "x", "torch", true);
  std::ofstream(s.dir / "run.py") << R"(
import sys
sys.path.insert(0, sys.argv[1])
import numpy as np, torch
import k_np, k_torch
l, i, x = np.array([1.0, 2.0]), np.array([0.5, -1.0]), np.array([3.0, 4.0])
v, g = k_np.value_and_grad(lambda_=l, in_=i, x=x)
vt, gt = k_torch.value_and_grad(torch.from_numpy(l), torch.from_numpy(i), torch.from_numpy(x))
ok = abs(v - 8.5) < 1e-12 and np.allclose(g, l + i) and abs(float(vt) - 8.5) < 1e-12 and np.allclose(gt.numpy(), l + i)
ok = ok and k_np.check_value_and_grad(l, i, x) < 1e-6
sys.exit(0 if ok else 1)
)";
  CHECK(run("/usr/bin/python3 '" + (s.dir / "run.py").string() + "' '" + s.dir.string() + "'") == 0);

  std::string cpp = emitted("grad", "sum(int.*x) + class'*x", "int, class, x: vector(n)", "x", "cpp");
  CHECK(cpp.find("int_") != std::string::npos);
  std::ofstream(s.dir / "k.hpp") << cpp;
  std::ofstream(s.dir / "main.cpp") << R"(#include "k.hpp"
int main() {
  Eigen::VectorXd a(2), c(2), x(2);
  a << 1, 2;
  c << 0.5, -1;
  x << 3, 4;
  auto r = value_and_grad(a, c, x);
  return std::abs(r.value - 8.5) < 1e-12 && (r.derivative - (a + c)).norm() < 1e-12 ? 0 : 1;
}
)";
  std::string exe = (s.dir / "main").string();
  CHECK(run("c++ -std=c++17 -O0 -I/usr/include/eigen3 '" + (s.dir / "main.cpp").string() + "' -o '" + exe + "' && '" +
            exe + "'") == 0);
}
