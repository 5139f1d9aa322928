// The exact GP's log marginal likelihood as one fused node.
#pragma once
#include "kiln/tensor.h"

namespace kiln::gp::detail {

// log N(r | 0, Kf + noise I) for Kf [n, n], noise (one value), r [n]:
//   L = chol(Kf + noise I (+ jitter I)), alpha = K^-1 r,
//   value = -r.alpha / 2 - sum log diag L - n/2 log 2pi.
// Its backward is the hand gradient
//   gK = g (alpha alpha^T - K^-1) / 2,  gnoise = tr gK,  gr = -g alpha,
// with K^-1 from L (potri), handed to Kf's own backward; under create_graph
// it runs the same formula through differentiable ops (for Hessians).
// `jitter` receives the jitter the factorisation needed; `factor`, when
// given, receives L.
Tensor log_marginal_likelihood(const Tensor& Kf, const Tensor& noise, const Tensor& r, double* jitter,
                               Tensor* factor = nullptr, Tensor* alpha = nullptr);

}  // namespace kiln::gp::detail
