// Semantic analysis in two passes.
//
// Pass 1 walks every statement of every unit (declarations first, so a
// declaration holds for the whole program) and builds a typed tree whose
// shapes are pairs of dimension variables; each operator unifies the
// variables its typing rule equates (sema/dims.hpp) and reports a located
// error when two constants disagree. Pass 2 names the dimensions still free
// (n, m, k, ...) and lowers the typed tree to IR through the ir:: smart
// constructors, which recompute and assert the same shapes.
#include "sema/analyser.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iomanip>
#include <optional>
#include <sstream>
#include <set>

#include "mcalc/number.hpp"
#include "mcalc/limits.hpp"
#include "sema/dims.hpp"
#include "sema/functions.hpp"

namespace mcalc::sema {
namespace {

namespace x3 = ast::x3;

// ---- the typed tree of pass 1 ---------------------------------------------

struct TNode;
using T = std::shared_ptr<TNode>;

struct TNode {
  enum class Op { Num, Var, DimSize, Binary, Neg, Transpose, Index, Call, Literal, Ones, Zeros, Eye, Unit, Fill };
  Op op;
  TShape shape;
  Loc loc;
  Kind kind = Kind::Num;  // Binary: the IR kind
  Fn fn = Fn::None;       // Call
  double num = 0;         // Num
  std::string name;       // Var: the symbol; DimSize: the dimension; Fill: "vector" or "matrix"
  long i = 0, j = 0;      // Index, Unit
  long lit_rows = 0, lit_cols = 0;  // Literal
  std::vector<T> args;
  /// A scalar made of numbers alone (2^40, -3*0.5) has a value known here.
  std::optional<double> constant;
  int depth = 1;  // of the tree below (a + a + ... + a is as deep as it is long)
};

T make(TNode::Op op, TShape s, Loc loc, std::vector<T> args = {}) {
  auto t = std::make_shared<TNode>();
  t->op = op;
  t->shape = s;
  t->loc = std::move(loc);
  t->args = std::move(args);
  for (const auto& a : t->args) t->depth = std::max(t->depth, a->depth + 1);
  // Every later pass walks the expression; a bound on its depth keeps them all
  // within their stack (parentheses have their own, smaller limit).
  if (t->depth > limits::max_expression_depth)
    throw UserError(Msg::ExpressionTooDeep, t->loc, {std::to_string(limits::max_expression_depth)});
  return t;
}

/// The smallest location covering both (when they are on one line of one source).
Loc span(const Loc& a, const Loc& b) {
  if (!a.valid()) return b;
  if (!b.valid() || a.src != b.src || a.line != b.line) return a;
  int start = std::min(a.col, b.col);
  int end = std::max(a.col + a.len, b.col + b.len);
  return Loc{a.line, start, end - start, a.src};
}

// ---- syntax tree helpers --------------------------------------------------

struct TagOf {
  using result_type = const x3::position_tagged&;
  template <typename N>
  const x3::position_tagged& operator()(const N& n) const { return n; }
  template <typename N>
  const x3::position_tagged& operator()(const x3::forward_ast<N>& n) const { return n.get(); }
};

const x3::position_tagged& tag_of(const ast::Operand& op) { return boost::apply_visitor(TagOf{}, op.get()); }

template <typename N>
const N* as(const ast::Operand& op) {
  if (auto p = boost::get<N>(&op.get())) return p;
  return nullptr;
}
template <typename N>
const N* as_fwd(const ast::Operand& op) {
  if (auto p = boost::get<x3::forward_ast<N>>(&op.get())) return &p->get();
  return nullptr;
}

/// Looks through chains without operators (parentheses, and every precedence
/// level the grammar passes through) and postfix nodes without operators.
const ast::Operand& strip(const ast::Operand& op) {
  const ast::Operand* cur = &op;
  for (;;) {
    if (const ast::Chain* c = as_fwd<ast::Chain>(*cur); c && c->rest.empty()) cur = &c->first;
    else if (const ast::Postfix* p = as_fwd<ast::Postfix>(*cur); p && p->ops.empty()) cur = &p->base;
    else return *cur;
  }
}

bool is_query_name(const std::string& n) { return n == "diff" || n == "grad" || n == "hessian"; }

QueryOp query_op(const std::string& n) {
  if (n == "grad") return QueryOp::Grad;
  if (n == "hessian") return QueryOp::Hessian;
  return QueryOp::Diff;
}

// ---- naming of dimensions -------------------------------------------------

/// Gives the free dimension variables readable names not used elsewhere, in
/// the order they are first asked for.
class Namer {
 public:
  Namer(Dims& dims, std::set<std::string> taken) : dims_(dims), taken_(std::move(taken)) {}

  Dim dim(int d) {
    int r = dims_.find(d);
    switch (dims_.kind(r)) {
      case Dims::Kind::Literal: return Dim::lit(dims_.value(r));
      case Dims::Kind::Rigid: return Dim::sym(dims_.name(r));
      case Dims::Kind::Product: {
        auto [a, b] = dims_.factors(r);
        return dim(a) * dim(b);
      }
      case Dims::Kind::Fresh: break;
    }
    auto it = names_.find(r);
    if (it == names_.end()) it = names_.emplace(r, next_name()).first;
    return Dim::sym(it->second);
  }
  bool named(int d) { return !dims_.is_free(d) || names_.count(dims_.find(d)) > 0; }
  Shape shape(TShape s) { return Shape{dim(s.rows), dim(s.cols)}; }
  std::string str(TShape s) { return shape(s).str(); }

