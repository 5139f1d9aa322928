// Tensor's methods that are spelled as free functions: each forwards to the
// one implementation. In-place variants go through ops::inplace.
#include "autograd/derivative.h"
#include "core/promotion.h"
#include "kiln/functions.h"
#include "kiln/linalg.h"
#include "ops/ops.h"

namespace kiln {
namespace {
using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;
using kernels::Binary;
using kernels::Unary;

bool needs_history(const Tensor& a, const Tensor& b = Tensor()) {
  return autograd::any_needs_grad(a, b) || autograd::forward::any_tangent(a, b);
}

// `out_of_place(value, other)` is the op with history (kiln::add ...).
template <class OutOfPlace>
Tensor& binary_inplace(Tensor& self, Binary op, const Tensor& other, OutOfPlace out_of_place, Scalar alpha = 1) {
  return ops::inplace(self, kernels::name(op), needs_history(self, other),
                      [&] {
                        ops::check_alpha(op, core::result_type({&self, &other}), alpha);
                        kernels::binary_out(op, self, self, other, alpha.to_double());
                      },
                      [&](const Tensor& value) { return out_of_place(value); });
}
// With a Scalar operand the history is the out-of-place Scalar op's (MulBackward1...).
template <class OutOfPlace>
Tensor& scalar_inplace(Tensor& self, Binary op, Scalar other, Scalar alpha, OutOfPlace out_of_place) {
  return ops::inplace(self, kernels::name(op), needs_history(self),
                      [&] {
                        ops::check_alpha(op, core::result_type(self, other), alpha);
                        kernels::binary_out(op, self, self, other, alpha.to_double());
                      },
                      [&](const Tensor& value) { return out_of_place(value); });
}

Tensor& unary_inplace(Tensor& self, Unary op, Tensor (*out_of_place)(const Tensor&)) {
  return ops::inplace(self, kernels::name(op), needs_history(self), [&] { kernels::unary_out(op, self, self); },
                      [&](const Tensor& value) { return out_of_place(value); });
}
}  // namespace

// ---- conversion and copies
Tensor Tensor::to(ScalarType t, bool, bool copy) const {
  if (t == dtype() && !copy) return *this;
  Tensor r = core::empty(sizes(), t);
  kernels::copy(r, *this);
  return autograd::differentiable(
      r, {"ToCopyBackward0", {*this}},
      [from = dtype()](const BackwardArgs& a) -> Grads { return {a.grad().to(from)}; },
      [t](const ForwardArgs& f) { return f.tangent().to(t); });
}
Tensor Tensor::to(const TensorOptions& o, bool non_blocking, bool copy) const {
  detail::check_cpu(o.device(), "to");
  KILN_CHECK(!o.requires_grad(), "to: Operators taking TensorOptions cannot take a TensorOptions with "
                                 "options.requires_grad set as true. This isn't implemented yet.");
  return to(o.dtype_or(dtype()), non_blocking, copy);
}

Tensor Tensor::clone() const {
  Tensor r = core::empty(sizes(), dtype());
  kernels::copy(r, *this);
  return autograd::differentiable(
      r, {"CloneBackward0", {*this}}, [](const BackwardArgs& a) -> Grads { return {a.grad()}; },
      [](const ForwardArgs& f) { return f.tangent().clone(); });
}

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }

Tensor& Tensor::copy_(const Tensor& src, bool) {
  // The new value: src broadcast and cast to self. The old value (input 0,
  // as every in-place op's) stays in the graph with a zero gradient.
  auto copied = [&](const Tensor& value) {
    Tensor r = empty_like(value);
    kernels::copy(r, src);
    // (src's gradient is cast before the engine sums it to src's shape, as torch does.)
    return autograd::differentiable(
        r, {"torch::autograd::CopyBackwards", {value, src}},
        [from = src.dtype()](const BackwardArgs& g) -> Grads {
          return {g.needs_grad(0) ? zeros_like(g.grad()) : Tensor(), g.needs_grad(1) ? g.grad().to(from) : Tensor()};
        },
        [&](const ForwardArgs& f) { return f.tangent_or_zeros(1).to(dtype()).expand(sizes()).clone(); });
  };
  return ops::inplace(*this, "copy_", needs_history(*this, src), [&] { kernels::copy(*this, src); }, copied);
}

