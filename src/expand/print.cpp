// Printing expanded entries. GiNaC's own printed order of commutative terms
// and factors is not stable between runs, so an entry is converted back to IR
// (through the simplifier's GiNaC bridge, which orders terms and factors
// deterministically) and printed by the IR printers.
#include <algorithm>
#include <set>
#include <sstream>

#include "mcalc/expand.hpp"
#include "mcalc/print.hpp"
#include "simplify/ginac_bridge.hpp"

namespace mcalc {
namespace {

using GiNaC::ex;

constexpr std::size_t kSimplifyLimit = 2000;
constexpr std::size_t kNormalDenominators = 4;

std::size_t nodes(const ex& x) {
  std::size_t n = 1;
  for (std::size_t k = 0; k < x.nops(); ++k) n += nodes(x.op(k));
  return n;
}

void symbols(const ex& x, std::vector<GiNaC::symbol>& out) {
  if (GiNaC::is_a<GiNaC::symbol>(x)) {
    const auto& s = GiNaC::ex_to<GiNaC::symbol>(x);
    for (const auto& o : out)
      if (o.is_equal(s)) return;
    out.push_back(s);
  }
  for (std::size_t k = 0; k < x.nops(); ++k) symbols(x.op(k), out);
}

/// The entry as a scalar IR expression over variables named after its entry
/// symbols (x1, A12), or nullptr when the IR cannot state it.
Expr as_ir(const ex& x) {
  gx::Bridge bridge;
  std::vector<GiNaC::symbol> syms;
  symbols(x, syms);
  // Atoms in name order, so that the bridge's symbols do not depend on the
  // order GiNaC happens to store the terms in.
  std::sort(syms.begin(), syms.end(),
            [](const GiNaC::symbol& a, const GiNaC::symbol& b) { return a.get_name() < b.get_name(); });
  GiNaC::exmap to_bridge;
  for (const auto& s : syms) to_bridge[s] = bridge.to(ir::var(s.get_name(), Shape::scalar()));
  return bridge.from(x.subs(to_bridge), Shape::scalar());
}

std::string fallback(const ex& x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

}  // namespace

/// Distinct sums that appear as denominators: normal() brings them over one
/// common denominator, whose size grows as their product.
std::size_t sum_denominators(const ex& x) {
  GiNaC::exset found;
  for (auto it = x.preorder_begin(); it != x.preorder_end(); ++it)
    if (GiNaC::is_a<GiNaC::power>(*it) && GiNaC::is_a<GiNaC::add>(it->op(0)) &&
        GiNaC::is_a<GiNaC::numeric>(it->op(1)) && GiNaC::ex_to<GiNaC::numeric>(it->op(1)).is_negative())
      found.insert(it->op(0));
  return found.size();
}

ex simplified(const ex& x) {
  ex best = x;
  std::size_t size = nodes(x);
  if (size > kSimplifyLimit) return x;  // normal() of a large rational function can take minutes
  const int forms = sum_denominators(x) > kNormalDenominators ? 1 : 2;  // expand() only
  for (int k = 0; k < forms; ++k) {
    ex c;
    try {
      c = k == 0 ? x.expand() : x.normal();
    } catch (const std::exception&) {
      continue;
    }
    std::size_t s = nodes(c);
    if (s < size) {
      best = c;
      size = s;
    }
  }
  return best;
}

std::string entry_text(const ex& x) {
  Expr e = as_ir(x);
  return e ? to_text(e) : fallback(x);
}

std::string entry_latex(const ex& x) {
  Expr e = as_ir(x);
  if (e) return to_latex(e);
  std::ostringstream os;
  os << GiNaC::latex << x;
  return os.str();
}

std::vector<std::vector<std::string>> matrix_entries(const GiNaC::matrix& m) {
  std::vector<std::vector<std::string>> out(m.rows());
  for (unsigned i = 0; i < m.rows(); ++i)
    for (unsigned j = 0; j < m.cols(); ++j) out[i].push_back(entry_text(simplified(m(i, j))));
  return out;
}

std::string matrix_text(const GiNaC::matrix& m) {
  auto cells = matrix_entries(m);
  std::vector<std::size_t> width(m.cols(), 0);
  // Widths in characters (UTF-8 continuation bytes do not count).
  auto length = [](const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  for (const auto& row : cells)
    for (std::size_t j = 0; j < row.size(); ++j) width[j] = std::max(width[j], length(row[j]));
  std::string out;
  for (const auto& row : cells) {
    std::string line = "[ ";
    for (std::size_t j = 0; j < row.size(); ++j) {
      bool last = j + 1 == row.size();
      std::string cell = row[j] + (last ? "" : ",");
      // Pad every cell to its column's width, so that columns and brackets align.
      line += cell + std::string(width[j] + (last ? 0 : 2) - length(cell), ' ');
    }
    line += " ]";
    out += line + "\n";
  }
  return out;
}

std::string matrix_latex(const GiNaC::matrix& m) {
  std::string out = "\\begin{bmatrix} ";
  for (unsigned i = 0; i < m.rows(); ++i) {
    if (i) out += " \\\\ ";
    for (unsigned j = 0; j < m.cols(); ++j) {
      if (j) out += " & ";
      out += entry_latex(simplified(m(i, j)));
    }
  }
  return out + " \\end{bmatrix}";
}

}  // namespace mcalc
