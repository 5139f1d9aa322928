// Tensor's methods that are spelled as free functions: each forwards to the
// one implementation. In-place variants go through ops::inplace.
#include "autograd/forward_grad.h"
#include "autograd/record.h"
#include "kiln/functions.h"
#include "kiln/linalg.h"
#include "ops/ops.h"

namespace kiln {
namespace {
using kernels::Binary;
using kernels::Unary;

bool needs_history(const Tensor& a, const Tensor& b = Tensor()) {
  return autograd::any_needs_grad(a, b) || autograd::forward::any_tangent(a, b);
}

Tensor& binary_inplace(Tensor& self, Binary op, const Tensor& other, Scalar alpha = 1) {
  return ops::inplace(self, kernels::name(op), needs_history(self, other),
                      [&] {
                        ops::check_alpha(op, self, other, alpha);
                        kernels::binary_out(op, self, self, other, alpha.to_double());
                      },
                      [&](const Tensor& value) { return ops::binary(op, value, other, alpha); });
}
// With a Scalar operand the history is the out-of-place Scalar op's (MulBackward1...).
template <class OutOfPlace>
Tensor& scalar_inplace(Tensor& self, Binary op, Scalar other, Scalar alpha, OutOfPlace out_of_place) {
  Tensor b = core::wrap_scalar(other);
  return ops::inplace(self, kernels::name(op), needs_history(self),
                      [&] {
                        ops::check_alpha(op, self, b, alpha);
                        kernels::binary_out(op, self, self, b, alpha.to_double());
                      },
                      [&](const Tensor& value) { return out_of_place(value); });
}

Tensor& unary_inplace(Tensor& self, Unary op) {
  return ops::inplace(self, kernels::name(op), needs_history(self), [&] { kernels::unary_out(op, self, self); },
                      [&](const Tensor& value) { return ops::unary(op, value); });
}
}  // namespace

// ---- element-wise
Tensor Tensor::add(const Tensor& o, Scalar alpha) const { return kiln::add(*this, o, alpha); }
Tensor Tensor::add(Scalar o, Scalar alpha) const { return kiln::add(*this, o, alpha); }
Tensor Tensor::sub(const Tensor& o, Scalar alpha) const { return kiln::sub(*this, o, alpha); }
Tensor Tensor::sub(Scalar o, Scalar alpha) const { return kiln::sub(*this, o, alpha); }
Tensor Tensor::mul(const Tensor& o) const { return kiln::mul(*this, o); }
Tensor Tensor::mul(Scalar o) const { return kiln::mul(*this, o); }
Tensor Tensor::div(const Tensor& o) const { return kiln::div(*this, o); }
Tensor Tensor::div(Scalar o) const { return kiln::div(*this, o); }
Tensor Tensor::pow(const Tensor& e) const { return kiln::pow(*this, e); }
Tensor Tensor::pow(Scalar e) const { return kiln::pow(*this, e); }

Tensor& Tensor::add_(const Tensor& o, Scalar alpha) { return binary_inplace(*this, Binary::Add, o, alpha); }
Tensor& Tensor::add_(Scalar o, Scalar alpha) {
  return scalar_inplace(*this, Binary::Add, o, alpha, [&](const Tensor& v) { return kiln::add(v, o, alpha); });
}
Tensor& Tensor::sub_(const Tensor& o, Scalar alpha) { return binary_inplace(*this, Binary::Sub, o, alpha); }
Tensor& Tensor::sub_(Scalar o, Scalar alpha) {
  return scalar_inplace(*this, Binary::Sub, o, alpha, [&](const Tensor& v) { return kiln::sub(v, o, alpha); });
}
Tensor& Tensor::mul_(const Tensor& o) { return binary_inplace(*this, Binary::Mul, o); }
Tensor& Tensor::mul_(Scalar o) {
  return scalar_inplace(*this, Binary::Mul, o, 1, [&](const Tensor& v) { return kiln::mul(v, o); });
}
Tensor& Tensor::div_(const Tensor& o) { return binary_inplace(*this, Binary::Div, o); }
Tensor& Tensor::div_(Scalar o) {
  return scalar_inplace(*this, Binary::Div, o, 1, [&](const Tensor& v) { return kiln::div(v, o); });
}
Tensor& Tensor::pow_(Scalar e) {
  return ops::inplace(*this, "pow_", needs_history(*this),
                      [&] { kernels::binary_out(Binary::Pow, *this, *this, core::wrap_scalar(e)); },
                      [&](const Tensor& value) { return kiln::pow(value, e); });
}
// fill_ and zero_: self stays in the graph with a zero gradient (torch's
// FillBackward2 / ZeroBackward0), NaN-safe (not self * 0 + v).
namespace {
Tensor& fill_inplace(Tensor& self, Scalar v, const char* op, const char* node) {
  return ops::inplace(self, op, needs_history(self), [&] { kernels::fill(self, v); }, [&](const Tensor& value) {
    Tensor r = full_like(value, v);
    if (autograd::any_needs_grad(value))
      autograd::record({node, {value}}, r, [](const autograd::BackwardArgs& g) -> variable_list {
        return {zeros_like(g.grad())};
      });
    if (autograd::forward::any_tangent(value)) autograd::forward::set_tangent(r, zeros_like(r));
    return r;
  });
}
}  // namespace
Tensor& Tensor::zero_() { return fill_inplace(*this, 0, "zero_", "ZeroBackward0"); }
Tensor& Tensor::fill_(Scalar v) { return fill_inplace(*this, v, "fill_", "FillBackward2"); }
Tensor& Tensor::fill_(const Tensor& v) {
  KILN_CHECK(v.dim() == 0, "fill_: only supports 0-dimension value tensor but got tensor with ", v.dim(),
             " dimensions");
  return copy_(v);
}
Tensor& Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max) {
  return ops::inplace(*this, "clamp_", needs_history(*this),
                      [&] {
                        kernels::clamp_out(*this, *this, min ? core::wrap_scalar(*min) : Tensor(),
                                           max ? core::wrap_scalar(*max) : Tensor());
                      },
                      [&](const Tensor& value) { return kiln::clamp(value, min, max); });
}
Tensor& Tensor::clamp_min_(Scalar min) { return clamp_(min, std::nullopt); }
Tensor& Tensor::clamp_max_(Scalar max) { return clamp_(std::nullopt, max); }

