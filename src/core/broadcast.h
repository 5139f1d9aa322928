// NumPy/PyTorch broadcasting: the one place shapes are combined.
#pragma once
#include "kiln/tensor.h"

namespace kiln::core {

// The broadcast shape of a and b, or a kiln::Error naming `op` and both shapes.
Shape broadcast_shape(IntArrayRef a, IntArrayRef b, const char* op);
// True when `from` can be expanded to `to`.
bool is_expandable_to(IntArrayRef from, IntArrayRef to);

}  // namespace kiln::core
