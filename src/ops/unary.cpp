// The element-wise unary ops of kiln/op_lists.h, each with its derivative.
// An element-wise op's derivative is one partial d(g, x, r): g times
// d op/dx at x, where r = op(x). The backward applies it to the gradient and
// forward mode to the tangent, so one formula serves both modes.
#include <numbers>

#include "autograd/derivative.h"
#include "kernels/elementwise.h"
#include "kiln/functions.h"
#include "ops/ops.h"

namespace kiln {
namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;
using kernels::Unary;

// What a partial reads besides g.
enum Reads { kNothing = 0, kInput = 1, kResult = 2 };

template <class Partial>
Tensor pointwise(Unary op, const Tensor& x, const char* node, int reads, Partial d) {
  return autograd::differentiable(
      kernels::unary(op, x), {node, {x}, (reads & kInput) ? autograd::TensorRefs{x} : autograd::TensorRefs{}, (reads & kResult) != 0},
      [d, reads](const BackwardArgs& a) -> Grads {
        Tensor none;
        return {d(a.grad(), (reads & kInput) ? a.saved[0] : none, (reads & kResult) ? a.results[0] : none)};
      },
      [d](const ForwardArgs& f) { return d(f.tangent(), f.primal(), f.result); });
}

Tensor zero_partial(const Tensor& g, const Tensor&, const Tensor&) { return zeros_like(g); }

}  // namespace

// clang-format off
Tensor exp(const Tensor& x)   { return pointwise(Unary::exp, x, "ExpBackward0", kResult, [](auto& g, auto&, auto& r) { return g * r; }); }
Tensor log(const Tensor& x)   { return pointwise(Unary::log, x, "LogBackward0", kInput, [](auto& g, auto& x, auto&) { return g / x; }); }
Tensor log1p(const Tensor& x) { return pointwise(Unary::log1p, x, "Log1PBackward0", kInput, [](auto& g, auto& x, auto&) { return g / (x + 1); }); }
Tensor expm1(const Tensor& x) { return pointwise(Unary::expm1, x, "Expm1Backward0", kResult, [](auto& g, auto&, auto& r) { return g * (r + 1); }); }
Tensor log2(const Tensor& x)  { return pointwise(Unary::log2, x, "Log2Backward0", kInput, [](auto& g, auto& x, auto&) { return g / (x * std::numbers::ln2); }); }
Tensor log10(const Tensor& x) { return pointwise(Unary::log10, x, "Log10Backward0", kInput, [](auto& g, auto& x, auto&) { return g / (x * std::numbers::ln10); }); }
Tensor sqrt(const Tensor& x)  { return pointwise(Unary::sqrt, x, "SqrtBackward0", kResult, [](auto& g, auto&, auto& r) { return g / (2 * r); }); }
Tensor rsqrt(const Tensor& x) { return pointwise(Unary::rsqrt, x, "RsqrtBackward0", kResult, [](auto& g, auto&, auto& r) { return g * (-0.5 * r * r * r); }); }
Tensor sin(const Tensor& x)   { return pointwise(Unary::sin, x, "SinBackward0", kInput, [](auto& g, auto& x, auto&) { return g * cos(x); }); }
Tensor cos(const Tensor& x)   { return pointwise(Unary::cos, x, "CosBackward0", kInput, [](auto& g, auto& x, auto&) { return g * -sin(x); }); }
Tensor tan(const Tensor& x)   { return pointwise(Unary::tan, x, "TanBackward0", kResult, [](auto& g, auto&, auto& r) { return g * (1 + r * r); }); }
Tensor asin(const Tensor& x)  { return pointwise(Unary::asin, x, "AsinBackward0", kInput, [](auto& g, auto& x, auto&) { return g * rsqrt(1 - x * x); }); }
Tensor acos(const Tensor& x)  { return pointwise(Unary::acos, x, "AcosBackward0", kInput, [](auto& g, auto& x, auto&) { return -g * rsqrt(1 - x * x); }); }
Tensor atan(const Tensor& x)  { return pointwise(Unary::atan, x, "AtanBackward0", kInput, [](auto& g, auto& x, auto&) { return g / (1 + x * x); }); }
Tensor sinh(const Tensor& x)  { return pointwise(Unary::sinh, x, "SinhBackward0", kInput, [](auto& g, auto& x, auto&) { return g * cosh(x); }); }
Tensor cosh(const Tensor& x)  { return pointwise(Unary::cosh, x, "CoshBackward0", kInput, [](auto& g, auto& x, auto&) { return g * sinh(x); }); }
Tensor tanh(const Tensor& x)  { return pointwise(Unary::tanh, x, "TanhBackward0", kResult, [](auto& g, auto&, auto& r) { return g * (1 - r * r); }); }
Tensor sigmoid(const Tensor& x) { return pointwise(Unary::sigmoid, x, "SigmoidBackward0", kResult, [](auto& g, auto&, auto& r) { return g * (r * (1 - r)); }); }
Tensor erf(const Tensor& x)   { return pointwise(Unary::erf, x, "ErfBackward0", kInput, [](auto& g, auto& x, auto&) { return g * (std::numbers::inv_sqrtpi * 2 * exp(-(x * x))); }); }
Tensor erfc(const Tensor& x)  { return pointwise(Unary::erfc, x, "ErfcBackward0", kInput, [](auto& g, auto& x, auto&) { return g * (-std::numbers::inv_sqrtpi * 2 * exp(-(x * x))); }); }
Tensor lgamma(const Tensor& x) { return pointwise(Unary::lgamma, x, "LgammaBackward0", kInput, [](auto& g, auto& x, auto&) { return g * digamma(x); }); }
Tensor digamma(const Tensor& x) { return pointwise(Unary::digamma, x, "DigammaBackward0", kInput, [](auto& g, auto& x, auto&) { return g * polygamma(1, x); }); }
Tensor reciprocal(const Tensor& x) { return pointwise(Unary::reciprocal, x, "ReciprocalBackward0", kResult, [](auto& g, auto&, auto& r) { return g * -(r * r); }); }
Tensor abs(const Tensor& x)   { return pointwise(Unary::abs, x, "AbsBackward0", kInput, [](auto& g, auto& x, auto&) { return g * sign(x); }); }
Tensor neg(const Tensor& x)   { return pointwise(Unary::neg, x, "NegBackward0", kNothing, [](auto& g, auto&, auto&) { return -g; }); }
Tensor sign(const Tensor& x)  { return pointwise(Unary::sign, x, "SignBackward0", kNothing, zero_partial); }
Tensor square(const Tensor& x) { return pointwise(Unary::square, x, "PowBackward0", kInput, [](auto& g, auto& x, auto&) { return g * (2 * x); }); }
Tensor relu(const Tensor& x)  { return pointwise(Unary::relu, x, "ReluBackward0", kResult, [](auto& g, auto&, auto& r) { return threshold_backward(g, r, 0); }); }
Tensor floor(const Tensor& x) { return pointwise(Unary::floor, x, "FloorBackward0", kNothing, zero_partial); }
Tensor ceil(const Tensor& x)  { return pointwise(Unary::ceil, x, "CeilBackward0", kNothing, zero_partial); }
Tensor round(const Tensor& x) { return pointwise(Unary::round, x, "RoundBackward0", kNothing, zero_partial); }
Tensor trunc(const Tensor& x) { return pointwise(Unary::trunc, x, "TruncBackward0", kNothing, zero_partial); }
Tensor frac(const Tensor& x)  { return pointwise(Unary::frac, x, "FracBackward0", kNothing, [](auto& g, auto&, auto&) { return g; }); }
// clang-format on

