// Code generation (--emit numpy|torch|cpp): one function per query that
// returns (value, derivative), written from the DAG in topological order.
//
// Representation in the generated code: a scalar is a number (Python float /
// 0-d tensor / T), every other value a 2-D array with mcalc's shape (a column
// vector is n x 1, a row vector 1 x n), so that every operator maps to one
// array operation. Inputs are converted on entry (a 1-D vector becomes a
// column) and checked against their declared shapes; a column-vector result is
// returned 1-D in Python.
#include "mcalc/emit.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "mcalc/print.hpp"
#include "mcalc/topo.hpp"
#include "mcalc/version.hpp"

namespace mcalc {
namespace {

bool python(EmitTarget t) { return t != EmitTarget::Cpp; }

std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  for (int digits = 1; digits < 17; ++digits) {  // the shortest text that reads back exactly
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) {
      s = buf;
      break;
    }
  }
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string dim_code(const Dim& d) { return d.str(); }  // 3, n, m*n: the same in Python and C++

/// What the derivative is, in words, for the docstring.
std::string layout_words(QueryOp op, Layout layout) {
  switch (op) {
    case QueryOp::Grad: return "gradient: the shape of the variable";
    case QueryOp::Hessian: return "Hessian: n x n, entry (i, j) = d2f / dx_i dx_j";
    case QueryOp::Diff:
      return layout == Layout::Numerator
                 ? "numerator layout: one row per entry of f, one column per entry of the variable"
                 : "denominator layout: one row per entry of the variable, one column per entry of f";
  }
  MCALC_UNREACHABLE("unknown query");
}

/// Writes the body of one function: a statement per shared node, the code of the roots.
class Body {
 public:
  Body(EmitTarget target, std::string indent) : t_(target), indent_(std::move(indent)) {}

  /// Statements computing `roots`; returns the code of each root.
  std::vector<std::string> run(const std::vector<Expr>& roots) {
    ir::Topo topo = ir::topo_order(roots);
    // Structurally equal nodes (X*w built twice) are one: the first of them
    // stands for all, and its uses are theirs together.
    std::unordered_map<std::string, std::size_t> first;
    std::vector<std::size_t> same(topo.size()), uses(topo.size(), 0);
    for (std::size_t k = 0; k < topo.size(); ++k) {
      std::string key = node_key(*topo.order[k], topo, same);
      same[k] = first.emplace(std::move(key), k).first->second;
      uses[same[k]] += topo.uses[k];
    }
    for (std::size_t k = 0; k < topo.size(); ++k) {
      const Node* n = topo.order[k];
      if (same[k] != k) {
        const Node* rep = topo.order[same[k]];
        code_[n] = code_.at(rep);
        has_input_[n] = has_input_.at(rep);
        continue;
      }
      bool input = n->kind == Kind::Var;  // depends on an input (operands come first in the order)
      for (const auto& a : n->args) input = input || has_input_.at(a.get());
      has_input_[n] = input;
      if (n->kind == Kind::Var && n->args.empty()) {
        code_[n] = n->name;
        continue;
      }
      std::string text = expr(*n);
      if (n->kind == Kind::Var) {  // an intermediate variable: under its own name
        assign(n->name, n, text);
        code_[n] = n->name;
      } else if (uses[k] > 1 && worth_naming(*n)) {
        std::string name = "_t" + std::to_string(++temps_);
        assign(name, n, text);
        code_[n] = name;
      } else {
        code_[n] = text;
      }
    }
    std::vector<std::string> out;
    for (const auto& r : roots) out.push_back(code_.at(r.get()));
    return out;
  }

  const std::string& lines() const { return lines_; }

  /// What makes a node equal to another: its own fields and its operands' representatives.
  static std::string node_key(const Node& n, const ir::Topo& topo, const std::vector<std::size_t>& same) {
    char num[32];
    std::snprintf(num, sizeof num, "%a", n.num);
    std::string key = std::to_string(static_cast<int>(n.kind)) + "|" + std::to_string(static_cast<int>(n.fn)) + "|" +
                      num + "|" + n.name + "|" + n.dim.str() + "|" + std::to_string(n.i) + "," + std::to_string(n.j) +
                      "|" + std::to_string(n.lit_rows) + "x" + std::to_string(n.lit_cols) + "|" + n.shape.str() + "|";
    for (const auto& a : n.args) key += std::to_string(same[topo.index.at(a.get())]) + ",";
    return key;
  }

 private:
  EmitTarget t_;
  std::string indent_;
  std::string lines_;
  std::unordered_map<const Node*, std::string> code_;
  std::unordered_map<const Node*, bool> has_input_;
  int temps_ = 0;

  void assign(const std::string& name, const Node* n, const std::string& text) {
    if (python(t_)) {
      lines_ += indent_ + name + " = " + text + "\n";
    } else {
      lines_ += indent_ + "const " + std::string(n->is_scalar() ? "T" : "Mat<T>") + " " + name + " = " + text + ";\n";
    }
  }

  /// Leaves and views are cheaper to repeat than to name; diag(v) stays
  /// unnamed so that products read it structurally.
  static bool worth_naming(const Node& n) {
    const Kind cheap[] = {Kind::Num, Kind::DimSize, Kind::Transpose, Kind::Eye, Kind::Ones, Kind::Zeros};
    for (Kind k : cheap)
      if (n.kind == k) return false;
    return !(n.kind == Kind::Call && n.fn == Fn::DiagOf);
  }

  const std::string& c(const Expr& e) const { return code_.at(e.get()); }

  /// A Python number (no tensor inside): torch functions need a tensor.
  bool python_number(const Expr& e) const { return e->is_scalar() && !has_input_.at(e.get()); }
  /// The code of an argument of a torch function (a tensor).
  std::string tensor_arg(const Expr& e) {
    return t_ == EmitTarget::Torch && python_number(e) ? "_c(" + c(e) + ")" : c(e);
  }

  std::string np() const { return t_ == EmitTarget::NumPy ? "np" : "torch"; }

  /// `pattern` with every `hole` replaced by `by`.
  static std::string substitute(std::string pattern, const std::string& hole, const std::string& by) {
    for (auto k = pattern.find(hole); k != std::string::npos; k = pattern.find(hole, k + by.size()))
      pattern.replace(k, hole.size(), by);
    return pattern;
  }

