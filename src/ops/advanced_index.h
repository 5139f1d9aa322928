// Advanced (tensor) indexing shared by t.index(...), index_put_ and
// masked_select: integer index tensors applied to some dims of a tensor.
#pragma once
#include <vector>

#include "kiln/functions.h"

namespace kiln::ops {

struct AdvancedIndex {
  std::vector<int64_t> dims;    // the indexed dims, ascending
  std::vector<Tensor> indices;  // int64 in [0, size of its dim), one per dim
  Shape shape;                  // the broadcast shape of the indices
};

// Checks (dtype, range, broadcast) and wraps negative indices; `op` names errors.
AdvancedIndex make_advanced_index(IntArrayRef sizes, std::vector<int64_t> dims, const std::vector<Tensor>& raw,
                                  const char* op);

// The offsets of the elements picked from a tensor of geometry (sizes,
// strides), laid out as the result: the index shape replaces the indexed dims
// where they are adjacent, and leads otherwise (as in NumPy and PyTorch).
Tensor advanced_offsets(IntArrayRef sizes, IntArrayRef strides, const AdvancedIndex& a);

// x[indices], a copy; recorded as `node`, its backward scatter-adds.
Tensor advanced_index(const Tensor& x, const AdvancedIndex& a, const char* node);

}  // namespace kiln::ops
