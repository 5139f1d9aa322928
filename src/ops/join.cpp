// Joining and rearranging whole tensors: cat (the one copying primitive here,
// with its derivative), flip, and the ops composed from cat and views
// (stack, hstack, vstack, roll, repeat, meshgrid), whose
// derivatives come from their parts.
#include <cstdlib>

#include "autograd/derivative.h"
#include "core/broadcast.h"
#include "core/dims.h"
#include "core/tensor_impl.h"
#include "kernels/elementwise.h"
#include "kernels/index.h"
#include "kiln/functions.h"

namespace kiln {
namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;
namespace fw = autograd::forward;

// libtorch still skips 1-d empty tensors in cat, whatever the other shapes.
bool skipped_in_cat(const Tensor& t) { return t.dim() == 1 && t.size(0) == 0; }

}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  KILN_CHECK(!tensors.empty(), "cat: expected a non-empty list of Tensors");
  ScalarType dtype = tensors[0].dtype();
  const Tensor* ref = nullptr;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    KILN_CHECK(t.defined(), "cat: tensor at position ", i, " is undefined");
    KILN_CHECK(t.dim() > 0, "cat: zero-dimensional tensor (at position ", i, ") cannot be concatenated");
    dtype = promote_types(dtype, t.dtype());
    if (!ref && !skipped_in_cat(t)) ref = &t;
  }
  if (!ref) ref = &tensors[0];
  const int64_t d = core::wrap_dim(dim, ref->dim(), "cat");
  Shape sizes(ref->sizes());
  sizes[d] = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (skipped_in_cat(t) && &t != ref) continue;
    KILN_CHECK(t.dim() == ref->dim(), "cat: Tensors must have same number of dimensions: got ", ref->dim(), " and ",
               t.dim(), " (shapes ", ref->sizes(), " and ", t.sizes(), ")");
    for (int64_t j = 0; j < t.dim(); ++j)
      KILN_CHECK(j == d || t.size(j) == ref->size(j), "cat: Sizes of tensors must match except in dimension ", d,
                 ". Expected size ", ref->size(j), " but got size ", t.size(j), " for tensor number ", i,
                 " in the list (shapes ", ref->sizes(), " and ", t.sizes(), ")");
    sizes[d] += t.size(d);
  }
  Tensor r = core::empty(sizes, dtype);
  std::vector<int64_t> starts;  // where each input lands along d (-1: skipped)
  int64_t at = 0;
  for (const Tensor& t : tensors) {
    if (skipped_in_cat(t) && &t != ref) {
      starts.push_back(-1);
      continue;
    }
    starts.push_back(at);
    NoGradGuard no_grad;
    kernels::copy(r.narrow(d, at, t.size(d)), t);
    at += t.size(d);
  }
  // cat has a runtime number of inputs: its derivative is recorded from the list.
  if (!is_floating_point(dtype)) return r;
  if (autograd::any_needs_grad_in(tensors)) {
    std::vector<Shape> input_sizes;
    for (const Tensor& t : tensors) input_sizes.emplace_back(t.sizes());
    // Each input's gradient is its slab of the output's gradient.
    autograd::record("CatBackward0", tensors, r, [d, starts, input_sizes](const BackwardArgs& a) -> Grads {
      Grads grads(starts.size());
      for (size_t i = 0; i < starts.size(); ++i) {
        if (!a.needs_grad(i)) continue;
        grads[i] = starts[i] < 0 ? zeros(input_sizes[i], a.grad().dtype())
                                 : a.grad().narrow(d, starts[i], input_sizes[i][d]);
      }
      return grads;
    });
  }
  if (fw::active() && fw::any_tangent_in(tensors)) {
    std::vector<Tensor> tangents;
    for (const Tensor& t : tensors) tangents.push_back(fw::tangent_or_zeros(t).to(dtype));
    fw::set_tangent(r, cat(tangents, d));
  }
  return r;
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
  KILN_CHECK(!tensors.empty(), "stack: expects a non-empty TensorList");
  for (size_t i = 0; i < tensors.size(); ++i)
    KILN_CHECK(tensors[i].defined() && tensors[i].sizes() == tensors[0].sizes(),
               "stack: expects each tensor to be equal size, but got ", tensors[0].sizes(), " at entry 0 and ",
               tensors[i].defined() ? tensors[i].sizes() : IntArrayRef(), " at entry ", i);
  int64_t d = core::wrap_dim(dim, tensors[0].dim() + 1, "stack");
  std::vector<Tensor> parts;
  for (const Tensor& t : tensors) parts.push_back(t.unsqueeze(d));
  return cat(parts, d);
}

Tensor hstack(const std::vector<Tensor>& tensors) {
  KILN_CHECK(!tensors.empty(), "hstack: expects a non-empty TensorList");
  std::vector<Tensor> parts;
  for (const Tensor& t : tensors) parts.push_back(t.dim() == 0 ? t.reshape({1}) : t);
  return cat(parts, parts[0].dim() == 1 ? 0 : 1);
}

