// Picking elements along one dim (index_select, gather) and by mask
// (masked_select, masked_fill), with their derivatives. gather and its
// adjoint scatter_add form a pair, each the other's backward; both are linear,
// so each forward-mode rule is the op itself applied to the tangent.
#include "autograd/derivative.h"
#include "core/broadcast.h"
#include "core/dims.h"
#include "kernels/elementwise.h"
#include "kernels/index.h"
#include "ops/advanced_index.h"

namespace kiln {
namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;

void check_index_dtype(const Tensor& index, const char* op) {
  KILN_CHECK(index.defined(), op, ": the index is an undefined tensor");
  KILN_CHECK(is_integral(index.dtype(), false), op, ": expected dtype int64 or int32 for index, got ",
             index.dtype());
}

// Every index value in [0, n): these ops, like libtorch's, take no negatives.
void check_index_range(const Tensor& index, int64_t n, int64_t dim, const char* op) {
  if (index.numel() == 0) return;
  NoGradGuard no_grad;
  int64_t lo = index.min().item<int64_t>(), hi = index.max().item<int64_t>();
  KILN_CHECK(lo >= 0, op, ": index ", lo, " is out of bounds for dimension ", dim, " with size ", n);
  KILN_CHECK(hi < n, op, ": index ", hi, " is out of bounds for dimension ", dim, " with size ", n);
}

// Offsets of positions `sizes` of a tensor with `strides`, where the
// coordinate along `dim` is replaced by `index` (broadcast to sizes).
Tensor dim_offsets(IntArrayRef sizes, IntArrayRef strides, int64_t dim, const Tensor& index) {
  NoGradGuard no_grad;
  Shape st(strides);
  st[dim] = 0;
  Tensor offsets = kernels::offset_grid(sizes, st);
  offsets.add_(index.to(kInt64) * strides[dim]);
  return offsets;
}

Tensor gather_unchecked(const Tensor& x, int64_t dim, const Tensor& index);

// zeros(shape) with src[i] added at coordinate index[i] along dim: gather's adjoint.
Tensor scatter_add_zeros(const Tensor& src, int64_t dim, const Tensor& index, const Shape& shape) {
  Tensor r = zeros(shape, src.dtype());
  kernels::put(r, dim_offsets(src.sizes(), r.strides(), dim, index), src, /*accumulate=*/true);
  return autograd::differentiable(
      std::move(r), {"ScatterAddBackward0", {src}},
      [dim, index](const BackwardArgs& a) -> Grads { return {gather_unchecked(a.grad(), dim, index)}; },
      [dim, index, shape](const ForwardArgs& f) { return scatter_add_zeros(f.tangent(), dim, index, shape); });
}

// out[i] = x[i with coordinate dim replaced by index[i]]; out has index's shape.
Tensor gather_unchecked(const Tensor& x, int64_t dim, const Tensor& index) {
  return autograd::differentiable(
      kernels::take(x, dim_offsets(index.sizes(), x.strides(), dim, index)), {"GatherBackward0", {x}},
      [dim, index, shape = Shape(x.sizes())](const BackwardArgs& a) -> Grads {
        return {scatter_add_zeros(a.grad(), dim, index, shape)};
      },
      [dim, index](const ForwardArgs& f) { return gather_unchecked(f.tangent(), dim, index); });
}

}  // namespace