 private:
  std::string next_name() {
    static const char* const kNames[] = {"n", "m", "k", "p", "q", "r", "s"};
    for (;;) {
      std::string c = counter_ < 7 ? kNames[counter_] : "d" + std::to_string(counter_ - 6);
      ++counter_;
      if (taken_.insert(c).second) return c;
    }
  }
  Dims& dims_;
  std::set<std::string> taken_;
  std::map<int, std::string> names_;
  int counter_ = 0;
};

// ---- the analyser ---------------------------------------------------------

struct SymInfo {
  std::string name;
  Symbol::Origin origin;
  TShape shape;
  Loc loc;
  T value;  // Declared with "= value"
};

struct Stmt {
  Stmt(Statement::Kind k, Loc l, std::vector<std::string> n, T e)
      : kind(k), loc(std::move(l)), names(std::move(n)), expr(std::move(e)) {}
  Statement::Kind kind;
  Loc loc;
  std::vector<std::string> names;
  T expr;
  QueryOp op = QueryOp::Diff;
  std::string wrt;
  T answer;  // Check
};

class Analyser {
 public:
  explicit Analyser(const std::vector<Unit>& units) : units_(units) {}

  Program run(std::vector<AssumedType>* culprits) {
    try {
      return run_units();
    } catch (UserError& e) {
      if (culprits) *culprits = assumed_types_in(e);
      throw;
    }
  }

 private:
  Program run_units() {
    collect_dimensions();
    for (const Unit& u : units_) {
      unit_ = &u;
      for (const auto& s : u.program->statements)
        if (auto d = boost::get<ast::Declaration>(&s.get())) declaration(*d);
    }
    for (const Unit& u : units_) {
      unit_ = &u;
      for (const auto& s : u.program->statements) statement(s);
    }
    return lower_program();
  }

  /// The names in the failing text whose type came from the letter convention
  /// (lambda a vector, N a matrix) and appears in the message.
  std::vector<AssumedType> assumed_types_in(const UserError& e) {
    std::vector<AssumedType> out;
    const Loc& l = e.loc();
    switch (e.id()) {  // the errors a type can cause
      case Msg::ShapeMismatch: case Msg::MulMismatch: case Msg::NotScalar: case Msg::NotVector:
      case Msg::NotSquare: case Msg::DivisorNotScalar: case Msg::PowerNotSquare: case Msg::IndexCount:
      case Msg::IndexOutOfRange:
        break;
      default:
        return out;
    }
    if (!l.valid()) return out;
    std::string_view text = l.src->text;
    std::size_t start = 0;  // offset of line l.line
    for (int k = 1; k < l.line && start != std::string_view::npos; ++k) {
      start = text.find('\n', start);
      if (start != std::string_view::npos) ++start;
    }
    if (start == std::string_view::npos) return out;
    std::string_view span = text.substr(std::min(text.size(), start + static_cast<std::size_t>(l.col - 1)),
                                        static_cast<std::size_t>(std::max(l.len, 1)));
    std::set<std::string> seen;
    for (std::size_t i = 0; i < span.size();) {
      auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
      if (!word(span[i])) { ++i; continue; }
      std::size_t j = i;
      while (j < span.size() && word(span[j])) ++j;
      std::string name(span.substr(i, j - i));
      i = j;
      auto it = syms_.find(name);
      if (it == syms_.end() || it->second.origin != Symbol::Origin::Assumed || !seen.insert(name).second) continue;
      if (dims_.is_scalar(it->second.shape)) continue;
      Namer nm = namer();
      if (e.text().find(nm.str(it->second.shape)) == std::string::npos) continue;  // not the culprit
      out.push_back({name, nm.str(it->second.shape)});
    }
    return out;
  }

  // ---- locations and errors ----

  Loc loc(const x3::position_tagged& n) const {
    Loc l = unit_->loc(n);
    return l.valid() ? l : stmt_loc_;
  }
  Loc loc(const ast::Operand& op) const { return loc(tag_of(op)); }

  [[noreturn]] static void fail(Msg m, const Loc& l, std::vector<std::string> args = {}) {
    throw UserError(m, l, std::move(args));
  }

  /// A namer that names free dimensions the way the final report will.
  Namer namer() {
    std::set<std::string> taken(dim_set_.begin(), dim_set_.end());
    for (const auto& [name, sym] : syms_) taken.insert(name);
    Namer nm(dims_, std::move(taken));
    for (const auto& name : order_) {
      const SymInfo& s = syms_.at(name);
      nm.dim(s.shape.rows);
      nm.dim(s.shape.cols);
    }
    return nm;
  }

  /// "n ≠ k", or "shapes differ" when an elementwise operation meets a
  /// vector where a matrix (or a scalar) was expected.
  std::string detail(Namer& nm, Dims::Conflict c) { return nm.dim(c.a).str() + " ≠ " + nm.dim(c.b).str(); }
  /// For elementwise operations: "shapes differ" when one side is a vector
  /// and the other a matrix (or a row), else the first dimension that differs.
  std::string detail(Namer& nm, Dims::Conflict c, TShape a, TShape b) {
    if (dims_.is_one(a.rows) != dims_.is_one(b.rows) || dims_.is_one(a.cols) != dims_.is_one(b.cols) ||
        dims_.is_one(c.a) || dims_.is_one(c.b))
      return "shapes differ";
    return detail(nm, c);
  }

  // ---- dimensions ----

  /// Every name used as a dimension in some declaration's type.
  void collect_dimensions() {
    for (const Unit& u : units_) {
      for (const auto& s : u.program->statements) {
        auto d = boost::get<ast::Declaration>(&s.get());
        if (!d) continue;
        for (const auto& op : d->type.dims)
          if (auto n = as<ast::Name>(strip(op)))
            if (dim_set_.insert(n->name).second) dim_names_.push_back(n->name);
      }
    }
  }

  /// A dimension argument: a positive integer literal or a dimension name.
  int dim_arg(const ast::Operand& operand) {
    const ast::Operand& op = strip(operand);
    if (auto num = as<ast::Number>(op)) {
      double v = num->value;
      if (!(v >= 1) || v != std::floor(v)) fail(Msg::BadDimension, loc(op));
      if (v > static_cast<double>(limits::max_dimension))
        fail(Msg::DimensionTooLarge, loc(op), {format_count(v), std::to_string(limits::max_dimension)});
      return dims_.lit(static_cast<long>(v));
    }
    if (auto n = as<ast::Name>(op)) {
      if (!dim_set_.count(n->name)) fail(Msg::UndefinedDimension, loc(op), {n->name});
      return dims_.rigid(n->name);
    }
    // A product of sizes, as results print them: eye(m*n), commutation(n*q, k).
    if (const ast::Chain* c = as_fwd<ast::Chain>(op); c && !c->rest.empty()) {
      int d = dim_arg(c->first);
      for (const auto& o : c->rest) {
        if (o.op != ast::BinOp::Mul) fail(Msg::BadDimension, loc(op));
        d = dims_.product(d, dim_arg(o.operand));
      }
      return d;
    }
    fail(Msg::BadDimension, loc(op));
  }

