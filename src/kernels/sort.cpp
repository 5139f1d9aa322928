#include "kernels/sort.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "kernels/lines.h"
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

// The indices ordering the first `k` of each line (all of it when k == n).
Tensor ordered_indices(const Tensor& x, int64_t k, int64_t dim, bool descending, const char* op) {
  const TensorImpl& xi = core::body(x, op);
  Shape sizes(xi.sizes);
  if (sizes.empty()) return core::empty({}, kInt64).zero_();
  sizes[dim] = k;
  Tensor out = core::empty(sizes, kInt64);
  int64_t n = xi.sizes[dim], stride = xi.strides[dim];
  if (out.numel() == 0) return out;
  // The lines are every dim but `dim`, in x and in the contiguous result alike.
  Group lines_in, along_in, lines_out, along_out;
  split_groups(x, uint64_t{1} << dim, lines_in, along_in, op);
  split_groups(out, uint64_t{1} << dim, lines_out, along_out, op);
  const int64_t out_stride = out.stride(dim);
  int64_t* o = out.data_ptr<int64_t>();
  core::dispatch(xi.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* data = reinterpret_cast<const T*>(xi.data());
    parallel_for(lines_in.numel, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)), [&](int64_t b, int64_t e) {
      std::vector<int64_t> idx(static_cast<size_t>(n));
      for (int64_t line = b; line < e; ++line) {
        std::iota(idx.begin(), idx.end(), int64_t{0});
        const T* v = data + lines_in.offset(line);
        // Ties keep their original order (the index decides), so the result
        // does not depend on the algorithm.
        auto before = [&](int64_t a, int64_t c) {
          T va = v[a * stride], vc = v[c * stride];
          if (descending ? ascending(vc, va) : ascending(va, vc)) return true;
          if (descending ? ascending(va, vc) : ascending(vc, va)) return false;
          return a < c;
        };
        if (k == n)
          std::sort(idx.begin(), idx.end(), before);
        else
          std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), before);
        int64_t* line_out = o + lines_out.offset(line);
        for (int64_t j = 0; j < k; ++j) line_out[j * out_stride] = idx[static_cast<size_t>(j)];
      }
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
