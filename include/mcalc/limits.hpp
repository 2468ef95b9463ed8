#pragma once
/// \file
/// Explicit, documented limits (docs/language.md#limits). Exceeding one is a user error.
#include <cstddef>

namespace mcalc::limits {
inline constexpr std::size_t max_input_bytes = 1 << 20;   // 1 MiB of source text per input
inline constexpr int max_nesting_depth = 256;             // parentheses, calls, brackets, unary chains
inline constexpr int max_expression_depth = 5000;         // depth of an expression (a + ... + a is as deep as long)
inline constexpr long max_dimension = 100000000;          // largest literal dimension / size
inline constexpr std::size_t max_elements = 50000000;     // default largest evaluated matrix (rows*cols)
inline constexpr double max_work = 2e10;                   // default cost of one dense operation (multiply-adds)
inline constexpr long max_matrix_power = 1000000;         // largest |k| in A^k
inline constexpr long max_power_terms = 1000;             // largest |k| in a differentiated A^k (k terms)
}  // namespace mcalc::limits
