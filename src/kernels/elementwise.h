// Element-wise kernels over strided memory: unary, binary and ternary maps,
// dtype conversion. They broadcast and promote through core/, allocate the
// output (or write into a given one) and know nothing of autograd.
#pragma once
#include <optional>

#include "kiln/tensor.h"
#include "kiln/op_lists.h"

namespace kiln::kernels {

// The unary ops' codes: Unary::exp, ..., then Unary::erfcx, ... (kiln/op_lists.h).
enum class Unary {
#define KILN_UNARY_CODE(name, kind) name,
  KILN_UNARY_OPS(KILN_UNARY_CODE)
#undef KILN_UNARY_CODE
#define KILN_SPECIAL_CODE(name) name,
  KILN_SPECIAL_UNARY_OPS(KILN_SPECIAL_CODE)
#undef KILN_SPECIAL_CODE
};

// The binary kernels. (Their public functions differ in form: add takes
// alpha, comparisons take a number too; each is defined in src/ops.)
#define KILN_BINARY_KERNELS(X)                                                                          \
  X(add) X(sub) X(mul) X(div) X(pow) X(maximum) X(minimum) X(atan2) X(fmod) X(remainder) X(eq) X(ne) X(lt) \
  X(le) X(gt) X(ge) X(logical_and) X(logical_or) X(logical_xor)
enum class Binary {
#define KILN_BINARY_CODE(name) name,
  KILN_BINARY_KERNELS(KILN_BINARY_CODE)
#undef KILN_BINARY_CODE
};

const char* name(Unary op);
const char* name(Binary op);

Tensor unary(Unary op, const Tensor& x);
void unary_out(Unary op, const Tensor& out, const Tensor& x);
// alpha scales b for Add and Sub (a + alpha * b in one pass); other ops ignore it.
Tensor binary(Binary op, const Tensor& a, const Tensor& b, double alpha = 1);
void binary_out(Binary op, const Tensor& out, const Tensor& a, const Tensor& b, double alpha = 1);
// The same with a C++ number as b, promoted as a wrapped number (as torch does).
Tensor binary(Binary op, const Tensor& a, Scalar b, double alpha = 1);
void binary_out(Binary op, const Tensor& out, const Tensor& a, Scalar b, double alpha = 1);

// log(1 + exp(beta x)) / beta, x itself where beta x > threshold.
Tensor softplus(const Tensor& x, double beta, double threshold);

// polygamma(n, x) element-wise (n >= 0, checked by the caller), floating.
Tensor polygamma(int64_t n, const Tensor& x);

// log N(v; loc, scale) = -(v - loc)^2 / (2 scale^2) - log(scale) - log(2 pi) / 2,
// one pass over the broadcast operands, in their promoted floating dtype.
Tensor normal_log_prob(const Tensor& v, const Tensor& loc, const Tensor& scale);

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