  static std::string format_count(double v) {
    bool integer = v == std::floor(v) && std::fabs(v) < 1e15;  // 1000000000, not 1e+09
    return format_number(v, integer ? NumberStyle::fixed(0) : NumberStyle::exact());
  }

  /// An index: a positive integer literal.
  long index_arg(const ast::Operand& operand) {
    const ast::Operand& op = strip(operand);
    auto num = as<ast::Number>(op);
    if (!num || !(num->value >= 1) || num->value != std::floor(num->value) ||
        num->value > static_cast<double>(limits::max_dimension))
      fail(Msg::BadIndex, loc(op));
    return static_cast<long>(num->value);
  }

  TShape scalar_shape() { return {dims_.one(), dims_.one()}; }

  // ---- statements ----

  void declaration(const ast::Declaration& d) {
    stmt_loc_ = loc(d);
    const std::string& kind = d.type.kind;
    const auto n = static_cast<int>(d.type.dims.size());
    Loc tloc = loc(d.type);
    TShape shape;
    if (kind == "scalar") {
      if (n != 0) fail(Msg::ArgumentCount, tloc, {kind, count_phrase(0, 0, "dimension"), std::to_string(n)});
      shape = scalar_shape();
    } else if (kind == "vector") {
      if (n != 1) fail(Msg::ArgumentCount, tloc, {kind, count_phrase(1, 1, "dimension"), std::to_string(n)});
      shape = {dim_arg(d.type.dims[0]), dims_.one()};
    } else if (kind == "matrix") {
      if (n != 1 && n != 2)
        fail(Msg::ArgumentCount, tloc, {kind, count_phrase(1, 2, "dimension"), std::to_string(n)});
      int r = dim_arg(d.type.dims[0]);
      shape = {r, n == 2 ? dim_arg(d.type.dims[1]) : r};
    } else {
      MCALC_UNREACHABLE("the grammar admits no type '" + kind + "'");
    }

    std::set<std::string> seen;
    for (const auto& name : d.names) {
      if (dim_set_.count(name.name)) fail(Msg::NameIsDimension, loc(name), {name.name});
      auto it = syms_.find(name.name);
      if (it != syms_.end() || !seen.insert(name.name).second) {
        Namer nm = namer();
        fail(Msg::Redeclared, loc(name),
             {name.name, type_string(nm.shape(it != syms_.end() ? it->second.shape : shape))});
      }
    }

    T value;
    if (d.value) value = declared_value(d, shape);

    for (const auto& name : d.names) {
      add_symbol(SymInfo{name.name, Symbol::Origin::Declared, shape, loc(name), value});
    }
  }

  /// The value of a declaration, checked against the declared shape. A
  /// symbolic declared dimension takes any size (the evaluator binds it); a
  /// flat list [1, 2, 3] for a vector is read as a column.
  T declared_value(const ast::Declaration& d, TShape shape) {
    value_of_ = d.names.empty() ? std::string("?") : d.names.front().name;
    T v = expr(*d.value);
    value_of_.clear();
    const std::string& first = value_of_name(d);
    if (v->op == TNode::Op::Literal && dims_.is_one(shape.cols) && !dims_.is_one(shape.rows) && v->lit_rows == 1 &&
        v->lit_cols != 1) {
      std::swap(v->lit_rows, v->lit_cols);
      std::swap(v->shape.rows, v->shape.cols);
    }
    auto mismatch = [&] {
      Namer nm = namer();
      fail(Msg::ValueShape, v->loc, {first, nm.str(v->shape), type_string(nm.shape(shape))});
    };
    for (auto [decl, val] : {std::pair{shape.rows, v->shape.rows}, std::pair{shape.cols, v->shape.cols}}) {
      if (dims_.find(decl) == dims_.find(val)) continue;
      if (dims_.is_free(val)) {
        if (dims_.unify(val, decl)) mismatch();
      } else if (dims_.kind(decl) == Dims::Kind::Rigid && dims_.kind(val) == Dims::Kind::Literal) {
        const std::string& dn = dims_.name(decl);
        long size = dims_.value(val);
        auto [it, fresh] = dim_values_.emplace(dn, std::pair{size, first});
        if (!fresh && it->second.first != size)
          fail(Msg::DimensionConflict, v->loc,
               {dn, std::to_string(size), first, std::to_string(it->second.first), it->second.second});
      } else {
        mismatch();
      }
    }
    return v;
  }
  static const std::string& value_of_name(const ast::Declaration& d) { return d.names.front().name; }

  void add_symbol(SymInfo s) {
    order_.push_back(s.name);
    syms_.emplace(s.name, std::move(s));
  }

  void statement(const ast::Statement& s) {
    if (auto d = boost::get<ast::Declaration>(&s.get())) {
      Stmt st{Statement::Kind::Declaration, loc(*d), {}, nullptr};
      for (const auto& n : d->names) st.names.push_back(n.name);
      stmts_.push_back(std::move(st));
    } else if (auto d = boost::get<ast::Definition>(&s.get())) {
      definition(*d);
    } else if (auto e = boost::get<ast::ExprStatement>(&s.get())) {
      expr_statement(*e);
    }
  }

