// as_strided: any geometry over a tensor's memory. Its backward adds the
// gradient into a buffer over the memory both geometries cover and reads it
// back through the input's geometry, so overlapping outputs accumulate.
#include <algorithm>

#include "autograd/derivative.h"
#include "core/tensor_impl.h"
#include "kernels/index.h"
#include "ops/ops.h"

namespace kiln {
namespace {
using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;

// src (laid out at buffer positions `from`) added into a buffer of n
// elements, read at positions `to`. Linear in src; its adjoint swaps the
// positions, so gradients of every order flow.
Tensor relayout(const Tensor& src, const Tensor& from, const Tensor& to, int64_t n) {
  Tensor buffer = zeros({n}, src.dtype());
  kernels::put(buffer, from, src, /*accumulate=*/true);
  return autograd::differentiable(
      kernels::take(buffer, to), {"AsStridedBackward0", {src}},
      [from, to, n](const BackwardArgs& a) -> Grads { return {relayout(a.grad(), to, from, n)}; },
      [from, to, n](const ForwardArgs& f) { return relayout(f.tangent(), from, to, n); });
}

// The storage position of every element of a geometry.
Tensor positions(IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  return kernels::offset_grid(sizes, strides).add_(offset);
}

}  // namespace

Tensor as_strided(const Tensor& x, IntArrayRef size, IntArrayRef stride, std::optional<int64_t> storage_offset) {
  const TensorImpl& xi = core::body(x, "as_strided");
  KILN_CHECK(size.size() == stride.size(), "as_strided: mismatch in length of strides and shape (", size, " and ",
             stride, ")");
  const int64_t offset = storage_offset.value_or(xi.offset);
  KILN_CHECK(offset >= 0, "as_strided: Tensor: invalid storage offset ", offset);
  for (size_t d = 0; d < size.size(); ++d) {
    KILN_CHECK(size[d] >= 0, "as_strided: negative size ", size[d], " in ", size);
    KILN_CHECK(stride[d] >= 0, "as_strided: Negative strides are not supported at the moment, got strides: ", stride);
  }
  const int64_t extent = core::storage_extent(size, stride, "as_strided");  // elements the view reaches
  const int64_t available = static_cast<int64_t>(xi.storage->nbytes / element_size(xi.dtype));
  // (Unsigned in the message only: an extent near int64's end must not overflow while the error is written.)
  KILN_CHECK(extent == 0 || extent <= available - offset, "as_strided: sizes ", size, ", strides ", stride,
             ", storage offset ", offset, " and itemsize ", element_size(xi.dtype), " requiring a storage size of ",
             (static_cast<uint64_t>(offset) + static_cast<uint64_t>(extent)) * element_size(xi.dtype),
             " are out of bounds for storage of size ", xi.storage->nbytes);
  Shape sizes(size), strides(stride), in_sizes(xi.sizes), in_strides(xi.strides);
  const int64_t in_offset = xi.offset;
  // Positions relative to the lowest element either geometry touches.
  auto geometry = [=] {
    int64_t lo = std::min(offset, in_offset);
    int64_t hi = std::max(offset + std::max<int64_t>(extent, 1), in_offset + 1);
    for (size_t d = 0; d < in_sizes.size(); ++d) hi = std::max(hi, in_offset + (in_sizes[d] - 1) * in_strides[d] + 1);
    return std::tuple{positions(sizes, strides, offset - lo), positions(in_sizes, in_strides, in_offset - lo), hi - lo};
  };
  return ops::view_op(
      x, size, stride, offset, "AsStridedBackward0",
      [geometry](const Tensor& g) {
        auto [out_pos, in_pos, n] = geometry();
        return relayout(g, out_pos, in_pos, n);
      },
      [geometry](const Tensor& t) {
        auto [out_pos, in_pos, n] = geometry();
        return relayout(t, in_pos, out_pos, n);
      });
}

Tensor _reshape_alias(const Tensor& x, IntArrayRef size, IntArrayRef stride) { return as_strided(x, size, stride); }

Tensor Tensor::as_strided(IntArrayRef size, IntArrayRef stride, std::optional<int64_t> storage_offset) const {
  return kiln::as_strided(*this, size, stride, storage_offset);
}

}  // namespace kiln
