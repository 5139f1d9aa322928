// GELU and layer-norm loops; rows and element ranges split across threads.
#include "kernels/activation.h"

#include <cmath>
#include <numbers>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "kernels/parallel.h"

namespace kiln::kernels {
namespace {
template <class T>
T* data(const Tensor& t) {
  return t.defined() ? reinterpret_cast<T*>(impl(t)->data()) : nullptr;
}
}  // namespace

Tensor gelu(const Tensor& x, bool tanh_approximation) {
  Tensor out = core::empty(x.sizes(), x.dtype());
  core::dispatch_floating(x.dtype(), "gelu", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = data<T>(x);
    T* o = data<T>(out);
    const T k = static_cast<T>(std::sqrt(2 / std::numbers::pi)), c = static_cast<T>(0.044715),
            r2 = static_cast<T>(1 / std::numbers::sqrt2);
    parallel_for(x.numel(), kGrainSize, [&](int64_t begin, int64_t end) {
      if (tanh_approximation)
        for (int64_t i = begin; i < end; ++i) {
          T v = in[i];
          o[i] = T(0.5) * v * (T(1) + std::tanh(k * (v + c * v * v * v)));
        }
      else
        for (int64_t i = begin; i < end; ++i) o[i] = T(0.5) * in[i] * (T(1) + std::erf(in[i] * r2));
    });
  });
  return out;
}

std::tuple<Tensor, Tensor, Tensor> layer_norm_rows(const Tensor& x, const Tensor& weight, const Tensor& bias,
                                                   double eps) {
  int64_t rows = x.size(0), n = x.size(1);
  Tensor out = core::empty(x.sizes(), x.dtype());
  Tensor mean = core::empty({rows}, x.dtype()), rstd = core::empty({rows}, x.dtype());
  core::dispatch_floating(x.dtype(), "layer_norm", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = data<T>(x);
    const T *w = data<T>(weight), *b = data<T>(bias);
    T *o = data<T>(out), *mu = data<T>(mean), *rs = data<T>(rstd);
    parallel_for(rows, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)), [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const T* row = in + r * n;
        double s = 0;
        for (int64_t j = 0; j < n; ++j) s += row[j];
        double m = n ? s / static_cast<double>(n) : 0.0;
        double ss = 0;  // two passes: no cancellation for rows far from zero
        for (int64_t j = 0; j < n; ++j) ss += (row[j] - m) * (row[j] - m);
        double inv = 1 / std::sqrt((n ? ss / static_cast<double>(n) : 0.0) + eps);
        mu[r] = static_cast<T>(m);
        rs[r] = static_cast<T>(inv);
        const T tm = static_cast<T>(m), ti = static_cast<T>(inv);
        T* orow = o + r * n;
        for (int64_t j = 0; j < n; ++j) {
          T v = (row[j] - tm) * ti;
          if (w) v *= w[j];
          if (b) v += b[j];
          orow[j] = v;
        }
      }
    });
  });
  return {out, mean, rstd};
}

}  // namespace kiln::kernels