  void definition(const ast::Definition& d) {
    stmt_loc_ = loc(d);
    const std::string& name = d.name.name;
    Loc nloc = loc(d.name);
    if (dim_set_.count(name)) fail(Msg::NameIsDimension, nloc, {name});
    auto check_existing = [&] {
      auto it = syms_.find(name);
      if (it == syms_.end()) return;
      Namer nm = namer();
      switch (it->second.origin) {
        case Symbol::Origin::Declared:
          fail(Msg::Redeclared, nloc, {name, type_string(nm.shape(it->second.shape))});
        case Symbol::Origin::Defined:
          fail(Msg::Redefined, nloc, {name, type_string(nm.shape(it->second.shape))});
        case Symbol::Origin::Assumed:
          fail(Msg::UsedBeforeDefinition, it->second.loc, {name});
      }
    };
    check_existing();
    T v = expr(d.value);
    check_existing();  // the value itself may have used the name
    add_symbol(SymInfo{name, Symbol::Origin::Defined, v->shape, nloc, nullptr});
    stmts_.push_back(Stmt{Statement::Kind::Definition, stmt_loc_, {name}, v});
  }

  void expr_statement(const ast::ExprStatement& s) {
    stmt_loc_ = loc(s);
    const ast::Operand& e = strip(s.expr);
    if (auto c = as_fwd<ast::Call>(e); c && is_query_name(c->function.name)) {
      query(*c);
      return;
    }
    if (auto c = as_fwd<ast::Call>(e); c && c->function.name == "check") {
      check_statement(*c);
      return;
    }
    if (auto c = as_fwd<ast::Call>(e); c && c->function.name == "derive") {  // derive(f, x): its derivation
      query(*c);
      stmts_.back().kind = Statement::Kind::Derive;
      return;
    }
    stmts_.push_back(Stmt{Statement::Kind::Evaluate, stmt_loc_, {}, expr(s.expr)});
  }

  /// check(diff(f, x), ANSWER): the query, and the answer to compare with it.
  void check_statement(const ast::Call& c) {
    const auto n = static_cast<int>(c.args.size());
    if (n != 2) fail(Msg::ArgumentCount, loc(c), {"check", count_phrase(2, 2, "argument"), std::to_string(n)});
    const ast::Operand& q = strip(c.args[0]);
    auto qc = as_fwd<ast::Call>(q);
    if (!qc || !is_query_name(qc->function.name)) fail(Msg::CheckNeedsQuery, loc(q));
    query(*qc);
    stmts_.back().kind = Statement::Kind::Check;
    stmts_.back().answer = expr(c.args[1]);
  }

  void query(const ast::Call& c) {
    const std::string& fname = c.function.name;
    const auto n = static_cast<int>(c.args.size());
    if (n != 2) fail(Msg::ArgumentCount, loc(c), {fname, count_phrase(2, 2, "argument"), std::to_string(n)});
    T f = expr(c.args[0]);
    const ast::Operand& w = strip(c.args[1]);
    auto name = as<ast::Name>(w);
    if (!name) fail(Msg::WrtNotName, loc(w), {fname});
    if (dim_set_.count(name->name)) fail(Msg::WrtNotVariable, loc(w), {name->name});
    auto it = syms_.find(name->name);
    if (it == syms_.end()) {
      std::string best = closest_name(name->name, order_);
      fail(Msg::UnknownName, loc(w), {name->name, best.empty() ? "" : "; did you mean '" + best + "'?"});
    }
    // By an intermediate variable too: the derivative that holds it independent (ir::held_independent).
    Stmt st{Statement::Kind::Query, stmt_loc_, {}, f};
    st.op = query_op(fname);
    st.wrt = name->name;
    stmts_.push_back(std::move(st));
  }

  // ---- expressions ----

  struct Visit {
    using result_type = T;
    Analyser& a;
    T operator()(const ast::Number& n) const { return a.number(n, false); }
    T operator()(const ast::Name& n) const { return a.name(n); }
    T operator()(const ast::String& s) const { fail(Msg::StringPlace, a.loc(s)); }
    T operator()(const x3::forward_ast<ast::Call>& n) const { return a.call(n.get()); }
    T operator()(const x3::forward_ast<ast::Bracket>& n) const { return a.bracket(n.get()); }
    T operator()(const x3::forward_ast<ast::Unary>& n) const { return a.unary(n.get()); }
    T operator()(const x3::forward_ast<ast::Postfix>& n) const { return a.postfix(n.get()); }
    T operator()(const x3::forward_ast<ast::Chain>& n) const { return a.chain(n.get()); }
  };

  T expr(const ast::Operand& op) { return boost::apply_visitor(Visit{*this}, op.get()); }

  T number(const ast::Number& n, bool negate) {
    MCALC_ASSERT(std::isfinite(n.value), "the parser rejects numbers out of range");
    T t = make(TNode::Op::Num, scalar_shape(), loc(n));
    t->num = negate ? -n.value : n.value;
    t->constant = t->num;
    return t;
  }

  T name(const ast::Name& n) {
    Loc l = loc(n);
    if (dim_set_.count(n.name)) {
      T t = make(TNode::Op::DimSize, scalar_shape(), l);
      t->name = n.name;
      return t;
    }
    if (!value_of_.empty()) fail(Msg::ValueNotConstant, l, {value_of_, n.name});
    auto it = syms_.find(n.name);
    if (it == syms_.end()) {
      // The letter convention of matrixcalculus.org: a-g scalars, h-z vectors,
      // A-Z matrices; anything else (such as _tmp) is a scalar; pi is π.
      char c = n.name.empty() ? '_' : n.name[0];
      TShape s = scalar_shape();
      T value;
      if (n.name == "pi") {  // the constant, unless declared otherwise
        value = make(TNode::Op::Num, s, l);
        value->num = 3.141592653589793;
        value->constant = value->num;
      } else if (c >= 'h' && c <= 'z') {
        s = {dims_.fresh(true), dims_.one()};
      } else if (c >= 'A' && c <= 'Z') {
        s = {dims_.fresh(true), dims_.fresh(true)};
      }
      add_symbol(SymInfo{n.name, Symbol::Origin::Assumed, s, l, value});
      it = syms_.find(n.name);
    }
    T t = make(TNode::Op::Var, it->second.shape, l);
    t->name = n.name;
    return t;
  }