#define KILN_UNARY_METHOD(fn, op)                                   \
  Tensor Tensor::fn() const { return kiln::fn(*this); }             \
  Tensor& Tensor::fn##_() { return unary_inplace(*this, Unary::op); }
KILN_UNARY_METHOD(exp, Exp)
KILN_UNARY_METHOD(log, Log)
KILN_UNARY_METHOD(log1p, Log1p)
KILN_UNARY_METHOD(expm1, Expm1)
KILN_UNARY_METHOD(log2, Log2)
KILN_UNARY_METHOD(log10, Log10)
KILN_UNARY_METHOD(sqrt, Sqrt)
KILN_UNARY_METHOD(rsqrt, Rsqrt)
KILN_UNARY_METHOD(abs, Abs)
KILN_UNARY_METHOD(sign, Sign)
KILN_UNARY_METHOD(neg, Neg)
KILN_UNARY_METHOD(reciprocal, Reciprocal)
KILN_UNARY_METHOD(square, Square)
KILN_UNARY_METHOD(sin, Sin)
KILN_UNARY_METHOD(cos, Cos)
KILN_UNARY_METHOD(tan, Tan)
KILN_UNARY_METHOD(asin, Asin)
KILN_UNARY_METHOD(acos, Acos)
KILN_UNARY_METHOD(atan, Atan)
KILN_UNARY_METHOD(sinh, Sinh)
KILN_UNARY_METHOD(cosh, Cosh)
KILN_UNARY_METHOD(tanh, Tanh)
KILN_UNARY_METHOD(sigmoid, Sigmoid)
KILN_UNARY_METHOD(relu, Relu)
KILN_UNARY_METHOD(erf, Erf)
KILN_UNARY_METHOD(erfc, Erfc)
KILN_UNARY_METHOD(lgamma, Lgamma)
KILN_UNARY_METHOD(digamma, Digamma)
KILN_UNARY_METHOD(floor, Floor)
KILN_UNARY_METHOD(ceil, Ceil)
KILN_UNARY_METHOD(round, Round)
KILN_UNARY_METHOD(trunc, Trunc)
KILN_UNARY_METHOD(frac, Frac)
#undef KILN_UNARY_METHOD

