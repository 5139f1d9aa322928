// Row-wise (log-)softmax, rows split across threads.
#include "kernels/softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "kernels/parallel.h"
#include "kernels/vector_math.h"

namespace kiln::kernels {

Tensor softmax_last_dim(const Tensor& x, bool log) {
  Tensor out = core::empty(x.sizes(), x.dtype());
  int64_t n = x.dim() == 0 ? 1 : x.size(-1);
  if (x.numel() == 0 || n == 0) return out;
  int64_t rows = x.numel() / n;
  core::dispatch_floating(x.dtype(), log ? "log_softmax" : "softmax", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = reinterpret_cast<const T*>(impl(x)->data());
    T* res = reinterpret_cast<T*>(impl(out)->data());
    // Grain in rows: about kGrainSize elements per thread chunk.
    int64_t grain = std::max<int64_t>(1, kGrainSize / n);
    parallel_for(rows, grain, [&](int64_t begin, int64_t end) {
      std::vector<T> scratch(log ? static_cast<size_t>(n) : 0);
      for (int64_t r = begin; r < end; ++r) {
        const T* row = in + r * n;
        T* o = res + r * n;
        T m = -std::numeric_limits<T>::infinity();
        for (int64_t j = 0; j < n; ++j) m = row[j] > m || row[j] != row[j] ? row[j] : m;
        if (std::isinf(m)) m = m > 0 ? m : T(0);  // an all -inf row: no shift (gives nan / -inf as torch)
        for (int64_t j = 0; j < n; ++j) o[j] = row[j] - m;
        T* e = log ? scratch.data() : o;
        vector_math::exp_array(e, o, n);
        T sum = 0;
        for (int64_t j = 0; j < n; ++j) sum += e[j];
        if (log) {
          T shift = std::log(sum);
          for (int64_t j = 0; j < n; ++j) o[j] -= shift;
        } else {
          T inv = T(1) / sum;
          for (int64_t j = 0; j < n; ++j) o[j] *= inv;
        }
      }
    });
  });
  return out;
}

}  // namespace kiln::kernels