  T bracket(const ast::Bracket& b) {
    Loc l = loc(b);
    MCALC_ASSERT(!b.rows.empty() && !b.rows.front().empty(), "the grammar admits no empty bracket literal");
    const std::size_t cols = b.rows.front().size();
    std::vector<T> entries;
    for (std::size_t r = 0; r < b.rows.size(); ++r) {
      if (b.rows[r].size() != cols)
        fail(Msg::RaggedLiteral, l,
             {std::to_string(r + 1), count_phrase(static_cast<int>(b.rows[r].size()),
                                                  static_cast<int>(b.rows[r].size()), "entry"),
              std::to_string(cols)});
      for (const auto& op : b.rows[r]) {
        T e = expr(op);
        require_scalar(e, "a bracket entry");
        entries.push_back(std::move(e));
      }
    }
    auto rows = static_cast<long>(b.rows.size());
    auto ncols = static_cast<long>(cols);
    T t = make(TNode::Op::Literal, {dims_.lit(rows), dims_.lit(ncols)}, l, std::move(entries));
    t->lit_rows = rows;
    t->lit_cols = ncols;
    return t;
  }

  T unary(const ast::Unary& u) {
    if (u.op == ast::UnOp::Pos) return expr(u.operand);
    const ast::Operand& inner = strip(u.operand);
    if (auto num = as<ast::Number>(inner)) {
      // -2 is the literal -2, so printing and parsing again gives an equal tree.
      T t = number(*num, true);
      t->loc = span(loc(u), t->loc);
      return t;
    }
    T a = expr(u.operand);
    T t = make(TNode::Op::Neg, a->shape, span(loc(u), a->loc), {a});
    if (a->constant) t->constant = -*a->constant;
    return t;
  }

  T postfix(const ast::Postfix& p) {
    T cur = expr(p.base);
    for (const auto& op : p.ops) {
      if (auto tr = boost::get<ast::Transpose>(&op.get())) {
        T t = make(TNode::Op::Transpose, {cur->shape.cols, cur->shape.rows}, span(cur->loc, loc(*tr)), {cur});
        t->constant = cur->constant;  // a constant is a scalar: 2' is 2 (so 2'^2'^40 is checked as 2^2^40)
        cur = t;
      } else if (auto sub = boost::get<ast::Subscript>(&op.get())) {
        cur = subscript(cur, *sub, span(cur->loc, loc(*sub)));
      }
    }
    return cur;
  }

  T subscript(const T& base, const ast::Subscript& sub, const Loc& l) {
    const auto count = sub.indices.size();
    const TShape s = base->shape;
    const bool vector_like = dims_.is_one(s.cols) || dims_.is_one(s.rows);
    if (count == 0 || count > 2 || (count == 1 && !vector_like)) {
      Namer nm = namer();
      fail(Msg::IndexCount, l,
           {nm.str(s), vector_like ? "1 or 2 indices" : "2 indices", std::to_string(count)});
    }
    auto check = [&](long i, int d, const ast::Operand& at) {
      if (dims_.kind(d) == Dims::Kind::Literal && i > dims_.value(d)) {
        Namer nm = namer();
        fail(Msg::IndexOutOfRange, loc(strip(at)), {std::to_string(i), nm.str(s)});
      }
    };
    T t = make(TNode::Op::Index, scalar_shape(), l, {base});
    t->i = index_arg(sub.indices[0]);
    if (count == 1) {
      check(t->i, dims_.is_one(s.cols) ? s.rows : s.cols, sub.indices[0]);
    } else {
      t->j = index_arg(sub.indices[1]);
      check(t->i, s.rows, sub.indices[0]);
      check(t->j, s.cols, sub.indices[1]);
    }
    return t;
  }

  T chain(const ast::Chain& c) {
    if (c.rest.empty()) return expr(c.first);
    const bool right = std::all_of(c.rest.begin(), c.rest.end(), [](const ast::Operation& o) {
      return o.op == ast::BinOp::Pow || o.op == ast::BinOp::ElemPow;
    });
    if (right) {
      // a ^ b ^ c = a ^ (b ^ c)
      std::vector<T> operands{expr(c.first)};
      for (const auto& o : c.rest) operands.push_back(expr(o.operand));
      T cur = operands.back();
      for (std::size_t k = c.rest.size(); k-- > 0;) cur = binary(c.rest[k].op, operands[k], cur);
      return cur;
    }
    T cur = expr(c.first);
    for (const auto& o : c.rest) cur = binary(o.op, cur, expr(o.operand));
    return cur;
  }

  // ---- typing rules ----

  void require_scalar(const T& t, const std::string& what) {
    if (dims_.unify(t->shape.rows, dims_.one()) || dims_.unify(t->shape.cols, dims_.one())) {
      Namer nm = namer();
      fail(Msg::NotScalar, t->loc, {what, nm.str(t->shape)});
    }
  }

  /// Elementwise with scalar broadcasting: equal shapes, or one side a scalar.
  TShape broadcast(const T& a, const T& b, const char* verb, const Loc& l) {
    if (dims_.is_scalar(a->shape)) return b->shape;
    if (dims_.is_scalar(b->shape)) return a->shape;
    if (auto c = dims_.unify(a->shape, b->shape)) {
      Namer nm = namer();
      fail(Msg::ShapeMismatch, l, {verb, nm.str(a->shape), nm.str(b->shape), detail(nm, *c, a->shape, b->shape)});
    }
    return a->shape;
  }

  T dot(const T& a, const T& b, const Loc& l) {
    for (const T& v : {a, b}) {
      if (dims_.unify(v->shape.cols, dims_.one())) {
        Namer nm = namer();
        fail(Msg::NotVector, v->loc, {"the dot product", nm.str(v->shape)});
      }
    }
    if (auto c = dims_.unify(a->shape.rows, b->shape.rows)) {
      Namer nm = namer();
      fail(Msg::ShapeMismatch, l,
           {"take the dot product of", nm.str(a->shape), nm.str(b->shape), detail(nm, *c)});
    }
    T t = make(TNode::Op::Binary, scalar_shape(), l, {a, b});
    t->kind = Kind::Dot;
    return t;
  }