  /// f(u) elementwise: `py` is the NumPy/torch call (with {} for the argument),
  /// `cpp` the body of a C++ lambda of `u`.
  std::string map(const Expr& u, const std::string& py, const std::string& cpp) {
    if (python(t_)) return substitute(py, "{}", tensor_arg(u));
    return "mcalc_emit::map(" + c(u) + ", [](T u) { using std::exp; using std::log; return " + cpp + "; })";
  }
  /// f(a, b) elementwise with scalar broadcasting.
  std::string zip(const Expr& a, const Expr& b, const std::string& py, const std::string& cpp) {
    if (python(t_)) return substitute(substitute(py, "{a}", tensor_arg(a)), "{b}", tensor_arg(b));
    return "mcalc_emit::zip(" + c(a) + ", " + c(b) + ", [](T a, T b) { return " + cpp + "; })";
  }

  std::string infix(const Expr& a, const char* op, const Expr& b) { return "(" + c(a) + " " + op + " " + c(b) + ")"; }

  /// a + b, a - b, a .* b, a ./ b with scalar broadcasting.
  std::string elementwise(const Node& n, const char* op) {
    const Expr &a = n.args[0], &b = n.args[1];
    if (python(t_) || (a->is_scalar() && b->is_scalar())) return infix(a, op, b);
    std::string o = op;
    if (!a->is_scalar() && !b->is_scalar()) {
      if (o == "+" || o == "-") return "Mat<T>(" + c(a) + " " + o + " " + c(b) + ")";
      if (o == "*") return "Mat<T>(" + c(a) + ".cwiseProduct(" + c(b) + "))";
      return "Mat<T>(" + c(a) + ".cwiseQuotient(" + c(b) + "))";
    }
    return zip(a, b, "", "a " + o + " b");
  }

  std::string mul(const Node& n) {
    const Expr &a = n.args[0], &b = n.args[1];
    if (a->is_scalar() || b->is_scalar()) {
      if (python(t_)) return infix(a, "*", b);
      return n.is_scalar() ? "(" + c(a) + " * " + c(b) + ")" : "Mat<T>(" + c(a) + " * " + c(b) + ")";
    }
    auto is_diag = [](const Expr& e) { return e->kind == Kind::Call && e->fn == Fn::DiagOf; };
    // diag(v)*B scales the rows of B, A*diag(v) the columns of A: never an n x n matrix.
    if (is_diag(a)) {
      const std::string& v = c(a->args[0]);
      if (python(t_)) return "(" + v + " * " + c(b) + ")";
      return "Mat<T>(" + v + ".col(0).asDiagonal() * " + c(b) + ")";
    }
    if (is_diag(b)) {
      const std::string& v = c(b->args[0]);
      if (python(t_)) return "(" + c(a) + " * " + v + ".T)";
      return "Mat<T>(" + c(a) + " * " + v + ".col(0).asDiagonal())";
    }
    if (n.is_scalar()) return python(t_) ? "(" + c(a) + " @ " + c(b) + ")[0, 0]" : "(" + c(a) + " * " + c(b) + ").value()";
    return python(t_) ? infix(a, "@", b) : "Mat<T>(" + c(a) + " * " + c(b) + ")";
  }

  /// ones/zeros/eye of the node's shape.
  std::string filled(const Node& n, const char* what) {
    const std::string r = dim_code(n.shape.rows), cc = dim_code(n.shape.cols);
    std::string w = what;
    if (n.is_scalar()) return w == "zeros" ? (python(t_) ? "0.0" : "T(0)") : (python(t_) ? "1.0" : "T(1)");
    switch (t_) {
      case EmitTarget::NumPy: return w == "eye" ? "np.eye(" + r + ")" : "np." + w + "((" + r + ", " + cc + "))";
      case EmitTarget::Torch:
        return w == "eye" ? "torch.eye(" + r + ", dtype=_dt, device=_dev)"
                          : "torch." + w + "((" + r + ", " + cc + "), dtype=_dt, device=_dev)";
      case EmitTarget::Cpp:
        return w == "eye" ? "Mat<T>(Mat<T>::Identity(" + r + ", " + r + "))"
                          : std::string("Mat<T>(Mat<T>::") + (w == "ones" ? "Ones(" : "Zero(") + r + ", " + cc + "))";
    }
    MCALC_UNREACHABLE("unknown target");
  }

  std::string expr(const Node& n) {
    const auto& a = n.args;
    switch (n.kind) {
      case Kind::Num: return python(t_) ? number_text(n.num) : "T(" + number_text(n.num) + ")";
      case Kind::Var: return c(a[0]);  // an intermediate: its definition
      case Kind::DimSize: return python(t_) ? dim_code(n.dim) : "T(" + dim_code(n.dim) + ")";
      case Kind::Add: return elementwise(n, "+");
      case Kind::Sub: return elementwise(n, "-");
      case Kind::Neg: return python(t_) || n.is_scalar() ? "(-" + c(a[0]) + ")" : "Mat<T>(-" + c(a[0]) + ")";
      case Kind::Mul: return mul(n);
      case Kind::Div: return python(t_) || n.is_scalar() ? infix(a[0], "/", a[1]) : "Mat<T>(" + c(a[0]) + " / " + c(a[1]) + ")";
      case Kind::Hadamard: return elementwise(n, "*");
      case Kind::ElemDiv: return elementwise(n, "/");
      case Kind::Dot:
        if (t_ == EmitTarget::NumPy) return "np.vdot(" + c(a[0]) + ", " + c(a[1]) + ")";
        if (t_ == EmitTarget::Torch) return "torch.sum(" + c(a[0]) + ".reshape(-1) * " + c(a[1]) + ".reshape(-1))";
        return "mcalc_emit::vdot(" + c(a[0]) + ", " + c(a[1]) + ")";
      case Kind::Pow:
        if (n.is_scalar()) return python(t_) ? infix(a[0], "**", a[1]) : "std::pow(" + c(a[0]) + ", " + c(a[1]) + ")";
        MCALC_ASSERT(a[1]->kind == Kind::Num, "a matrix power has a literal exponent");
        if (python(t_))
          return np() + ".linalg.matrix_power(" + c(a[0]) + ", " + std::to_string(static_cast<long>(a[1]->num)) + ")";
        return "mcalc_emit::matrix_power(" + c(a[0]) + ", " + std::to_string(static_cast<long>(a[1]->num)) + ")";
      case Kind::ElemPow:
        if (python(t_)) return infix(a[0], "**", a[1]);
        return a[0]->is_scalar() && a[1]->is_scalar() ? "std::pow(" + c(a[0]) + ", " + c(a[1]) + ")"
                                                      : zip(a[0], a[1], "", "std::pow(a, b)");
      case Kind::Transpose:
        if (a[0]->is_scalar()) return c(a[0]);
        return python(t_) ? c(a[0]) + ".T" : "Mat<T>(" + c(a[0]) + ".transpose())";
      case Kind::Index: {
        long r = n.j == 0 ? (a[0]->shape.rows.is_one() ? 0 : n.i - 1) : n.i - 1;
        long col = n.j == 0 ? (a[0]->shape.rows.is_one() ? n.i - 1 : 0) : n.j - 1;
        if (python(t_)) return c(a[0]) + "[" + std::to_string(r) + ", " + std::to_string(col) + "]";
        return c(a[0]) + "(" + std::to_string(r) + ", " + std::to_string(col) + ")";
      }
      case Kind::Call: return call(n);
      case Kind::Literal: {
        if (n.is_scalar()) return c(a[0]);
        std::string rows;
        for (long r = 0; r < n.lit_rows; ++r) {
          std::string row;
          for (long k = 0; k < n.lit_cols; ++k)
            row += (k ? ", " : "") + c(a[static_cast<std::size_t>(r * n.lit_cols + k)]);
          rows += (r ? ", " : "") + (python(t_) ? "[" + row + "]" : row);
        }
        if (t_ == EmitTarget::NumPy) return "np.array([" + rows + "], dtype=np.float64)";
        if (t_ == EmitTarget::Torch) return "_lit([" + rows + "], _dt, _dev)";
        return "mcalc_emit::literal<T>(" + std::to_string(n.lit_rows) + ", " + std::to_string(n.lit_cols) + ", {" +
               rows + "})";
      }
      case Kind::Ones: return filled(n, "ones");
      case Kind::Zeros: return filled(n, "zeros");
      case Kind::Eye: return filled(n, "eye");
      case Kind::Unit:
        if (t_ == EmitTarget::NumPy) return "_unit(" + std::to_string(n.i) + ", " + dim_code(n.shape.rows) + ")";
        if (t_ == EmitTarget::Torch)
          return "_unit(" + std::to_string(n.i) + ", " + dim_code(n.shape.rows) + ", _dt, _dev)";
        return "mcalc_emit::unit<T>(" + std::to_string(n.i) + ", " + dim_code(n.shape.rows) + ")";
    }
    MCALC_UNREACHABLE("unknown node kind");
  }