Tensor Tensor::clamp(std::optional<Scalar> min, std::optional<Scalar> max) const { return kiln::clamp(*this, min, max); }
Tensor Tensor::clamp(const std::optional<Tensor>& min, const std::optional<Tensor>& max) const {
  return kiln::clamp(*this, min, max);
}
Tensor Tensor::clamp_min(Scalar min) const { return kiln::clamp_min(*this, min); }
Tensor Tensor::clamp_max(Scalar max) const { return kiln::clamp_max(*this, max); }
Tensor Tensor::maximum(const Tensor& o) const { return kiln::maximum(*this, o); }
Tensor Tensor::minimum(const Tensor& o) const { return kiln::minimum(*this, o); }
Tensor Tensor::atan2(const Tensor& o) const { return kiln::atan2(*this, o); }
Tensor Tensor::fmod(Scalar o) const { return kiln::fmod(*this, o); }
Tensor Tensor::remainder(Scalar o) const { return kiln::remainder(*this, o); }
Tensor Tensor::where(const Tensor& condition, const Tensor& other) const { return kiln::where(condition, *this, other); }
#define KILN_COMPARE_METHOD(fn)                                               \
  Tensor Tensor::fn(const Tensor& o) const { return kiln::fn(*this, o); } \
  Tensor Tensor::fn(Scalar o) const { return kiln::fn(*this, o); }
KILN_COMPARE_METHOD(eq)
KILN_COMPARE_METHOD(ne)
KILN_COMPARE_METHOD(lt)
KILN_COMPARE_METHOD(le)
KILN_COMPARE_METHOD(gt)
KILN_COMPARE_METHOD(ge)
#undef KILN_COMPARE_METHOD
Tensor Tensor::logical_and(const Tensor& o) const { return kiln::logical_and(*this, o); }
Tensor Tensor::logical_or(const Tensor& o) const { return kiln::logical_or(*this, o); }
Tensor Tensor::logical_xor(const Tensor& o) const { return kiln::logical_xor(*this, o); }
Tensor Tensor::logical_not() const { return kiln::logical_not(*this); }
Tensor Tensor::isnan() const { return kiln::isnan(*this); }
Tensor Tensor::isinf() const { return kiln::isinf(*this); }
Tensor Tensor::isfinite() const { return kiln::isfinite(*this); }

Tensor& operator+=(Tensor& a, const Tensor& b) { return a.add_(b); }
Tensor& operator+=(Tensor& a, Scalar b) { return a.add_(b); }
Tensor& operator-=(Tensor& a, const Tensor& b) { return a.sub_(b); }
Tensor& operator-=(Tensor& a, Scalar b) { return a.sub_(b); }
Tensor& operator*=(Tensor& a, const Tensor& b) { return a.mul_(b); }
Tensor& operator*=(Tensor& a, Scalar b) { return a.mul_(b); }
Tensor& operator/=(Tensor& a, const Tensor& b) { return a.div_(b); }
Tensor& operator/=(Tensor& a, Scalar b) { return a.div_(b); }

