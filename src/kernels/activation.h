// Kernels of the neural-network primitives (ops/activation.cpp): GELU and
// layer normalisation, each one pass over contiguous memory.
#pragma once
#include <tuple>

#include "kiln/tensor.h"

namespace kiln::kernels {

// x Phi(x) (exact, with erf) or its tanh approximation; x contiguous, floating.
Tensor gelu(const Tensor& x, bool tanh_approximation);

// Normalises each row of `x` ([rows, n], contiguous) to zero mean and unit
// variance (biased, + eps), then * weight + bias (each [n] or undefined).
// Returns (out, mean, rstd) with mean and rstd of shape [rows].
std::tuple<Tensor, Tensor, Tensor> layer_norm_rows(const Tensor& x, const Tensor& weight, const Tensor& bias,
                                                   double eps);

}  // namespace kiln::kernels