// Predicates: boolean results, no derivative.
Tensor isnan(const Tensor& x) { return kernels::unary(Unary::isnan, x); }
Tensor isinf(const Tensor& x) { return kernels::unary(Unary::isinf, x); }
Tensor isfinite(const Tensor& x) { return kernels::unary(Unary::isfinite, x); }
Tensor logical_not(const Tensor& x) { return kernels::unary(Unary::logical_not, x); }

Tensor softplus(const Tensor& x, Scalar beta_, Scalar threshold_) {
  double beta = beta_.to_double(), threshold = threshold_.to_double();
  // d/dx = sigmoid(beta x) below the threshold, 1 above it (where softplus is x).
  auto d = [beta, threshold](const Tensor& g, const Tensor& x) {
    Tensor bx = x * beta;
    return where(bx > threshold, g, g * sigmoid(bx));
  };
  return autograd::differentiable(
      kernels::softplus(x, beta, threshold), {"SoftplusBackward0", {x}, {x}},
      [d](const BackwardArgs& a) -> Grads { return {d(a.grad(), a.saved[0])}; },
      [d](const ForwardArgs& f) { return d(f.tangent(), f.primal()); });
}

// grad where self > threshold, else 0: linear in grad_output, piecewise
// constant in self (a zero derivative).
Tensor threshold_backward(const Tensor& grad_output, const Tensor& self, Scalar threshold) {
  double th = threshold.to_double();
  return autograd::differentiable(
      kernels::threshold_backward(grad_output, self, th), {"ThresholdBackwardBackward0", {grad_output, self}, {self}},
      [th](const BackwardArgs& g) -> Grads {
        return {g.needs_grad(0) ? threshold_backward(g.grad(), g.saved[0], th) : Tensor(),
                g.needs_grad(1) ? zeros_like(g.saved[0]) : Tensor()};
      },
      [th](const ForwardArgs& f) { return threshold_backward(f.tangent_or_zeros(0), f.primal(1), th); });
}

}  // namespace kiln
