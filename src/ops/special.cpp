// The special functions of kiln/special.h and polygamma, mvlgamma, xlog1py,
// each with its derivative (the element-wise kernels are in
// kernels/special_math.h).
#include <cmath>
#include <numbers>

#include "autograd/derivative.h"
#include "core/promotion.h"
#include "kernels/elementwise.h"
#include "kiln/special.h"

namespace kiln {
namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;
using kernels::Unary;

// A unary special function whose partial d(g, x, r) reads the input and the result.
template <class Partial>
Tensor special_pointwise(Unary op, const Tensor& x, const char* node, Partial d) {
  return autograd::differentiable(
      kernels::unary(op, x), {node, {x}, {x}, true},
      [d](const BackwardArgs& a) -> Grads { return {d(a.grad(), a.saved[0], a.results[0])}; },
      [d](const ForwardArgs& f) { return d(f.tangent(), f.primal(), f.result); });
}

constexpr double kSqrt2Pi = 2.5066282746310002;  // sqrt(2 pi)

}  // namespace

Tensor polygamma(int64_t n, const Tensor& x) {
  KILN_CHECK(n >= 0, "polygamma: polygamma(n, x) does not support negative n, got n = ", n);
  KILN_CHECK(n <= 1000, "polygamma: the order n = ", n, " is too large");
  // d/dx polygamma(n, x) = polygamma(n + 1, x), in both modes.
  return autograd::differentiable(
      kernels::polygamma(n, x), {"PolygammaBackward0", {x}, {x}},
      [n](const BackwardArgs& a) -> Grads { return {a.grad() * polygamma(n + 1, a.saved[0])}; },
      [n](const ForwardArgs& f) { return f.tangent() * polygamma(n + 1, f.primal()); });
}

// sum_{j<p} lgamma(x - j/2) + p (p-1)/4 log(pi), composed (its derivative follows from lgamma's).
Tensor mvlgamma(const Tensor& x, int64_t p) {
  KILN_CHECK(p >= 1, "mvlgamma: p has to be greater than or equal to 1, got p = ", p);
  Tensor xf = x.to(core::to_floating(x.dtype()));
  {
    NoGradGuard no_grad;
    KILN_CHECK(xf.numel() == 0 || (xf.detach() > 0.5 * static_cast<double>(p - 1)).all().item<bool>(),
               "mvlgamma: all elements must be greater than (p-1)/2 = ", 0.5 * static_cast<double>(p - 1));
  }
  Tensor offsets = arange(0, p, dtype(xf.dtype())) * -0.5;
  double constant = static_cast<double>(p * (p - 1)) / 4 * std::log(std::numbers::pi);
  return lgamma(xf.unsqueeze(-1) + offsets).sum({-1}) + constant;
}

// x log(f(y)) with torch's semantics: 0 where x == 0 (even when f(y) is 0 or
// inf), NaN where y is NaN. Torch's derivatives: d/dx = log(f(y)), except 0
// where x == 0 and f(y) <= 0 (the point is on the op's edge); d/dy = x f'(y) / f(y).
// `pole` is the y at which f(y) = 0.
template <class LogF>
Tensor x_log_f(const Tensor& x, const Tensor& y, const char* node, double pole, LogF log_f) {
  Tensor value;
  {
    NoGradGuard no_grad;
    Tensor xd = x.detach(), yd = y.detach();
    value = where((xd == 0).logical_and(yd == yd), zeros({}, result_type(x, y)), xd * log_f(yd));
  }
  auto dx = [pole, log_f](const Tensor& g, const Tensor& x, const Tensor& y) {
    return where((x == 0).logical_and(y <= pole), zeros({}, g.dtype()), g * log_f(y));
  };
  auto dy = [pole](const Tensor& g, const Tensor& x, const Tensor& y) { return g * x / (y - pole); };
  return autograd::differentiable(
      std::move(value), {node, {x, y}, {x, y}},
      [dx, dy](const BackwardArgs& a) -> Grads {
        return {a.needs_grad(0) ? dx(a.grad(), a.saved[0], a.saved[1]) : Tensor(),
                a.needs_grad(1) ? dy(a.grad(), a.saved[0], a.saved[1]) : Tensor()};
      },
      [dx, dy](const ForwardArgs& f) {
        Tensor t;
        if (f.tangent(0).defined()) t = dx(f.tangent(0), f.primal(0), f.primal(1));
        if (f.tangent(1).defined()) {
          Tensor ty = dy(f.tangent(1), f.primal(0), f.primal(1));
          t = t.defined() ? t + ty : ty;
        }
        return t + zeros_like(f.result);  // the result's shape when an input broadcast
      });
}

