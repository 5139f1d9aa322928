// Reductions and scans with their derivatives. A reduction's gradient is the
// output gradient broadcast back over the reduced dims (times a local factor);
// its forward-mode rule is the same reduction of the tangent.
#include <cmath>
#include <limits>

#include "autograd/forward_grad.h"
#include "autograd/record.h"
#include "core/dims.h"
#include "core/tensor_impl.h"
#include "kernels/reduce.h"
#include "ops/ops.h"

namespace kiln {
namespace {

using autograd::any_needs_grad;
using autograd::BackwardArgs;
namespace fw = autograd::forward;
using kernels::Reduce;

std::vector<int64_t> dims_of(uint64_t mask, int64_t ndim) {
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < ndim; ++d)
    if (mask >> d & 1) dims.push_back(d);
  return dims;
}

// An empty dim list reduces over every dim, as in PyTorch.
uint64_t mask_of(const Tensor& x, IntArrayRef dims, const char* op) {
  if (dims.empty()) return x.dim() == 0 ? 0 : (x.dim() == 64 ? ~uint64_t{0} : (uint64_t{1} << x.dim()) - 1);
  return core::dim_mask(dims, x.dim(), op);
}

// g (shaped like the reduction's result) broadcast back to `sizes`.
Tensor expand_back(const Tensor& g, IntArrayRef sizes, uint64_t mask, bool keepdim) {
  Tensor r = g;
  if (!keepdim)
    for (size_t d = 0; d < sizes.size(); ++d)
      if (mask >> d & 1) r = r.unsqueeze(static_cast<int64_t>(d));
  return r.expand(sizes);
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
  if (divisor != 1) kernels::binary_out(kernels::Binary::Div, r, r, core::wrap_scalar(divisor));
  if (any_needs_grad(x) && is_floating_point(r.dtype())) {
    Shape in(x.sizes());
    autograd::record({node, {x}}, r, [in, mask, keepdim, divisor](const BackwardArgs& a) -> variable_list {
      Tensor g = expand_back(a.grad(), in, mask, keepdim);
      return {divisor == 1 ? g : g / divisor};
    });
  }
  if (fw::any_tangent(x)) {
    Tensor t = sum(fw::tangent(x), dims_of(mask, x.dim()), keepdim);
    fw::set_tangent(r, divisor == 1 ? t : t / divisor);
  }
  return r;
}

// max/min/amax/amin over dims: the gradient is shared evenly among ties.
Tensor extremum(const Tensor& x, uint64_t mask, bool keepdim, bool is_max, const char* op_name, const char* node) {
  for (int64_t d = 0; d < x.dim(); ++d)
    KILN_CHECK(!(mask >> d & 1) || x.size(d) > 0, op_name, "(): Expected reduction dim ", d,
               " to have non-zero size (input shape ", x.sizes(), ")");
  Tensor r = kernels::reduce(is_max ? Reduce::Max : Reduce::Min, x, mask, keepdim, x.dtype());
  if (!is_floating_point(r.dtype())) return r;
  Shape in(x.sizes());
  auto share = [in, mask, keepdim](const Tensor& g, const Tensor& x, const Tensor& r) {
    Tensor hit = x == expand_back(r, in, mask, keepdim);
    Tensor n = hit.sum(dims_of(mask, x.dim()), true);
    return expand_back(g, in, mask, keepdim) * hit / n;
  };
  if (any_needs_grad(x))
    autograd::record({node, {x}, {x}, true}, r, [share](const BackwardArgs& a) -> variable_list {
      return {share(a.grad(), a.saved[0], a.results[0])};
    });
  if (fw::any_tangent(x))
    fw::set_tangent(r, sum(share(ones_like(r), x, r) * fw::tangent(x), dims_of(mask, x.dim()), keepdim));
  return r;
}

std::tuple<Tensor, Tensor> extremum_dim(const Tensor& x, int64_t dim, bool keepdim, bool is_max) {
  const char* op = is_max ? "max" : "min";
  dim = core::wrap_dim(dim, x.dim(), op);
  KILN_CHECK(x.dim() == 0 || x.size(dim) > 0, op, "(): Expected reduction dim ", dim,
             " to have non-zero size (input shape ", x.sizes(), ")");
  auto [values, indices] = kernels::arg_reduce(is_max, x, dim, keepdim);
  if (!is_floating_point(values.dtype())) return {values, indices};
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
  if (any_needs_grad(x))
    autograd::record({is_max ? "MaxBackward0" : "MinBackward0", {x}, {indices}}, {values, indices},
                     [route](const BackwardArgs& a) -> variable_list { return {route(a.grad(0), a.saved[0])}; });
  if (fw::any_tangent(x)) {
    Tensor t = fw::tangent(x);
    Tensor picked = x.dim() == 0 ? t : t.gather(dim, keepdim ? indices : indices.unsqueeze(dim));
    fw::set_tangent(values, keepdim || x.dim() == 0 ? picked : picked.squeeze(dim));
  }
  return {values, indices};
}

}  // namespace