  std::string call(const Node& n) {
    const auto& a = n.args;
    const bool np_ = t_ == EmitTarget::NumPy, cpp = t_ == EmitTarget::Cpp;
    if (n.fn == Fn::Log) {
      // log(1 + u) and log(u + 1) are log1p(u): exact for small u.
      const Expr& u = a[0];
      if (u->kind == Kind::Add && (u->args[0]->is_num(1) || u->args[1]->is_num(1))) {
        const Expr& rest = u->args[0]->is_num(1) ? u->args[1] : u->args[0];
        if (rest->shape == u->shape) return map(rest, np() + ".log1p({})", "std::log1p(u)");
      }
    }
    switch (n.fn) {
      case Fn::None: break;
#define MCALC_FN_ELEMENTWISE(Id, name, flags, latex, kernel, ginac, numpy, torch, cpp) \
  case Fn::Id: return map(a[0], np_ ? numpy : torch, cpp);
#define MCALC_FN_ELEMENTWISE2(Id, name, family, flags, rule, latex, kernel, ginac, numpy, torch, cpp) \
  case Fn::Id: return zip(a[0], a[1], np_ ? numpy : torch, cpp);
#include "mcalc/functions.def"
      case Fn::Sum:
        if (a[0]->is_scalar()) return c(a[0]);
        return python(t_) ? np() + ".sum(" + c(a[0]) + ")" : c(a[0]) + ".sum()";
      case Fn::Mean:
        if (a[0]->is_scalar()) return c(a[0]);
        return python(t_) ? np() + ".mean(" + c(a[0]) + ")" : c(a[0]) + ".mean()";
      case Fn::Norm2:
        if (a[0]->is_scalar()) return python(t_) ? "abs(" + c(a[0]) + ")" : "std::abs(" + c(a[0]) + ")";
        return python(t_) ? np() + ".linalg.norm(" + c(a[0]) + ")" : c(a[0]) + ".norm()";
      case Fn::Norm1:
        if (a[0]->is_scalar()) return python(t_) ? "abs(" + c(a[0]) + ")" : "std::abs(" + c(a[0]) + ")";
        return python(t_) ? np() + ".sum(" + np() + ".abs(" + c(a[0]) + "))" : c(a[0]) + ".cwiseAbs().sum()";
      case Fn::Logsumexp:
        if (a[0]->is_scalar()) return c(a[0]);
        if (np_) return "_logsumexp(" + c(a[0]) + ")";
        return cpp ? "mcalc_emit::logsumexp(" + c(a[0]) + ")" : "torch.logsumexp(" + c(a[0]) + ".reshape(-1), 0)";
      case Fn::Softmax:
        if (np_) return "_softmax(" + c(a[0]) + ")";
        return cpp ? "mcalc_emit::softmax(" + c(a[0]) + ")"
                   : "torch.softmax(" + c(a[0]) + ".reshape(-1), 0).reshape(" + c(a[0]) + ".shape)";
      case Fn::Tr:
        if (a[0]->is_scalar()) return c(a[0]);
        return python(t_) ? np() + ".trace(" + c(a[0]) + ")" : c(a[0]) + ".trace()";
      case Fn::Det:
        if (a[0]->is_scalar()) return c(a[0]);
        return python(t_) ? np() + ".linalg.det(" + c(a[0]) + ")" : c(a[0]) + ".determinant()";
      case Fn::Logdet:
        return cpp ? "mcalc_emit::logdet(" + c(a[0]) + ")" : "_logdet(" + tensor_arg(a[0]) + ")";
      case Fn::Inv:
        if (a[0]->is_scalar()) return python(t_) ? "(1.0 / " + c(a[0]) + ")" : "(T(1) / " + c(a[0]) + ")";
        return python(t_) ? np() + ".linalg.inv(" + c(a[0]) + ")" : "Mat<T>(" + c(a[0]) + ".inverse())";
      case Fn::Adj:
        if (a[0]->is_scalar()) return python(t_) ? "1.0" : "T(1)";
        return cpp ? "mcalc_emit::adj(" + c(a[0]) + ")" : "_adj(" + c(a[0]) + ")";
      case Fn::DiagOf:
        if (a[0]->is_scalar()) return c(a[0]);
        if (np_) return "np.diagflat(" + c(a[0]) + ")";
        return cpp ? "Mat<T>(" + c(a[0]) + ".col(0).asDiagonal())" : "torch.diag(" + c(a[0]) + ".reshape(-1))";
      case Fn::DiagVec:
        if (a[0]->is_scalar()) return c(a[0]);
        if (np_) return "np.diag(" + c(a[0]) + ").reshape(-1, 1)";
        return cpp ? "Mat<T>(" + c(a[0]) + ".diagonal())" : "torch.diagonal(" + c(a[0]) + ").reshape(-1, 1)";
      case Fn::Vec:  // the columns stacked (column-major)
        if (a[0]->shape.cols.is_one()) return c(a[0]);
        if (np_) return "np.reshape(" + c(a[0]) + ", (-1, 1), order=\"F\")";
        return cpp ? "mcalc_emit::vec(Mat<T>(" + c(a[0]) + "))" : c(a[0]) + ".T.reshape(-1, 1)";
      case Fn::Kron:
        if (np_) return "np.kron(" + c(a[0]) + ", " + c(a[1]) + ")";
        return cpp ? "mcalc_emit::kron(Mat<T>(" + c(a[0]) + "), Mat<T>(" + c(a[1]) + "))"
                   : "torch.kron(" + c(a[0]) + ".contiguous(), " + c(a[1]) + ".contiguous())";  // a view (B.T) fails in kron
      case Fn::Commutation: {
        const std::string m = dim_code(ir::size_operand(a[0])), k = dim_code(ir::size_operand(a[1]));
        if (np_) return "_commutation(" + m + ", " + k + ")";
        return cpp ? "mcalc_emit::commutation<T>(" + m + ", " + k + ")" : "_commutation(" + m + ", " + k + ", _dt, _dev)";
      }
    }
    MCALC_UNREACHABLE("unknown function");
  }
};

// ---- module text ------------------------------------------------------------------

const char* const kNumpyPrelude = R"(import numpy as np


def _expit(u):
    # sigmoid(u) = exp(-log(1 + exp(-u))): no overflow for large |u|
    return np.exp(-np.logaddexp(0.0, -u))


def _logsumexp(z):
    m = np.max(z)
    if not np.isfinite(m):
        return m
    return m + np.log(np.sum(np.exp(z - m)))


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def _logdet(a):
    sign, logabs = np.linalg.slogdet(np.atleast_2d(a))
    if sign <= 0:
        raise ValueError("logdet needs a matrix with positive determinant")
    return logabs


def _adj(a):
    # A = U diag(s) V': adj(A) = det(U) det(V) V diag(prod_{j != i} s_j) U', defined at a singular A too
    u, s, vt = np.linalg.svd(a)
    p = np.array([np.prod(np.delete(s, i)) for i in range(s.size)])
    return np.linalg.det(u) * np.linalg.det(vt) * (vt.T * p) @ u.T


def _unit(i, n):
    u = np.zeros((n, 1))
    u[i - 1, 0] = 1.0
    return u


def _commutation(m, n):
    # K with K vec(A) = vec(A') for an m x n A (vec stacks the columns)
    k = np.zeros((m * n, m * n))
    for i in range(m):
        for j in range(n):
            k[i * n + j, j * m + i] = 1.0
    return k


def _asarray(a):
    return np.asarray(a, dtype=np.float64)
)";