Tensor xlogy(const Tensor& x, const Tensor& y) {
  return x_log_f(x, y, "XlogyBackward0", 0.0, [](const Tensor& v) { return log(v); });
}
Tensor xlog1py(const Tensor& x, const Tensor& y) {
  return x_log_f(x, y, "SpecialXlog1PyBackward0", -1.0, [](const Tensor& v) { return log1p(v); });
}

Tensor erfinv(const Tensor& x) {
  // d/dx erfinv(x) = sqrt(pi)/2 exp(erfinv(x)^2)
  return special_pointwise(Unary::erfinv, x, "ErfinvBackward0", [](auto& g, auto&, auto& r) {
    return g * (std::sqrt(std::numbers::pi) / 2 * exp(r * r));
  });
}

namespace special {

// clang-format off
Tensor erfcx(const Tensor& x) {
  return special_pointwise(Unary::erfcx, x, "SpecialErfcxBackward0", [](auto& g, auto& x, auto& r) {
    return g * (2 * x * r - 2 * std::numbers::inv_sqrtpi); });
}
Tensor ndtr(const Tensor& x) {
  return special_pointwise(Unary::ndtr, x, "SpecialNdtrBackward0", [](auto& g, auto& x, auto&) {
    return g * (exp(x * x * -0.5) / kSqrt2Pi); });
}
// pdf / cdf = exp(-x^2/2 - log_ndtr(x)) / sqrt(2 pi): no underflow in the left tail.
Tensor log_ndtr(const Tensor& x) {
  return special_pointwise(Unary::log_ndtr, x, "SpecialLogNdtrBackward0", [](auto& g, auto& x, auto& r) {
    return g * (exp(-(r + x * x * 0.5)) / kSqrt2Pi); });
}
Tensor ndtri(const Tensor& x) {
  return special_pointwise(Unary::ndtri, x, "SpecialNdtriBackward0", [](auto& g, auto&, auto& r) {
    return g * (exp(r * r * 0.5) * kSqrt2Pi); });
}
Tensor entr(const Tensor& x) {
  return special_pointwise(Unary::entr, x, "SpecialEntrBackward0", [](auto& g, auto& x, auto&) {
    return g * -(log(x) + 1); });
}
// clang-format on

Tensor digamma(const Tensor& x) { return kiln::digamma(x); }
Tensor psi(const Tensor& x) { return kiln::digamma(x); }
Tensor polygamma(int64_t n, const Tensor& x) { return kiln::polygamma(n, x); }
Tensor erfinv(const Tensor& x) { return kiln::erfinv(x); }
Tensor gammaln(const Tensor& x) { return kiln::lgamma(x); }
Tensor multigammaln(const Tensor& x, int64_t p) { return kiln::mvlgamma(x, p); }
Tensor xlogy(const Tensor& x, const Tensor& y) { return kiln::xlogy(x, y); }
Tensor xlogy(const Tensor& x, Scalar y) { return kiln::xlogy(x, scalar_tensor(y, dtype(x.dtype()))); }
Tensor xlogy(Scalar x, const Tensor& y) { return kiln::xlogy(scalar_tensor(x, dtype(y.dtype())), y); }
Tensor xlog1py(const Tensor& x, const Tensor& y) { return kiln::xlog1py(x, y); }
Tensor xlog1py(const Tensor& x, Scalar y) { return kiln::xlog1py(x, scalar_tensor(y, dtype(x.dtype()))); }
Tensor xlog1py(Scalar x, const Tensor& y) { return kiln::xlog1py(scalar_tensor(x, dtype(y.dtype())), y); }
Tensor expit(const Tensor& x) { return kiln::sigmoid(x); }
Tensor logit(const Tensor& x, std::optional<double> eps) { return kiln::logit(x, eps); }

}  // namespace special

// log(x / (1 - x)), x clamped to [eps, 1 - eps] first when eps is given (as torch).
Tensor logit(const Tensor& x, std::optional<double> eps) {
  Tensor z = x.to(core::to_floating(x.dtype()));
  if (eps) z = clamp(z, std::optional<Scalar>(*eps), std::optional<Scalar>(1 - *eps));
  return log(z / (1 - z));
}

Tensor Tensor::polygamma(int64_t n) const { return kiln::polygamma(n, *this); }
Tensor Tensor::mvlgamma(int64_t p) const { return kiln::mvlgamma(*this, p); }
Tensor Tensor::xlogy(const Tensor& other) const { return kiln::xlogy(*this, other); }
Tensor Tensor::logit(std::optional<double> eps) const { return kiln::logit(*this, eps); }

}  // namespace kiln