// ---- sums and means
Tensor sum(const Tensor& x, std::optional<ScalarType> dtype) {
  return sum_impl(x, mask_of(x, {}, "sum"), false, dtype, "SumBackward0");
}
Tensor sum(const Tensor& x, IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  return sum_impl(x, mask_of(x, dim, "sum"), keepdim, dtype, "SumBackward1");
}

Tensor mean(const Tensor& x, IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  ScalarType t = dtype.value_or(x.dtype());
  KILN_CHECK(is_floating_point(t), "mean(): could not infer output dtype. Input dtype must be either a floating point "
                                   "or complex dtype. Got: ", t);
  uint64_t mask = mask_of(x, dim, "mean");
  return sum_impl(x.to(t), mask, keepdim, t, dim.empty() ? "MeanBackward0" : "MeanBackward1",
                  static_cast<double>(count(x, mask)));
}
Tensor mean(const Tensor& x, std::optional<ScalarType> dtype) { return mean(x, {}, false, dtype); }

Tensor prod(const Tensor& x, int64_t dim, bool keepdim, std::optional<ScalarType> dtype) {
  int64_t d = core::wrap_dim(dim, x.dim(), "prod");
  uint64_t mask = x.dim() == 0 ? 0 : uint64_t{1} << d;
  Tensor r = kernels::reduce(Reduce::Prod, x, mask, keepdim, sum_dtype(x, dtype));
  if (!is_floating_point(r.dtype())) return r;
  Shape in(x.sizes());
  // d prod / d x_i = product of the others; written so that zeros are exact.
  auto partial = [in, mask, keepdim](const Tensor& x, const Tensor& r) {
    std::vector<int64_t> dims = dims_of(mask, x.dim());
    Tensor zero = x == 0;
    Tensor zeros_n = zero.sum(dims, true);
    Tensor others = where(zero, ones({}, x.dtype()), x).prod(dims.empty() ? 0 : dims[0], true);
    Tensor rb = expand_back(r, in, mask, keepdim);
    return where(zero, where(zeros_n == 1, others, zeros({}, x.dtype())),
                 where(zeros_n == 0, rb / where(zero, ones({}, x.dtype()), x), zeros({}, x.dtype())));
  };
  if (any_needs_grad(x))
    autograd::record({"ProdBackward1", {x}, {x}, true}, r, [partial, in, mask, keepdim](const BackwardArgs& a) -> variable_list {
      return {expand_back(a.grad(), in, mask, keepdim) * partial(a.saved[0], a.results[0])};
    });
  if (fw::any_tangent(x)) fw::set_tangent(r, (partial(fw::primal(x), r) * fw::tangent(x)).sum(dims_of(mask, x.dim()), keepdim));
  return r;
}
Tensor prod(const Tensor& x, std::optional<ScalarType> dtype) {
  return prod(x.dim() == 0 ? x : x.reshape({-1}), 0, false, dtype);
}