const char* const kTorchPrelude = R"(import math

import torch


def _dtype_device(*args):
    # the dtype and device of the first tensor argument (float64 on the CPU when there is none)
    for a in args:
        if torch.is_tensor(a):
            return (a.dtype if a.is_floating_point() else torch.float64), a.device
    return torch.float64, torch.device("cpu")


def _softplus(u):
    return torch.logaddexp(u, torch.zeros_like(u))


def _step(u):
    return (u > 0).to(u.dtype)


def _heaviside(u):
    return (u >= 0).to(u.dtype)


def _logdet(a):
    sign, logabs = torch.linalg.slogdet(a if a.dim() == 2 else a.reshape(1, 1))
    if sign <= 0:
        raise ValueError("logdet needs a matrix with positive determinant")
    return logabs


def _adj(a):
    # A = U diag(s) V': adj(A) = det(U) det(V) V diag(prod_{j != i} s_j) U', defined at a singular A too
    u, s, vh = torch.linalg.svd(a)
    p = torch.stack([torch.prod(torch.cat([s[:i], s[i + 1:]])) for i in range(s.shape[0])])
    return torch.linalg.det(u) * torch.linalg.det(vh) * (vh.T * p) @ u.T


def _lit(rows, dt, dev):
    return torch.stack([torch.stack([torch.as_tensor(e, dtype=dt, device=dev) for e in r]) for r in rows])


def _unit(i, n, dt, dev):
    u = torch.zeros((n, 1), dtype=dt, device=dev)
    u[i - 1, 0] = 1.0
    return u


def _commutation(m, n, dt, dev):
    # K with K vec(A) = vec(A') for an m x n A (vec stacks the columns)
    k = torch.zeros((m * n, m * n), dtype=dt, device=dev)
    for i in range(m):
        for j in range(n):
            k[i * n + j, j * m + i] = 1.0
    return k


def _asarray(a):
    return torch.as_tensor(a, dtype=torch.float64)
)";

