#include "kernels/sort.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "kernels/parallel.h"

namespace kiln::kernels {
namespace {

template <class T>
bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>)
    return std::isnan(v);
  else
    return false;
}
// a before b in ascending order, NaN last.
template <class T>
bool ascending(T a, T b) {
  return !is_nan(a) && (is_nan(b) || a < b);
}

// Calls f(line, in, out) for every line along `dim`: `in` is the offset of
// the line's first element in x (elements `stride` apart), `out` the offset
// of its first element in a contiguous result whose size along `dim` is `m`.
template <class F>
void for_each_line(const TensorImpl& x, int64_t dim, int64_t m, F&& f) {
  int64_t lines = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(x.sizes.size()); ++d)
    if (d != dim) lines *= x.sizes[d];
  int64_t inner = 1;  // the contiguous result's stride along dim
  for (int64_t d = dim + 1; d < static_cast<int64_t>(x.sizes.size()); ++d) inner *= x.sizes[d];
  int64_t n = x.sizes[dim];
  parallel_for(lines, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)), [&](int64_t begin, int64_t end) {
    for (int64_t line = begin; line < end; ++line) {
      // line = outer * inner + i: the coordinates before and after dim.
      int64_t outer = line / inner, rest = line % inner, in = 0;
      for (int64_t d = static_cast<int64_t>(x.sizes.size()) - 1, r = rest; d > dim; --d) {
        in += (r % x.sizes[d]) * x.strides[d];
        r /= x.sizes[d];
      }
      for (int64_t d = dim - 1, o = outer; d >= 0; --d) {
        in += (o % x.sizes[d]) * x.strides[d];
        o /= x.sizes[d];
      }
      f(in, outer * m * inner + rest, inner);
    }
  });
}

// The indices ordering the first `k` of each line (all of it when k == n).
Tensor ordered_indices(const Tensor& x, int64_t k, int64_t dim, bool descending, const char* op) {
  const TensorImpl& xi = core::body(x, op);
  Shape sizes(xi.sizes);
  if (sizes.empty()) return core::empty({}, kInt64).zero_();
  sizes[dim] = k;
  Tensor out = core::empty(sizes, kInt64);
  int64_t n = xi.sizes[dim], stride = xi.strides[dim];
  if (out.numel() == 0) return out;
  int64_t* o = out.data_ptr<int64_t>();
  core::dispatch(xi.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* data = reinterpret_cast<const T*>(xi.data());
    for_each_line(xi, dim, k, [&](int64_t in, int64_t out_offset, int64_t out_stride) {
      std::vector<int64_t> idx(static_cast<size_t>(n));
      std::iota(idx.begin(), idx.end(), int64_t{0});
      const T* v = data + in;
      // Ties keep their original order (the index decides), so the result
      // does not depend on the algorithm.
      auto before = [&](int64_t a, int64_t b) {
        T va = v[a * stride], vb = v[b * stride];
        if (descending ? ascending(vb, va) : ascending(va, vb)) return true;
        if (descending ? ascending(va, vb) : ascending(vb, va)) return false;
        return a < b;
      };
      if (k == n)
        std::sort(idx.begin(), idx.end(), before);
      else
        std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), before);
      for (int64_t j = 0; j < k; ++j) o[out_offset + j * out_stride] = idx[static_cast<size_t>(j)];
    });
  });
  return out;
}

}  // namespace

Tensor sort_indices(const Tensor& x, int64_t dim, bool descending) {
  return ordered_indices(x, x.dim() == 0 ? 1 : x.size(dim), dim, descending, "sort");
}

Tensor topk_indices(const Tensor& x, int64_t k, int64_t dim, bool largest) {
  return ordered_indices(x, k, dim, largest, "topk");
}

}  // namespace kiln::kernels
