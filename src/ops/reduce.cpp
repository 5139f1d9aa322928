// Reductions and scans with their derivatives. A reduction's gradient is the
// output gradient broadcast back over the reduced dims (times a local factor);
// its forward-mode rule is the same reduction of the tangent.
#include <cmath>
#include <limits>

#include "autograd/derivative.h"
#include "core/dims.h"
#include "core/tensor_impl.h"
#include "kernels/elementwise.h"
#include "kernels/reduce.h"
#include "ops/ops.h"

namespace kiln {

namespace ops {
Tensor unsqueeze_dims(const Tensor& x, uint64_t mask, int64_t ndim) {
  Tensor r = x;
  for (int64_t d = 0; d < ndim; ++d)
    if (mask >> d & 1) r = r.unsqueeze(d);
  return r;
}
}  // namespace ops

namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;
using core::dims_of;
using core::reduction_mask;
using kernels::Reduce;

// g (shaped like the reduction's result) broadcast back to `sizes`.
Tensor expand_back(const Tensor& g, IntArrayRef sizes, uint64_t mask, bool keepdim) {
  return (keepdim ? g : ops::unsqueeze_dims(g, mask, static_cast<int64_t>(sizes.size()))).expand(sizes);
}

int64_t count(const Tensor& x, uint64_t mask) {
  int64_t n = 1;
  for (int64_t d = 0; d < x.dim(); ++d)
    if (mask >> d & 1) n *= x.size(d);
  return n;
}

ScalarType sum_dtype(const Tensor& x, std::optional<ScalarType> dtype) {
  if (dtype) return *dtype;
  return is_integral(x.dtype(), true) ? kInt64 : x.dtype();
}

// The sum over the dims in mask, divided by `divisor`: sum (1) and mean (n).
Tensor sum_impl(const Tensor& x, uint64_t mask, bool keepdim, std::optional<ScalarType> dtype, const char* node,
                double divisor = 1) {
  Tensor r = kernels::reduce(Reduce::Sum, x, mask, keepdim, sum_dtype(x, dtype));
  if (divisor != 1) kernels::binary_out(kernels::Binary::div, r, r, core::wrap_scalar(divisor));
  Shape in(x.sizes());
  return autograd::differentiable(
      r, {node, {x}},
      [in, mask, keepdim, divisor](const BackwardArgs& a) -> Grads {
        Tensor g = expand_back(a.grad(), in, mask, keepdim);
        return {divisor == 1 ? g : g / divisor};
      },
      [mask, keepdim, divisor](const ForwardArgs& f) {
        Tensor t = sum(f.tangent(), dims_of(mask, f.tangent().dim()), keepdim);
        return divisor == 1 ? t : t / divisor;
      });
}

// max/min/amax/amin over dims: the gradient is shared evenly among ties.
Tensor extremum(const Tensor& x, uint64_t mask, bool keepdim, bool is_max, const char* op_name, const char* node) {
  for (int64_t d = 0; d < x.dim(); ++d)
    KILN_CHECK(!(mask >> d & 1) || x.size(d) > 0, op_name, "(): Expected reduction dim ", d,
               " to have non-zero size (input shape ", x.sizes(), ")");
  Shape in(x.sizes());
  auto share = [in, mask, keepdim](const Tensor& g, const Tensor& x, const Tensor& r) {
    Tensor hit = x == expand_back(r, in, mask, keepdim);
    Tensor n = hit.sum(dims_of(mask, x.dim()), true);
    return expand_back(g, in, mask, keepdim) * hit / n;
  };
  return autograd::differentiable(
      kernels::reduce(is_max ? Reduce::Max : Reduce::Min, x, mask, keepdim, x.dtype()), {node, {x}, {x}, true},
      [share](const BackwardArgs& a) -> Grads { return {share(a.grad(), a.saved[0], a.results[0])}; },
      [share, mask, keepdim](const ForwardArgs& f) {
        return sum(share(ones_like(f.result), f.primal(), f.result) * f.tangent(), dims_of(mask, f.primal().dim()),
                   keepdim);
      });
}

std::tuple<Tensor, Tensor> extremum_dim(const Tensor& x, int64_t dim, bool keepdim, bool is_max) {
  const char* op = is_max ? "max" : "min";
  dim = core::wrap_dim(dim, x.dim(), op);
  KILN_CHECK(x.dim() == 0 || x.size(dim) > 0, op, "(): Expected reduction dim ", dim,
             " to have non-zero size (input shape ", x.sizes(), ")");
  Tensor values, indices;
  std::tie(values, indices) = kernels::arg_reduce(is_max, x, dim, keepdim);
  Shape in(x.sizes());
  // The gradient goes to the selected index: a one-hot mask along dim.
  auto route = [in, dim, keepdim](const Tensor& g, const Tensor& idx) {
    if (in.empty()) return g;
    Tensor i = keepdim ? idx : idx.unsqueeze(dim);
    Shape line(in.size(), 1);
    line[dim] = in[dim];
    Tensor hit = arange(in[dim]).reshape(line) == i;
    return where(hit, keepdim ? g : g.unsqueeze(dim), zeros({}, g.dtype()));
  };
  autograd::differentiable(
      {values, indices}, {is_max ? "MaxBackward0" : "MinBackward0", {x}, {indices}},
      [route](const BackwardArgs& a) -> Grads { return {route(a.grad(0), a.saved[0])}; },
      [indices, dim, keepdim, scalar = x.dim() == 0](const ForwardArgs& f) -> autograd::TensorList {
        Tensor picked = scalar ? f.tangent() : f.tangent().gather(dim, keepdim ? indices : indices.unsqueeze(dim));
        return {keepdim || scalar ? picked : picked.squeeze(dim), Tensor()};
      });
  return {values, indices};
}

}  // namespace

