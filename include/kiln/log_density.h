// Fused log densities for kiln::distributions: one pass where the composed
// formula would make several temporaries; differentiable in every argument
// (backward and forward mode, higher orders through kiln ops).
#pragma once
#include "kiln/functions.h"

namespace kiln {

// log N(value; loc, scale), broadcast over the three.
Tensor _normal_log_prob(const Tensor& value, const Tensor& loc, const Tensor& scale);

// The squared Mahalanobis norm |L^-1 diff|^2 over the last dim, for a lower
// Cholesky factor L [..., n, n] and diff [..., n], batched over broadcast
// leading dims (a triangular solve, never an inverse); result diff's and L's
// broadcast batch shape.
Tensor _batch_mahalanobis(const Tensor& L, const Tensor& diff);

}  // namespace kiln
