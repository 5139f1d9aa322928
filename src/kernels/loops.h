// The element-wise engine: out[i] = f(in0[i], in1[i], ...) over strided,
// broadcast operands. Dims are coalesced, the innermost dim runs as a plain
// loop (vectorised when operands are contiguous or broadcast scalars), and
// large loops are split across threads.
#pragma once
#include <array>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "core/tensor_impl.h"
#include "kernels/parallel.h"

namespace kiln::kernels {

constexpr int kMaxLoopDims = 25;  // as PyTorch's TensorIterator

// Geometry of one loop over N operands (operand 0 is the output).
template <size_t N>
struct LoopPlan {
  int ndim = 0;
  int64_t numel = 1;
  int64_t shape[kMaxLoopDims];
  int64_t strides[N][kMaxLoopDims];  // in elements, 0 where broadcast
  char* data[N];
};

// Operand k's geometry, right-aligned to `shape` with broadcast dims at stride 0.
template <size_t N>
void set_operand(LoopPlan<N>& plan, size_t k, char* data, IntArrayRef sizes, IntArrayRef strides) {
  plan.data[k] = data;
  int lead = plan.ndim - static_cast<int>(sizes.size());
  for (int d = 0; d < plan.ndim; ++d) {
    int s = d - lead;
    plan.strides[k][d] = (s < 0 || sizes[s] == 1) ? 0 : strides[s];
  }
}

// Drops size-1 dims and merges neighbours that are contiguous in every operand.
template <size_t N>
void coalesce(LoopPlan<N>& p) {
  int out = 0;
  for (int d = 0; d < p.ndim; ++d) {
    if (p.shape[d] == 1) continue;
    if (out > 0) {
      bool mergeable = true;
      for (size_t k = 0; k < N; ++k)
        mergeable &= p.strides[k][out - 1] == p.strides[k][d] * p.shape[d];
      if (mergeable) {
        p.shape[out - 1] *= p.shape[d];
        for (size_t k = 0; k < N; ++k) p.strides[k][out - 1] = p.strides[k][d];
        continue;
      }
    }
    p.shape[out] = p.shape[d];
    for (size_t k = 0; k < N; ++k) p.strides[k][out] = p.strides[k][d];
    ++out;
  }
  if (out == 0) {  // a single element
    p.shape[0] = 1;
    for (size_t k = 0; k < N; ++k) p.strides[k][0] = 0;
    out = 1;
  }
  p.ndim = out;
}

template <size_t N>
LoopPlan<N> make_plan(IntArrayRef shape) {
  LoopPlan<N> plan;
  KILN_CHECK(shape.size() <= kMaxLoopDims, "element-wise op: tensors of more than ", kMaxLoopDims,
             " dims are not supported, got ", shape);
  plan.ndim = static_cast<int>(shape.size());
  for (int d = 0; d < plan.ndim; ++d) {
    plan.shape[d] = shape[d];
    plan.numel *= shape[d];
  }
  return plan;
}

namespace detail {

// Contiguous inner loop; bit I of M marks input I as a broadcast scalar.
template <unsigned M, class Out, class... In, class F, size_t... I>
void contiguous_loop(int64_t n, Out* out, const std::tuple<const In*...>& in, F& f, std::index_sequence<I...>) {
  const std::tuple<In...> scalar{((M >> I) & 1 ? std::get<I>(in)[0] : In{})...};
  for (int64_t i = 0; i < n; ++i) out[i] = f(((M >> I) & 1 ? std::get<I>(scalar) : std::get<I>(in)[i])...);
}

template <class Out, class... In, class F, size_t... I, unsigned... Masks>
void dispatch_mask(unsigned mask, int64_t n, Out* out, const std::tuple<const In*...>& in, F& f,
                   std::index_sequence<I...> seq, std::integer_sequence<unsigned, Masks...>) {
  (void)((mask == Masks ? (contiguous_loop<Masks>(n, out, in, f, seq), true) : false) || ...);
}

template <class Out, class... In, class F, size_t... I>
void inner_loop(int64_t n, char* const* p, const int64_t* s, F& f, std::index_sequence<I...> seq) {
  Out* out = reinterpret_cast<Out*>(p[0]);
  std::tuple<const In*...> in{reinterpret_cast<const In*>(p[I + 1])...};
  // A functor that also maps whole arrays (f(out, in, n), e.g. the vectorised
  // math of kernels/vector_math.h) gets every unit-stride row in one call.
  if constexpr (sizeof...(In) == 1 && std::is_invocable_v<F&, Out*, const In*..., int64_t>) {
    if (s[0] == 1 && s[1] == 1) return f(out, std::get<0>(in), n);
  }
  if (s[0] == 1 && ((s[I + 1] == 0 || s[I + 1] == 1) && ...)) {
    unsigned mask = ((unsigned(s[I + 1] == 0) << I) | ... | 0u);
    dispatch_mask(mask, n, out, in, f, seq, std::make_integer_sequence<unsigned, (1u << sizeof...(In))>{});
    return;
  }
  for (int64_t i = 0; i < n; ++i) out[i * s[0]] = f(std::get<I>(in)[i * s[I + 1]]...);
}

}  // namespace detail

// Runs f over the plan's elements [begin, end) in row-major order.
template <class Out, class... In, class F, size_t N>
void run_range(const LoopPlan<N>& p, int64_t begin, int64_t end, F& f) {
  constexpr int64_t elem[N] = {sizeof(Out), sizeof(In)...};
  const int nd = p.ndim;
  int64_t idx[kMaxLoopDims];
  int64_t rest = begin;
  for (int d = nd - 1; d >= 0; --d) {
    idx[d] = rest % p.shape[d];
    rest /= p.shape[d];
  }
  char* ptr[N];
  int64_t inner_strides[N];
  auto locate = [&] {
    for (size_t k = 0; k < N; ++k) {
      int64_t off = 0;
      for (int d = 0; d < nd; ++d) off += idx[d] * p.strides[k][d];
      ptr[k] = p.data[k] + off * elem[k];
    }
  };
  for (size_t k = 0; k < N; ++k) inner_strides[k] = p.strides[k][nd - 1];
  locate();
  for (int64_t i = begin; i < end;) {
    int64_t len = std::min(p.shape[nd - 1] - idx[nd - 1], end - i);
    detail::inner_loop<Out, In...>(len, ptr, inner_strides, f, std::index_sequence_for<In...>{});
    i += len;
    if (i >= end) break;
    idx[nd - 1] = 0;  // carry into the outer dims
    for (int d = nd - 2; d >= 0; --d) {
      if (++idx[d] < p.shape[d]) break;
      idx[d] = 0;
    }
    locate();
  }
}

// Runs f over every element of the plan, in parallel above the grain size.
template <class Out, class... In, class F, size_t N>
void run(LoopPlan<N>& p, F f) {
  static_assert(N == 1 + sizeof...(In));
  coalesce(p);
  if (p.numel == 0) return;
  if (p.ndim == 1 && p.numel < 2 * kGrainSize) {  // one small flat loop: no index bookkeeping
    int64_t strides[N];
    for (size_t k = 0; k < N; ++k) strides[k] = p.strides[k][0];
    return detail::inner_loop<Out, In...>(p.numel, p.data, strides, f, std::index_sequence_for<In...>{});
  }
  parallel_for(p.numel, kGrainSize, [&](int64_t begin, int64_t end) { run_range<Out, In...>(p, begin, end, f); });
}

}  // namespace kiln::kernels
