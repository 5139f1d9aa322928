// Internal entry points shared between op files (not public API).
#pragma once
#include <functional>

#include "kernels/elementwise.h"
#include "kiln/functions.h"

namespace kiln::ops {

// As torch: an integral result takes no floating alpha, only a bool result a bool one.
void check_alpha(kernels::Binary op, ScalarType result, Scalar alpha);

// libtorch 1.13's clamp with one C++ number bound ignores a NaN bound (two
// bounds, clamp_min, clamp_max and tensor bounds propagate it): that bound
// becomes an infinite one.
std::pair<std::optional<Scalar>, std::optional<Scalar>> clamp_number_bounds(std::optional<Scalar> min,
                                                                            std::optional<Scalar> max);

// x with the dims set in `mask` (reduced away) restored as size 1.
Tensor unsqueeze_dims(const Tensor& x, uint64_t mask, int64_t ndim);

// In-place update of `self`. Without history to record, `direct` writes into
// self's memory; otherwise `out_of_place(value)` computes the new value with
// autograd from `value`, a recorded copy of self (so a backward that saved it
// does not see it overwritten), and self takes over the result's data and
// history (PyTorch's rebase).
Tensor& inplace(Tensor& self, const char* op, bool needs_history, const std::function<void()>& direct,
                const std::function<Tensor(const Tensor& value)>& out_of_place);
// Marks an in-place write to t's storage (autograd's version counter).
void bump_version(const Tensor& t);

// A view of `base` with new geometry, recorded as op `node` whose backward is
// `backward(grad)` and whose forward-mode rule is `view(tangent)`.
Tensor view_op(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset, const char* node,
               std::function<Tensor(const Tensor&)> backward, std::function<Tensor(const Tensor&)> view);
// The adjoint of a non-invertible view (slice, select, diagonal...): zeros
// of `base_sizes` with `view(zeros) = grad`. Differentiable (its backward is
// `view`), so higher-order gradients flow through it.
Tensor view_scatter(const Tensor& grad, IntArrayRef base_sizes, std::function<Tensor(const Tensor&)> view);

// As torch: an integer division (fmod, remainder) by zero is an error, not a crash.
void check_integer_divisor(const Tensor& a, const Tensor& b, const char* op);
void check_integer_divisor(const Tensor& a, Scalar b, const char* op);

}  // namespace kiln::ops
