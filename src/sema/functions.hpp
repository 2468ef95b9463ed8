#pragma once
// The functions of the language as sema sees them: canonical names and
// aliases, argument counts, and how each one is typed and lowered.
#include <string>
#include <vector>

#include "mcalc/ir.hpp"

namespace mcalc::sema {

enum class FnClass {
  Elementwise,  // sin, exp, relu, ...: same shape as the argument
  LeakyRelu,    // leaky_relu(u) = leaky_relu(u, 0.01)
  MaxMin,       // max(a, b), min(a, b): scalar broadcasting
  Reduction,    // sum, mean, norm2, norm1: any shape -> scalar
  Logsumexp,    // vector (column or row) -> scalar
  Softmax,      // column vector -> column vector
  SquareScalar, // tr, det, logdet: square matrix -> scalar
  Inv,          // square matrix -> square matrix
  Diag,         // vector -> diagonal matrix, or square matrix -> vector
  Vec,          // vec(A): m x n -> the column of length m*n
  Kron,         // kron(A, B): (m x n, p x q) -> mp x nq
  Commutation,  // commutation(m, n): the mn x mn commutation matrix (dimension arguments)
  Dot,          // dot(a, b) -> Kind::Dot
  Transpose,    // transpose(A) -> Kind::Transpose
  Ones,         // ones(n), ones(m, n)
  Zeros,        // zeros(n), zeros(m, n)
  Eye,          // eye(n)
  Unit,         // unit(i, n)
  VectorFill,   // vector(c): c * ones(n x 1), n from context
  MatrixFill,   // matrix(c): c * ones(m x n), m and n from context
  Query,        // diff, grad, hessian: statement level only
};

struct FnInfo {
  const char* name;  // as written (aliases included)
  FnClass cls;
  Fn fn;             // the ir::Fn after alias resolution, where there is one
  int min_args, max_args;
};

/// The entry for a function name as written, or nullptr.
const FnInfo* lookup_function(const std::string& name);
/// "; did you mean 'sigmoid'?" for the closest known function name, or "".
std::string suggest_function(const std::string& name);
/// The closest of `candidates` to `name` within a small edit distance, or "".
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);
/// "1 argument", "2 arguments", "1 or 2 arguments".
std::string count_phrase(int min, int max, const char* noun);

}  // namespace mcalc::sema
