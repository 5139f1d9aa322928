// View ops: new geometry over the same storage. Each computes sizes/strides
// and names its backward; the forward-mode rule is the same view of the
// tangent.
#include <numeric>

#include "autograd/derivative.h"
#include "core/broadcast.h"
#include "core/dims.h"
#include "ops/ops.h"

namespace kiln {
namespace ops {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;
namespace fw = autograd::forward;

Tensor view_op(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset, const char* node,
               std::function<Tensor(const Tensor&)> backward, std::function<Tensor(const Tensor&)> view) {
  Tensor r = core::make_view(base, sizes, strides, offset);
  // Every view made with grad mode on knows its base, even one that does not
  // require grad: an in-place write through it with an operand that does
  // gives the base a history (x = zeros(3); x[0] = w).
  if (GradMode::is_enabled() && is_floating_point(base.dtype())) {
    if (autograd::needs_grad(base))
      autograd::record({node, {base}}, {r}, [backward](const BackwardArgs& a) -> Grads { return {backward(a.grad())}; });
    const autograd::AutogradMeta* m = autograd::meta_if(base);
    autograd::AutogradMeta& view = autograd::meta(r);
    view.view_base = m && m->view_base.defined() ? m->view_base : base;
    view.view_version = r._version();
  }
  // A view's tangent is the same view of the base's: shared on purpose.
  if (fw::any_tangent(base)) fw::set_tangent(r, view(fw::tangent(base)));
  return r;
}

Tensor view_scatter(const Tensor& grad, IntArrayRef base_sizes, std::function<Tensor(const Tensor&)> view) {
  Tensor r = zeros(base_sizes, grad.dtype());
  {
    NoGradGuard no_grad;
    kernels::copy(view(r), grad);
  }
  Shape sizes(base_sizes);
  return autograd::differentiable(
      std::move(r), {"ViewScatterBackward", {grad}}, [view](const BackwardArgs& a) -> Grads { return {view(a.grad())}; },
      [sizes, view](const ForwardArgs& f) { return view_scatter(f.tangent(), sizes, view); });
}

}  // namespace ops

namespace {
using core::wrap_dim;

Shape shape_of(const Tensor& t) { return Shape(t.sizes()); }

// Strides for viewing (sizes, strides) as `shape` without a copy, if possible
// (PyTorch's rule: each run of merged dims must be contiguous within itself).
std::optional<Shape> view_strides(IntArrayRef sizes, IntArrayRef strides, IntArrayRef shape) {
  Shape out(shape.size());
  if (shape.empty()) return out;
  if (sizes.empty()) return Shape(shape.size(), 1);  // a 0-d tensor: every view of it is one element
  int64_t numel = 1;
  for (int64_t s : sizes) numel *= s;
  if (numel == 0) return core::contiguous_strides(shape);
  int64_t view_d = static_cast<int64_t>(shape.size()) - 1;
  int64_t chunk_base_stride = strides.empty() ? 1 : strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    tensor_numel *= sizes[d];
    if (d == 0 || (sizes[d - 1] != 1 && strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
        out[view_d] = view_numel * chunk_base_stride;
        view_numel *= shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (d > 0) {
        chunk_base_stride = strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return out;
}

// Resolves a -1 in `shape` against numel, checking the element count.
Shape infer_shape(IntArrayRef shape, int64_t numel, const char* op) {
  Shape out(shape);
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      KILN_CHECK(infer < 0, op, ": only one dimension can be inferred in shape ", shape);
      infer = static_cast<int64_t>(i);
    } else {
      KILN_CHECK(shape[i] >= 0, op, ": invalid shape dimension ", shape[i], " in ", shape);
      known *= shape[i];
    }
  }
  if (infer >= 0) {
    KILN_CHECK(known != 0 && numel % known == 0, op, ": shape '", shape, "' is invalid for input of size ", numel);
    out[infer] = numel / known;
  } else {
    KILN_CHECK(known == numel, op, ": shape '", shape, "' is invalid for input of size ", numel);
  }
  return out;
}

}  // namespace

Tensor Tensor::view(IntArrayRef shape) const {
  Shape s = infer_shape(shape, numel(), "view");
  auto strides = view_strides(sizes(), this->strides(), s);
  KILN_CHECK(strides, "view: view size is not compatible with input tensor's size and stride (at least one dimension "
                      "spans across two contiguous subspaces). Use .reshape(...) instead. (input ",
             sizes(), ", requested ", shape, ")");
  Shape in = shape_of(*this);
  return ops::view_op(*this, s, *strides, storage_offset(), "ViewBackward0",
                      [in](const Tensor& g) { return g.reshape(in); }, [s](const Tensor& t) { return t.reshape(s); });
}

Tensor Tensor::reshape(IntArrayRef shape) const {
  Shape s = infer_shape(shape, numel(), "reshape");
  if (auto strides = view_strides(sizes(), this->strides(), s)) {
    Shape in = shape_of(*this);
    return ops::view_op(*this, s, *strides, storage_offset(), "ViewBackward0",
                        [in](const Tensor& g) { return g.reshape(in); }, [s](const Tensor& t) { return t.reshape(s); });
  }
  return clone().view(s);
}

Tensor Tensor::view_as(const Tensor& other) const { return view(other.sizes()); }
Tensor Tensor::reshape_as(const Tensor& other) const { return reshape(other.sizes()); }

Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const {
  if (dim() == 0) return reshape({1});
  int64_t s = wrap_dim(start_dim, dim(), "flatten"), e = wrap_dim(end_dim, dim(), "flatten");
  KILN_CHECK(s <= e, "flatten: start_dim (", s, ") cannot come after end_dim (", e, ")");
  Shape shape;
  for (int64_t d = 0; d < s; ++d) shape.push_back(size(d));
  int64_t n = 1;
  for (int64_t d = s; d <= e; ++d) n *= size(d);
  shape.push_back(n);
  for (int64_t d = e + 1; d < dim(); ++d) shape.push_back(size(d));
  return reshape(shape);
}

Tensor Tensor::unflatten(int64_t d, IntArrayRef sizes_) const {
  d = wrap_dim(d, dim(), "unflatten");
  KILN_CHECK(!sizes_.empty(), "unflatten: sizes must be non-empty");
  int64_t known = 1, inferred = 0;
  for (int64_t s : sizes_) {
    KILN_CHECK(s >= -1, "unflatten: invalid shape dimension ", s);
    if (s == -1) ++inferred;
    else known *= s;
  }
  KILN_CHECK(inferred <= 1, "unflatten: only one dimension can be inferred, got sizes ", sizes_);
  KILN_CHECK(inferred ? known != 0 && size(d) % known == 0 : known == size(d), "unflatten: Provided sizes ", sizes_,
             " don't multiply up to the size of dim ", d, " (", size(d), ") in the input tensor");
  Shape shape;
  for (int64_t i = 0; i < d; ++i) shape.push_back(size(i));
  for (int64_t s : sizes_) shape.push_back(s);
  for (int64_t i = d + 1; i < dim(); ++i) shape.push_back(size(i));
  return view(shape);
}

Tensor Tensor::transpose(int64_t dim0, int64_t dim1) const {
  int64_t a = wrap_dim(dim0, dim(), "transpose"), b = wrap_dim(dim1, dim(), "transpose");
  if (dim() == 0) return alias();
  Shape s = shape_of(*this), st(strides());
  std::swap(s[a], s[b]);
  std::swap(st[a], st[b]);
  return ops::view_op(*this, s, st, storage_offset(), "TransposeBackward0",
                      [a, b](const Tensor& g) { return g.transpose(a, b); },
                      [a, b](const Tensor& t) { return t.transpose(a, b); });
}

Tensor Tensor::t() const {
  KILN_CHECK(dim() <= 2, "t: expects a tensor with <= 2 dimensions, but self is ", dim(), "D");
  if (dim() < 2) return alias();
  Shape s{size(1), size(0)}, st{stride(1), stride(0)};
  return ops::view_op(*this, s, st, storage_offset(), "TBackward0", [](const Tensor& g) { return g.t(); },
                      [](const Tensor& t) { return t.t(); });
}

Tensor Tensor::mT() const {
  KILN_CHECK(dim() >= 2, "mT: tensor.mT is only supported on matrices or batches of matrices. Got ", dim(), "-D tensor.");
  return transpose(-2, -1);
}

Tensor Tensor::alias() const {
  return ops::view_op(*this, sizes(), strides(), storage_offset(), "AliasBackward0", [](const Tensor& g) { return g; },
                      [](const Tensor& t) { return t; });
}

Tensor Tensor::permute(IntArrayRef dims) const {
  KILN_CHECK(static_cast<int64_t>(dims.size()) == dim(), "permute: number of dims don't match in permute (got ",
             dims.size(), " dims for a tensor of shape ", sizes(), ")");
  uint64_t mask = core::dim_mask(dims, dim(), "permute");
  (void)mask;
  Shape s(dims.size()), st(dims.size()), inverse(dims.size()), forward(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t d = wrap_dim(dims[i], dim(), "permute");
    s[i] = size(d);
    st[i] = stride(d);
    inverse[d] = static_cast<int64_t>(i);
    forward[i] = d;
  }
  return ops::view_op(*this, s, st, storage_offset(), "PermuteBackward0",
                      [inverse](const Tensor& g) { return g.permute(inverse); },
                      [forward](const Tensor& t) { return t.permute(forward); });
}

Tensor Tensor::movedim(int64_t source, int64_t destination) const {
  int64_t s = wrap_dim(source, dim(), "movedim"), d = wrap_dim(destination, dim(), "movedim");
  std::vector<int64_t> order;
  for (int64_t i = 0; i < dim(); ++i)
    if (i != s) order.push_back(i);
  order.insert(order.begin() + d, s);
  return permute(order);
}

Tensor Tensor::unsqueeze(int64_t d) const {
  d = wrap_dim(d, dim() + 1, "unsqueeze");
  Shape s = shape_of(*this), st(strides());
  int64_t new_stride = d < dim() ? st[d] * s[d] : 1;
  s.insert(d, 1);
  st.insert(d, new_stride);
  return ops::view_op(*this, s, st, storage_offset(), "UnsqueezeBackward0",
                      [d](const Tensor& g) { return g.squeeze(d); }, [d](const Tensor& t) { return t.unsqueeze(d); });
}

Tensor Tensor::squeeze() const {
  Shape s, st;
  for (int64_t i = 0; i < dim(); ++i)
    if (size(i) != 1) {
      s.push_back(size(i));
      st.push_back(stride(i));
    }
  Shape in = shape_of(*this);
  return ops::view_op(*this, s, st, storage_offset(), "SqueezeBackward0",
                      [in](const Tensor& g) { return g.reshape(in); }, [](const Tensor& t) { return t.squeeze(); });
}

Tensor Tensor::squeeze(int64_t d) const {
  d = wrap_dim(d, dim(), "squeeze");
  if (dim() == 0 || size(d) != 1) return alias();
  Shape s = shape_of(*this), st(strides());
  s.erase(d);
  st.erase(d);
  return ops::view_op(*this, s, st, storage_offset(), "SqueezeBackward1",
                      [d](const Tensor& g) { return g.unsqueeze(d); }, [d](const Tensor& t) { return t.squeeze(d); });
}

Tensor Tensor::expand(IntArrayRef size_, bool) const {
  KILN_CHECK(size_.size() >= static_cast<size_t>(dim()), "expand: the number of sizes provided (", size_.size(),
             ") must be greater or equal to the number of dimensions in the tensor (", dim(), ")");
  size_t lead = size_.size() - dim();
  Shape s(size_.size()), st(size_.size());
  for (size_t i = 0; i < size_.size(); ++i) {
    if (i < lead) {
      KILN_CHECK(size_[i] >= 0, "expand: the expanded size ", size_[i], " is not allowed in a leading, non-existing dimension ", i);
      s[i] = size_[i];
      st[i] = 0;
      continue;
    }
    int64_t cur = size(i - lead), want = size_[i] == -1 ? cur : size_[i];
    KILN_CHECK(cur == want || cur == 1, "expand: the expanded size of the tensor (", want,
               ") must match the existing size (", cur, ") at non-singleton dimension ", i, ".  Target sizes: ", size_,
               ".  Tensor sizes: ", sizes());
    s[i] = want;
    st[i] = cur == want ? stride(i - lead) : 0;
  }
  Shape in = shape_of(*this);
  return ops::view_op(*this, s, st, storage_offset(), "ExpandBackward0",
                      [in](const Tensor& g) { return autograd::sum_to(g, in); },
                      [s](const Tensor& t) { return t.expand(s); });
}

Tensor Tensor::expand_as(const Tensor& other) const { return expand(other.sizes()); }

Tensor Tensor::slice(int64_t d, std::optional<int64_t> start_, std::optional<int64_t> end_, int64_t step) const {
  KILN_CHECK(dim() > 0, "slice: cannot be applied to a 0-dim tensor");
  d = wrap_dim(d, dim(), "slice");
  KILN_CHECK(step > 0, "slice: step must be greater than zero, got ", step);
  int64_t n = size(d);
  int64_t start = start_.value_or(0), end = end_.value_or(n);
  if (start < 0) start += n;
  if (end < 0) end += n;
  start = std::clamp<int64_t>(start, 0, n);
  end = std::clamp<int64_t>(end, start, n);
  Shape s = shape_of(*this), st(strides());
  s[d] = (end - start + step - 1) / step;
  st[d] = stride(d) * step;
  Shape in = shape_of(*this);
  auto view = [d, start, end, step](const Tensor& t) { return t.slice(d, start, end, step); };
  return ops::view_op(*this, s, st, storage_offset() + start * stride(d), "SliceBackward0",
                      [in, view](const Tensor& g) { return ops::view_scatter(g, in, view); }, view);
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  KILN_CHECK(dim() > 0, "narrow: cannot be applied to a 0-dim tensor");
  d = wrap_dim(d, dim(), "narrow");
  int64_t n = size(d);
  if (start < 0) start += n;
  KILN_CHECK(start >= 0 && length >= 0 && start + length <= n, "narrow: start (", start, ") + length (", length,
             ") exceeds dimension size (", n, ")");
  return slice(d, start, start + length, 1);
}

Tensor Tensor::select(int64_t d, int64_t index) const {
  KILN_CHECK(dim() > 0, "select: cannot be applied to a 0-dim tensor");
  d = wrap_dim(d, dim(), "select");
  int64_t n = size(d);
  KILN_CHECK(index >= -n && index < n, "select: index ", index, " out of range for tensor of size ", sizes(),
             " at dimension ", d);
  if (index < 0) index += n;
  Shape s = shape_of(*this), st(strides());
  s.erase(d);
  st.erase(d);
  Shape in = shape_of(*this);
  auto view = [d, index](const Tensor& t) { return t.select(d, index); };
  return ops::view_op(*this, s, st, storage_offset() + index * stride(d), "SelectBackward0",
                      [in, view](const Tensor& g) { return ops::view_scatter(g, in, view); }, view);
}

Tensor Tensor::operator[](int64_t index) const { return select(0, index); }

Tensor Tensor::diagonal(int64_t offset, int64_t dim1, int64_t dim2) const {
  int64_t a = wrap_dim(dim1, dim(), "diagonal"), b = wrap_dim(dim2, dim(), "diagonal");
  KILN_CHECK(dim() >= 2, "diagonal: expected a tensor of at least 2 dims, got ", sizes());
  KILN_CHECK(a != b, "diagonal: dimensions cannot be identical ", dim1, ", ", dim2);
  int64_t len, start = storage_offset();
  if (offset >= 0) {
    len = std::max<int64_t>(std::min(size(a), size(b) - offset), 0);
    start += offset * stride(b);
  } else {
    len = std::max<int64_t>(std::min(size(a) + offset, size(b)), 0);
    start -= offset * stride(a);
  }
  if (len == 0) start = storage_offset();
  Shape s, st;
  for (int64_t i = 0; i < dim(); ++i)
    if (i != a && i != b) {
      s.push_back(size(i));
      st.push_back(stride(i));
    }
  s.push_back(len);
  st.push_back(stride(a) + stride(b));
  Shape in = shape_of(*this);
  auto view = [offset, a, b](const Tensor& t) { return t.diagonal(offset, a, b); };
  return ops::view_op(*this, s, st, start, "DiagonalBackward0",
                      [in, view](const Tensor& g) { return ops::view_scatter(g, in, view); }, view);
}

std::vector<Tensor> Tensor::split(int64_t split_size, int64_t d) const {
  KILN_CHECK(dim() > 0, "split: cannot be applied to a 0-dim tensor");
  d = wrap_dim(d, dim(), "split");
  KILN_CHECK(split_size > 0 || size(d) == 0, "split: split_size must be positive, got ", split_size);
  std::vector<Tensor> parts;
  int64_t n = size(d);
  if (n == 0) return {alias()};
  for (int64_t start = 0; start < n; start += split_size) parts.push_back(slice(d, start, std::min(n, start + split_size)));
  return parts;
}

std::vector<Tensor> Tensor::split(IntArrayRef split_sizes, int64_t d) const {
  d = wrap_dim(d, dim(), "split");
  int64_t total = std::accumulate(split_sizes.begin(), split_sizes.end(), int64_t{0});
  KILN_CHECK(total == size(d), "split_with_sizes: expects split_sizes to sum exactly to ", size(d),
             " (input tensor's size at dimension ", d, "), but got split_sizes=", split_sizes);
  std::vector<Tensor> parts;
  int64_t start = 0;
  for (int64_t s : split_sizes) {
    parts.push_back(slice(d, start, start + s));
    start += s;
  }
  return parts;
}

std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t d) const {
  KILN_CHECK(chunks > 0, "chunk: number of chunks must be positive, got ", chunks);
  d = wrap_dim(d, dim(), "chunk");
  int64_t n = size(d);
  return split(std::max<int64_t>((n + chunks - 1) / chunks, 1), d);
}

std::vector<Tensor> Tensor::unbind(int64_t d) const {
  d = wrap_dim(d, dim(), "unbind");
  std::vector<Tensor> parts;
  for (int64_t i = 0; i < size(d); ++i) parts.push_back(select(d, i));
  return parts;
}

// ---- free-function spellings
Tensor reshape(const Tensor& t, IntArrayRef shape) { return t.reshape(shape); }
Tensor flatten(const Tensor& t, int64_t s, int64_t e) { return t.flatten(s, e); }
Tensor transpose(const Tensor& t, int64_t a, int64_t b) { return t.transpose(a, b); }
Tensor t(const Tensor& x) { return x.t(); }
Tensor permute(const Tensor& t, IntArrayRef dims) { return t.permute(dims); }
Tensor movedim(const Tensor& t, int64_t s, int64_t d) { return t.movedim(s, d); }
Tensor unsqueeze(const Tensor& t, int64_t d) { return t.unsqueeze(d); }
Tensor squeeze(const Tensor& t) { return t.squeeze(); }
Tensor squeeze(const Tensor& t, int64_t d) { return t.squeeze(d); }
Tensor narrow(const Tensor& t, int64_t d, int64_t s, int64_t l) { return t.narrow(d, s, l); }
Tensor select(const Tensor& t, int64_t d, int64_t i) { return t.select(d, i); }
Tensor diagonal(const Tensor& t, int64_t o, int64_t a, int64_t b) { return t.diagonal(o, a, b); }
std::vector<Tensor> chunk(const Tensor& t, int64_t c, int64_t d) { return t.chunk(c, d); }
std::vector<Tensor> split(const Tensor& t, int64_t s, int64_t d) { return t.split(s, d); }
std::vector<Tensor> split(const Tensor& t, IntArrayRef s, int64_t d) { return t.split(s, d); }
std::vector<Tensor> unbind(const Tensor& t, int64_t d) { return t.unbind(d); }

// ---- broadcasting
Shape broadcast_shapes(IntArrayRef a, IntArrayRef b) { return core::broadcast_shape(a, b, "broadcast_shapes"); }

std::vector<Tensor> broadcast_tensors(const std::vector<Tensor>& tensors) {
  Shape shape;
  for (const Tensor& t : tensors) shape = core::broadcast_shape(shape, t.sizes(), "broadcast_tensors");
  std::vector<Tensor> out;
  out.reserve(tensors.size());
  for (const Tensor& t : tensors) out.push_back(t.expand(shape));
  return out;
}

}  // namespace kiln
