// Fused neural-network primitives with their derivatives (nn::functional
// builds on these):
//   gelu:       exact x Phi(x): d/dx = Phi(x) + x phi(x); tanh form: the derivative of
//               0.5 x (1 + tanh(u)), u = k (x + c x^3)
//   layer_norm: y = xhat w + b, xhat = (x - mean) rstd over the trailing dims;
//               dx = rstd (gw - mean(gw) - xhat mean(gw xhat)), gw = g w;
//               dw = sum(g xhat), db = sum(g) over the leading dims.
// The formulas are kiln ops (recomputing mean and rstd from x), so higher
// orders follow; the forward passes are single loops.
#include <cmath>
#include <numbers>

#include "autograd/derivative.h"
#include "core/promotion.h"
#include "kernels/activation.h"
#include "kiln/functions.h"

namespace kiln {
namespace {
// d gelu / dx, in kiln ops.
Tensor gelu_slope(const Tensor& x, bool tanh_approximation) {
  if (tanh_approximation) {
    const double k = std::sqrt(2 / std::numbers::pi), c = 0.044715;
    Tensor t = tanh(k * (x + c * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * (k * (1 + 3 * c * x * x));
  }
  Tensor cdf = 0.5 * (1 + erf(x * (1 / std::numbers::sqrt2)));
  Tensor pdf = exp(-0.5 * x * x) * (1 / std::sqrt(2 * std::numbers::pi));
  return cdf + x * pdf;
}
}  // namespace

Tensor gelu(const Tensor& x, const std::string& approximate) {
  KILN_CHECK(approximate == "none" || approximate == "tanh", "gelu: approximate must be 'none' or 'tanh', got '",
             approximate, "'");
  KILN_CHECK(x.defined(), "gelu: called on an undefined tensor");
  bool approx = approximate == "tanh";
  Tensor xf = x.to(core::to_floating(x.dtype()));
  return autograd::differentiable(
      kernels::gelu(xf.detach().contiguous(), approx), {"GeluBackward0", {xf}, {xf}},
      [approx](const autograd::BackwardArgs& a) -> autograd::Grads {
        return {a.grad() * gelu_slope(a.saved[0], approx)};
      },
      [approx](const autograd::ForwardArgs& f) { return f.tangent() * gelu_slope(f.primal(), approx); });
}

Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps, bool cudnn_enable) {
  KILN_CHECK(input.defined(), "layer_norm: called on an undefined input");
  auto k = static_cast<int64_t>(normalized_shape.size());
  bool fits = k >= 1 && input.dim() >= k;
  for (int64_t i = 0; fits && i < k; ++i) fits = input.size(input.dim() - k + i) == normalized_shape[static_cast<size_t>(i)];
  KILN_CHECK(fits, "layer_norm: input of shape ", input.sizes(), " does not end in normalized_shape ",
             normalized_shape);
  for (const Tensor* p : {&weight, &bias})
    KILN_CHECK(!p->defined() || p->sizes() == normalized_shape, "layer_norm: ", p == &weight ? "weight" : "bias",
               " of shape ", p->sizes(), " must have normalized_shape ", normalized_shape);
  KILN_CHECK(input.is_floating_point(), "layer_norm: expected a floating-point input, got ", input.dtype());
  int64_t n = 1;
  for (int64_t s : normalized_shape) n *= s;
  int64_t rows = n ? input.numel() / n : 0;
  auto flat = [n, &input](const Tensor& t) { return t.defined() ? t.detach().to(input.dtype()).reshape({n}).contiguous() : t; };
  auto [out, mean, rstd] = kernels::layer_norm_rows(input.detach().contiguous().reshape({rows, n}),
                                                    flat(weight), flat(bias), eps);
  Tensor result = out.reshape(input.sizes());
  std::vector<int64_t> dims, batch;
  for (int64_t d = 0; d < input.dim(); ++d) (d < input.dim() - k ? batch : dims).push_back(d);

  // xhat and 1 / std recomputed in kiln ops: differentiable in x for higher orders.
  auto normalised = [dims, eps](const Tensor& x) {
    Tensor c = x - x.mean(dims, true);
    Tensor r = rsqrt((c * c).mean(dims, true) + eps);
    return std::make_pair(c * r, r);
  };
  // The xhat-part of the derivative, applied to gw (backward) or to the tangent dx (forward).
  auto project = [dims](const Tensor& v, const Tensor& xhat, const Tensor& r) {
    return r * (v - v.mean(dims, true) - xhat * (v * xhat).mean(dims, true));
  };
  return autograd::differentiable(
      result, {"NativeLayerNormBackward0", {input, weight, bias}, {input, weight}},
      [=](const autograd::BackwardArgs& a) -> autograd::Grads {
        const Tensor& g = a.grad();
        const Tensor& w = a.saved[1];
        auto [xhat, r] = normalised(a.saved[0]);
        Tensor gx, gw, gb;
        if (a.needs_grad(0)) gx = project(w.defined() ? g * w : g, xhat, r);
        if (a.needs_grad(1)) gw = batch.empty() ? g * xhat : (g * xhat).sum(batch);
        if (a.needs_grad(2)) gb = batch.empty() ? g : g.sum(batch);
        return {gx, gw, gb};
      },
      [=](const autograd::ForwardArgs& f) {
        auto [xhat, r] = normalised(f.primal(0));
        const Tensor& w = f.primal(1);
        Tensor t;
        if (f.tangent(0).defined()) {
          Tensor dxhat = project(f.tangent(0), xhat, r);
          t = w.defined() ? dxhat * w : dxhat;
        }
        auto add = [&t](const Tensor& term) { t = t.defined() ? t + term : term; };
        if (f.tangent(1).defined()) add(xhat * f.tangent(1));
        if (f.tangent(2).defined()) add(f.tangent(2).expand(f.result.sizes()));
        return t.defined() ? t : zeros_like(f.result);
      });
}

}  // namespace kiln
