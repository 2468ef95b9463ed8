#pragma once
// A reader of the LaTeX printer's own output, with the precedence a reader of
// mathematics uses:
//
//   + −  <  ⊙ ⊘ ⊗ · (\odot \oslash \otimes \cdot)  <  juxtaposition (A x)  <  unary −  <  ^ _ (scripts)  <  atoms
//
// all binary operators left-associative; `\cdot` before a number is the
// printer's product by a number (juxtaposition), elsewhere the inner product.
// Unary minus is read as a prefix of its factor (-a b is (-a) b); either
// reading of it denotes the same value, this one also the same tree.
//
// read_latex(to_latex(e)) must equal latex_tree(e): the tree that e denotes,
// with each leaf (a name, a number, ones, eye, ...) as its own LaTeX read alone.
// A printer that drops a parenthesis the meaning needs fails that comparison.
#include <cctype>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "mcalc/ir.hpp"
#include "mcalc/print.hpp"

namespace mcalc::test {

struct Tree {
  std::string head;  // "+", "-", "neg", "mul", "odot", "oslash", "cdot", "frac", "pow", "hpow", "T", "_",
                     // "call", "sqrt", "abs", "norm", "bmatrix", "sym", "num"
  std::string text;  // sym / num / call name / subscript / norm index / bmatrix "RxC"
  std::vector<Tree> kids;
  bool operator==(const Tree& o) const { return head == o.head && text == o.text && kids == o.kids; }
  bool operator!=(const Tree& o) const { return !(*this == o); }
  std::string str() const {
    std::string s = head;
    if (!text.empty()) s += "[" + text + "]";
    if (kids.empty()) return s;
    s += "(";
    for (std::size_t k = 0; k < kids.size(); ++k) s += (k ? ", " : "") + kids[k].str();
    return s + ")";
  }
};

class LatexReader {
 public:
  explicit LatexReader(const std::string& s) { tokenize(s); }

  Tree read() {
    Tree t = expr();
    if (pos_ != toks_.size()) fail("unexpected '" + toks_[pos_] + "'");
    return t;
  }

 private:
  std::vector<std::string> toks_;
  std::size_t pos_ = 0;
  std::string src_;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("latex reader: " + what + " at token " + std::to_string(pos_) + " of: " + src_);
  }

