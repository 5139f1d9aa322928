// The element-wise op families whose members share one form: one line per
// op, from which the declarations, the methods and the kernels' op codes and
// names follow. Each op's definition is in src/ops/ (grep "Tensor exp(").
#pragma once

// Unary ops: the function `exp(t)`, the methods `t.exp()` and `t.exp_()` (not
// for predicates), the kernel's op code, name and result dtype; defined, each
// with its derivative, in src/ops/unary.cpp.
//   X(name, kind)   kind: Floating   a floating result (integers compute in the default dtype)
//                         Same       the input's dtype
//                         Predicate  a bool result

#define KILN_UNARY_OPS(X)                                                                                  \
  X(exp, Floating) X(log, Floating) X(log1p, Floating) X(expm1, Floating) X(log2, Floating) X(log10, Floating) \
  X(sqrt, Floating) X(rsqrt, Floating) X(sin, Floating) X(cos, Floating) X(tan, Floating) X(asin, Floating)   \
  X(acos, Floating) X(atan, Floating) X(sinh, Floating) X(cosh, Floating) X(tanh, Floating)                   \
  X(sigmoid, Floating) X(erf, Floating) X(erfc, Floating) X(lgamma, Floating) X(digamma, Floating)            \
  X(reciprocal, Floating) X(erfinv, Floating)                                                                 \
  X(abs, Same) X(neg, Same) X(sign, Same) X(square, Same) X(relu, Same) X(floor, Same) X(ceil, Same)         \
  X(round, Same) X(trunc, Same) X(frac, Same)                                                                 \
  X(isnan, Predicate) X(isinf, Predicate) X(isfinite, Predicate) X(logical_not, Predicate)

// The unary functions of kiln::special (kiln/special.h) that are no Tensor
// methods in libtorch: `special::erfcx(t)` and the kernel's op code; floating
// results; defined with their derivatives in src/ops/special.cpp.
#define KILN_SPECIAL_UNARY_OPS(X) X(erfcx) X(ndtr) X(log_ndtr) X(ndtri) X(entr)

// Comparisons: `eq(a, b)` and `eq(a, number)`, the methods `a.eq(b)`, and
// the operator; a bool result, no derivative (src/ops/binary.cpp).
//   X(name, operator)
#define KILN_COMPARISON_OPS(X) X(eq, ==) X(ne, !=) X(lt, <) X(le, <=) X(gt, >) X(ge, >=)