Tensor gather(const Tensor& x, int64_t dim, const Tensor& index) {
  KILN_CHECK(x.defined(), "gather: called on an undefined tensor");
  check_index_dtype(index, "gather");
  if (x.dim() == 0 || index.dim() == 0) {  // libtorch treats 0-d as 1-d here
    KILN_CHECK(index.dim() <= 1 && x.dim() <= 1, "gather: Index tensor must have the same number of dimensions as "
                                                 "input tensor (index ", index.sizes(), ", input ", x.sizes(), ")");
    core::wrap_dim(dim, 1, "gather");
    Tensor r = gather(x.reshape({-1}), 0, index.reshape({-1}));
    return index.dim() == 0 ? r.reshape({}) : r;
  }
  KILN_CHECK(index.dim() == x.dim(), "gather: Index tensor must have the same number of dimensions as input tensor "
                                     "(index ", index.sizes(), ", input ", x.sizes(), ")");
  int64_t d = core::wrap_dim(dim, x.dim(), "gather");
  for (int64_t i = 0; i < x.dim(); ++i)
    KILN_CHECK(i == d || index.size(i) <= x.size(i), "gather: Size does not match at dimension ", i,
               " expected index ", index.sizes(), " to be smaller than self ", x.sizes(), " apart from dimension ", d);
  check_index_range(index, x.size(d), d, "gather");
  return gather_unchecked(x, d, index.to(kInt64));
}

Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) {
  KILN_CHECK(x.defined(), "index_select: called on an undefined tensor");
  check_index_dtype(index, "index_select");
  KILN_CHECK(index.dim() <= 1, "index_select: Index is supposed to be a vector, got shape ", index.sizes());
  if (x.dim() == 0) {  // as libtorch: a 0-d input gives itself for any valid index
    core::wrap_dim(dim, 0, "index_select");
    check_index_range(index, 1, 0, "index_select");
    return x.clone();
  }
  int64_t d = core::wrap_dim(dim, x.dim(), "index_select");
  check_index_range(index, x.size(d), d, "index_select");
  int64_t n = index.numel();
  Shape sizes(x.sizes()), along(x.dim(), 1);
  sizes[d] = n;
  along[d] = n;
  Tensor idx = index.to(kInt64).reshape(along);  // broadcasts over the other dims
  return autograd::differentiable(
      kernels::take(x, dim_offsets(sizes, x.strides(), d, idx)), {"IndexSelectBackward0", {x}},
      [d, idx, shape = Shape(x.sizes())](const BackwardArgs& a) -> Grads {
        const Tensor& g = a.grad();
        return {scatter_add_zeros(g, d, idx.expand(g.sizes()), shape)};
      },
      [d, index](const ForwardArgs& f) { return index_select(f.tangent(), d, index); });
}

Tensor masked_select(const Tensor& x, const Tensor& mask) {
  KILN_CHECK(x.defined() && mask.defined(), "masked_select: called on an undefined tensor");
  KILN_CHECK(mask.dtype() == kBool, "masked_select: expected BoolTensor for mask, got ", mask.dtype());
  Shape shape = core::broadcast_shape(x.sizes(), mask.sizes(), "masked_select");
  if (shape.empty()) shape.push_back(1);  // a 0-d pair selects from one element
  // x[mask] after broadcasting; expand's backward sums the gradient back to x.
  Tensor coords = kernels::nonzero(mask.expand(shape));
  std::vector<int64_t> dims;
  std::vector<Tensor> indices;
  for (int64_t j = 0; j < static_cast<int64_t>(shape.size()); ++j) {
    dims.push_back(j);
    indices.push_back(coords.select(1, j));
  }
  return ops::advanced_index(x.expand(shape), ops::make_advanced_index(shape, dims, indices, "masked_select"),
                             "MaskedSelectBackward0");
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, Scalar value) {
  KILN_CHECK(x.defined() && mask.defined(), "masked_fill: called on an undefined tensor");
  KILN_CHECK(is_integral(mask.dtype(), true), "masked_fill: expected a bool (or integer) mask, got ", mask.dtype());
  Tensor m = mask.dtype() == kBool ? mask : mask != 0;
  core::broadcast_shape(x.sizes(), m.sizes(), "masked_fill");
  return autograd::differentiable(
      kernels::where(m, full({}, value, x.dtype()), x), {"MaskedFillBackward0", {x}, {m}},
      [](const BackwardArgs& a) -> Grads { return {where(a.saved[0], 0, a.grad())}; },
      [m](const ForwardArgs& f) { return where(m, 0, f.tangent()); });
}

}  // namespace kiln