  void tokenize(const std::string& s) {
    src_ = s;
    std::size_t i = 0;
    while (i < s.size()) {
      char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '\\') {
        std::size_t j = i + 1;
        if (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) {
          while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
        } else {
          ++j;  // \\ or \_ ...
        }
        std::string cmd = s.substr(i, j - i);
        if ((cmd == "\\left" || cmd == "\\right") && j < s.size()) cmd += s[j++];
        toks_.push_back(cmd);
        i = j;
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
        std::size_t j = i;
        while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
        toks_.push_back(s.substr(i, j - i));
        i = j;
      } else {
        toks_.push_back(std::string(1, c));
        ++i;
      }
    }
  }

  bool at(const std::string& t) const { return pos_ < toks_.size() && toks_[pos_] == t; }
  bool at_number(std::size_t k) const {
    return k < toks_.size() && std::isdigit(static_cast<unsigned char>(toks_[k][0]));
  }
  void expect(const std::string& t) {
    if (!at(t)) fail("expected '" + t + "'");
    ++pos_;
  }
  static Tree node(std::string head, std::vector<Tree> kids, std::string text = "") {
    return Tree{std::move(head), std::move(text), std::move(kids)};
  }

  Tree expr() {
    Tree t = elem();
    while (at("+") || at("-")) {
      std::string op = toks_[pos_++];
      t = node(op, {t, elem()});
    }
    return t;
  }

  Tree elem() {
    Tree t = juxt();
    while (at("\\odot") || at("\\oslash") || at("\\otimes") || (at("\\cdot") && !at_number(pos_ + 1))) {
      std::string op = toks_[pos_++].substr(1);
      t = node(op, {t, juxt()});
    }
    return t;
  }

  bool starts_factor() const {
    if (pos_ >= toks_.size()) return false;
    const std::string& t = toks_[pos_];
    if (t == "{" || at_number(pos_)) return true;
    if (t.size() == 1) return std::isalpha(static_cast<unsigned char>(t[0])) != 0;
    if (t[0] != '\\') return false;
    static const std::set<std::string> not_factor = {"\\odot", "\\oslash", "\\otimes", "\\cdot", "\\right)", "\\right|",
                                                     "\\rVert", "\\\\", "\\end", "\\top", "\\circ", "\\times"};
    return !not_factor.count(t);
  }

  Tree juxt() {
    Tree t = unary();
    for (;;) {
      if (at("\\cdot") && at_number(pos_ + 1)) {
        ++pos_;
        t = node("mul", {t, scripted()});
      } else if (starts_factor()) {
        t = node("mul", {t, scripted()});
      } else {
        return t;
      }
    }
  }

  Tree unary() {
    if (at("-")) {
      ++pos_;
      return node("neg", {unary()});
    }
    return scripted();
  }

  /// Raw tokens of a {...} group, joined: a subscript's text.
  std::string raw_group() {
    expect("{");
    std::string out;
    int depth = 1;
    while (pos_ < toks_.size()) {
      const std::string& t = toks_[pos_++];
      if (t == "{") ++depth;
      if (t == "}" && --depth == 0) return out;
      out += t;
    }
    fail("unclosed '{'");
  }

  Tree scripted() {
    Tree t = primary();
    for (;;) {
      if (at("^")) {
        ++pos_;
        if (at("\\top")) {
          ++pos_;
          t = node("T", {t});
          continue;
        }
        expect("{");
        bool hadamard = at("\\circ");
        if (hadamard) ++pos_;
        Tree ex = expr();
        expect("}");
        t = node(hadamard ? "hpow" : "pow", {t, ex});
      } else if (at("_")) {
        ++pos_;
        t = node("_", {t}, raw_group());
      } else {
        return t;
      }
    }
  }

  std::vector<Tree> call_args() {
    expect("\\left(");
    std::vector<Tree> args{expr()};
    while (at(",")) {
      ++pos_;
      args.push_back(expr());
    }
    expect("\\right)");
    return args;
  }

  Tree primary() {
    if (pos_ >= toks_.size()) fail("unexpected end");
    std::string t = toks_[pos_++];
    if (std::isdigit(static_cast<unsigned char>(t[0]))) {
      if (at("\\times") && pos_ + 1 < toks_.size() && toks_[pos_ + 1] == "10") {  // 1 \times 10^{-5}
        pos_ += 2;
        expect("^");
        return node("num", {}, t + "e" + raw_group());
      }
      return node("num", {}, t);
    }
    if (t.size() == 1 && std::isalpha(static_cast<unsigned char>(t[0]))) return node("sym", {}, t);
    if (t == "{") {
      Tree g = expr();
      expect("}");
      return g;
    }
    if (t == "\\left(") {
      Tree g = expr();
      expect("\\right)");
      return g;
    }
    if (t == "\\left|") {
      Tree g = expr();
      expect("\\right|");
      return node("abs", {g});
    }
    if (t == "\\lVert") {
      Tree g = expr();
      expect("\\rVert");
      expect("_");
      std::string p = toks_.at(pos_++);
      return node("norm", {g}, p);
    }
    if (t == "\\frac") {
      expect("{");
      Tree a = expr();
      expect("}");
      expect("{");
      Tree b = expr();
      expect("}");
      return node("frac", {a, b});
    }
    if (t == "\\sqrt") {
      expect("{");
      Tree a = expr();
      expect("}");
      return node("sqrt", {a});
    }
    if (t == "\\mathbf" || t == "\\boldsymbol" || t == "\\mathit") return node("sym", {}, t + raw_group());
    if (t == "\\operatorname") {
      std::string name = raw_group();
      return node("call", call_args(), name);
    }
    if (t == "\\begin") {
      if (raw_group() != "bmatrix") fail("unknown environment");
      std::vector<Tree> entries;
      long rows = 1, cols = 0, col = 1;
      entries.push_back(expr());
      for (;;) {
        if (at("&")) {
          ++pos_;
          ++col;
        } else if (at("\\\\")) {
          ++pos_;
          cols = col;
          col = 1;
          ++rows;
        } else {
          break;
        }
        entries.push_back(expr());
      }
      expect("\\end");
      raw_group();
      return node("bmatrix", entries, std::to_string(rows) + "x" + std::to_string(rows == 1 ? col : cols));
    }
    // LaTeX's own operator commands (amsmath), and \sigma as the printer uses it
    static const std::set<std::string> functions = {"\\sin",  "\\cos",  "\\tan",  "\\arcsin", "\\arccos",
                                                    "\\arctan", "\\sinh", "\\cosh", "\\tanh",   "\\exp",
                                                    "\\log",  "\\sigma", "\\max",  "\\min",    "\\det"};
    if (functions.count(t) && at("\\left(")) return node("call", call_args(), t);
    if (t[0] == '\\' && t.size() > 2) return node("sym", {}, t);  // \alpha
    fail("unexpected '" + t + "'");
  }
};

