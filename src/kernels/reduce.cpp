#include "kernels/reduce.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kernels/elementwise.h"
#include "kernels/lines.h"
#include "kernels/math.h"
#include "kernels/parallel.h"

namespace kiln::kernels {
namespace {

// Accumulation: float sums in double, integer sums in int64.
template <class T> struct AccOf { using type = T; };
template <> struct AccOf<float> { using type = double; };
template <> struct AccOf<int32_t> { using type = int64_t; };
template <> struct AccOf<bool> { using type = int64_t; };

template <Reduce op, class Acc>
struct Policy;
template <class Acc> struct Policy<Reduce::Sum, Acc> {
  static Acc init() { return Acc(0); }
  static Acc step(Acc a, Acc x) { return a + x; }
};
template <class Acc> struct Policy<Reduce::Prod, Acc> {
  static Acc init() { return Acc(1); }
  static Acc step(Acc a, Acc x) { return a * x; }
};
template <class Acc> struct Policy<Reduce::Max, Acc> {
  static Acc init() { return std::numeric_limits<Acc>::has_infinity ? -std::numeric_limits<Acc>::infinity() : std::numeric_limits<Acc>::lowest(); }
  static Acc step(Acc a, Acc x) { return nan_max(a, x); }
};
template <class Acc> struct Policy<Reduce::Min, Acc> {
  static Acc init() { return std::numeric_limits<Acc>::has_infinity ? std::numeric_limits<Acc>::infinity() : std::numeric_limits<Acc>::max(); }
  static Acc step(Acc a, Acc x) { return nan_min(a, x); }
};
template <class Acc> struct Policy<Reduce::All, Acc> {
  static Acc init() { return Acc(1); }
  static Acc step(Acc a, Acc x) { return a && x; }
};
template <class Acc> struct Policy<Reduce::Any, Acc> {
  static Acc init() { return Acc(0); }
  static Acc step(Acc a, Acc x) { return a || x; }
};

// Reduces a contiguous run with 16 independent accumulators (SIMD lanes).
template <Reduce op, class Acc, class T>
Acc reduce_run(const T* p, int64_t n) {
  using P = Policy<op, Acc>;
  if constexpr (op == Reduce::Sum && std::is_same_v<T, float> && std::is_same_v<Acc, double>) {
    // Float lanes over short chunks (full SIMD width, at most 32 adds per
    // lane), chunk totals in double: cascade-like accuracy at read bandwidth.
    constexpr int kFloatLanes = 32;
    constexpr int64_t kChunk = 1024;
    double total = 0;
    for (int64_t c = 0; c < n; c += kChunk) {
      const int64_t m = std::min(kChunk, n - c);
      const float* q = p + c;
      float lanes[kFloatLanes] = {};
      int64_t i = 0;
      for (; i + kFloatLanes <= m; i += kFloatLanes)
        for (int j = 0; j < kFloatLanes; ++j) lanes[j] += q[i + j];
      double chunk = 0;
      for (int j = 0; j < kFloatLanes; ++j) chunk += lanes[j];
      for (; i < m; ++i) chunk += q[i];
      total += chunk;
    }
    return total;
  }
  constexpr int kLanes = 16;
  Acc lanes[kLanes];
  for (Acc& l : lanes) l = P::init();
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) lanes[j] = P::step(lanes[j], static_cast<Acc>(p[i + j]));
  Acc acc = P::init();
  for (int j = 0; j < kLanes; ++j) acc = P::step(acc, lanes[j]);
  for (; i < n; ++i) acc = P::step(acc, static_cast<Acc>(p[i]));
  return acc;
}

// Block of a long contiguous run handled by one thread (full reductions and scans).
constexpr int64_t kSplitBlock = int64_t{1} << 18;

// Inclusive sum of a contiguous run starting from `carry`, eight lanes at a
// time (GCC/clang vector extensions): an in-register prefix (three shifted adds) plus the running carry, so
// the serial dependency is one add per eight elements. Accumulates in double.
typedef double v8d __attribute__((vector_size(64)));
typedef float v8f __attribute__((vector_size(32)));

template <class T>
double scan_run(const T* s, T* d, int64_t n, double carry) {
  using v8t = std::conditional_t<std::is_same_v<T, float>, v8f, v8d>;
  const v8d zero = {};
  v8d c = zero + carry;
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    v8t raw;
    std::memcpy(&raw, s + i, sizeof raw);
    v8d x = __builtin_convertvector(raw, v8d);
    x += __builtin_shufflevector(zero, x, 0, 8, 9, 10, 11, 12, 13, 14);
    x += __builtin_shufflevector(zero, x, 0, 1, 8, 9, 10, 11, 12, 13);
    x += __builtin_shufflevector(zero, x, 0, 1, 2, 3, 8, 9, 10, 11);
    x += c;
    c = __builtin_shufflevector(x, x, 7, 7, 7, 7, 7, 7, 7, 7);
    raw = __builtin_convertvector(x, v8t);
    std::memcpy(d + i, &raw, sizeof raw);
  }
  carry = c[0];
  for (; i < n; ++i) {
    carry += static_cast<double>(s[i]);
    d[i] = static_cast<T>(carry);
  }
  return carry;
}

