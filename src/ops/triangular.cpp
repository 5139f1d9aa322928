// Triangles and diagonals of matrices: tril/triu (with their derivative),
// and diag, diag_embed and trace composed from the diagonal view, so their
// derivatives come from diagonal's.
#include <cstdlib>

#include "autograd/derivative.h"
#include "core/dims.h"
#include "kernels/elementwise.h"
#include "ops/ops.h"

namespace kiln {
namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;

// x with the elements outside a triangle of its last two dims set to zero:
// the lower one (col - row <= k) or the upper one (col - row >= k).
// Linear, so its backward and tangent are the same triangle of the gradient.
Tensor triangle(const Tensor& x, int64_t k, bool lower) {
  const char* op = lower ? "tril" : "triu";
  KILN_CHECK(x.defined(), op, ": called on an undefined tensor");
  KILN_CHECK(x.dim() >= 2, op, ": input tensor must have at least 2 dimensions, got shape ", x.sizes());
  Tensor keep;
  {
    NoGradGuard no_grad;
    Tensor offset = arange(x.size(-1)).unsqueeze(0) - arange(x.size(-2)).unsqueeze(1);  // col - row
    keep = lower ? offset <= k : offset >= k;
  }
  return autograd::differentiable(
      kernels::where(keep, x, zeros({}, x.dtype())), {lower ? "TrilBackward0" : "TriuBackward0", {x}},
      [k, lower](const BackwardArgs& a) -> Grads { return {triangle(a.grad(), k, lower)}; },
      [k, lower](const ForwardArgs& f) { return triangle(f.tangent(), k, lower); });
}

}  // namespace

Tensor tril(const Tensor& x, int64_t diagonal) { return triangle(x, diagonal, true); }
Tensor triu(const Tensor& x, int64_t diagonal) { return triangle(x, diagonal, false); }

Tensor diag(const Tensor& x, int64_t diagonal) {
  KILN_CHECK(x.defined(), "diag: called on an undefined tensor");
  KILN_CHECK(x.dim() == 1 || x.dim() == 2, "diag: matrix or a vector expected, got a tensor of shape ", x.sizes());
  if (x.dim() == 2) return x.diagonal(diagonal).clone();
  int64_t n = x.size(0) + std::abs(diagonal);
  return ops::view_scatter(x, {n, n}, [diagonal](const Tensor& m) { return m.diagonal(diagonal); });
}

Tensor diag_embed(const Tensor& x, int64_t offset, int64_t dim1, int64_t dim2) {
  KILN_CHECK(x.defined(), "diag_embed: called on an undefined tensor");
  KILN_CHECK(x.dim() >= 1, "diag_embed: expected a tensor of at least 1 dimension, got shape ", x.sizes());
  const int64_t nd = x.dim() + 1;
  int64_t a = core::wrap_dim(dim1, nd, "diag_embed"), b = core::wrap_dim(dim2, nd, "diag_embed");
  KILN_CHECK(a != b, "diag_embed: diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  // The result's diagonal(offset, a, b) is x: batch dims in order, then the diagonal.
  const int64_t n = x.size(-1) + std::abs(offset);
  Shape shape;
  for (int64_t d = 0, batch = 0; d < nd; ++d) shape.push_back(d == a || d == b ? n : x.size(batch++));
  return ops::view_scatter(x, shape, [offset, a, b](const Tensor& m) { return m.diagonal(offset, a, b); });
}

Tensor trace(const Tensor& x) {
  KILN_CHECK(x.defined(), "trace: called on an undefined tensor");
  KILN_CHECK(x.dim() == 2, "trace: expected a matrix, but got tensor with dim ", x.dim(), " (shape ", x.sizes(), ")");
  KILN_CHECK(x.dtype() != kBool, "trace: not implemented for 'Bool'");
  return x.diagonal().sum();
}

}  // namespace kiln
