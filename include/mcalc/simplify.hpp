#pragma once
/// \file
/// Simplification of IR expressions to the form a textbook prints.
///
/// Rewrite rules are grouped by head node (src/simplify/rules_<head>.cpp); each
/// rule is one line with the identity it applies and an id from the rule table
/// (include/mcalc/simplify_rules.def, listed in docs/rules.md). Structural
/// matrices (eye, ones, zeros, diag, unit) are never materialised. Scalar and
/// elementwise subexpressions are normalised through GiNaC and given a
/// deterministic order of factors and terms. Shared subexpressions stay shared
/// (memoised per node), and a node no rule changes is returned as is.
#include <cstddef>
#include <vector>

#include "mcalc/ir.hpp"

namespace mcalc {

/// The simplifier's rules, by id (see include/mcalc/simplify_rules.def).
enum class Rule {
#define MCALC_RULE(id, head, statement) id,
#include "mcalc/simplify_rules.def"
#undef MCALC_RULE
};

struct SimplifyRuleInfo {
  Rule rule;
  const char* id;         // stable name, e.g. "add_like_terms"
  const char* head;       // the head node the rule matches: "+", "*", "sum", ...
  const char* statement;  // the identity, one line
};

/// The rule table, in the order of simplify_rules.def.
const std::vector<SimplifyRuleInfo>& simplify_rules();
const SimplifyRuleInfo& rule_info(Rule r);

/// A record of the rules that fired: each distinct rule once, in the order it
/// first fired (including rules tried on candidate forms that lost to a
/// smaller one). Recording is off unless a log is passed; off, it costs one
/// test of a null pointer per rule application.
struct RuleLog {
  std::vector<Rule> applied;
  bool has(Rule r) const;
};

/// The simplified form of `e` (same shape, same value wherever `e` is defined).
/// When `log` is given, the ids of the rules applied are added to it.
Expr simplify(const Expr& e, RuleLog* log = nullptr);

/// Records the rules fired on this thread into `log` while alive (the
/// differentiator builds its results with the rules too); nests.
class RuleLogScope {
 public:
  explicit RuleLogScope(RuleLog* log);
  ~RuleLogScope();
  RuleLogScope(const RuleLogScope&) = delete;
  RuleLogScope& operator=(const RuleLogScope&) = delete;

 private:
  RuleLog* previous_;
};

/// Number of nodes of `e` counted as a tree, where an intermediate variable
/// counts as 1 (it prints by name). Used to compare candidate forms.
std::size_t expr_size(const Expr& e);

}  // namespace mcalc
