// Reductions over a set of dims of strided memory. The kept dims and the
// reduced dims are coalesced separately; a contiguous reduced run is summed
// with SIMD accumulators, a contiguous kept run is reduced row by row into a
// vector of accumulators, anything else walks strides.
#pragma once
#include <tuple>

#include "kiln/tensor.h"

namespace kiln::kernels {

enum class Reduce { Sum, Prod, Max, Min, All, Any };

// Reduces `x` over the dims in `mask` (bit d = dim d) into dtype `out_dtype`.
Tensor reduce(Reduce op, const Tensor& x, uint64_t mask, bool keepdim, ScalarType out_dtype);
// (values, int64 indices) of the max or min along one dim; first occurrence wins, NaN counts as extreme.
std::tuple<Tensor, Tensor> arg_reduce(bool is_max, const Tensor& x, int64_t dim, bool keepdim);
// Inclusive scan (sum or product) along one dim, into `out_dtype`.
Tensor scan(bool is_sum, const Tensor& x, int64_t dim, ScalarType out_dtype);

// The shape of a reduction's result.
Shape reduced_shape(IntArrayRef sizes, uint64_t mask, bool keepdim);

}  // namespace kiln::kernels
