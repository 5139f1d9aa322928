// Advanced indexing and its derivative pair: index picks elements by offset,
// its adjoint scatter-adds the gradient back (repeated indices accumulate),
// and the adjoint of that is index again, so every order is differentiable.
// Both are linear, so their forward-mode rule is the same op on the tangent.
#include "ops/advanced_index.h"

#include "autograd/derivative.h"
#include "core/broadcast.h"
#include "kernels/index.h"

namespace kiln::ops {
namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;

// zeros(shape) with g added at the positions `a` picks: index's adjoint.
Tensor index_backward(const Tensor& g, const Shape& shape, const AdvancedIndex& a) {
  Tensor r = zeros(shape, g.dtype());
  kernels::put(r, advanced_offsets(shape, r.strides(), a), g, /*accumulate=*/true);
  return autograd::differentiable(
      std::move(r), {"IndexPutImplBackward0", {g}},
      [a](const BackwardArgs& args) -> Grads { return {advanced_index(args.grad(), a, "IndexBackward0")}; },
      [shape, a](const ForwardArgs& f) { return index_backward(f.tangent(), shape, a); });
}

}  // namespace

AdvancedIndex make_advanced_index(IntArrayRef sizes, std::vector<int64_t> dims, const std::vector<Tensor>& raw,
                                  const char* op) {
  NoGradGuard no_grad;
  AdvancedIndex a;
  a.dims = std::move(dims);
  for (size_t k = 0; k < raw.size(); ++k) {
    const Tensor& t = raw[k];
    KILN_CHECK(is_integral(t.dtype(), false), op, ": tensors used as indices must be long, int or bool tensors, got ",
               t.dtype());
    int64_t n = sizes[a.dims[k]];
    Tensor idx = t.to(kInt64);
    if (idx.numel() > 0) {
      int64_t lo = idx.min().item<int64_t>(), hi = idx.max().item<int64_t>();
      KILN_CHECK(n > 0, op, ": index is out of bounds for dimension with size 0");  // torch's words
      KILN_CHECK(lo >= -n, op, ": index ", lo, " is out of bounds for dimension ", a.dims[k], " with size ", n);
      KILN_CHECK(hi < n, op, ": index ", hi, " is out of bounds for dimension ", a.dims[k], " with size ", n);
      if (lo < 0) idx = where(idx < 0, idx + n, idx);
    }
    a.shape = k == 0 ? Shape(idx.sizes()) : core::broadcast_shape(a.shape, idx.sizes(), op);
    a.indices.push_back(idx);
  }
  return a;
}

Tensor advanced_offsets(IntArrayRef sizes, IntArrayRef strides, const AdvancedIndex& a) {
  NoGradGuard no_grad;
  Tensor picked;  // offset of each indexed position, shaped like the broadcast indices
  for (size_t k = 0; k < a.indices.size(); ++k) {
    Tensor term = a.indices[k] * strides[a.dims[k]];
    picked = picked.defined() ? picked + term : term;
  }
  picked = picked.expand(a.shape);
  const int64_t n = static_cast<int64_t>(a.dims.size());
  bool adjacent = a.dims.back() - a.dims.front() + 1 == n;
  Shape rest_sizes, rest_strides;
  for (int64_t d = 0, k = 0; d < static_cast<int64_t>(sizes.size()); ++d) {
    if (k < n && a.dims[k] == d) {
      ++k;
      continue;
    }
    rest_sizes.push_back(sizes[d]);
    rest_strides.push_back(strides[d]);
  }
  size_t at = adjacent ? static_cast<size_t>(a.dims.front()) : 0;  // where the index shape goes
  Shape out_sizes, out_strides, picked_shape;
  for (size_t i = 0; i <= rest_sizes.size(); ++i) {
    if (i == at)
      for (int64_t s : a.shape) {
        out_sizes.push_back(s);
        out_strides.push_back(0);
        picked_shape.push_back(s);
      }
    if (i == rest_sizes.size()) break;
    out_sizes.push_back(rest_sizes[i]);
    out_strides.push_back(rest_strides[i]);
    picked_shape.push_back(1);
  }
  Tensor offsets = kernels::offset_grid(out_sizes, out_strides);
  offsets.add_(picked.reshape(picked_shape));
  return offsets;
}

Tensor advanced_index(const Tensor& x, const AdvancedIndex& a, const char* node) {
  return autograd::differentiable(
      kernels::take(x, advanced_offsets(x.sizes(), x.strides(), a)), {node, {x}},
      [a, shape = Shape(x.sizes())](const BackwardArgs& args) -> Grads { return {index_backward(args.grad(), shape, a)}; },
      [a, node](const ForwardArgs& f) { return advanced_index(f.tangent(), a, node); });
}

}  // namespace kiln::ops
