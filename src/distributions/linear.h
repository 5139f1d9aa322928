// Batched products and solves with a triangular factor whose batch shape
// broadcasts to the vectors' (torch's _batch_mv and _batch_mahalanobis).
#pragma once
#include "kiln/tensor.h"

namespace kiln::distributions::detail {

// L [..., n, n] times x [..., n], batch shapes broadcast.
Tensor batch_mv(const Tensor& L, const Tensor& x);
// xᵀ (L Lᵀ)⁻¹ x for lower-triangular L [bL..., n, n] and x [outer..., bx..., n]
// where bL broadcasts to bx: one triangular solve with every vector as a
// right-hand side; the result has x's shape without its last dim.
Tensor batch_mahalanobis(const Tensor& L, const Tensor& x);

// For Σ = W Wᵀ + diag(D) with C the Cholesky factor of I + Wᵀ D⁻¹ W:
// log |Σ| (determinant lemma) and xᵀ Σ⁻¹ x (Woodbury).
Tensor lowrank_logdet(const Tensor& W, const Tensor& D, const Tensor& C);
Tensor lowrank_mahalanobis(const Tensor& W, const Tensor& D, const Tensor& x, const Tensor& C);
// tr(X Xᵀ) over the last two dims.
inline Tensor trace_xxt(const Tensor& X) { return X.square().sum({-2, -1}); }

}  // namespace kiln::distributions::detail
