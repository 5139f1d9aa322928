// Ops composed of other ops: exact and fast enough that they need no
// derivative of their own (theirs follows from their parts').
#include <algorithm>

#include "core/broadcast.h"
#include "core/dims.h"
#include "core/promotion.h"
#include "kiln/functions.h"

namespace kiln {
namespace {
// x in a floating dtype (integers go to the default dtype), or in `dtype`.
Tensor floating(const Tensor& x, std::optional<ScalarType> dtype = std::nullopt) {
  return x.to(dtype.value_or(core::to_floating(x.dtype())));
}
}  // namespace

// ---- moments
Tensor var(const Tensor& x, OptionalIntArrayRef dim, bool unbiased, bool keepdim) {
  KILN_CHECK(is_floating_point(x.dtype()), "var: expected a floating-point input, got ", x.dtype());
  Shape dims = core::dims_of(core::reduction_mask(dim.value_or({}), x.dim(), "var"), x.dim());
  int64_t n = 1;
  for (int64_t d : dims) n *= x.size(d);
  Tensor centered = x - x.mean(dims, true);
  return (centered * centered).sum(dims, keepdim) / static_cast<double>(std::max<int64_t>(n - unbiased, 0));
}
Tensor var(const Tensor& x, bool unbiased) { return var(x, {}, unbiased, false); }
Tensor std(const Tensor& x, OptionalIntArrayRef dim, bool unbiased, bool keepdim) { return sqrt(var(x, dim, unbiased, keepdim)); }
Tensor std(const Tensor& x, bool unbiased) { return sqrt(var(x, unbiased)); }
std::tuple<Tensor, Tensor> var_mean(const Tensor& x, OptionalIntArrayRef dim, bool unbiased, bool keepdim) {
  return {var(x, dim, unbiased, keepdim), mean(x, dim, keepdim)};
}
std::tuple<Tensor, Tensor> var_mean(const Tensor& x, bool unbiased) { return var_mean(x, {}, unbiased, false); }
std::tuple<Tensor, Tensor> std_mean(const Tensor& x, OptionalIntArrayRef dim, bool unbiased, bool keepdim) {
  return {std(x, dim, unbiased, keepdim), mean(x, dim, keepdim)};
}
std::tuple<Tensor, Tensor> std_mean(const Tensor& x, bool unbiased) { return std_mean(x, {}, unbiased, false); }

// ---- log-sum-exp: shifted by the (constant) max so exp cannot overflow (softmax: ops/softmax.cpp)
Tensor logsumexp(const Tensor& x, IntArrayRef dim, bool keepdim) {
  Tensor xf = floating(x);
  Shape dims = core::dims_of(core::reduction_mask(dim, xf.dim(), "logsumexp"), xf.dim());
  bool empty = false;
  for (int64_t d : dims) empty |= xf.size(d) == 0;
  Tensor m = empty ? zeros({}, xf.dtype()) : amax(xf.detach(), dims, true);
  m = where(isinf(m), zeros({}, m.dtype()), m);  // infinite maxima shift by 0
  Tensor r = log(exp(xf - m).sum(dims, true)) + m;
  return keepdim ? r : r.sum(dims, false);  // sum over size-1 dims squeezes them
}

// ---- interpolation
Tensor lerp(const Tensor& start, const Tensor& end, Scalar weight) {
  core::broadcast_shape(start.sizes(), end.sizes(), "lerp");  // errors name lerp, not its parts
  return start + (end - start) * weight;
}

}  // namespace kiln
