// The fused log densities of kiln/log_density.h. _normal_log_prob is one
// kernel pass with its derivative declared here (z = (v - loc) / scale):
//   d/dv = -z / scale,  d/dloc = z / scale,  d/dscale = (z^2 - 1) / scale;
// _batch_mahalanobis is composed of a triangular solve, whose derivative it
// inherits.
#include "kiln/log_density.h"

#include "linalg/common.h"

namespace kiln {
namespace {

// The three partials, each times g; an undefined g gives an undefined part.
struct NormalPartials {
  Tensor z_over_scale, scale;
  NormalPartials(const Tensor& v, const Tensor& loc, const Tensor& s) : z_over_scale((v - loc) / (s * s)), scale(s) {}
  Tensor dv(const Tensor& g) const { return -g * z_over_scale; }
  Tensor dloc(const Tensor& g) const { return g * z_over_scale; }
  Tensor dscale(const Tensor& g) const { return g * (z_over_scale * z_over_scale * scale - 1 / scale); }
};

}  // namespace

Tensor _normal_log_prob(const Tensor& value, const Tensor& loc, const Tensor& scale) {
  return autograd::differentiable(
      kernels::normal_log_prob(value, loc, scale), {"NormalLogProbBackward0", {value, loc, scale}, {value, loc, scale}},
      [](const linalg::detail::BackwardArgs& a) -> linalg::detail::Grads {
        NormalPartials d(a.saved[0], a.saved[1], a.saved[2]);
        return {a.needs_grad(0) ? d.dv(a.grad()) : Tensor(), a.needs_grad(1) ? d.dloc(a.grad()) : Tensor(),
                a.needs_grad(2) ? d.dscale(a.grad()) : Tensor()};
      },
      [](const linalg::detail::ForwardArgs& f) {
        NormalPartials d(f.primal(0), f.primal(1), f.primal(2));
        Tensor t = zeros_like(f.result);
        if (f.tangent(0).defined()) t = t + d.dv(f.tangent(0));
        if (f.tangent(1).defined()) t = t + d.dloc(f.tangent(1));
        if (f.tangent(2).defined()) t = t + d.dscale(f.tangent(2));
        return t;
      });
}

Tensor _batch_mahalanobis(const Tensor& L, const Tensor& diff) {
  const char* op = "_batch_mahalanobis";
  KILN_CHECK(L.dim() >= 2 && L.size(-1) == L.size(-2), op, ": expected L to be a batch of square matrices, got shape ",
             L.sizes());
  KILN_CHECK(diff.dim() >= 1 && diff.size(-1) == L.size(-1), op, ": diff's last dim must match L's size ", L.size(-1),
             ", got shapes ", L.sizes(), " and ", diff.sizes());
  KILN_CHECK(L.dtype() == diff.dtype(), op, ": L and diff must have the same dtype, got ", L.dtype(), " and ",
             diff.dtype());
  const int64_t n = L.size(-1), lb = L.dim() - 2, xb = diff.dim() - 1;
  std::vector<int64_t> l_batch(L.sizes().begin(), L.sizes().end() - 2);
  // The usual case (samples over a batch of factors): diff's batch ends with L's.
  // Its leading dims become right-hand sides, so one solve per factor serves them all.
  if (xb >= lb && std::vector<int64_t>(diff.sizes().begin() + (xb - lb), diff.sizes().end() - 1) == l_batch) {
    std::vector<int64_t> lead(diff.sizes().begin(), diff.sizes().begin() + (xb - lb));
    int64_t m = 1;
    for (int64_t s : lead) m *= s;
    std::vector<int64_t> shape = lead;
    shape.insert(shape.end(), l_batch.begin(), l_batch.end());
    if (m == 0 || n == 0) return zeros(shape, TensorOptions(diff.dtype())) + 0 * (L.sum() + diff.sum());
    std::vector<int64_t> flat{m};
    flat.insert(flat.end(), l_batch.begin(), l_batch.end());
    flat.push_back(n);
    Tensor rhs = diff.reshape(flat).movedim(0, -1);  // [..., n, m]
    Tensor y = linalg::solve_triangular(L, rhs, /*upper=*/false);
    return y.pow(2).sum({-2}).movedim(-1, 0).reshape(shape);
  }
  // Otherwise broadcast both to a common batch.
  Shape batch = broadcast_shapes(l_batch, std::vector<int64_t>(diff.sizes().begin(), diff.sizes().end() - 1));
  std::vector<int64_t> lshape(batch.begin(), batch.end()), xshape(batch.begin(), batch.end());
  lshape.insert(lshape.end(), {n, n});
  xshape.insert(xshape.end(), {n, 1});
  Tensor y = linalg::solve_triangular(L.expand(lshape), diff.unsqueeze(-1).expand(xshape), /*upper=*/false);
  return y.pow(2).sum({-2, -1});
}

}  // namespace kiln
