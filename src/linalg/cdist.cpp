// cdist: p-norm distances between the rows of x1 [..., P, M] and x2 [..., R, M]
// (batch dims broadcast), computed directly without a [P, R, M] temporary.
// Derivatives, with d the result and G = g / d (0 where d = 0, where PyTorch
// also gives 0):
//   p = 2:   gx1 = x1 * rowsum(G) - G x2,   gx2 = x2 * colsum(G) - G^T x1
//   other p: the vector-norm gradient of the differences x1_i - x2_j,
//            summed over j for x1 and over i (negated) for x2.
#include <cmath>
#include <limits>

#include "core/broadcast.h"
#include "core/dims.h"
#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kernels/parallel.h"
#include "linalg/common.h"

namespace kiln {
namespace {
using namespace linalg::detail;

// The distance kernel: out[b, i, j] = ||x1[b, i] - x2[b, j]||_p over contiguous,
// batch-expanded operands.
template <class T>
void distances(const T* x1, const T* x2, T* out, int64_t batch, int64_t P, int64_t R, int64_t M, double p) {
  kernels::parallel_for(batch * P, std::max<int64_t>(1, kernels::kGrainSize / std::max<int64_t>(R * M, 1)),
                        [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      int64_t b = row / P;
      const T* a = x1 + row * M;
      for (int64_t j = 0; j < R; ++j) {
        const T* c = x2 + (b * R + j) * M;
        T acc = 0;
        for (int64_t k = 0; k < M; ++k) {
          T d = std::abs(a[k] - c[k]);
          if (p == 2) acc += d * d;
          else if (p == 1) acc += d;
          else if (p == 0) acc += d != 0;
          else if (std::isinf(p)) acc = std::max(acc, d);
          else acc += std::pow(d, T(p));
        }
        if (p == 2) acc = std::sqrt(acc);
        else if (p != 0 && p != 1 && !std::isinf(p)) acc = std::pow(acc, T(1 / p));
        out[row * R + j] = acc;
      }
    }
  });
}

Tensor cdist_value(const Tensor& x1, const Tensor& x2, double p) {
  Shape batch = core::broadcast_shape(core::batch_of(x1.sizes()), core::batch_of(x2.sizes()), "cdist");
  int64_t P = x1.size(-2), R = x2.size(-2), M = x1.size(-1), count = 1;
  for (int64_t s : batch) count *= s;
  Shape s1(batch), s2(batch), so(batch);
  s1.push_back(P), s1.push_back(M), s2.push_back(R), s2.push_back(M), so.push_back(P), so.push_back(R);
  Tensor a = x1.detach().expand(s1).contiguous(), b = x2.detach().expand(s2).contiguous();
  Tensor out = core::empty(so, x1.dtype());
  core::dispatch_floating(x1.dtype(), "cdist", [&](auto type) {
    using T = typename decltype(type)::type;
    distances<T>(a.data_ptr<T>(), b.data_ptr<T>(), out.data_ptr<T>(), count, P, R, M, p);
  });
  return out;
}

// The vector-norm gradient of every difference x1_i - x2_j: [..., P, R, M].
Tensor difference_grad(const Tensor& g, const Tensor& x1, const Tensor& x2, const Tensor& d, double p) {
  Tensor diff = x1.unsqueeze(-2) - x2.unsqueeze(-3);
  return vector_norm_backward(g.unsqueeze(-1), diff, d.unsqueeze(-1), p, uint64_t{1} << (diff.dim() - 1));
}

Grads cdist_backward(const Tensor& g, const Tensor& x1, const Tensor& x2, const Tensor& d, double p) {
  if (p == 2) {
    Tensor G = where(d == 0, 0.0, g / where(d == 0, 1.0, d));
    return {x1 * G.sum({-1}, true) - G.matmul(x2), x2 * G.sum({-2}).unsqueeze(-1) - G.mT().matmul(x1)};
  }
  Tensor gd = difference_grad(g, x1, x2, d, p);
  return {gd.sum({-2}), -gd.sum({-3})};
}

}  // namespace

Tensor cdist(const Tensor& x1, const Tensor& x2, double p) {
  KILN_CHECK(x1.dim() >= 2, "cdist: cdist only supports at least 2D tensors, X1 got: ", x1.dim(), "D");
  KILN_CHECK(x2.dim() >= 2, "cdist: cdist only supports at least 2D tensors, X2 got: ", x2.dim(), "D");
  KILN_CHECK(is_floating_point(x1.dtype()), "cdist: cdist only supports floating-point dtypes, X1 got: ", x1.dtype());
  KILN_CHECK(is_floating_point(x2.dtype()), "cdist: cdist only supports floating-point dtypes, X2 got: ", x2.dtype());
  KILN_CHECK(x1.dtype() == x2.dtype(), "cdist: expected scalar type ", x1.dtype(), " but found ", x2.dtype());
  KILN_CHECK(x1.size(-1) == x2.size(-1), "cdist: X1 and X2 must have the same number of columns. X1: ", x1.size(-1),
             " X2: ", x2.size(-1));
  KILN_CHECK(p >= 0 && !std::isnan(p), "cdist: cdist only supports non-negative p values, got ", p);
  return autograd::differentiable(
      cdist_value(x1, x2, p), {"CdistBackward0", {x1, x2}, {x1, x2}, true},
      [p](const BackwardArgs& a) -> Grads { return cdist_backward(a.grad(), a.saved[0], a.saved[1], a.results[0], p); },
      [p](const ForwardArgs& f) {
        Tensor t = f.tangent_or_zeros(0).unsqueeze(-2) - f.tangent_or_zeros(1).unsqueeze(-3);
        Tensor r = f.result.detach();
        Tensor partial = difference_grad(ones_like(r), f.primal(0).detach(), f.primal(1).detach(), r, p);
        return (partial * t).sum({-1});
      });
}

}  // namespace kiln
