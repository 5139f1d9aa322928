// Determinants from one LU factorisation, with their derivatives:
//   det      gA = g det A^-T            d det = det tr(A^-1 dA)
//   slogdet  gA = g_logabsdet A^-T      d logabsdet = tr(A^-1 dA)   (sign is piecewise constant)
// A^-T comes from linalg::inv, itself differentiable, so higher orders work.
// At a singular matrix the gradient (the adjugate) would need an SVD: it is
// reported as an error rather than returned as inf or NaN.
#include "linalg/common.h"
#include "linalg/lapack.h"

namespace kiln {
namespace linalg {
namespace {
using namespace detail;

// A^-T, or an error naming `op` when some matrix of the batch is singular.
Tensor inverse_transpose(const Tensor& A, const Tensor& det, const char* op) {
  KILN_CHECK(!(det == 0).any().item<bool>(), op,
             ": the derivative at a singular matrix (det = 0) is not implemented; input ", A.sizes());
  return inv(A).mT();
}

Tensor expand_scalar(const Tensor& s) { return s.unsqueeze(-1).unsqueeze(-1); }

}  // namespace

Tensor det(const Tensor& A) {
  check_square("linalg.det", A);
  return autograd::differentiable(
      lapack::determinant(A).det, {"LinalgDetBackward0", {A}, {A}, true},
      [](const BackwardArgs& a) -> Grads {
        const Tensor &A = a.saved[0], &det = a.results[0];
        return {expand_scalar(a.grad() * det) * inverse_transpose(A, det, "linalg.det")};
      },
      [](const ForwardArgs& f) {
        Tensor det = f.result.detach();
        return det * (inverse_transpose(f.primal().detach(), det, "linalg.det") * f.tangent()).sum({-2, -1});
      });
}

std::tuple<Tensor, Tensor> slogdet(const Tensor& A) {
  check_square("linalg.slogdet", A);
  lapack::Determinant d = lapack::determinant(A);
  autograd::differentiable(
      {d.sign, d.logabsdet}, {"LinalgSlogdetBackward0", {A}, {A}, true},
      [](const BackwardArgs& a) -> Grads {
        return {expand_scalar(a.grad(1)) * inverse_transpose(a.saved[0], a.results[0], "linalg.slogdet")};
      },
      [sign = d.sign](const ForwardArgs& f) -> autograd::TensorList {
        return {Tensor(), (inverse_transpose(f.primal().detach(), sign, "linalg.slogdet") * f.tangent()).sum({-2, -1})};
      });
  return {d.sign, d.logabsdet};
}

}  // namespace linalg

Tensor det(const Tensor& t) { return linalg::det(t); }

}  // namespace kiln