// ---- extrema
Tensor max(const Tensor& x) {
  KILN_CHECK(x.numel() > 0, "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                            "reduction dim with the 'dim' argument.");
  return extremum(x, mask_of(x, {}, "max"), false, true, "max", "MaxBackward1");
}
Tensor min(const Tensor& x) {
  KILN_CHECK(x.numel() > 0, "min(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                            "reduction dim with the 'dim' argument.");
  return extremum(x, mask_of(x, {}, "min"), false, false, "min", "MinBackward1");
}
Tensor amax(const Tensor& x, IntArrayRef dim, bool keepdim) {
  return extremum(x, mask_of(x, dim, "amax"), keepdim, true, "amax", "AmaxBackward0");
}
Tensor amin(const Tensor& x, IntArrayRef dim, bool keepdim) {
  return extremum(x, mask_of(x, dim, "amin"), keepdim, false, "amin", "AminBackward0");
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

// ---- moments (composites: their gradients follow from sum and mul)
Tensor var(const Tensor& x, IntArrayRef dim, bool unbiased, bool keepdim) {
  KILN_CHECK(is_floating_point(x.dtype()), "var: expected a floating-point input, got ", x.dtype());
  uint64_t mask = mask_of(x, dim, "var");
  std::vector<int64_t> dims = dims_of(mask, x.dim());
  Tensor centered = x - x.mean(dims, true);
  return (centered * centered).sum(dims, keepdim) / static_cast<double>(std::max<int64_t>(count(x, mask) - unbiased, 0));
}
Tensor var(const Tensor& x, bool unbiased) { return var(x, {}, unbiased, false); }
Tensor std(const Tensor& x, IntArrayRef dim, bool unbiased, bool keepdim) { return sqrt(var(x, dim, unbiased, keepdim)); }
Tensor std(const Tensor& x, bool unbiased) { return sqrt(var(x, unbiased)); }

Tensor logsumexp(const Tensor& x, IntArrayRef dim, bool keepdim) {
  Tensor xf = is_floating_point(x.dtype()) ? x : x.to(get_default_dtype());
  uint64_t mask = mask_of(xf, dim, "logsumexp");
  std::vector<int64_t> dims = dims_of(mask, xf.dim());
  // Shift by the (constant) max so exp cannot overflow; infinite maxima shift by 0.
  bool empty = false;
  for (int64_t d : dims) empty |= xf.size(d) == 0;
  Tensor m = empty ? zeros({}, xf.dtype()) : amax(xf.detach(), dims, true);
  m = where(isinf(m), zeros({}, m.dtype()), m);
  Tensor r = log(exp(xf - m).sum(dims, true)) + m;
  return keepdim ? r : r.sum(dims, false);  // sum over size-1 dims squeezes them
}

Tensor softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  Tensor xf = x.to(dtype.value_or(is_floating_point(x.dtype()) ? x.dtype() : get_default_dtype()));
  Tensor e = exp(xf - amax(xf.detach(), {dim}, true));
  return e / e.sum({dim}, true);
}
Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  Tensor xf = x.to(dtype.value_or(is_floating_point(x.dtype()) ? x.dtype() : get_default_dtype()));
  return xf - logsumexp(xf, {dim}, true);
}

// ---- scans
Tensor cumsum(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  int64_t d = core::wrap_dim(dim, x.dim(), "cumsum");
  Tensor r = kernels::scan(true, x, d, sum_dtype(x, dtype));
  if (!is_floating_point(r.dtype())) return r;
  if (any_needs_grad(x))
    autograd::record({"CumsumBackward0", {x}}, r, [d](const BackwardArgs& a) -> variable_list {
      // Reverse cumulative sum: total - cumsum + g.
      const Tensor& g = a.grad();
      return {g.sum({d}, true) - g.cumsum(d) + g};
    });
  if (fw::any_tangent(x)) fw::set_tangent(r, fw::tangent(x).cumsum(d));
  return r;
}

Tensor cumprod(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  int64_t d = core::wrap_dim(dim, x.dim(), "cumprod");
  Tensor r = kernels::scan(false, x, d, sum_dtype(x, dtype));
  if (!is_floating_point(r.dtype())) return r;
  // d r_k / d x_i = prod_{j<=k, j!=i} x_j for k >= i: computed with x_i set to 1.
  auto partial_sum = [d](const Tensor& g, const Tensor& x) {
    if (x.dim() == 0) return g;
    int64_t n = x.size(d);
    std::vector<Tensor> cols;
    for (int64_t i = 0; i < n; ++i) {
      Shape line(x.dim(), 1);
      line[d] = n;
      Tensor is_i = arange(n).reshape(line) == i;
      Tensor others = where(is_i, ones({}, x.dtype()), x).cumprod(d);
      cols.push_back((g * others).narrow(d, i, n - i).sum({d}, true));
    }
    return cat(cols, d);
  };
  if (any_needs_grad(x))
    autograd::record({"CumprodBackward0", {x}, {x}}, r, [partial_sum](const BackwardArgs& a) -> variable_list {
      return {partial_sum(a.grad(), a.saved[0])};
    });
  if (fw::any_tangent(x)) {
    // jvp_k = sum_{i<=k} t_i * prod_{j<=k, j!=i} x_j, by linearity over i.
    Tensor t = fw::tangent(x), acc = zeros_like(r);
    int64_t n = x.dim() == 0 ? 1 : x.size(d);
    for (int64_t i = 0; i < n && x.dim() > 0; ++i) {
      Shape line(x.dim(), 1);
      line[d] = n;
      Tensor is_i = arange(n).reshape(line) == i;
      Tensor term = where(is_i, t, fw::primal(x)).cumprod(d) * (arange(n).reshape(line) >= i);
      acc = acc + term;
    }
    fw::set_tangent(r, x.dim() == 0 ? t.clone() : acc);
  }
  return r;
}

// ---- logical
Tensor all(const Tensor& x) { return kernels::reduce(Reduce::All, x, mask_of(x, {}, "all"), false, kBool); }
Tensor any(const Tensor& x) { return kernels::reduce(Reduce::Any, x, mask_of(x, {}, "any"), false, kBool); }
Tensor all(const Tensor& x, int64_t dim, bool keepdim) {
  return kernels::reduce(Reduce::All, x, mask_of(x, {dim}, "all"), keepdim, kBool);
}
Tensor any(const Tensor& x, int64_t dim, bool keepdim) {
  return kernels::reduce(Reduce::Any, x, mask_of(x, {dim}, "any"), keepdim, kBool);
}
Tensor count_nonzero(const Tensor& x) { return (x != 0).sum(); }

}  // namespace kiln