// ---- sums and means
Tensor sum(const Tensor& x, std::optional<ScalarType> dtype) {
  return sum_impl(x, reduction_mask({}, x.dim(), "sum"), false, dtype, "SumBackward0");
}
Tensor sum(const Tensor& x, OptionalIntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  return sum_impl(x, reduction_mask(dim.value_or({}), x.dim(), "sum"), keepdim, dtype, "SumBackward1");
}

Tensor mean(const Tensor& x, OptionalIntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) {
  IntArrayRef dim = dims.value_or({});
  ScalarType t = dtype.value_or(x.dtype());
  KILN_CHECK(is_floating_point(t), "mean(): could not infer output dtype. Input dtype must be either a floating point "
                                   "or complex dtype. Got: ", t);
  uint64_t mask = reduction_mask(dim, x.dim(), "mean");
  return sum_impl(x.to(t), mask, keepdim, t, dim.empty() ? "MeanBackward0" : "MeanBackward1",
                  static_cast<double>(count(x, mask)));
}
Tensor mean(const Tensor& x, std::optional<ScalarType> dtype) { return mean(x, {}, false, dtype); }

Tensor prod(const Tensor& x, int64_t dim, bool keepdim, std::optional<ScalarType> dtype) {
  int64_t d = core::wrap_dim(dim, x.dim(), "prod");
  uint64_t mask = x.dim() == 0 ? 0 : uint64_t{1} << d;
  Shape in(x.sizes());
  // d prod / d x_i = product of the others; written so that zeros are exact.
  auto partial = [in, mask, keepdim](const Tensor& x, const Tensor& r) {
    Shape dims = dims_of(mask, x.dim());
    Tensor zero = x == 0;
    Tensor zeros_n = zero.sum(dims, true);
    Tensor others = where(zero, ones({}, x.dtype()), x).prod(dims.empty() ? 0 : dims[0], true);
    Tensor rb = expand_back(r, in, mask, keepdim);
    return where(zero, where(zeros_n == 1, others, zeros({}, x.dtype())),
                 where(zeros_n == 0, rb / where(zero, ones({}, x.dtype()), x), zeros({}, x.dtype())));
  };
  return autograd::differentiable(
      kernels::reduce(Reduce::Prod, x, mask, keepdim, sum_dtype(x, dtype)), {"ProdBackward1", {x}, {x}, true},
      [partial, in, mask, keepdim](const BackwardArgs& a) -> Grads {
        return {expand_back(a.grad(), in, mask, keepdim) * partial(a.saved[0], a.results[0])};
      },
      [partial, mask, keepdim](const ForwardArgs& f) {
        return (partial(f.primal(), f.result) * f.tangent()).sum(dims_of(mask, f.primal().dim()), keepdim);
      });
}
Tensor prod(const Tensor& x, std::optional<ScalarType> dtype) {
  return prod(x.dim() == 0 ? x : x.reshape({-1}), 0, false, dtype);
}

// ---- extrema
Tensor max(const Tensor& x) {
  KILN_CHECK(x.numel() > 0, "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                            "reduction dim with the 'dim' argument.");
  return extremum(x, reduction_mask({}, x.dim(), "max"), false, true, "max", "MaxBackward1");
}
Tensor min(const Tensor& x) {
  KILN_CHECK(x.numel() > 0, "min(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                            "reduction dim with the 'dim' argument.");
  return extremum(x, reduction_mask({}, x.dim(), "min"), false, false, "min", "MinBackward1");
}
Tensor amax(const Tensor& x, IntArrayRef dim, bool keepdim) {
  return extremum(x, reduction_mask(dim, x.dim(), "amax"), keepdim, true, "amax", "AmaxBackward0");
}
Tensor amin(const Tensor& x, IntArrayRef dim, bool keepdim) {
  return extremum(x, reduction_mask(dim, x.dim(), "amin"), keepdim, false, "amin", "AminBackward0");
}
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim) { return extremum_dim(x, dim, keepdim, true); }
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim) { return extremum_dim(x, dim, keepdim, false); }

