// Element-wise kernels over strided memory: unary, binary and ternary maps,
// dtype conversion. They broadcast and promote through core/, allocate the
// output (or write into a given one) and know nothing of autograd.
#pragma once
#include <optional>

#include "kiln/tensor.h"

namespace kiln::kernels {

enum class Unary {
  // floating results (integer inputs compute in the default dtype)
  Exp, Log, Log1p, Expm1, Log2, Log10, Sqrt, Rsqrt, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh,
  Sigmoid, Erf, Erfc, Lgamma, Digamma, Reciprocal, Softplus,
  // same dtype as the input
  Abs, Neg, Sign, Square, Relu, Floor, Ceil, Round, Trunc, Frac,
  // boolean results
  IsNan, IsInf, IsFinite, LogicalNot,
};

enum class Binary {
  Add, Sub, Mul, Div, Pow, Maximum, Minimum, Atan2, Fmod, Remainder,
  Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, LogicalXor,
};

const char* name(Unary op);
const char* name(Binary op);
// The dtype op(x) / op(a, b) produces, or a kiln::Error if the dtype is not allowed.
ScalarType result_dtype(Unary op, ScalarType input);
ScalarType result_dtype(Binary op, const Tensor& a, const Tensor& b);

Tensor unary(Unary op, const Tensor& x);
void unary_out(Unary op, const Tensor& out, const Tensor& x);
// alpha scales b for Add and Sub (a + alpha * b in one pass); other ops ignore it.
Tensor binary(Binary op, const Tensor& a, const Tensor& b, double alpha = 1);
void binary_out(Binary op, const Tensor& out, const Tensor& a, const Tensor& b, double alpha = 1);

// where(cond, a, b) and clamp(x, lo, hi) with optional bounds.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
Tensor clamp(const Tensor& x, const Tensor& lo, const Tensor& hi);
void clamp_out(const Tensor& out, const Tensor& x, const Tensor& lo, const Tensor& hi);

// grad where x > threshold, else 0 (relu's backward in one pass). Same
// floating dtype, broadcastable shapes.
Tensor threshold_backward(const Tensor& grad, const Tensor& x, double threshold);

// dst[...] = src converted to dst's dtype, src broadcast to dst's shape.
void copy(const Tensor& dst, const Tensor& src);
// Fills every element of dst with `value`.
void fill(const Tensor& dst, Scalar value);

}  // namespace kiln::kernels
