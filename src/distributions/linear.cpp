#include "linear.h"

#include "kiln/linalg.h"

namespace kiln::distributions::detail {

Tensor batch_mv(const Tensor& L, const Tensor& x) {
  if (L.dim() == 2) {  // one GEMM over all the vectors
    Shape shape(x.sizes());
    shape.back() = L.size(0);
    return x.reshape({-1, x.size(-1)}).matmul(L.mT()).reshape(shape);
  }
  return L.matmul(x.unsqueeze(-1)).squeeze(-1);
}

Tensor batch_mahalanobis(const Tensor& L, const Tensor& x) {
  int64_t n = x.size(-1);
  Shape x_batch(x.sizes().begin(), x.sizes().size() - 1);
  if (L.dim() == 2) {
    // Solve Z Lᵀ = X for all rows of X at once.
    Tensor z = linalg::solve_triangular(L.mT(), x.reshape({-1, n}), /*upper=*/true, /*left=*/false);
    return z.square().sum({-1}).reshape(x_batch);
  }
  // x's batch dims are [outer..., bx...] with bx matching L's batch dims
  // (each a multiple of L's size there). Split each bx dim into
  // (repeats, L's size), move all repeats ahead of L's dims, so that x
  // becomes [c, b, n] for L's b = prod(bL) matrices, and solve L Z = Xᵀ
  // per matrix with c right-hand sides.
  int64_t l_dims = L.dim() - 2;
  int64_t outer = static_cast<int64_t>(x_batch.size()) - l_dims;
  KILN_CHECK(outer >= 0, "MultivariateNormal: value of shape ", x.sizes(), " has fewer batch dims than the factor ",
             L.sizes());
  Shape split(x_batch.begin(), static_cast<size_t>(outer));
  for (int64_t i = 0; i < l_dims; ++i) {
    int64_t sl = L.size(i), sx = x_batch[outer + i];
    KILN_CHECK(sl > 0 && sx % sl == 0, "MultivariateNormal: value of shape ", x.sizes(),
               " does not broadcast with the factor ", L.sizes());
    split.push_back(sx / sl);
    split.push_back(sl);
  }
  split.push_back(n);
  Shape order;
  for (int64_t i = 0; i < outer; ++i) order.push_back(i);
  for (int64_t i = 0; i < l_dims; ++i) order.push_back(outer + 2 * i);
  for (int64_t i = 0; i < l_dims; ++i) order.push_back(outer + 2 * i + 1);
  order.push_back(outer + 2 * l_dims);
  Tensor permuted = x.reshape(split).permute(order);
  Shape permuted_batch(permuted.sizes().begin(), permuted.sizes().size() - 1);
  Tensor flat_L = L.reshape({-1, n, n});
  int64_t b = flat_L.size(0);
  Tensor flat_x = permuted.reshape({-1, b, n});              // c x b x n
  Tensor solved = linalg::solve_triangular(flat_L, flat_x.permute({1, 2, 0}), /*upper=*/false);  // b x n x c
  Tensor m = solved.square().sum({-2}).t().reshape(permuted_batch);  // [outer..., repeats..., bL...]
  Shape inverse;
  for (int64_t i = 0; i < outer; ++i) inverse.push_back(i);
  for (int64_t i = 0; i < l_dims; ++i) {
    inverse.push_back(outer + i);
    inverse.push_back(outer + l_dims + i);
  }
  return m.permute(inverse).reshape(x_batch);
}

Tensor lowrank_logdet(const Tensor& W, const Tensor& D, const Tensor& C) {
  return 2 * C.diagonal(0, -2, -1).log().sum({-1}) + D.log().sum({-1});
}

Tensor lowrank_mahalanobis(const Tensor& W, const Tensor& D, const Tensor& x, const Tensor& C) {
  Tensor wt_dinv = W.mT() / D.unsqueeze(-2);
  return (x.square() / D).sum({-1}) - batch_mahalanobis(C, batch_mv(wt_dinv, x));
}

}  // namespace kiln::distributions::detail
