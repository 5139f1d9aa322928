#include "core/broadcast.h"

#include "core/dims.h"
#include "kiln/functions.h"

namespace kiln::core {

Shape broadcast_shape(IntArrayRef a, IntArrayRef b, const char* op) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    KILN_CHECK(da == db || da == 1 || db == 1, op, ": shapes ", a, " and ", b,
               " cannot be broadcast together (size ", da, " vs ", db, " at dimension ", i, ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

bool is_expandable_to(IntArrayRef from, IntArrayRef to) {
  if (from.size() > to.size()) return false;
  for (size_t i = 0; i < from.size(); ++i) {
    int64_t f = from[from.size() - 1 - i], t = to[to.size() - 1 - i];
    if (f != t && f != 1) return false;
  }
  return true;
}

Tensor sum_to(const Tensor& t, IntArrayRef shape) {
  if (t.sizes() == shape) return t;
  size_t lead = t.dim() - shape.size();
  std::vector<int64_t> dims;
  for (size_t i = 0; i < lead; ++i) dims.push_back(static_cast<int64_t>(i));
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == 1 && t.size(lead + i) != 1) dims.push_back(static_cast<int64_t>(lead + i));
  Tensor r = dims.empty() ? t : t.sum(dims, /*keepdim=*/true);
  return lead ? r.reshape(shape) : (r.sizes() == shape ? r : r.reshape(shape));
}

uint64_t dim_mask(IntArrayRef dims, int64_t ndim, const char* op) {
  KILN_CHECK(ndim <= 64, op, ": tensors of more than 64 dimensions are not supported");
  uint64_t mask = 0;
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, ndim, op);
    KILN_CHECK(!(mask >> w & 1), op, ": dim ", w, " appears multiple times in the list of dims");
    mask |= uint64_t{1} << w;
  }
  return mask;
}

}  // namespace kiln::core

namespace kiln {

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
