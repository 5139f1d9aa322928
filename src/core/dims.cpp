#include "core/dims.h"

namespace kiln::core {

uint64_t dim_mask(IntArrayRef dims, int64_t ndim, const char* op) {
  KILN_CHECK(ndim <= 64, op, ": tensors of more than 64 dimensions are not supported");
  uint64_t mask = 0;
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, ndim, op);
    KILN_CHECK(!(mask >> w & 1), op, ": dim ", w, " appears multiple times in the list of dims");
    mask |= uint64_t{1} << w;
  }
  return mask;
}

uint64_t reduction_mask(IntArrayRef dims, int64_t ndim, const char* op) {
  if (!dims.empty()) return dim_mask(dims, ndim, op);
  KILN_CHECK(ndim <= 64, op, ": tensors of more than 64 dimensions are not supported");
  return ndim == 64 ? ~uint64_t{0} : (uint64_t{1} << ndim) - 1;
}

Shape dims_of(uint64_t mask, int64_t ndim) {
  Shape dims;
  for (int64_t d = 0; d < ndim; ++d)
    if (mask >> d & 1) dims.push_back(d);
  return dims;
}

}  // namespace kiln::core
