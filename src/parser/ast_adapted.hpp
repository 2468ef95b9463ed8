#pragma once
// Fusion adaptation of the syntax tree (include/mcalc/ast.hpp), so X3 can fill
// the node structs from the attributes of sequences. Structs of one member are
// not adapted (X3 does not treat one-element sequences as their element); their
// rules parse straight into the member with member<> (expression_def.hpp).
#include <boost/fusion/include/adapt_struct.hpp>

#include "mcalc/ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(mcalc::ast::Operation, op, operand)
BOOST_FUSION_ADAPT_STRUCT(mcalc::ast::Chain, first, rest)
BOOST_FUSION_ADAPT_STRUCT(mcalc::ast::Unary, op, operand)
BOOST_FUSION_ADAPT_STRUCT(mcalc::ast::Postfix, base, ops)
BOOST_FUSION_ADAPT_STRUCT(mcalc::ast::Call, function, args)
BOOST_FUSION_ADAPT_STRUCT(mcalc::ast::TypeSpec, kind, dims)
BOOST_FUSION_ADAPT_STRUCT(mcalc::ast::Declaration, names, type, value)
BOOST_FUSION_ADAPT_STRUCT(mcalc::ast::Definition, name, value)
