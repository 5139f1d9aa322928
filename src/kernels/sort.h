// Ordering along a dim: the int64 indices that sort each line of a tensor
// (the op gathers the values with them, which gives its derivative).
#pragma once
#include "kiln/tensor.h"

namespace kiln::kernels {

// The indices sorting every line of x along `dim`: ascending or descending,
// NaN ordered as the largest value, equal elements in their original order.
// A contiguous int64 tensor of x's shape.
Tensor sort_indices(const Tensor& x, int64_t dim, bool descending);

// The indices of the k largest (or smallest) elements of every line of x
// along `dim`, in sorted order: a contiguous int64 tensor of x's shape with
// size k along `dim`.
Tensor topk_indices(const Tensor& x, int64_t k, int64_t dim, bool largest);

}  // namespace kiln::kernels