const char* const kCppPrelude = R"(#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#ifndef MCALC_EMIT_HELPERS
#define MCALC_EMIT_HELPERS
namespace mcalc_emit {
template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

template <class T, class F> T map(T a, F f) { return f(a); }
template <class T, class F> Mat<T> map(const Mat<T>& a, F f) { return a.unaryExpr(f); }
template <class T, class F> T zip(T a, T b, F f) { return f(a, b); }
template <class T, class F> Mat<T> zip(const Mat<T>& a, T b, F f) { return a.unaryExpr([&](T x) { return f(x, b); }); }
template <class T, class F> Mat<T> zip(T a, const Mat<T>& b, F f) { return b.unaryExpr([&](T y) { return f(a, y); }); }
template <class T, class F> Mat<T> zip(const Mat<T>& a, const Mat<T>& b, F f) { return a.binaryExpr(b, f); }

template <class T> T sign(T u) { return u > 0 ? T(1) : (u < 0 ? T(-1) : u); }
template <class T> T sigmoid(T u) {
  if (u >= 0) return T(1) / (T(1) + std::exp(-u));
  T e = std::exp(u);
  return e / (T(1) + e);
}
template <class T> T softplus(T u) { return std::max(u, T(0)) + std::log1p(std::exp(-std::abs(u))); }
template <class T> T vdot(const Mat<T>& a, const Mat<T>& b) {
  return (a.reshaped().array() * b.reshaped().array()).sum();
}
template <class T> T logsumexp(const Mat<T>& z) {
  T m = z.maxCoeff();
  if (!std::isfinite(m)) return m;
  return m + std::log((z.array() - m).exp().sum());
}
template <class T> Mat<T> softmax(const Mat<T>& z) {
  Mat<T> e = (z.array() - z.maxCoeff()).exp().matrix();
  return e / e.sum();
}
template <class T> T logdet(T a) {
  if (!(a > 0)) throw std::domain_error("logdet needs a matrix with positive determinant");
  return std::log(a);
}
template <class T> T logdet(const Mat<T>& a) {
  Eigen::PartialPivLU<Mat<T>> lu(a);
  T d = lu.determinant();
  if (!(d > 0)) throw std::domain_error("logdet needs a matrix with positive determinant");
  T s = 0;
  for (Eigen::Index i = 0; i < a.rows(); ++i) s += std::log(std::abs(lu.matrixLU()(i, i)));
  return s;
}
// A = U diag(s) V': adj(A) = det(U) det(V) V diag(prod_{j != i} s_j) U', defined at a singular A too
template <class T> Mat<T> adj(const Mat<T>& a) {
  Eigen::BDCSVD<Mat<T>> svd(a, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const auto& s = svd.singularValues();
  Mat<T> p = Mat<T>::Ones(s.size(), 1);
  for (Eigen::Index i = 0; i < s.size(); ++i)
    for (Eigen::Index j = 0; j < s.size(); ++j)
      if (j != i) p(i, 0) *= s(j);
  return svd.matrixU().determinant() * svd.matrixV().determinant() * svd.matrixV() * p.col(0).asDiagonal() *
         svd.matrixU().transpose();
}
template <class T> Mat<T> matrix_power(const Mat<T>& a, long k) {
  Mat<T> base = k < 0 ? Mat<T>(a.inverse()) : a;
  Mat<T> r = Mat<T>::Identity(a.rows(), a.cols());
  for (long p = k < 0 ? -k : k; p > 0; p >>= 1) {
    if (p & 1) r = r * base;
    base = base * base;
  }
  return r;
}
template <class T> Mat<T> literal(long rows, long cols, std::initializer_list<T> entries) {
  Mat<T> m(rows, cols);
  auto it = entries.begin();
  for (long r = 0; r < rows; ++r)
    for (long c = 0; c < cols; ++c) m(r, c) = *it++;
  return m;
}
template <class T> Mat<T> vec(const Mat<T>& a) {
  return Eigen::Map<const Mat<T>>(a.data(), a.size(), 1);
}
template <class T> Mat<T> kron(const Mat<T>& a, const Mat<T>& b) {
  Mat<T> r(a.rows() * b.rows(), a.cols() * b.cols());
  for (long j = 0; j < a.cols(); ++j)
    for (long i = 0; i < a.rows(); ++i) r.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return r;
}
/// K with K vec(A) = vec(A') for an m x n A.
template <class T> Mat<T> commutation(long m, long n) {
  Mat<T> k = Mat<T>::Zero(m * n, m * n);
  for (long j = 0; j < n; ++j)
    for (long i = 0; i < m; ++i) k(i * n + j, j * m + i) = T(1);
  return k;
}
template <class T> Mat<T> unit(long i, long n) {
  Mat<T> u = Mat<T>::Zero(n, 1);
  u(i - 1, 0) = T(1);
  return u;
}
/// A scalar or a matrix argument as a matrix of the declared shape (rows, cols; 0 = any).
template <class T, class A> Mat<T> input(const A& a, long rows, long cols, const char* name, const char* type) {
  Mat<T> m = a.template cast<T>();
  if ((rows && m.rows() != rows) || (cols && m.cols() != cols))
    throw std::invalid_argument(std::string(name) + " must be " + type + ", but it is " + std::to_string(m.rows()) +
                                " x " + std::to_string(m.cols()));
  return m;
}
}  // namespace mcalc_emit
#endif
)";

std::string shape_words(const Shape& s) { return type_string(s); }

/// The Python expression of an input's expected shape: (n, 1), (n, m), ().
std::string py_shape(const Shape& s) {
  return "(" + dim_code(s.rows) + ", " + dim_code(s.cols) + ")";
}

struct Dims {
  std::vector<std::string> order;  // symbolic dimensions, first seen first
  std::map<std::string, std::pair<std::string, int>> from;  // dim -> (input, axis)
};

Dims dims_of(const EmitFunction& fn) {
  Dims d;
  for (const auto& [name, shape] : fn.inputs) {
    const Dim* sides[] = {&shape.rows, &shape.cols};
    for (int axis = 0; axis < 2; ++axis)
      if (sides[axis]->is_symbol() && !d.from.count(sides[axis]->name())) {
        d.from[sides[axis]->name()] = {name, axis};
        d.order.push_back(sides[axis]->name());
      }
  }
  return d;
}

/// Symbolic dimensions of the roots that no input fixes: extra parameters.
std::vector<std::string> free_dims(const EmitFunction& fn, const Dims& bound) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  ir::Topo topo = ir::topo_order(std::vector<Expr>{fn.f, fn.derivative});
  for (const Node* n : topo.order) {
    std::vector<Dim> ds = {n->shape.rows, n->shape.cols};
    if (n->kind == Kind::DimSize) ds.push_back(n->dim);
    for (const Dim& d : ds)
      for (const auto& name : d.symbols())
        if (!bound.from.count(name) && seen.insert(name).second) out.push_back(name);
  }
  return out;
}

std::string docstring(const EmitFunction& fn, const std::string& lang_note) {
  std::ostringstream o;
  o << fn.name << ": the value of f and its " << (fn.op == QueryOp::Hessian ? "Hessian" : fn.op == QueryOp::Grad ? "gradient" : "derivative")
    << " with respect to " << fn.wrt->name << ".\n\n";
  o << "    f = " << to_text(fn.f) << "    (" << shape_words(fn.f->shape) << ")\n";
  o << "    " << query_name(fn.op) << "(f, " << fn.wrt->name << ") = " << to_text(fn.derivative) << "    ("
    << shape_words(fn.derivative->shape) << ")\n";
  o << "    layout: " << layout_words(fn.op, fn.layout) << "\n\n";
  o << "Parameters (" << lang_note << "):\n";
  for (const auto& [name, shape] : fn.inputs) o << "    " << name << " : " << shape_words(shape) << "\n";
  o << "\nReturns (value, derivative).\nGenerated by mcalc " << version << ".";
  return o.str();
}

std::string indent_text(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::string out;
  for (std::string l; std::getline(in, l);) out += (l.empty() ? "" : prefix + l) + "\n";
  return out;
}

/// Python: the conversion of an output to what the function returns.
std::string py_result(EmitTarget t, const std::string& code, const Shape& s) {
  if (s.is_scalar()) return t == EmitTarget::NumPy ? "float(" + code + ")" : "torch.as_tensor(" + code + ", dtype=_dt, device=_dev).reshape(())";
  if (s.cols.is_one()) return code + ".reshape(-1)";
  return code;
}

