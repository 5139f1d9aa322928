// softmax and log_softmax: a fused row kernel and one derivative each, in
// kiln ops (so higher orders follow):
//   log_softmax: dx = g - exp(r) sum(g),      tangent t - sum(exp(r) t)
//   softmax:     dx = r (g - sum(g r)),       tangent r (t - sum(r t))
// (sums along dim, kept). Stable at any logits: each row is shifted by its max.
#include "autograd/derivative.h"
#include "core/dims.h"
#include "core/promotion.h"
#include "kernels/softmax.h"
#include "kiln/functions.h"

namespace kiln {
namespace {
Tensor softmax_impl(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype, bool log) {
  const char* op = log ? "log_softmax" : "softmax";
  KILN_CHECK(x.defined(), op, ": called on an undefined tensor");
  Tensor xf = x.to(dtype.value_or(core::to_floating(x.dtype())));
  int64_t d = core::wrap_dim(dim, std::max<int64_t>(xf.dim(), 1), op);
  bool last = xf.dim() == 0 || d == xf.dim() - 1;
  Tensor rows = last ? xf.contiguous() : xf.movedim(d, -1).contiguous();
  Tensor r = kernels::softmax_last_dim(rows.detach(), log);
  if (!last) r = r.movedim(-1, d).contiguous();
  int64_t sd = xf.dim() == 0 ? 0 : d;
  auto reduce = [sd](const Tensor& t) { return t.dim() == 0 ? t : t.sum({sd}, true); };
  if (log)
    return autograd::differentiable(
        r, {"LogSoftmaxBackward0", {xf}, {}, true},
        [reduce](const autograd::BackwardArgs& a) -> autograd::Grads {
          return {a.grad() - exp(a.results[0]) * reduce(a.grad())};
        },
        [reduce](const autograd::ForwardArgs& f) { return f.tangent() - reduce(exp(f.result) * f.tangent()); });
  return autograd::differentiable(
      r, {"SoftmaxBackward0", {xf}, {}, true},
      [reduce](const autograd::BackwardArgs& a) -> autograd::Grads {
        const Tensor& s = a.results[0];
        return {s * (a.grad() - reduce(a.grad() * s))};
      },
      [reduce](const autograd::ForwardArgs& f) { return f.result * (f.tangent() - reduce(f.result * f.tangent())); });
}
}  // namespace

Tensor softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  return softmax_impl(x, dim, dtype, false);
}
Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  return softmax_impl(x, dim, dtype, true);
}

}  // namespace kiln