  /// A binary node, and its value when both operands are numbers. A power of
  /// numbers that overflows (2^2^40) is refused here, before any later stage
  /// tries to compute it exactly.
  T binary(ast::BinOp op, const T& a, const T& b) {
    T t = binary_node(op, a, b);
    if (!a->constant || !b->constant) return t;
    const double x = *a->constant, y = *b->constant;
    switch (op) {
      case ast::BinOp::Add: t->constant = x + y; break;
      case ast::BinOp::Sub: t->constant = x - y; break;
      case ast::BinOp::Mul: case ast::BinOp::Hadamard: case ast::BinOp::Dot: t->constant = x * y; break;
      case ast::BinOp::Div: case ast::BinOp::ElemDiv: t->constant = x / y; break;
      case ast::BinOp::Pow: case ast::BinOp::ElemPow:
        t->constant = std::pow(x, y);
        if (std::isinf(*t->constant)) fail(Msg::ConstantOverflow, t->loc, {number_text(x), number_text(y)});
        break;
    }
    return t;
  }

  static std::string number_text(double v) {
    std::ostringstream o;
    o << std::setprecision(6) << v;
    return o.str();
  }

  T binary_node(ast::BinOp op, const T& a, const T& b) {
    const Loc l = span(a->loc, b->loc);
    auto node = [&](Kind k, TShape s) {
      T t = make(TNode::Op::Binary, s, l, {a, b});
      t->kind = k;
      return t;
    };
    switch (op) {
      case ast::BinOp::Add: return node(Kind::Add, broadcast(a, b, "add", l));
      case ast::BinOp::Sub: return node(Kind::Sub, broadcast(a, b, "subtract", l));
      case ast::BinOp::Hadamard: return node(Kind::Hadamard, broadcast(a, b, "multiply elementwise", l));
      case ast::BinOp::ElemDiv: return node(Kind::ElemDiv, broadcast(a, b, "divide elementwise", l));
      case ast::BinOp::ElemPow: return node(Kind::ElemPow, broadcast(a, b, "take the elementwise power of", l));
      case ast::BinOp::Mul: {
        // Scaling when either side is a scalar, else a matrix product.
        if (dims_.is_scalar(a->shape)) return node(Kind::Mul, b->shape);
        if (dims_.is_scalar(b->shape)) return node(Kind::Mul, a->shape);
        if (auto c = dims_.unify(a->shape.cols, b->shape.rows)) {
          Namer nm = namer();
          fail(Msg::MulMismatch, l, {nm.str(a->shape), nm.str(b->shape), detail(nm, *c)});
        }
        return node(Kind::Mul, {a->shape.rows, b->shape.cols});
      }
      case ast::BinOp::Div:
        if (dims_.unify(b->shape.rows, dims_.one()) || dims_.unify(b->shape.cols, dims_.one())) {
          Namer nm = namer();
          fail(Msg::DivisorNotScalar, l, {nm.str(a->shape), nm.str(b->shape)});
        }
        return node(Kind::Div, a->shape);
      case ast::BinOp::Dot: return dot(a, b, l);
      case ast::BinOp::Pow:
        if (dims_.is_scalar(a->shape)) {
          require_scalar(b, "the exponent of '^'");
          return node(Kind::Pow, a->shape);
        }
        // A square matrix to an integer power.
        if (dims_.unify(a->shape.rows, a->shape.cols)) {
          Namer nm = namer();
          fail(Msg::PowerNotSquare, l, {nm.str(a->shape)});
        }
        if (b->op != TNode::Op::Num || b->num != std::floor(b->num)) {
          Namer nm = namer();
          fail(Msg::MatrixPowerExponent, b->loc, {nm.str(a->shape)});
        }
        if (std::fabs(b->num) > static_cast<double>(limits::max_matrix_power))
          fail(Msg::MatrixPowerTooLarge, b->loc, {number_text(b->num), std::to_string(limits::max_matrix_power)});
        return node(Kind::Pow, a->shape);
    }
    MCALC_UNREACHABLE("unknown binary operator");
  }