// ---- reductions and scans
Tensor Tensor::sum(std::optional<ScalarType> dtype) const { return kiln::sum(*this, dtype); }
Tensor Tensor::sum(IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) const {
  return kiln::sum(*this, dim, keepdim, dtype);
}
Tensor Tensor::mean(std::optional<ScalarType> dtype) const { return kiln::mean(*this, dtype); }
Tensor Tensor::mean(IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) const {
  return kiln::mean(*this, dim, keepdim, dtype);
}
Tensor Tensor::prod(std::optional<ScalarType> dtype) const { return kiln::prod(*this, dtype); }
Tensor Tensor::prod(int64_t dim, bool keepdim, std::optional<ScalarType> dtype) const {
  return kiln::prod(*this, dim, keepdim, dtype);
}
Tensor Tensor::max() const { return kiln::max(*this); }
Tensor Tensor::min() const { return kiln::min(*this); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim) const { return kiln::max(*this, dim, keepdim); }
std::tuple<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim) const { return kiln::min(*this, dim, keepdim); }
Tensor Tensor::amax(IntArrayRef dim, bool keepdim) const { return kiln::amax(*this, dim, keepdim); }
Tensor Tensor::amin(IntArrayRef dim, bool keepdim) const { return kiln::amin(*this, dim, keepdim); }
Tensor Tensor::argmax(std::optional<int64_t> dim, bool keepdim) const { return kiln::argmax(*this, dim, keepdim); }
Tensor Tensor::argmin(std::optional<int64_t> dim, bool keepdim) const { return kiln::argmin(*this, dim, keepdim); }
Tensor Tensor::var(bool unbiased) const { return kiln::var(*this, unbiased); }
Tensor Tensor::var(IntArrayRef dim, bool unbiased, bool keepdim) const { return kiln::var(*this, dim, unbiased, keepdim); }
Tensor Tensor::std(bool unbiased) const { return kiln::std(*this, unbiased); }
Tensor Tensor::std(IntArrayRef dim, bool unbiased, bool keepdim) const { return kiln::std(*this, dim, unbiased, keepdim); }
Tensor Tensor::logsumexp(IntArrayRef dim, bool keepdim) const { return kiln::logsumexp(*this, dim, keepdim); }
Tensor Tensor::cumsum(int64_t dim, std::optional<ScalarType> dtype) const { return kiln::cumsum(*this, dim, dtype); }
Tensor Tensor::cumprod(int64_t dim, std::optional<ScalarType> dtype) const { return kiln::cumprod(*this, dim, dtype); }
Tensor Tensor::all() const { return kiln::all(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return kiln::all(*this, dim, keepdim); }
Tensor Tensor::any() const { return kiln::any(*this); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return kiln::any(*this, dim, keepdim); }
Tensor Tensor::norm(Scalar p) const { return kiln::norm(*this, p); }
Tensor Tensor::norm(std::optional<Scalar> p, IntArrayRef dim, bool keepdim) const {
  return kiln::norm(*this, p, dim, keepdim);
}
Tensor Tensor::count_nonzero() const { return kiln::count_nonzero(*this); }

// ---- indexing
Tensor Tensor::index_select(int64_t dim, const Tensor& index) const { return kiln::index_select(*this, dim, index); }
Tensor Tensor::gather(int64_t dim, const Tensor& index) const { return kiln::gather(*this, dim, index); }
Tensor Tensor::masked_select(const Tensor& mask) const { return kiln::masked_select(*this, mask); }
Tensor Tensor::masked_fill(const Tensor& mask, Scalar value) const { return kiln::masked_fill(*this, mask, value); }
Tensor& Tensor::masked_fill_(const Tensor& mask, Scalar value) {
  return ops::inplace(*this, "masked_fill_", needs_history(*this),
                      [&] { kernels::copy(*this, kiln::masked_fill(*this, mask, value)); },
                      [&](const Tensor& self_value) { return kiln::masked_fill(self_value, mask, value); });
}
Tensor Tensor::flip(IntArrayRef dims) const { return kiln::flip(*this, dims); }
Tensor Tensor::roll(IntArrayRef shifts, IntArrayRef dims) const { return kiln::roll(*this, shifts, dims); }

// ---- linear algebra
Tensor Tensor::matmul(const Tensor& o) const { return kiln::matmul(*this, o); }
Tensor Tensor::mm(const Tensor& o) const { return kiln::mm(*this, o); }
Tensor Tensor::mv(const Tensor& v) const { return kiln::mv(*this, v); }
Tensor Tensor::dot(const Tensor& o) const { return kiln::dot(*this, o); }
Tensor Tensor::bmm(const Tensor& o) const { return kiln::bmm(*this, o); }
Tensor Tensor::outer(const Tensor& o) const { return kiln::outer(*this, o); }
Tensor Tensor::trace() const { return kiln::trace(*this); }
Tensor Tensor::diag(int64_t d) const { return kiln::diag(*this, d); }
Tensor Tensor::tril(int64_t d) const { return kiln::tril(*this, d); }
Tensor Tensor::triu(int64_t d) const { return kiln::triu(*this, d); }
Tensor Tensor::cholesky(bool upper) const { return kiln::linalg::cholesky(*this, upper); }
Tensor Tensor::inverse() const { return kiln::inverse(*this); }
Tensor Tensor::det() const { return kiln::det(*this); }

}  // namespace kiln
