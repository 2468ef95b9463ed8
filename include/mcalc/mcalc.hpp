#pragma once
/// \file
/// The public API of mcalc in one include. An outside project links the
/// CMake target mcalc::mcalc (find_package(mcalc)) or uses pkg-config's
/// `mcalc`; docs/library.md walks through a program.
///
/// The stages, in pipeline order:
///  - mcalc/parse.hpp     text -> syntax tree (parse_program, parse_expression)
///  - mcalc/sema.hpp      syntax tree -> typed, shape-checked IR (analyse)
///  - mcalc/ir.hpp        the IR nodes and their constructors; mcalc/topo.hpp its one traversal
///  - mcalc/diff.hpp      derivative, gradient, hessian in closed form
///  - mcalc/simplify.hpp  the simplifier the differentiator uses
///  - mcalc/print.hpp     text and LaTeX printers
///  - mcalc/eval.hpp      numeric evaluation with Eigen, values from --at text or files
///  - mcalc/expand.hpp    entry-by-entry expansion with GiNaC
///  - mcalc/emit.hpp      derivatives as NumPy, PyTorch or C++/Eigen code
///  - mcalc/train.hpp     gradient descent with the derived gradients
///  - mcalc/driver.hpp    the command layer behind the `mcalc` program
///  - mcalc/errors.hpp    located user errors (catalogue: mcalc/messages.def) and internal errors
#include "mcalc/version.hpp"
#include "mcalc/limits.hpp"
#include "mcalc/errors.hpp"
#include "mcalc/shape.hpp"
#include "mcalc/ast.hpp"
#include "mcalc/parse.hpp"
#include "mcalc/ir.hpp"
#include "mcalc/topo.hpp"
#include "mcalc/number.hpp"
#include "mcalc/sema.hpp"
#include "mcalc/simplify.hpp"
#include "mcalc/diff.hpp"
#include "mcalc/derive.hpp"
#include "mcalc/print.hpp"
#include "mcalc/eval.hpp"
#include "mcalc/expand.hpp"
#include "mcalc/check.hpp"
#include "mcalc/emit.hpp"
#include "mcalc/train.hpp"
#include "mcalc/driver.hpp"
