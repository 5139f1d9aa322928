// Dim wrapping: the one place negative dims are resolved and checked.
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

}  // namespace kiln::core