/// Names an input cannot have in the target language: its keywords, and the
/// names the emitted code itself uses (modules, helpers, the check's eps).
bool reserved(EmitTarget t, const std::string& name) {
  static const std::set<std::string> python_words = {
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
      "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
      "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "np", "torch", "float", "tuple",
      "ValueError", "eps"};
  static const std::set<std::string> cpp_words = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
      "char", "char16_t", "char32_t", "class", "compl", "const", "constexpr", "const_cast", "continue", "decltype",
      "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false",
      "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept",
      "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
      "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union",
      "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "T", "Eigen", "std",
      "mcalc_emit", "eps", "h"};
  return (python(t) ? python_words : cpp_words).count(name) > 0;
}

/// fn with every input whose name is reserved in the target renamed NAME_
/// (lambda -> lambda_), in the parameters, the docstring and the code alike.
EmitFunction with_target_names(EmitTarget t, const EmitFunction& fn) {
  std::set<std::string> taken;
  for (const auto& in : fn.inputs) taken.insert(in.first);
  std::map<std::string, std::string> renamed;
  for (const auto& in : fn.inputs)
    if (reserved(t, in.first)) {
      std::string to = in.first + "_";
      while (taken.count(to) || reserved(t, to)) to += "_";
      taken.insert(to);
      renamed[in.first] = to;
    }
  for (const auto& d : free_dims(fn, dims_of(fn)))
    if (reserved(t, d))
      throw UserError(Msg::BadOption, {"--emit: the dimension '" + d + "' would be a parameter, but it is a keyword of "
                                       "the target language; declare it under another name"});
  if (renamed.empty()) return fn;
  // f, the derivative and wrt rebuilt over their DAG with the renamed inputs.
  const std::vector<Expr> now = ir::rewrite({fn.f, fn.derivative, fn.wrt}, [&](const Expr& original, const Expr& r) {
    auto it = r->kind == Kind::Var && r->args.empty() ? renamed.find(r->name) : renamed.end();
    return it != renamed.end() ? ir::located(ir::var(it->second, r->shape), original->loc) : r;
  });
  EmitFunction out = fn;
  out.f = now[0];
  out.derivative = now[1];
  out.wrt = now[2];
  for (auto& in : out.inputs)
    if (renamed.count(in.first)) in.first = renamed.at(in.first);
  return out;
}

std::string python_function(EmitTarget t, const EmitFunction& fn, bool check) {
  std::ostringstream o;
  Dims dims = dims_of(fn);
  std::vector<std::string> extra = free_dims(fn, dims);
  std::string params;
  for (const auto& in : fn.inputs) params += (params.empty() ? "" : ", ") + in.first;
  for (const auto& d : extra) params += (params.empty() ? "" : ", ") + d;
  o << "\n\ndef " << fn.name << "(" << params << "):\n";
  std::string note = t == EmitTarget::NumPy
                         ? "array-likes; a vector may be given 1-D (n,) or as a column (n, 1)"
                         : "tensors or array-likes; computed in the dtype and on the device of the first tensor; a "
                           "vector may be 1-D (n,) or a column (n, 1)";
  o << "    \"\"\"" << indent_text(docstring(fn, note), "    ").substr(4);
  o << "    Column vectors are returned 1-D, scalars as " << (t == EmitTarget::NumPy ? "floats" : "0-d tensors")
    << ".\n    \"\"\"\n";
  if (t == EmitTarget::Torch) {
    std::string names;
    for (const auto& in : fn.inputs) names += (names.empty() ? "" : ", ") + in.first;
    o << "    _dt, _dev = _dtype_device(" << names << ")\n";
    o << "    def _c(v):\n        return torch.as_tensor(v, dtype=_dt, device=_dev)\n";
  }
  for (const auto& [name, shape] : fn.inputs) {
    if (t == EmitTarget::NumPy) o << "    " << name << " = np.asarray(" << name << ", dtype=np.float64)\n";
    else o << "    " << name << " = torch.as_tensor(" << name << ", dtype=_dt, device=_dev)\n";
    if (shape.is_scalar()) {
      o << "    if " << name << (t == EmitTarget::Torch ? ".numel()" : ".size") << " != 1:\n";
      o << "        raise ValueError(\"" << name << " must be a scalar\")\n";
      o << "    " << name << " = " << name << ".reshape(())\n";
    } else if (shape.cols.is_one()) {
      o << "    if " << name << ".ndim == 1:\n        " << name << " = " << name << "[:, None]\n";
    }
  }
  for (const auto& d : dims.order) {
    const auto& [input, axis] = dims.from.at(d);
    o << "    " << d << " = " << input << ".shape[" << axis << "]\n";
  }
  for (const auto& [name, shape] : fn.inputs) {
    if (shape.is_scalar()) continue;
    o << "    if tuple(" << name << ".shape) != " << py_shape(shape) << ":\n";
    o << "        raise ValueError(f\"" << name << " must be " << shape_words(shape) << " = (" << "{" << dim_code(shape.rows)
      << "}, {" << dim_code(shape.cols) << "}), but its shape is {tuple(" << name << ".shape)}\")\n";
  }
  Body body(t, "    ");
  std::vector<std::string> roots = body.run({fn.f, fn.derivative});
  o << body.lines();
  o << "    return " << py_result(t, roots[0], fn.f->shape) << ", " << py_result(t, roots[1], fn.derivative->shape)
    << "\n";

  if (check) {
    // Central differences of the value (second differences for a Hessian), arranged as the derivative.
    // Locals start with '_' so that no input's name is shadowed.
    std::string call_args;
    for (const auto& in : fn.inputs) call_args += (call_args.empty() ? "" : ", ") + (in.first == fn.wrt->name ? std::string("_w") : in.first);
    for (const auto& d : extra) call_args += ", " + d;
    const Shape& ws = fn.wrt->shape;
    o << "\n\ndef check_" << fn.name << "(" << params << ", eps=None):\n";
    o << "    \"\"\"The largest relative difference between the derivative " << fn.name
      << " returns and\n    central differences of its value (second differences for a Hessian), in float64.\"\"\"\n";
    o << "    _, _derivative = " << fn.name << "(" << params << ")\n";
    o << "    _derivative = _asarray(_derivative)\n";
    // In the vec/Kronecker convention the entries of w and f are taken column by column (vec), else row by row.
    const bool vec = by_vec(fn.op, fn.f->shape, ws);
    if (vec) o << "    def _flat(_a):  # vec: the columns stacked\n        _a = _asarray(_a)\n"
                  "        return _a.T.reshape(-1) if _a.ndim == 2 else _a.reshape(-1)\n";
    else o << "    def _flat(_a):\n        return _asarray(_a).reshape(-1)\n";
    o << "    _w0 = _flat(" << fn.wrt->name << ") * 1.0  # a copy\n";
    o << "    _size = _w0.shape[0]\n";
    o << "    _wshape = tuple(_asarray(" << fn.wrt->name << ").shape) if " << (ws.is_scalar() ? "False" : "True") << " else ()\n";
    o << "    if len(_wshape) == 1:\n        _wshape = (_wshape[0], 1)\n";
    o << "    def _value(_w):\n";
    if (vec) o << "        _w = _w.reshape(_wshape[::-1]).T\n";
    else o << "        _w = _w.reshape(_wshape) if _wshape else _w.reshape(())\n";
    o << "        return _flat(" << fn.name << "(" << call_args << ")[0])\n";
    o << "    def _unit(k, _h):\n        _e = _w0 * 0.0\n        _e[k] = _h\n        return _e\n";
    if (fn.op == QueryOp::Hessian) {
      o << "    _h = eps or 1e-4\n";
      o << "    _num = [[float(((_value(_w0 + _unit(i, _h) + _unit(j, _h)) - _value(_w0 + _unit(i, _h) - _unit(j, _h))"
           " - _value(_w0 - _unit(i, _h) + _unit(j, _h)) + _value(_w0 - _unit(i, _h) - _unit(j, _h))) / (4 * _h * _h))[0])"
           " for j in range(_size)] for i in range(_size)]\n";
      o << "    _expected = _asarray(_num)\n";
      o << "    _got = _derivative.reshape(_size, _size)\n";
    } else {
      o << "    _h = eps or 1e-6\n";
      o << "    _cols = [(_value(_w0 + _unit(k, _h)) - _value(_w0 - _unit(k, _h))) / (2 * _h) for k in range(_size)]\n";
      // _cols[k][a]: d f_a / d w_k, k over the entries of w (row by row, or by vec).
      o << "    _m = _cols[0].shape[0]\n";
      o << "    _jac = _asarray([[float(_cols[k][a]) for k in range(_size)] for a in range(_m)])  # numerator\n";
      const bool f_scalar = fn.f->is_scalar();
      if (fn.op == QueryOp::Grad) {
        o << "    _expected = _jac.reshape(_wshape if _wshape else (1, 1))\n";
      } else if (f_scalar && !ws.cols.is_one()) {  // d f / d X in numerator layout: the shape of X'
        o << "    _expected = _jac.reshape(_wshape).T\n";
      } else {
        o << "    _expected = _jac\n";
      }
      if (fn.op == QueryOp::Diff && fn.layout == Layout::Denominator) o << "    _expected = _expected.T\n";
      o << "    _got = _derivative.reshape(_expected.shape)\n";
    }
    o << "    _scale = float(abs(_expected).max())\n";
    o << "    _err = float(abs(_got - _expected).max())\n";
    o << "    return _err / _scale if _scale > 0 else _err\n";
  }
  return o.str();
}

