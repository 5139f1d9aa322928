// Softmax and log-softmax along the last dim of a contiguous tensor: per row
// one pass for the max, one for exp and its sum, one to normalise.
#pragma once
#include "kiln/tensor.h"

namespace kiln::kernels {

// `x` contiguous and floating; the result has its shape and dtype.
Tensor softmax_last_dim(const Tensor& x, bool log);

}  // namespace kiln::kernels
