#include "mcalc/ast_dump.hpp"
#include "mcalc/number.hpp"

#include <boost/variant/apply_visitor.hpp>
#include <boost/variant/static_visitor.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mcalc::ast {
namespace {

/// The shortest decimal form that reads back as the same double.
std::string number_text(double v) {
  bool integer = v == std::floor(v) && std::fabs(v) < 1e15;  // 1000000, not 1e+06
  return format_number(v, integer ? NumberStyle::fixed(0) : NumberStyle::exact());
}

class Dumper : public boost::static_visitor<void> {
 public:
  explicit Dumper(std::string& out) : out_(out) {}

  void operand(const Operand& op) { boost::apply_visitor(*this, op.get()); }

  void operator()(const Number& n) { out_ += number_text(n.value); }
  void operator()(const Name& n) { out_ += n.name; }
  void operator()(const String& s) { out_ += "\"" + s.text + "\""; }
  void operator()(const x3::forward_ast<Call>& c) {
    out_ += "(call " + c.get().function.name;
    for (const auto& a : c.get().args) {
      out_ += ' ';
      operand(a);
    }
    out_ += ')';
  }
  void operator()(const x3::forward_ast<Bracket>& b) {
    out_ += "(bracket";
    for (const auto& row : b.get().rows) {
      out_ += " (row";
      for (const auto& e : row) {
        out_ += ' ';
        operand(e);
      }
      out_ += ')';
    }
    out_ += ')';
  }
  void operator()(const x3::forward_ast<Unary>& u) {
    out_ += '(';
    out_ += spelling(u.get().op);
    out_ += ' ';
    operand(u.get().operand);
    out_ += ')';
  }
  void operator()(const x3::forward_ast<Postfix>& p) {
    out_ += "(post ";
    operand(p.get().base);
    for (const auto& op : p.get().ops) {
      out_ += ' ';
      if (auto* t = boost::get<Transpose>(&op.get())) {
        out_ += t->tag == 'T' ? "ᵀ" : "'";
      } else {
        out_ += '[';
        const auto& idx = boost::get<Subscript>(op.get()).indices;
        for (std::size_t i = 0; i < idx.size(); ++i) {
          if (i) out_ += ", ";
          operand(idx[i]);
        }
        out_ += ']';
      }
    }
    out_ += ')';
  }
  void operator()(const x3::forward_ast<Chain>& c) { chain(c.get()); }

  void chain(const Chain& c) {
    out_ += '(';
    operand(c.first);
    for (const auto& o : c.rest) {
      out_ += ' ';
      out_ += spelling(o.op);
      out_ += ' ';
      operand(o.operand);
    }
    out_ += ')';
  }

 private:
  std::string& out_;
};

}  // namespace

const char* spelling(BinOp op) {
  switch (op) {
    case BinOp::Add:
      return "+";
    case BinOp::Sub:
      return "-";
    case BinOp::Mul:
      return "*";
    case BinOp::Div:
      return "/";
    case BinOp::Hadamard:
      return ".*";
    case BinOp::ElemDiv:
      return "./";
    case BinOp::Dot:
      return "·";
    case BinOp::Pow:
      return "^";
    case BinOp::ElemPow:
      return ".^";
  }
  return "?";
}

const char* spelling(UnOp op) {
  switch (op) {
    case UnOp::Neg:
      return "-";
    case UnOp::Pos:
      return "+";
  }
  return "?";
}

std::string dump(const Operand& operand) {
  std::string out;
  Dumper(out).operand(operand);
  return out;
}

std::string dump(const Program& program) {
  std::string out;
  Dumper d(out);
  for (const auto& s : program.statements) {
    if (auto* decl = boost::get<Declaration>(&s.get())) {
      out += "(declare (";
      for (std::size_t i = 0; i < decl->names.size(); ++i) {
        if (i) out += ' ';
        out += decl->names[i].name;
      }
      out += ") ";
      if (decl->type.dims.empty()) {
        out += decl->type.kind;
      } else {
        out += '(' + decl->type.kind;
        for (const auto& dim : decl->type.dims) {
          out += ' ';
          d.operand(dim);
        }
        out += ')';
      }
      if (decl->value) {
        out += ' ';
        d.operand(*decl->value);
      }
      out += ')';
    } else if (auto* def = boost::get<Definition>(&s.get())) {
      out += "(define " + def->name.name + ' ';
      d.operand(def->value);
      out += ')';
    } else {
      out += "(expr ";
      d.operand(boost::get<ExprStatement>(s.get()).expr);
      out += ')';
    }
    out += '\n';
  }
  return out;
}

}  // namespace mcalc::ast