std::string cpp_function(const EmitFunction& fn, bool check) {
  std::ostringstream o;
  Dims dims = dims_of(fn);
  std::vector<std::string> extra = free_dims(fn, dims);
  const std::string result = fn.name + "_result";
  o << "\n/// The value and the derivative " << fn.name << " returns.\n";
  o << "template <class T>\nstruct " << result << " {\n  using Mat = mcalc_emit::Mat<T>;\n";
  o << "  " << (fn.f->is_scalar() ? "T" : "Mat") << " value;       ///< " << shape_words(fn.f->shape) << "\n";
  o << "  " << (fn.derivative->is_scalar() ? "T" : "Mat") << " derivative;  ///< " << shape_words(fn.derivative->shape)
    << "\n};\n\n";
  o << "/**\n" << indent_text(docstring(fn, "Eigen matrices (a vector is a column) or scalars; T is the scalar type, "
                                            "double unless given, as in " + fn.name + "<float>(...)"),
                              " * ")
    << " */\n";
  std::string tparams = "template <class T = double";
  std::string params, call_args;
  for (const auto& in : fn.inputs) {
    std::string ty = "In_" + in.first;
    tparams += ", class " + ty;
    params += (params.empty() ? "" : ", ") + std::string("const ") + ty + "& " + in.first + "_in";
    call_args += (call_args.empty() ? "" : ", ") + in.first;
  }
  for (const auto& d : extra) {
    params += (params.empty() ? "" : ", ") + std::string("long ") + d;
    call_args += ", " + d;
  }
  tparams += ">";
  o << tparams << "\n" << result << "<T> " << fn.name << "(" << params << ") {\n";
  for (const auto& [name, shape] : fn.inputs) {
    if (shape.is_scalar()) {
      o << "  const T " << name << " = static_cast<T>(" << name << "_in);\n";
    } else {
      std::string r = shape.rows.is_const() ? std::to_string(shape.rows.value()) : "0";
      std::string cc = shape.cols.is_const() ? std::to_string(shape.cols.value()) : "0";
      o << "  const Mat<T> " << name << " = mcalc_emit::input<T>(" << name << "_in, " << r << ", " << cc << ", \""
        << name << "\", \"" << shape_words(shape) << "\");\n";
    }
  }
  for (const auto& d : dims.order) {
    const auto& [input, axis] = dims.from.at(d);
    o << "  const long " << d << " = " << input << (axis == 0 ? ".rows()" : ".cols()") << ";\n";
  }
  for (const auto& [name, shape] : fn.inputs) {
    if (shape.is_scalar()) continue;
    o << "  if (" << name << ".rows() != " << dim_code(shape.rows) << " || " << name << ".cols() != "
      << dim_code(shape.cols) << ")\n    throw std::invalid_argument(\"" << name << " must be " << shape_words(shape)
      << "\");\n";
  }
  for (const auto& d : dims.order) o << "  (void)" << d << ";\n";
  Body body(EmitTarget::Cpp, "  ");
  std::vector<std::string> roots = body.run({fn.f, fn.derivative});
  o << body.lines();
  o << "  return {" << roots[0] << ", " << roots[1] << "};\n}\n";
  std::string text = o.str();
  // The body says Mat<T>: the matrix type of the helpers' namespace.
  for (std::size_t at = text.find("Mat<T>"); at != std::string::npos; at = text.find("Mat<T>", at + 18)) {
    if (at >= 12 && text.compare(at - 12, 12, "mcalc_emit::") == 0) {
      at -= 12;
      continue;
    }
    text.replace(at, 6, "mcalc_emit::Mat<T>");
  }

  if (check) {
    std::ostringstream k;
    const Shape& ws = fn.wrt->shape;
    std::string w = fn.wrt->name;
    std::string perturbed_args;
    for (const auto& in : fn.inputs) perturbed_args += (perturbed_args.empty() ? "" : ", ") + (in.first == w ? std::string("wp") : in.first + "_in");
    for (const auto& d : extra) perturbed_args += ", " + d;
    k << "\n/// The largest relative difference between the derivative " << fn.name
      << " returns and central\n/// differences of its value (second differences for a Hessian).\n";
    k << tparams << "\nT check_" << fn.name << "(" << params << ", T eps = T(0)) {\n";
    k << "  using Mat = mcalc_emit::Mat<T>;\n";
    std::string plain;
    for (const auto& in : fn.inputs) plain += (plain.empty() ? "" : ", ") + in.first + "_in";
    for (const auto& d : extra) plain += ", " + d;
    k << "  const auto got0 = " << fn.name << "<T>(" << plain << ").derivative;\n";
    k << "  const Mat got = " << (fn.derivative->is_scalar() ? "Mat::Constant(1, 1, got0)" : "Mat(got0)") << ";\n";
    k << "  const Mat w0 = " << (ws.is_scalar() ? "Mat::Constant(1, 1, static_cast<T>(" + w + "_in))" : "Mat(" + w + "_in.template cast<T>())") << ";\n";
    k << "  const long size = w0.size();\n";
    k << "  auto value = [&](const Mat& wv) -> Mat {\n";
    k << "    " << (ws.is_scalar() ? "const T wp = wv(0, 0);" : "const Mat& wp = wv;") << "\n";
    k << "    const auto v = " << fn.name << "<T>(" << perturbed_args << ").value;\n";
    k << "    return " << (fn.f->is_scalar() ? "Mat::Constant(1, 1, v)" : "Mat(v)") << ";\n  };\n";
    // Entry k of w, row by row (by vec, column by column, in the vec/Kronecker convention).
    if (by_vec(fn.op, fn.f->shape, ws))
      k << "  auto unit = [&](long idx, T h) { Mat e = Mat::Zero(w0.rows(), w0.cols()); e(idx % w0.rows(), idx / w0.rows()) = h; return e; };\n";
    else
      k << "  auto unit = [&](long idx, T h) { Mat e = Mat::Zero(w0.rows(), w0.cols()); e(idx / w0.cols(), idx % w0.cols()) = h; return e; };\n";
    if (fn.op == QueryOp::Hessian) {
      k << "  const T h = eps > 0 ? eps : T(1e-4);\n";
      k << "  Mat expected(size, size);\n";
      k << "  for (long i = 0; i < size; ++i)\n    for (long j = 0; j < size; ++j)\n";
      k << "      expected(i, j) = (value(w0 + unit(i, h) + unit(j, h))(0, 0) - value(w0 + unit(i, h) - unit(j, h))(0, 0) -\n"
           "                        value(w0 - unit(i, h) + unit(j, h))(0, 0) + value(w0 - unit(i, h) - unit(j, h))(0, 0)) /\n"
           "                       (4 * h * h);\n";
    } else {
      k << "  const T h = eps > 0 ? eps : T(1e-6);\n";
      k << "  const long m = value(w0).size();\n";
      k << "  Mat jac(m, size);  // numerator: d f_a / d w_k, f column by column\n";
      k << "  for (long idx = 0; idx < size; ++idx) {\n    Mat d = (value(w0 + unit(idx, h)) - value(w0 - unit(idx, h))) / (2 * h);\n";
      k << "    for (long a = 0; a < m; ++a) jac(a, idx) = d(a);\n  }\n";
      k << "  Mat expected;\n";
      const bool f_scalar = fn.f->is_scalar();
      if (fn.op == QueryOp::Grad) {
        k << "  expected = Mat(w0.rows(), w0.cols());\n  for (long idx = 0; idx < size; ++idx) expected(idx / w0.cols(), idx % w0.cols()) = jac(0, idx);\n";
      } else if (f_scalar && !ws.cols.is_one()) {
        k << "  expected = Mat(w0.cols(), w0.rows());\n  for (long idx = 0; idx < size; ++idx) expected(idx % w0.cols(), idx / w0.cols()) = jac(0, idx);\n";
      } else {
        k << "  expected = jac;\n";
      }
      if (fn.op == QueryOp::Diff && fn.layout == Layout::Denominator) k << "  expected.transposeInPlace();\n";
    }
    k << "  const T scale = expected.cwiseAbs().maxCoeff();\n";
    k << "  const T err = (got - expected).cwiseAbs().maxCoeff();\n";
    k << "  return scale > 0 ? err / scale : err;\n}\n";
    text += k.str();
  }
  return text;
}

}  // namespace