Tensor vstack(const std::vector<Tensor>& tensors) {
  KILN_CHECK(!tensors.empty(), "vstack: expects a non-empty TensorList");
  std::vector<Tensor> parts;
  for (const Tensor& t : tensors) parts.push_back(t.dim() == 0 ? t.reshape({1, 1}) : t.dim() == 1 ? t.unsqueeze(0) : t);
  return cat(parts, 0);
}

Tensor flip(const Tensor& x, IntArrayRef dims) {
  KILN_CHECK(x.defined(), "flip: called on an undefined tensor");
  uint64_t mask = core::dim_mask(dims, x.dim(), "flip");
  Shape ds(dims);
  return autograd::differentiable(
      kernels::flip(x, mask), {"FlipBackward0", {x}},
      [ds](const BackwardArgs& a) -> Grads { return {flip(a.grad(), ds)}; },
      [ds](const ForwardArgs& f) { return flip(f.tangent(), ds); });
}

Tensor roll(const Tensor& x, IntArrayRef shifts, IntArrayRef dims) {
  KILN_CHECK(x.defined(), "roll: called on an undefined tensor");
  if (dims.empty()) {  // roll the flattened tensor
    KILN_CHECK(shifts.size() == 1, "roll: shifts and dimensions must align. shifts: ", shifts.size(),
               ", dims: 0 (without dims, give one shift)");
    return roll(x.flatten(), shifts, {0}).view(x.sizes());
  }
  KILN_CHECK(shifts.size() == dims.size(), "roll: shifts and dimensions must align. shifts: ", shifts.size(),
             ", dims:", dims.size());
  Tensor r = x;
  for (size_t k = 0; k < dims.size(); ++k) {
    int64_t d = core::wrap_dim(dims[k], x.dim(), "roll");
    if (r.dim() == 0) continue;
    int64_t n = r.size(d);
    if (n == 0) continue;
    int64_t s = ((shifts[k] % n) + n) % n;
    if (s == 0) continue;
    // The last s entries move to the front.
    r = cat({r.narrow(d, n - s, s), r.narrow(d, 0, n - s)}, d);
  }
  return r.is_same(x) ? x.clone() : r;
}

Tensor Tensor::repeat(IntArrayRef repeats) const {
  KILN_CHECK(static_cast<int64_t>(repeats.size()) >= dim(),
             "repeat: Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor (",
             repeats.size(), " repeats for shape ", sizes(), ")");
  for (int64_t r : repeats) KILN_CHECK(r >= 0, "repeat: repeats must be non-negative, got ", repeats);
  // x viewed as [1, s0, 1, s1, ...], expanded to [r0, s0, r1, s1, ...], merged pairwise.
  const size_t lead = repeats.size() - static_cast<size_t>(dim());
  Shape interleaved, expanded, result;
  int64_t numel = 1, r = 0;
  bool overflow = false;
  for (size_t i = 0; i < repeats.size(); ++i) {
    int64_t s = i < lead ? 1 : size(static_cast<int64_t>(i - lead));
    interleaved.push_back(1);
    interleaved.push_back(s);
    expanded.push_back(repeats[i]);
    expanded.push_back(s);
    overflow |= __builtin_mul_overflow(repeats[i], s, &r) || __builtin_mul_overflow(numel, r, &numel);
    result.push_back(r);
  }
  KILN_CHECK(!overflow, "repeat: the result of repeating shape ", sizes(), " by ", repeats,
             " has more elements than int64 can count");
  Tensor out = reshape(interleaved).expand(expanded).reshape(result);
  // repeat always copies, even when the reshape could stay a view.
  return impl(out)->storage.get() == impl(*this)->storage.get() ? out.clone() : out;
}

std::vector<Tensor> meshgrid(const std::vector<Tensor>& tensors, const std::string& indexing) {
  KILN_CHECK(!tensors.empty(), "meshgrid: expects a non-empty TensorList");
  KILN_CHECK(indexing == "ij" || indexing == "xy", "meshgrid: indexing must be one of \"xy\" or \"ij\", but received: ",
             indexing);
  for (const Tensor& t : tensors) {
    KILN_CHECK(t.defined() && t.dim() <= 1, "meshgrid: Expected 0D or 1D tensor in the tensor list but got: ",
               t.defined() ? t.sizes() : IntArrayRef());
    KILN_CHECK(t.dtype() == tensors[0].dtype(), "meshgrid: expects all tensors to have the same dtype, got ",
               tensors[0].dtype(), " and ", t.dtype());
  }
  const size_t n = tensors.size();
  // "xy" swaps the roles of the first two dims (Cartesian rather than matrix indexing).
  auto position = [&](size_t i) { return indexing == "xy" && n >= 2 && i < 2 ? 1 - i : i; };
  Shape shape(n);
  for (size_t i = 0; i < n; ++i) shape[position(i)] = tensors[i].numel();
  std::vector<Tensor> grids;
  for (size_t i = 0; i < n; ++i) {
    Shape along(n, 1);
    along[position(i)] = tensors[i].numel();
    grids.push_back(tensors[i].reshape(along).expand(shape));
  }
  return grids;
}

}  // namespace kiln
