// Vector and matrix norms with their derivatives. A vector norm is computed
// directly and recorded with its own backward, because the composite
// (sqrt of a sum of squares) has a 0/0 gradient at x = 0; the matrix norms
// 1, -1, inf, -inf are compositions (abs, sum, amax) and need no rule.
//   p = 2:    gx = g x / r            p = 1: gx = g sign(x)
//   p = inf:  gx = g sign(x) [|x| = r] / #ties
//   else:     gx = g sign(x) |x|^(p-1) / r^(p-1)       (0 where x = 0 or r = 0)
// The forward-mode rule is the same partial contracted with the tangent.
#include <cmath>
#include <limits>
#include <vector>

#include "core/dims.h"
#include "linalg/common.h"

namespace kiln {
namespace linalg {
namespace detail {

Tensor vector_norm_backward(const Tensor& g, const Tensor& x, const Tensor& r, double p, uint64_t mask) {
  if (p == 0) return zeros_like(x);
  if (p == 1) return g * sign(x);
  if (p == 2) return x * (g / where(r == 0, 1.0, r));
  if (std::isinf(p)) {
    Shape dims = core::dims_of(mask, x.dim());
    Tensor ties = abs(x) == r;
    Tensor share = ties / ties.sum(dims, true);
    return g * sign(x) * share;
  }
  Tensor scaled = sign(x) * pow(where(x == 0, 1.0, abs(x)), p - 1);
  return scaled * (g / pow(where(r == 0, 1.0, r), p - 1));
}

}  // namespace detail

namespace {
using namespace detail;

// The norm's value (no history), reduced over `dims`.
Tensor norm_value(const Tensor& x, double p, IntArrayRef dims, bool keepdim) {
  if (p == 2) return sqrt((x * x).sum(dims, keepdim));
  if (p == 1) return abs(x).sum(dims, keepdim);
  if (p == 0) return (x != 0).sum(dims, keepdim, x.dtype());
  if (std::isinf(p)) return p > 0 ? amax(abs(x), dims, keepdim) : amin(abs(x), dims, keepdim);
  return pow(pow(abs(x), p).sum(dims, keepdim), 1.0 / p);
}

}  // namespace

Tensor vector_norm(const Tensor& x_, Scalar ord, OptionalIntArrayRef dim, bool keepdim,
                   std::optional<ScalarType> dtype) {
  const char* op = "linalg.vector_norm";
  check_floating(op, x_);
  KILN_CHECK(!dtype || is_floating_point(*dtype), op, ": dtype should be floating point or complex, but got ", *dtype);
  Tensor x = dtype && *dtype != x_.dtype() ? x_.to(*dtype) : x_;
  double p = ord.to_double();
  int64_t ndim = x.dim();
  uint64_t mask = core::reduction_mask(dim.value_or(IntArrayRef()), ndim, op);
  Shape dims = core::dims_of(mask, ndim);
  if (std::isinf(p))
    for (int64_t d : dims)
      KILN_CHECK(x.size(d) > 0, op, ": cannot compute the ", p > 0 ? "inf" : "-inf",
                 " norm on an empty tensor because the operation does not have an identity (input ", x.sizes(), ")");
  // g or r as if reduced with keepdim.
  auto kept = [mask, keepdim, ndim](const Tensor& t) { return keepdim ? t : ops::unsqueeze_dims(t, mask, ndim); };
  return autograd::differentiable(
      norm_value(x.detach(), p, dims, keepdim), {"LinalgVectorNormBackward0", {x}, {x}, true},
      [p, mask, kept](const BackwardArgs& a) -> Grads {
        return {vector_norm_backward(kept(a.grad()), a.saved[0], kept(a.results[0]), p, mask)};
      },
      [p, mask, kept, dims, keepdim](const ForwardArgs& f) {
        Tensor rk = kept(f.result.detach());
        Tensor t = vector_norm_backward(ones_like(rk), f.primal().detach(), rk, p, mask) * f.tangent();
        return dims.empty() ? t : t.sum(dims, keepdim);
      });
}

namespace {

// The two dims of a matrix norm, wrapped and distinct.
std::pair<int64_t, int64_t> matrix_dims(const Tensor& A, IntArrayRef dim) {
  const char* op = "linalg.matrix_norm";
  check_matrix(op, A);
  check_floating(op, A);
  KILN_CHECK(dim.size() == 2, op, ": dim must be a 2-tuple. Got ", dim);
  int64_t d0 = core::wrap_dim(dim[0], A.dim(), op), d1 = core::wrap_dim(dim[1], A.dim(), op);
  KILN_CHECK(d0 != d1, op, ": dims must be different. Got (", dim[0], ", ", dim[1], ")");
  return {d0, d1};
}

// max/min over d1 of the sums of |A| over d0 (ord 1: column sums; inf: row sums).
Tensor induced_norm(const Tensor& A, int64_t sum_dim, int64_t max_dim, bool is_max, bool keepdim) {
  Tensor s = abs(A).sum({sum_dim}, true);
  Tensor r = is_max ? amax(s, {max_dim}, true) : amin(s, {max_dim}, true);
  if (keepdim) return r;
  return r.squeeze(std::max(sum_dim, max_dim)).squeeze(std::min(sum_dim, max_dim));
}

}  // namespace

Tensor matrix_norm(const Tensor& A_, const std::string& ord, IntArrayRef dim, bool keepdim,
                   std::optional<ScalarType> dtype) {
  matrix_dims(A_, dim);
  KILN_CHECK(ord == "fro", "linalg.matrix_norm: Order ", ord, " not supported",
             ord == "nuc" ? " (the nuclear norm needs an SVD, which kiln does not have yet)." : ".");
  return vector_norm(A_, 2, dim, keepdim, dtype);
}

Tensor matrix_norm(const Tensor& A_, Scalar ord, IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  auto [d0, d1] = matrix_dims(A_, dim);
  KILN_CHECK(!dtype || is_floating_point(*dtype), "linalg.matrix_norm: dtype should be floating point, but got ",
             *dtype);
  Tensor A = dtype && *dtype != A_.dtype() ? A_.to(*dtype) : A_;
  double p = ord.to_double();
  KILN_CHECK(std::abs(p) == 1 || std::isinf(p), "linalg.matrix_norm: Order ", p, " not supported",
             std::abs(p) == 2 ? " (the spectral norm needs an SVD, which kiln does not have yet)." : ".");
  for (int64_t d : {d0, d1})
    KILN_CHECK(A.size(d) > 0, "linalg.matrix_norm: cannot compute the norm of order ", p, " of an empty matrix ",
               A.sizes());
  if (std::abs(p) == 1) return induced_norm(A, d0, d1, p > 0, keepdim);
  return induced_norm(A, d1, d0, p > 0, keepdim);
}

Tensor norm(const Tensor& x, std::optional<Scalar> ord, OptionalIntArrayRef dim, bool keepdim,
            std::optional<ScalarType> dtype) {
  if (dim)
    KILN_CHECK(dim->size() == 1 || dim->size() == 2, "linalg.norm: If dim is specified, it must be of length 1 or 2. Got ",
               *dim);
  else if (ord)
    KILN_CHECK(x.dim() == 1 || x.dim() == 2, "linalg.norm: If dim is not specified but ord is, the input must be 1D or "
                                             "2D. Got ", x.dim(), "D.");
  if (!ord) return vector_norm(x, 2, dim, keepdim, dtype);
  std::vector<int64_t> dims = dim ? dim->vec() : (x.dim() == 2 ? std::vector<int64_t>{-2, -1} : std::vector<int64_t>{0});
  if (dims.size() == 2) return matrix_norm(x, *ord, dims, keepdim, dtype);
  return vector_norm(x, *ord, dims, keepdim, dtype);
}

Tensor norm(const Tensor& x, const std::string& ord, OptionalIntArrayRef dim, bool keepdim,
            std::optional<ScalarType> dtype) {
  if (dim)
    KILN_CHECK(dim->size() == 2, "linalg.norm: a matrix norm ('", ord, "') needs dim of length 2. Got ", *dim);
  else
    KILN_CHECK(x.dim() <= 2, "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ",
               x.dim(), "D.");
  std::vector<int64_t> dims = dim ? dim->vec() : std::vector<int64_t>{-2, -1};
  return matrix_norm(x, ord, dims, keepdim, dtype);
}

Tensor matrix_norm(const Tensor& A, const char* ord, IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  return matrix_norm(A, std::string(ord), dim, keepdim, dtype);
}
Tensor norm(const Tensor& x, const char* ord, OptionalIntArrayRef dim, bool keepdim,
            std::optional<ScalarType> dtype) {
  return norm(x, std::string(ord), dim, keepdim, dtype);
}

}  // namespace linalg

// torch.norm: the vector p-norm over all dims, or over `dim`.
Tensor norm(const Tensor& t, Scalar p) {
  KILN_CHECK(is_floating_point(t.dtype()), "norm(): input dtype should be either floating point or complex. Got ",
             t.dtype(), " instead.");
  return linalg::vector_norm(t, p);
}

Tensor norm(const Tensor& t, std::optional<Scalar> p, IntArrayRef dim, bool keepdim) {
  KILN_CHECK(is_floating_point(t.dtype()), "norm(): input dtype should be either floating point or complex. Got ",
             t.dtype(), " instead.");
  return linalg::vector_norm(t, p.value_or(2), dim, keepdim);
}

}  // namespace kiln