EmitTarget emit_target(const std::string& name) {
  if (name == "numpy") return EmitTarget::NumPy;
  if (name == "torch") return EmitTarget::Torch;
  if (name == "cpp") return EmitTarget::Cpp;
  throw UserError(Msg::BadOption, {"--emit must be numpy, torch or cpp, not '" + name + "'"});
}

std::vector<std::pair<std::string, Shape>> emit_inputs(const Program& prog, const Expr& f, const Expr& wrt) {
  std::set<std::string> used;
  ir::Topo topo = ir::topo_order(std::vector<Expr>{f, wrt});
  for (const Node* n : topo.order)
    if (n->kind == Kind::Var && n->args.empty()) used.insert(n->name);
  std::vector<std::pair<std::string, Shape>> out;
  for (const auto& name : prog.symbol_order) {
    const Symbol* s = prog.find(name);
    // A defined name occurs as a plain variable only where the DAG was cut (a derivative by it): an input then.
    if (s && used.count(name)) out.emplace_back(name, s->shape);
  }
  return out;
}

std::string emit_module(EmitTarget target, const std::vector<EmitFunction>& functions, bool check) {
  MCALC_ASSERT(!functions.empty(), "nothing to emit");
  std::ostringstream o;
  std::string names;
  for (const auto& fn : functions) names += (names.empty() ? "" : ", ") + fn.name;
  if (python(target)) {
    o << "\"\"\"" << names << ": generated by mcalc " << version << " (--emit "
      << (target == EmitTarget::NumPy ? "numpy" : "torch") << ").\n\nEach function returns (value, derivative); "
      << "check_<name> (with --emit-check) compares\nthe derivative with central differences.\n\"\"\"\n";
    o << (target == EmitTarget::NumPy ? kNumpyPrelude : kTorchPrelude);
    for (const auto& fn : functions) o << python_function(target, with_target_names(target, fn), check);
  } else {
    o << "// " << names << ": generated by mcalc " << version << " (--emit cpp). Header-only, needs Eigen 3.\n";
    o << "#pragma once\n" << kCppPrelude;
    for (const auto& fn : functions) o << cpp_function(with_target_names(target, fn), check);
  }
  return o.str();
}

}  // namespace mcalc
