// Gather/scatter kernels over strided memory, addressed by element offsets.
// An op turns its indices into an int64 tensor of offsets (from the first
// element of the tensor it reads or writes); take/put then move the elements.
// They know nothing of autograd and do no range checks: offsets must be valid.
#pragma once
#include "kiln/tensor.h"

namespace kiln::kernels {

// The element offset of every position of a (sizes, strides) geometry, as a
// contiguous int64 tensor of shape `sizes` (a stride of 0 repeats offsets).
Tensor offset_grid(IntArrayRef sizes, IntArrayRef strides);

// out[i] = src[offsets[i]]: a new contiguous tensor of offsets' shape and src's dtype.
Tensor take(const Tensor& src, const Tensor& offsets);

// dst[offsets[i]] = values[i], or += when accumulating (repeated offsets then
// sum; without accumulate the last write wins). `values` is broadcast to
// offsets' shape and converted to dst's dtype.
void put(const Tensor& dst, const Tensor& offsets, const Tensor& values, bool accumulate);

// The coordinates of the non-zero elements of x, row-major: int64 [n, x.dim()].
Tensor nonzero(const Tensor& x);

// A contiguous copy of x reversed along the dims in `mask` (bit d = dim d).
Tensor flip(const Tensor& x, uint64_t mask);

}  // namespace kiln::kernels
