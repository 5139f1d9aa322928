// The element-wise unary ops: one line each. From this list come the free
// function `exp(t)`, the methods `t.exp()` and `t.exp_()` (not for
// predicates), and the kernel's op code, name and result dtype. Each op's
// definition, with its derivative, is in src/ops/unary.cpp ("Tensor exp(").
//   X(name, kind)   kind: Floating   a floating result (integers compute in the default dtype)
//                         Same       the input's dtype
//                         Predicate  a bool result
#pragma once

#define KILN_UNARY_OPS(X)                                                                                  \
  X(exp, Floating) X(log, Floating) X(log1p, Floating) X(expm1, Floating) X(log2, Floating) X(log10, Floating) \
  X(sqrt, Floating) X(rsqrt, Floating) X(sin, Floating) X(cos, Floating) X(tan, Floating) X(asin, Floating)   \
  X(acos, Floating) X(atan, Floating) X(sinh, Floating) X(cosh, Floating) X(tanh, Floating)                   \
  X(sigmoid, Floating) X(erf, Floating) X(erfc, Floating) X(lgamma, Floating) X(digamma, Floating)            \
  X(reciprocal, Floating)                                                                                     \
  X(abs, Same) X(neg, Same) X(sign, Same) X(square, Same) X(relu, Same) X(floor, Same) X(ceil, Same)         \
  X(round, Same) X(trunc, Same) X(frac, Same)                                                                 \
  X(isnan, Predicate) X(isinf, Predicate) X(isfinite, Predicate) X(logical_not, Predicate)
