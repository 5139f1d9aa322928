// Sorting along a dim: the kernel finds the order, and the values are a
// gather with it, whose derivative (scatter back, gather of tangents) serves
// sort and topk to every order.
#include "core/dims.h"
#include "kernels/sort.h"
#include "kiln/functions.h"

namespace kiln {
namespace {

// The values at `indices` along `dim` (a 0-d tensor is its own value).
Tensor pick(const Tensor& x, int64_t dim, const Tensor& indices) { return x.dim() == 0 ? x.clone() : x.gather(dim, indices); }

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& x, std::optional<bool>, int64_t dim, bool descending) {
  KILN_CHECK(x.defined(), "sort: called on an undefined tensor");
  int64_t d = core::wrap_dim(dim, x.dim(), "sort");
  Tensor indices = kernels::sort_indices(x, d, descending);
  return {pick(x, d, indices), indices};
}
std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim, bool descending) {
  return sort(x, std::nullopt, dim, descending);
}

Tensor argsort(const Tensor& x, bool, int64_t dim, bool descending) {
  KILN_CHECK(x.defined(), "argsort: called on an undefined tensor");
  return kernels::sort_indices(x, core::wrap_dim(dim, x.dim(), "argsort"), descending);
}
Tensor argsort(const Tensor& x, int64_t dim, bool descending) { return argsort(x, true, dim, descending); }

std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim, bool largest, bool) {
  KILN_CHECK(x.defined(), "topk: called on an undefined tensor");
  int64_t d = core::wrap_dim(dim, x.dim(), "topk");
  int64_t n = x.dim() == 0 ? 1 : x.size(d);
  KILN_CHECK(k >= 0 && k <= n, "topk: selected index k out of range (k = ", k, ", size of dim ", d, " is ", n, ")");
  Tensor indices = kernels::topk_indices(x, k, d, largest);
  return {pick(x, d, indices), indices};
}

std::tuple<Tensor, Tensor> Tensor::sort(int64_t dim, bool descending) const { return kiln::sort(*this, dim, descending); }
std::tuple<Tensor, Tensor> Tensor::sort(std::optional<bool> stable, int64_t dim, bool descending) const {
  return kiln::sort(*this, stable, dim, descending);
}
Tensor Tensor::argsort(int64_t dim, bool descending) const { return kiln::argsort(*this, dim, descending); }
Tensor Tensor::argsort(bool stable, int64_t dim, bool descending) const {
  return kiln::argsort(*this, stable, dim, descending);
}
std::tuple<Tensor, Tensor> Tensor::topk(int64_t k, int64_t dim, bool largest, bool sorted) const {
  return kiln::topk(*this, k, dim, largest, sorted);
}

}  // namespace kiln