// cumsum of one contiguous line: block sums (in parallel), their exclusive
// prefix, then every block scanned from its offset (in parallel).
template <class T>
void scan_line(const T* s, T* d, int64_t n) {
  const int64_t blocks = (n + kSplitBlock - 1) / kSplitBlock;
  if (blocks < 2) {
    scan_run(s, d, n, 0.0);
    return;
  }
  auto len = [&](int64_t k) { return std::min(kSplitBlock, n - k * kSplitBlock); };
  std::vector<double> offset(static_cast<size_t>(blocks));
  parallel_for(blocks, 1, [&](int64_t b, int64_t e) {
    for (int64_t k = b; k < e; ++k) offset[k] = reduce_run<Reduce::Sum, double>(s + k * kSplitBlock, len(k));
  });
  double running = 0;
  for (double& o : offset) running += std::exchange(o, running);
  parallel_for(blocks, 1, [&](int64_t b, int64_t e) {
    for (int64_t k = b; k < e; ++k) scan_run(s + k * kSplitBlock, d + k * kSplitBlock, len(k), offset[k]);
  });
}

template <Reduce op, class T, class Out>
void reduce_typed(const T* in, Out* out, const Group& kept, const Group& red) {
  using Acc = std::conditional_t<op == Reduce::All || op == Reduce::Any, bool,
                                 std::conditional_t<op == Reduce::Max || op == Reduce::Min, T, typename AccOf<T>::type>>;
  using P = Policy<op, Acc>;
  const int64_t K = kept.numel, R = red.numel;
  bool red_contiguous = red.n <= 1 && (red.n == 0 || red.stride[0] == 1);
  bool kept_contiguous = kept.n >= 1 && kept.stride[kept.n - 1] == 1;
  if (red_contiguous && K == 1 && R >= 2 * kSplitBlock) {
    // One long run (a full reduction): fixed-size blocks across threads, so
    // the result does not depend on the thread count.
    const int64_t blocks = (R + kSplitBlock - 1) / kSplitBlock;
    std::vector<Acc> partial(static_cast<size_t>(blocks));
    parallel_for(blocks, 1, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k)
        partial[k] = reduce_run<op, Acc>(in + k * kSplitBlock, std::min(kSplitBlock, R - k * kSplitBlock));
    });
    Acc acc = P::init();
    for (Acc v : partial) acc = P::step(acc, v);
    out[0] = static_cast<Out>(acc);
    return;
  }
  if (red_contiguous) {
    parallel_for(K, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(R, 1)), [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) out[o] = static_cast<Out>(reduce_run<op, Acc>(in + kept.offset(o), R));
    });
    return;
  }
  if (kept_contiguous) {
    // Rows of the innermost kept dim, accumulated across the reduced dims.
    const int64_t inner = kept.size[kept.n - 1];
    const int64_t rows = K / inner;
    Group outer_kept = kept;
    outer_kept.n -= 1;
    parallel_for(inner, std::max<int64_t>(64, kGrainSize / std::max<int64_t>(R, 1)), [&](int64_t b, int64_t e) {
      std::unique_ptr<Acc[]> acc_buf(new Acc[static_cast<size_t>(e - b)]);
      Acc* acc_begin = acc_buf.get();
      for (int64_t row = 0; row < rows; ++row) {
        std::fill(acc_begin, acc_begin + (e - b), P::init());
        const T* base = in + outer_kept.offset(row) + b;
        for (int64_t r = 0; r < R; ++r) {
          const T* p = base + red.offset(r);
          Acc* a = acc_begin;
          const int64_t len = e - b;
          for (int64_t j = 0; j < len; ++j) a[j] = P::step(a[j], static_cast<Acc>(p[j]));
        }
        Out* o = out + row * inner + b;
        for (int64_t j = 0; j < e - b; ++j) o[j] = static_cast<Out>(acc_begin[j]);
      }
    });
    return;
  }
  parallel_for(K, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(R, 1)), [&](int64_t b, int64_t e) {
    for (int64_t o = b; o < e; ++o) {
      const T* base = in + kept.offset(o);
      Acc acc = P::init();
      for (int64_t r = 0; r < R; ++r) acc = P::step(acc, static_cast<Acc>(base[red.offset(r)]));
      out[o] = static_cast<Out>(acc);
    }
  });
}

}  // namespace

Shape reduced_shape(IntArrayRef sizes, uint64_t mask, bool keepdim) {
  Shape s;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (!(mask >> d & 1)) s.push_back(sizes[d]);
    else if (keepdim) s.push_back(1);
  }
  return s;
}

