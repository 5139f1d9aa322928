// Shared by the kiln::linalg op files: argument checks worded as PyTorch's,
// and small differentiable matrix helpers used by the derivative formulas.
#pragma once
#include "autograd/derivative.h"
#include "kiln/linalg.h"
#include "ops/ops.h"

namespace kiln::linalg::detail {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;

inline void check_floating(const char* op, const Tensor& A) {
  KILN_CHECK(is_floating_point(A.dtype()), op, ": Expected a floating point or complex tensor as input. Got ",
             A.dtype());
}

inline void check_matrix(const char* op, const Tensor& A, const char* name = "A") {
  KILN_CHECK(A.dim() >= 2, op, ": The input tensor ", name, " must have at least 2 dimensions.");
}

// A floating batch of square matrices.
inline void check_square(const char* op, const Tensor& A) {
  check_matrix(op, A);
  KILN_CHECK(A.size(-1) == A.size(-2), op, ": A must be batches of square matrices, but they are ", A.size(-2),
             " by ", A.size(-1), " matrices");
  check_floating(op, A);
}

inline void check_same_dtype(const char* op, const Tensor& A, const Tensor& B) {
  KILN_CHECK(A.dtype() == B.dtype(), op, ": Expected A and B to have the same dtype, but found A of type ", A.dtype(),
             " and B of type ", B.dtype(), " instead");
}

// v [..., n] as diagonal matrices [..., n, n].
inline Tensor diag_matrix(const Tensor& v) {
  return v.unsqueeze(-1) * eye(v.size(-1), TensorOptions(v.dtype()));
}

// The gradient of a vector p-norm r = ||x||_p over the dims in `mask`, g and r
// shaped with keepdim. Written to be 0, not NaN, where x or r is 0, also under
// differentiation (the guards replace zeros before any division).
Tensor vector_norm_backward(const Tensor& g, const Tensor& x, const Tensor& r, double p, uint64_t mask);

}  // namespace kiln::linalg::detail