inline Tree read_latex(const std::string& s) { return LatexReader(s).read(); }

/// The tree that `e` denotes, in the reader's terms.
inline Tree latex_tree(const Expr& e) {
  auto n = [](std::string head, std::vector<Tree> kids, std::string text = "") {
    return Tree{std::move(head), std::move(text), std::move(kids)};
  };
  auto a = [&](std::size_t k) { return latex_tree(e->args[k]); };
  switch (e->kind) {
    case Kind::Num:
    case Kind::Var:
    case Kind::DimSize:
    case Kind::Ones:
    case Kind::Zeros:
    case Kind::Eye:
    case Kind::Unit: return read_latex(to_latex(e));
    case Kind::Add: return n("+", {a(0), a(1)});
    case Kind::Sub: return n("-", {a(0), a(1)});
    case Kind::Neg: return n("neg", {a(0)});
    case Kind::Mul: return n("mul", {a(0), a(1)});
    case Kind::Div: return n("frac", {a(0), a(1)});
    case Kind::Hadamard: return n("odot", {a(0), a(1)});
    case Kind::ElemDiv: return n("oslash", {a(0), a(1)});
    case Kind::Dot: return n("cdot", {a(0), a(1)});
    case Kind::Pow: return n("pow", {a(0), a(1)});
    case Kind::ElemPow: return n("hpow", {a(0), a(1)});
    case Kind::Transpose: return n("T", {a(0)});
    case Kind::Index: return n("_", {a(0)}, std::to_string(e->i) + (e->j > 0 ? "," + std::to_string(e->j) : ""));
    case Kind::Literal: {
      std::vector<Tree> kids;
      for (std::size_t k = 0; k < e->args.size(); ++k) kids.push_back(a(k));
      return n("bmatrix", kids, std::to_string(e->lit_rows) + "x" + std::to_string(e->lit_cols));
    }
    case Kind::Call: {
      switch (e->fn) {
        case Fn::Sqrt: return n("sqrt", {a(0)});
        case Fn::Abs: return n("abs", {a(0)});
        case Fn::Norm2: return n("norm", {a(0)}, "2");
        case Fn::Norm1: return n("norm", {a(0)}, "1");
        case Fn::Inv: return n("pow", {a(0), n("neg", {n("num", {}, "1")})});
        case Fn::Kron: return n("otimes", {a(0), a(1)});
        case Fn::Commutation: return read_latex(to_latex(e));  // K_{m, n}, a leaf
        default: break;
      }
      std::vector<Tree> kids;
      for (std::size_t k = 0; k < e->args.size(); ++k) kids.push_back(a(k));
      // The name as the printer spells it: \sin, or the text of \operatorname{...}.
      std::string printed = to_latex(e);
      std::string name = printed.substr(0, printed.find("\\left("));
      const std::string op = "\\operatorname{";
      if (name.rfind(op, 0) == 0) name = name.substr(op.size(), name.size() - op.size() - 1);
      return n("call", kids, name);
    }
  }
  return {};
}

}  // namespace mcalc::test