Tensor reduce(Reduce op, const Tensor& x, uint64_t mask, bool keepdim, ScalarType out_dtype) {
  Tensor out = core::empty(reduced_shape(x.sizes(), mask, keepdim), out_dtype);
  Group kept, red;
  split_groups(x, mask, kept, red);
  // Sums and products run in the output dtype; extrema in the input's.
  ScalarType in_dtype = (op == Reduce::Sum || op == Reduce::Prod) ? out_dtype : x.dtype();
  Tensor in = x.dtype() == in_dtype ? x : x.to(in_dtype);
  if (!in.is_same(x)) {
    kept = Group();
    red = Group();
    split_groups(in, mask, kept, red);
  }
  core::dispatch(in_dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = static_cast<const T*>(in.data_ptr());
    core::dispatch(out_dtype, [&](auto otag) {
      using O = typename decltype(otag)::type;
      O* o = static_cast<O*>(out.data_ptr());
      switch (op) {
        case Reduce::Sum: return reduce_typed<Reduce::Sum, T, O>(p, o, kept, red);
        case Reduce::Prod: return reduce_typed<Reduce::Prod, T, O>(p, o, kept, red);
        case Reduce::Max: return reduce_typed<Reduce::Max, T, O>(p, o, kept, red);
        case Reduce::Min: return reduce_typed<Reduce::Min, T, O>(p, o, kept, red);
        case Reduce::All: return reduce_typed<Reduce::All, T, O>(p, o, kept, red);
        case Reduce::Any: return reduce_typed<Reduce::Any, T, O>(p, o, kept, red);
      }
    });
  });
  return out;
}

std::tuple<Tensor, Tensor> arg_reduce(bool is_max, const Tensor& x, int64_t dim, bool keepdim) {
  uint64_t mask = uint64_t{1} << dim;
  if (x.dim() == 0) mask = 0;
  Shape shape = reduced_shape(x.sizes(), mask, keepdim);
  Tensor values = core::empty(shape, x.dtype()), indices = core::empty(shape, kInt64);
  Group kept, red;
  split_groups(x, mask, kept, red);
  const int64_t R = x.dim() == 0 ? 1 : x.size(dim);
  const int64_t step = x.dim() == 0 ? 0 : x.stride(dim);
  core::dispatch(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = static_cast<const T*>(x.data_ptr());
    T* v = static_cast<T*>(values.data_ptr());
    int64_t* ix = indices.data_ptr<int64_t>();
    parallel_for(kept.numel, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(R, 1)), [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) {
        const T* p = in + kept.offset(o);
        T best = p[0];
        int64_t where = 0;
        for (int64_t r = 1; r < R; ++r) {
          T c = p[r * step];
          bool better;
          if constexpr (std::is_floating_point_v<T>) {
            if (best != best) break;  // NaN wins and stays
            better = c != c || (is_max ? c > best : c < best);
          } else {
            better = is_max ? c > best : c < best;
          }
          if (better) {
            best = c;
            where = r;
          }
        }
        v[o] = best;
        ix[o] = where;
      }
    });
  });
  return {values, indices};
}

Tensor scan(bool is_sum, const Tensor& x, int64_t dim, ScalarType out_dtype) {
  Tensor in = x.dtype() == out_dtype ? x : x.to(out_dtype);
  Tensor out = core::empty(x.sizes(), out_dtype);
  if (x.numel() == 0) return out;
  int64_t n = x.dim() == 0 ? 1 : x.size(dim);
  int64_t in_step = x.dim() == 0 ? 0 : in.stride(dim), out_step = x.dim() == 0 ? 0 : out.stride(dim);
  // The lines to scan are the kept dims; the scanned dim is walked by its step.
  Group lines_in, lines_out, scanned_in, scanned_out;
  uint64_t mask = x.dim() == 0 ? 0 : uint64_t{1} << dim;
  split_groups(in, mask, lines_in, scanned_in);
  split_groups(out, mask, lines_out, scanned_out);
  core::dispatch(out_dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Acc = typename AccOf<T>::type;
    const T* src = static_cast<const T*>(in.data_ptr());
    T* dst = static_cast<T*>(out.data_ptr());
    if constexpr (std::is_floating_point_v<T>) {
      if (is_sum && in_step == 1 && out_step == 1) {  // contiguous lines: the vectorised scan
        if (lines_in.numel == 1) return scan_line(src + lines_in.offset(0), dst + lines_out.offset(0), n);
        return parallel_for(lines_in.numel, std::max<int64_t>(1, kGrainSize / n), [&](int64_t b, int64_t e) {
          for (int64_t l = b; l < e; ++l) scan_run(src + lines_in.offset(l), dst + lines_out.offset(l), n, 0.0);
        });
      }
    }
    parallel_for(lines_in.numel, std::max<int64_t>(1, kGrainSize / n), [&](int64_t b, int64_t e) {
      for (int64_t l = b; l < e; ++l) {
        const T* s = src + lines_in.offset(l);
        T* d = dst + lines_out.offset(l);
        Acc acc = is_sum ? Acc(0) : Acc(1);
        for (int64_t i = 0; i < n; ++i) {
          acc = is_sum ? acc + static_cast<Acc>(s[i * in_step]) : acc * static_cast<Acc>(s[i * in_step]);
          d[i * out_step] = static_cast<T>(acc);
        }
      }
    });
  });
  return out;
}

}  // namespace kiln::kernels