namespace {
// The flat index (dim unset) or the indices along dim of the extreme values.
Tensor arg_extremum(const Tensor& x, std::optional<int64_t> dim, bool keepdim, bool is_max) {
  const char* op = is_max ? "argmax" : "argmin";
  // libtorch has no bool kernel but returns empty results without one.
  KILN_CHECK(x.dtype() != kBool || x.numel() == 0, op, "(): not implemented for dtype Bool (input shape ", x.sizes(), ")");
  if (!dim) {
    KILN_CHECK(x.numel() > 0, op, "(): Expected reduction dim to be specified for input.numel() == 0.");
    Tensor flat = std::get<1>(kernels::arg_reduce(is_max, x.reshape({-1}), 0, false));
    return flat.reshape(keepdim ? Shape(x.dim(), 1) : Shape());
  }
  int64_t d = core::wrap_dim(*dim, x.dim(), op);
  KILN_CHECK(x.dim() == 0 || x.size(d) > 0, op, "(): Expected reduction dim ", d, " to have non-zero size (input shape ",
             x.sizes(), ")");
  return std::get<1>(kernels::arg_reduce(is_max, x, d, keepdim));
}
}  // namespace

Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) { return arg_extremum(x, dim, keepdim, true); }
Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim) { return arg_extremum(x, dim, keepdim, false); }

// ---- scans
Tensor cumsum(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  int64_t d = core::wrap_dim(dim, x.dim(), "cumsum");
  return autograd::differentiable(
      kernels::scan(true, x, d, sum_dtype(x, dtype)), {"CumsumBackward0", {x}},
      [d](const BackwardArgs& a) -> Grads {
        // Reverse cumulative sum: total - cumsum + g.
        const Tensor& g = a.grad();
        return {g.sum({d}, true) - g.cumsum(d) + g};
      },
      [d](const ForwardArgs& f) { return f.tangent().cumsum(d); });
}

namespace {
// (arange(n) == i) along dim d of a tensor of `ndim` dims: selects index i.
Tensor index_is(int64_t i, int64_t n, int64_t d, int64_t ndim, bool or_after = false) {
  Shape line(ndim, 1);
  line[d] = n;
  Tensor idx = arange(n).reshape(line);
  return or_after ? idx >= i : idx == i;
}
}  // namespace

Tensor cumprod(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  int64_t d = core::wrap_dim(dim, x.dim(), "cumprod");
  // d r_k / d x_i = prod_{j<=k, j!=i} x_j for k >= i: computed with x_i set to 1.
  auto partial_sum = [d](const Tensor& g, const Tensor& x) {
    if (x.dim() == 0) return g;
    int64_t n = x.size(d);
    std::vector<Tensor> cols;
    for (int64_t i = 0; i < n; ++i) {
      Tensor others = where(index_is(i, n, d, x.dim()), ones({}, x.dtype()), x).cumprod(d);
      cols.push_back((g * others).narrow(d, i, n - i).sum({d}, true));
    }
    return cat(cols, d);
  };
  return autograd::differentiable(
      kernels::scan(false, x, d, sum_dtype(x, dtype)), {"CumprodBackward0", {x}, {x}},
      [partial_sum](const BackwardArgs& a) -> Grads { return {partial_sum(a.grad(), a.saved[0])}; },
      [d](const ForwardArgs& f) {
        // jvp_k = sum_{i<=k} t_i * prod_{j<=k, j!=i} x_j, by linearity over i.
        const Tensor &t = f.tangent(), &x = f.primal();
        if (x.dim() == 0) return t.clone();
        int64_t n = x.size(d);
        Tensor acc = zeros_like(f.result);
        for (int64_t i = 0; i < n; ++i)
          acc = acc + where(index_is(i, n, d, x.dim()), t, x).cumprod(d) * index_is(i, n, d, x.dim(), true);
        return acc;
      });
}

// ---- logical
Tensor all(const Tensor& x) { return kernels::reduce(Reduce::All, x, reduction_mask({}, x.dim(), "all"), false, kBool); }
Tensor any(const Tensor& x) { return kernels::reduce(Reduce::Any, x, reduction_mask({}, x.dim(), "any"), false, kBool); }
Tensor all(const Tensor& x, int64_t dim, bool keepdim) {
  return kernels::reduce(Reduce::All, x, reduction_mask({dim}, x.dim(), "all"), keepdim, kBool);
}
Tensor any(const Tensor& x, int64_t dim, bool keepdim) {
  return kernels::reduce(Reduce::Any, x, reduction_mask({dim}, x.dim(), "any"), keepdim, kBool);
}
Tensor count_nonzero(const Tensor& x) { return (x != 0).sum(); }

}  // namespace kiln
