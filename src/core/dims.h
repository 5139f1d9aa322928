// Dim wrapping and dim lists: the one place negative dims are resolved,
// lists of dims are checked, and the batch dims of matrix ops are found.
#pragma once
#include <cstdint>

#include "kiln/array_ref.h"
#include "kiln/error.h"

namespace kiln::core {

// Wraps `dim` into [0, ndim); a 0-d tensor accepts dims 0 and -1 as if 1-d.
inline int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op) {
  int64_t n = ndim == 0 ? 1 : ndim;
  KILN_CHECK(dim >= -n && dim < n, op, ": dimension out of range (expected to be in range of [", -n, ", ", n - 1,
             "], but got ", dim, ")");
  return dim < 0 ? dim + n : dim;
}

// Wraps a list of dims; a repeated dim is an error. Returns a bit mask.
uint64_t dim_mask(IntArrayRef dims, int64_t ndim, const char* op);
// The same for the dims a reduction runs over: an empty list is every dim,
// as in PyTorch.
uint64_t reduction_mask(IntArrayRef dims, int64_t ndim, const char* op);
// The dims set in `mask`, in increasing order.
Shape dims_of(uint64_t mask, int64_t ndim);

// The batch dims of a (batch of) matrices: all but the last two.
inline IntArrayRef batch_of(IntArrayRef sizes) { return IntArrayRef(sizes.data(), sizes.size() - 2); }

}  // namespace kiln::core