  T call(const ast::Call& c) {
    const std::string& fname = c.function.name;
    const Loc l = loc(c);
    // load("X.npy") is read by parse_values, where it is the whole value of a name.
    if (fname == "load") fail(Msg::LoadPlace, l);
    const FnInfo* info = lookup_function(fname);
    if (!info) fail(Msg::UnknownFunction, loc(c.function), {fname, suggest_function(fname)});
    const auto n = static_cast<int>(c.args.size());
    if (n < info->min_args || n > info->max_args)
      fail(Msg::ArgumentCount, l,
           {fname, count_phrase(info->min_args, info->max_args, "argument"), std::to_string(n)});
    auto fn_node = [&](Fn f, TShape s, std::vector<T> args) {
      T t = make(TNode::Op::Call, s, l, std::move(args));
      t->fn = f;
      return t;
    };
    auto require_square = [&](const T& a) {
      if (dims_.unify(a->shape.rows, a->shape.cols)) {
        Namer nm = namer();
        fail(Msg::NotSquare, l, {fname, nm.str(a->shape)});
      }
    };
    auto require_column = [&](const T& a) {
      if (dims_.unify(a->shape.cols, dims_.one())) {
        Namer nm = namer();
        fail(Msg::NotVector, l, {fname, nm.str(a->shape)});
      }
    };
    switch (info->cls) {
      case FnClass::Elementwise: {
        T a = expr(c.args[0]);
        return fn_node(info->fn, a->shape, {a});
      }
      case FnClass::LeakyRelu: {
        T a = expr(c.args[0]);
        T alpha;
        if (n == 2) {
          alpha = expr(c.args[1]);
          require_scalar(alpha, "the slope of leaky_relu");
        } else {
          alpha = make(TNode::Op::Num, scalar_shape(), l);
          alpha->num = 0.01;  // the default slope
        }
        return fn_node(Fn::LeakyRelu, a->shape, {a, alpha});
      }
      case FnClass::MaxMin: {
        T a = expr(c.args[0]);
        T b = expr(c.args[1]);
        std::string verb = std::string("take the ") + fname + " of";
        return fn_node(info->fn, broadcast(a, b, verb.c_str(), l), {a, b});
      }
      case FnClass::Reduction: {
        T a = expr(c.args[0]);
        if (n == 1) return fn_node(info->fn, scalar_shape(), {a});
        // norm(x, p) as MATLAB and NumPy write it: p = 2 (Euclidean, Frobenius) or 1.
        T p = expr(c.args[1]);
        if (!p->constant || (*p->constant != 1 && *p->constant != 2))
          fail(Msg::NormOrder, p->loc, {fname});
        return fn_node(*p->constant == 1 ? Fn::Norm1 : Fn::Norm2, scalar_shape(), {a});
      }
      case FnClass::Logsumexp: {
        T a = expr(c.args[0]);
        if (!dims_.is_one(a->shape.rows)) require_column(a);
        return fn_node(Fn::Logsumexp, scalar_shape(), {a});
      }
      case FnClass::Softmax: {
        T a = expr(c.args[0]);
        require_column(a);
        return fn_node(Fn::Softmax, a->shape, {a});
      }
      case FnClass::SquareScalar: {
        T a = expr(c.args[0]);
        require_square(a);
        return fn_node(info->fn, scalar_shape(), {a});
      }
      case FnClass::Inv: {
        T a = expr(c.args[0]);
        require_square(a);
        return fn_node(Fn::Inv, a->shape, {a});
      }
      case FnClass::Diag: {
        // diag(v) builds a diagonal matrix; diag(A) takes the diagonal of a square matrix.
        T a = expr(c.args[0]);
        if (dims_.is_one(a->shape.cols)) return fn_node(Fn::DiagOf, {a->shape.rows, a->shape.rows}, {a});
        require_square(a);
        return fn_node(Fn::DiagVec, {a->shape.rows, dims_.one()}, {a});
      }
      case FnClass::Vec: {  // the columns of A stacked: m*n x 1
        T a = expr(c.args[0]);
        return fn_node(Fn::Vec, {dims_.product(a->shape.rows, a->shape.cols), dims_.one()}, {a});
      }
      case FnClass::Kron: {  // the Kronecker product: (m x n) ⊗ (p x q) is mp x nq
        T a = expr(c.args[0]);
        T b = expr(c.args[1]);
        return fn_node(Fn::Kron, {dims_.product(a->shape.rows, b->shape.rows), dims_.product(a->shape.cols, b->shape.cols)},
                       {a, b});
      }
      case FnClass::Commutation: {  // K(m, n) with K vec(A) = vec(A') for an m x n matrix A
        int m = dim_arg(c.args[0]), k = dim_arg(c.args[1]);
        auto size_node = [&](int d, const ast::Operand& op) {
          if (dims_.kind(d) == Dims::Kind::Literal) {
            T t = make(TNode::Op::Num, scalar_shape(), loc(strip(op)));
            t->num = static_cast<double>(dims_.value(d));
            return t;
          }
          T t = make(TNode::Op::DimSize, scalar_shape(), loc(strip(op)));
          t->name = dims_.name(d);
          return t;
        };
        int mk = dims_.product(m, k);
        return fn_node(Fn::Commutation, {mk, mk}, {size_node(m, c.args[0]), size_node(k, c.args[1])});
      }
      case FnClass::Dot: {
        T a = expr(c.args[0]);
        T b = expr(c.args[1]);
        return dot(a, b, l);
      }
      case FnClass::Transpose: {
        T a = expr(c.args[0]);
        T t = make(TNode::Op::Transpose, {a->shape.cols, a->shape.rows}, l, {a});
        t->constant = a->constant;  // a constant is a scalar: transpose(2) is 2
        return t;
      }
      case FnClass::Ones:
      case FnClass::Zeros: {
        int r = dim_arg(c.args[0]);
        TShape s{r, n == 2 ? dim_arg(c.args[1]) : dims_.one()};
        return make(info->cls == FnClass::Ones ? TNode::Op::Ones : TNode::Op::Zeros, s, l);
      }
      case FnClass::Eye: {
        int d = dim_arg(c.args[0]);
        return make(TNode::Op::Eye, {d, d}, l);
      }
      case FnClass::Unit: {
        long i = index_arg(c.args[0]);
        int d = dim_arg(c.args[1]);
        TShape s{d, dims_.one()};
        if (dims_.kind(d) == Dims::Kind::Literal && i > dims_.value(d)) {
          Namer nm = namer();
          fail(Msg::IndexOutOfRange, loc(strip(c.args[0])), {std::to_string(i), nm.str(s)});
        }
        T t = make(TNode::Op::Unit, s, l);
        t->i = i;
        return t;
      }
      case FnClass::VectorFill:
      case FnClass::MatrixFill: {
        // vector(c), matrix(c): c * ones(shape), the shape found by unification.
        T v = expr(c.args[0]);
        require_scalar(v, fname + "(c)");
        const bool vec = info->cls == FnClass::VectorFill;
        TShape s{dims_.fresh(false), vec ? dims_.one() : dims_.fresh(false)};
        T t = make(TNode::Op::Fill, s, l, {v});
        t->name = fname;
        fills_.push_back(t);
        return t;
      }
      case FnClass::Query:
        fail(Msg::QueryNotStatement, l, {fname});
    }
    MCALC_UNREACHABLE("unknown function class");
  }

  // ---- pass 2: lowering ----

