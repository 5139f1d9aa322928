#include "kernels/index.h"

#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kernels/elementwise.h"
#include "kernels/parallel.h"

namespace kiln::kernels {
namespace {

// Calls f(i, offset) for the row-major positions [begin, end) of a geometry,
// carrying a coordinate odometer instead of dividing per element.
template <class F>
void walk(IntArrayRef sizes, IntArrayRef strides, int64_t begin, int64_t end, F&& f) {
  if (begin >= end) return;
  const int64_t nd = static_cast<int64_t>(sizes.size());
  Shape idx(sizes.size());
  int64_t off = 0, rest = begin;
  for (int64_t d = nd - 1; d >= 0; --d) {
    idx[d] = rest % sizes[d];
    rest /= sizes[d];
    off += idx[d] * strides[d];
  }
  for (int64_t i = begin; i < end; ++i) {
    f(i, off);
    for (int64_t d = nd - 1; d >= 0; --d) {  // carry
      off += strides[d];
      if (++idx[d] < sizes[d]) break;
      off -= strides[d] * sizes[d];
      idx[d] = 0;
    }
  }
}

Tensor contiguous_int64(const Tensor& offsets) {
  KILN_CHECK(offsets.dtype() == kInt64, "take/put: offsets must be int64, got ", offsets.dtype());
  return offsets.is_contiguous() ? offsets : offsets.contiguous();
}

}  // namespace

Tensor offset_grid(IntArrayRef sizes, IntArrayRef strides) {
  Tensor out = core::empty(sizes, kInt64);
  int64_t* o = reinterpret_cast<int64_t*>(impl(out)->data());
  parallel_for(impl(out)->numel, kGrainSize, [&](int64_t b, int64_t e) {
    walk(sizes, strides, b, e, [o](int64_t i, int64_t off) { o[i] = off; });
  });
  return out;
}

Tensor take(const Tensor& src, const Tensor& offsets) {
  Tensor off = contiguous_int64(offsets);
  Tensor out = core::empty(off.sizes(), src.dtype());
  const int64_t* p = reinterpret_cast<const int64_t*>(impl(off)->data());
  core::dispatch(src.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* s = reinterpret_cast<const T*>(impl(src)->data());
    T* o = reinterpret_cast<T*>(impl(out)->data());
    parallel_for(impl(out)->numel, kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) o[i] = s[p[i]];
    });
  });
  return out;
}

void put(const Tensor& dst, const Tensor& offsets, const Tensor& values, bool accumulate) {
  Tensor off = contiguous_int64(offsets);
  // Values in dst's dtype and offsets' layout, so the loop reads both linearly.
  Tensor vals = core::empty(off.sizes(), dst.dtype());
  copy(vals, values);
  const int64_t* p = reinterpret_cast<const int64_t*>(impl(off)->data());
  const int64_t n = impl(off)->numel;
  core::dispatch(dst.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* d = reinterpret_cast<T*>(impl(dst)->data());
    const T* v = reinterpret_cast<const T*>(impl(vals)->data());
    // Serial: repeated offsets would race, and last-write-wins must be ordered.
    if (accumulate) {
      for (int64_t i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<T, bool>)
          d[p[i]] = d[p[i]] || v[i];
        else
          d[p[i]] += v[i];
      }
    } else {
      for (int64_t i = 0; i < n; ++i) d[p[i]] = v[i];
    }
  });
}

Tensor nonzero(const Tensor& x) {
  TensorImpl* xi = impl(x);
  const int64_t nd = x.dim(), numel = xi->numel;
  IntArrayRef sizes = xi->sizes, strides = xi->strides;
  return core::dispatch(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* s = reinterpret_cast<const T*>(xi->data());
    int64_t count = 0;
    walk(sizes, strides, 0, numel, [&](int64_t, int64_t off) { count += s[off] != T(0); });
    Tensor out = core::empty({count, nd}, kInt64);
    int64_t* o = reinterpret_cast<int64_t*>(impl(out)->data());
    Shape idx(sizes.size());
    walk(sizes, strides, 0, numel, [&](int64_t i, int64_t off) {
      if (s[off] != T(0)) {
        int64_t rest = i;  // only hits pay for the coordinates
        for (int64_t d = nd - 1; d >= 0; --d) {
          idx[d] = rest % sizes[d];
          rest /= sizes[d];
        }
        for (int64_t d = 0; d < nd; ++d) *o++ = idx[d];
      }
    });
    return out;
  });
}

Tensor flip(const Tensor& x, uint64_t mask) {
  TensorImpl* xi = impl(x);
  // Read x through negated strides from the far end of each flipped dim.
  Shape strides(xi->strides);
  int64_t start = 0;
  if (xi->numel > 0)
    for (int64_t d = 0; d < x.dim(); ++d)
      if (mask >> d & 1) {
        start += (xi->sizes[d] - 1) * strides[d];
        strides[d] = -strides[d];
      }
  Tensor out = core::empty(xi->sizes, xi->dtype);
  IntArrayRef sizes = xi->sizes;
  core::dispatch(xi->dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* s = reinterpret_cast<const T*>(xi->data()) + start;
    T* o = reinterpret_cast<T*>(impl(out)->data());
    parallel_for(xi->numel, kGrainSize, [&](int64_t b, int64_t e) {
      walk(sizes, strides, b, e, [&](int64_t i, int64_t off) { o[i] = s[off]; });
    });
  });
  return out;
}

}  // namespace kiln::kernels