Tensor& Tensor::operator=(const Tensor& other) && { return copy_(other); }
Tensor& Tensor::operator=(Scalar value) && { return fill_(value); }

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

Tensor& Tensor::add_(const Tensor& o, Scalar alpha) {
  return binary_inplace(*this, Binary::add, o, [&](const Tensor& v) { return kiln::add(v, o, alpha); }, alpha);
}
Tensor& Tensor::add_(Scalar o, Scalar alpha) {
  return scalar_inplace(*this, Binary::add, o, alpha, [&](const Tensor& v) { return kiln::add(v, o, alpha); });
}
Tensor& Tensor::sub_(const Tensor& o, Scalar alpha) {
  return binary_inplace(*this, Binary::sub, o, [&](const Tensor& v) { return kiln::sub(v, o, alpha); }, alpha);
}
Tensor& Tensor::sub_(Scalar o, Scalar alpha) {
  return scalar_inplace(*this, Binary::sub, o, alpha, [&](const Tensor& v) { return kiln::sub(v, o, alpha); });
}
Tensor& Tensor::mul_(const Tensor& o) {
  return binary_inplace(*this, Binary::mul, o, [&](const Tensor& v) { return kiln::mul(v, o); });
}
Tensor& Tensor::mul_(Scalar o) {
  return scalar_inplace(*this, Binary::mul, o, 1, [&](const Tensor& v) { return kiln::mul(v, o); });
}
Tensor& Tensor::div_(const Tensor& o) {
  return binary_inplace(*this, Binary::div, o, [&](const Tensor& v) { return kiln::div(v, o); });
}
Tensor& Tensor::div_(Scalar o) {
  return scalar_inplace(*this, Binary::div, o, 1, [&](const Tensor& v) { return kiln::div(v, o); });
}
Tensor& Tensor::pow_(Scalar e) {
  return ops::inplace(*this, "pow_", needs_history(*this),
                      [&] { kernels::binary_out(Binary::pow, *this, *this, e); },
                      [&](const Tensor& value) { return kiln::pow(value, e); });
}
// fill_ and zero_: self stays in the graph with a zero gradient (torch's
// FillBackward2 / ZeroBackward0), NaN-safe (not self * 0 + v).
namespace {
Tensor& fill_inplace(Tensor& self, Scalar v, const char* op, const char* node) {
  return ops::inplace(self, op, needs_history(self), [&] { kernels::fill(self, v); }, [&](const Tensor& value) {
    return autograd::differentiable(
        full_like(value, v), {node, {value}}, [](const BackwardArgs& g) -> Grads { return {zeros_like(g.grad())}; },
        [](const ForwardArgs& f) { return zeros_like(f.result); });
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
namespace {
// Clamps self to number bounds; `record` is the out-of-place clamp whose
// gradient the write takes.
template <class Record>
Tensor& clamp_inplace(Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max, Record record) {
  Tensor lo = min ? core::wrap_scalar(*min) : Tensor(), hi = max ? core::wrap_scalar(*max) : Tensor();
  return ops::inplace(self, "clamp_", needs_history(self), [&] { kernels::clamp_out(self, self, lo, hi); }, record);
}
}  // namespace
Tensor& Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max) {
  auto [lo, hi] = ops::clamp_number_bounds(min, max);
  return clamp_inplace(*this, lo, hi, [&](const Tensor& value) { return kiln::clamp(value, min, max); });
}
Tensor& Tensor::clamp_min_(Scalar min) {
  return clamp_inplace(*this, min, std::nullopt, [&](const Tensor& value) { return kiln::clamp_min(value, min); });
}
Tensor& Tensor::clamp_max_(Scalar max) {
  return clamp_inplace(*this, std::nullopt, max, [&](const Tensor& value) { return kiln::clamp_max(value, max); });
}

// The unary ops of kiln/op_lists.h.
#define KILN_INPLACE_METHOD_Floating(name) \
  Tensor& Tensor::name##_() { return unary_inplace(*this, Unary::name, kiln::name); }
#define KILN_INPLACE_METHOD_Same KILN_INPLACE_METHOD_Floating
#define KILN_INPLACE_METHOD_Predicate(name)
#define KILN_DEFINE_UNARY_METHOD(name, kind)                  \
  Tensor Tensor::name() const { return kiln::name(*this); } \
  KILN_INPLACE_METHOD_##kind(name)
KILN_UNARY_OPS(KILN_DEFINE_UNARY_METHOD)
#undef KILN_DEFINE_UNARY_METHOD

Tensor Tensor::clamp(std::optional<Scalar> min, std::optional<Scalar> max) const { return kiln::clamp(*this, min, max); }
Tensor Tensor::clamp(const std::optional<Tensor>& min, const std::optional<Tensor>& max) const {
  return kiln::clamp(*this, min, max);
}
Tensor Tensor::clamp(const std::optional<Tensor>& min) const { return kiln::clamp(*this, min); }
Tensor Tensor::clamp_min(Scalar min) const { return kiln::clamp_min(*this, min); }
Tensor Tensor::clamp_max(Scalar max) const { return kiln::clamp_max(*this, max); }
Tensor Tensor::clamp_min(const Tensor& min) const { return kiln::clamp_min(*this, min); }
Tensor Tensor::clamp_max(const Tensor& max) const { return kiln::clamp_max(*this, max); }
Tensor Tensor::maximum(const Tensor& o) const { return kiln::maximum(*this, o); }
Tensor Tensor::minimum(const Tensor& o) const { return kiln::minimum(*this, o); }
Tensor Tensor::atan2(const Tensor& o) const { return kiln::atan2(*this, o); }
Tensor Tensor::fmod(Scalar o) const { return kiln::fmod(*this, o); }
Tensor Tensor::remainder(Scalar o) const { return kiln::remainder(*this, o); }
Tensor Tensor::fmod(const Tensor& o) const { return kiln::fmod(*this, o); }
Tensor Tensor::remainder(const Tensor& o) const { return kiln::remainder(*this, o); }
// fmod_ and remainder_: an integer zero divisor is refused before anything is written.
template <class Other>
Tensor& modulo_inplace(Tensor& self, Binary op, const Other& o, const char* name) {
  ops::check_integer_divisor(self, o, name);
  auto out_of_place = [&](const Tensor& v) { return op == Binary::fmod ? kiln::fmod(v, o) : kiln::remainder(v, o); };
  if constexpr (std::is_same_v<Other, Tensor>) return binary_inplace(self, op, o, out_of_place);
  else return scalar_inplace(self, op, o, 1, out_of_place);
}
Tensor& Tensor::fmod_(const Tensor& o) { return modulo_inplace(*this, Binary::fmod, o, "fmod_"); }
Tensor& Tensor::fmod_(Scalar o) { return modulo_inplace(*this, Binary::fmod, o, "fmod_"); }
Tensor& Tensor::remainder_(const Tensor& o) { return modulo_inplace(*this, Binary::remainder, o, "remainder_"); }
Tensor& Tensor::remainder_(Scalar o) { return modulo_inplace(*this, Binary::remainder, o, "remainder_"); }
Tensor Tensor::where(const Tensor& condition, const Tensor& other) const { return kiln::where(condition, *this, other); }
#define KILN_COMPARISON_METHOD(name, op)                                    \
  Tensor Tensor::name(const Tensor& o) const { return kiln::name(*this, o); } \
  Tensor Tensor::name(Scalar o) const { return kiln::name(*this, o); }
KILN_COMPARISON_OPS(KILN_COMPARISON_METHOD)
#undef KILN_COMPARISON_METHOD
Tensor Tensor::logical_and(const Tensor& o) const { return kiln::logical_and(*this, o); }
Tensor Tensor::logical_or(const Tensor& o) const { return kiln::logical_or(*this, o); }
Tensor Tensor::logical_xor(const Tensor& o) const { return kiln::logical_xor(*this, o); }

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
Tensor Tensor::sum(OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) const {
  return kiln::sum(*this, dim, keepdim, dtype);
}
Tensor Tensor::mean(std::optional<ScalarType> dtype) const { return kiln::mean(*this, dtype); }
Tensor Tensor::mean(OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) const {
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
Tensor Tensor::var(OptionalIntArrayRef dim, bool unbiased, bool keepdim) const { return kiln::var(*this, dim, unbiased, keepdim); }
Tensor Tensor::std(bool unbiased) const { return kiln::std(*this, unbiased); }
Tensor Tensor::std(OptionalIntArrayRef dim, bool unbiased, bool keepdim) const { return kiln::std(*this, dim, unbiased, keepdim); }
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