  Program lower_program() {
    Namer nm = namer();
    names_ = &nm;
    for (const T& f : fills_) {
      if (!nm.named(f->shape.rows) || !nm.named(f->shape.cols))
        fail(Msg::UninferredSize, f->loc, {f->name + "(c)", f->name == "vector" ? "c*ones(n)" : "c*ones(m, n)"});
    }

    Program p;
    std::set<std::string> seen_dims;
    auto note_dim = [&](const Dim& d) {
      for (const auto& name : d.symbols())
        if (seen_dims.insert(name).second) p.dims.push_back(name);
    };
    std::map<const TNode*, Expr> values;
    for (const auto& name : order_) {
      const SymInfo& s = syms_.at(name);
      Symbol sym;
      sym.name = name;
      sym.shape = nm.shape(s.shape);
      sym.origin = s.origin;
      sym.loc = s.loc;
      note_dim(sym.shape.rows);
      note_dim(sym.shape.cols);
      if (s.origin != Symbol::Origin::Defined) sym.node = ir::located(ir::var(name, sym.shape), s.loc);
      if (s.value) {  // x, w : vector(3) = [...] share one value node
        auto [it, fresh] = values.emplace(s.value.get(), nullptr);
        if (fresh) it->second = lower(s.value);
        sym.value = it->second;
      }
      p.symbols.emplace(name, std::move(sym));
      p.symbol_order.push_back(name);
    }
    for (const auto& d : dim_names_) note_dim(Dim::sym(d));
    program_ = &p;

    for (const Stmt& st : stmts_) {
      Statement out;
      out.kind = st.kind;
      out.loc = st.loc;
      out.names = st.names;
      switch (st.kind) {
        case Statement::Kind::Declaration:
          break;
        case Statement::Kind::Definition: {
          Symbol& sym = p.symbols.at(st.names.front());
          out.expr = lower(st.expr);
          sym.node = ir::located(ir::var(sym.name, sym.shape, out.expr), sym.loc);
          break;
        }
        case Statement::Kind::Query:
        case Statement::Kind::Check:
        case Statement::Kind::Derive:
          out.expr = lower(st.expr);
          out.op = st.op;
          out.wrt = p.symbols.at(st.wrt).node;
          if (st.answer) out.answer = lower(st.answer);
          break;
        case Statement::Kind::Evaluate:
          out.expr = lower(st.expr);
          break;
      }
      p.statements.push_back(std::move(out));
    }
    names_ = nullptr;
    program_ = nullptr;
    return p;
  }

  Expr lower(const T& t) {
    Shape s = names_->shape(t->shape);
    auto arg = [&](std::size_t k) { return lower(t->args[k]); };
    Expr e;
    switch (t->op) {
      case TNode::Op::Num: e = ir::num(t->num); break;
      case TNode::Op::Var: {
        const Symbol& sym = program_->symbols.at(t->name);
        MCALC_ASSERT(sym.node != nullptr, "'" + t->name + "' used before its definition was lowered");
        return sym.node;
      }
      case TNode::Op::DimSize: e = ir::dim_size(Dim::sym(t->name)); break;
      case TNode::Op::Binary: {
        Expr a = arg(0), b = arg(1);
        switch (t->kind) {
          case Kind::Add: e = ir::add(a, b); break;
          case Kind::Sub: e = ir::sub(a, b); break;
          case Kind::Mul: e = ir::mul(a, b); break;
          case Kind::Div: e = ir::div(a, b); break;
          case Kind::Hadamard: e = ir::hadamard(a, b); break;
          case Kind::ElemDiv: e = ir::elem_div(a, b); break;
          case Kind::Dot: e = ir::dot(a, b); break;
          case Kind::Pow: e = ir::pow(a, b); break;
          case Kind::ElemPow: e = ir::elem_pow(a, b); break;
          default: MCALC_UNREACHABLE("not a binary kind");
        }
        break;
      }
      case TNode::Op::Neg: e = ir::neg(arg(0)); break;
      case TNode::Op::Transpose: e = ir::transpose(arg(0)); break;
      case TNode::Op::Index: {
        // Sizes may have become literal after the index was typed: check again.
        Expr base = arg(0);
        const Shape& bs = base->shape;
        auto check = [&](long i, const Dim& d) {
          if (d.is_const() && i > d.value()) fail(Msg::IndexOutOfRange, t->loc, {std::to_string(i), bs.str()});
        };
        if (t->j == 0) check(t->i, bs.cols.is_one() ? bs.rows : bs.cols);
        else {
          check(t->i, bs.rows);
          check(t->j, bs.cols);
        }
        e = ir::index(base, t->i, t->j);
        break;
      }
      case TNode::Op::Call: {
        std::vector<Expr> args;
        for (std::size_t k = 0; k < t->args.size(); ++k) args.push_back(arg(k));
        e = ir::call(t->fn, std::move(args));
        break;
      }
      case TNode::Op::Literal: {
        std::vector<Expr> entries;
        for (std::size_t k = 0; k < t->args.size(); ++k) entries.push_back(arg(k));
        e = ir::literal(t->lit_rows, t->lit_cols, std::move(entries));
        break;
      }
      case TNode::Op::Ones: e = ir::ones(s); break;
      case TNode::Op::Zeros: e = ir::zeros(s); break;
      case TNode::Op::Eye: e = ir::eye(s.rows); break;
      case TNode::Op::Unit: e = ir::unit(t->i, s.rows); break;
      case TNode::Op::Fill: e = ir::mul(arg(0), ir::located(ir::ones(s), t->loc)); break;
    }
    MCALC_ASSERT(e->shape == s, "lowered shape " + e->shape.str() + " differs from the inferred " + s.str());
    return ir::located(std::move(e), t->loc);
  }

  const std::vector<Unit>& units_;
  const Unit* unit_ = nullptr;
  Loc stmt_loc_;
  std::string value_of_;  // while analysing the value of a declaration: its (first) name

  Dims dims_;
  std::vector<std::string> dim_names_;
  std::set<std::string> dim_set_;
  std::map<std::string, std::pair<long, std::string>> dim_values_;  // sizes fixed by declared values

  std::map<std::string, SymInfo> syms_;
  std::vector<std::string> order_;
  std::vector<Stmt> stmts_;
  std::vector<T> fills_;

  Namer* names_ = nullptr;            // pass 2
  const Program* program_ = nullptr;  // pass 2
};

}  // namespace

Program analyse_units(const std::vector<Unit>& units, std::vector<AssumedType>* culprits) {
  return Analyser(units).run(culprits);
}

}  // namespace mcalc::sema
