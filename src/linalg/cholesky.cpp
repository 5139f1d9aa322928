// linalg::cholesky: A = L L^T (or U^T U) and its derivatives.
//   backward (Murray 2016, no explicit inverse):
//     P = tril(L^T gL);  S = (P + strict_tril(P)^T) / 2  (symmetric, diagonal once)
//     gA = L^-T S L^-1   (two triangular solves)
//   forward:  dL = L Phi(L^-1 dA L^-T),  Phi = strict lower triangle + half diagonal
// The upper variant transposes: U = L^T.
// cholesky_inverse X = (L L^T)^-1 (potri):
//   dX = -X (dL L^T + L dL^T) X,   gL = -X (g + g^T) X L   (upper: U = L^T)
#include "linalg/common.h"
#include "linalg/lapack.h"

namespace kiln::linalg {
namespace {
using namespace detail;

Tensor cholesky_backward(Tensor gL, Tensor L, bool upper) {
  if (upper) {
    L = L.mT();
    gL = gL.mT();
  }
  Tensor P = L.mT().matmul(gL).tril();
  Tensor S = 0.5 * (P + P.tril(-1).mT());
  S = solve_triangular(L.mT(), S, /*upper=*/true, /*left=*/true);
  return solve_triangular(L, S, /*upper=*/false, /*left=*/false);
}

Tensor cholesky_tangent(const Tensor& dA, Tensor L, bool upper) {
  if (upper) L = L.mT();
  Tensor X = solve_triangular(L, dA, /*upper=*/false, /*left=*/true);
  X = solve_triangular(L.mT(), X, /*upper=*/true, /*left=*/false);
  Tensor phi = X.tril(-1) + 0.5 * diag_matrix(X.diagonal(0, -2, -1));
  Tensor dL = L.matmul(phi);
  return upper ? dL.mT() : dL;
}

// The factor as a recorded result of A.
Tensor record_cholesky(Tensor L, const Tensor& A, bool upper) {
  return autograd::differentiable(
      std::move(L), {"LinalgCholeskyExBackward0", {A}, {}, true},
      [upper](const BackwardArgs& a) -> Grads { return {cholesky_backward(a.grad(), a.results[0], upper)}; },
      [upper](const ForwardArgs& f) { return cholesky_tangent(f.tangent(), f.result.detach(), upper); });
}

}  // namespace

namespace detail {
Tensor cholesky_inverse_tangent(const Tensor& dF, const Tensor& F, const Tensor& X, bool upper) {
  Tensor dA = upper ? dF.mT().matmul(F) : dF.matmul(F.mT());
  return -X.matmul(dA + dA.mT()).matmul(X);
}
}  // namespace detail

Tensor cholesky(const Tensor& A, bool upper) {
  check_square("linalg.cholesky", A);
  return record_cholesky(lapack::cholesky(A, upper, "linalg.cholesky"), A, upper);
}

std::tuple<Tensor, Tensor> cholesky_ex(const Tensor& A, bool upper, bool check_errors) {
  check_square("linalg.cholesky_ex", A);
  Tensor info;
  Tensor L = lapack::cholesky(A, upper, "linalg.cholesky_ex", check_errors ? nullptr : &info);
  if (check_errors) info = zeros(IntArrayRef(A.sizes().data(), A.dim() - 2), TensorOptions(kInt32));
  return {record_cholesky(std::move(L), A, upper), info};
}

}  // namespace kiln::linalg

namespace kiln {

Tensor cholesky_inverse(const Tensor& L, bool upper) {
  linalg::detail::check_square("cholesky_inverse", L);
  return autograd::differentiable(
      linalg::lapack::cholesky_inverse(L, upper, "cholesky_inverse"), {"CholeskyInverseBackward0", {L}, {L}, true},
      [upper](const linalg::detail::BackwardArgs& a) -> linalg::detail::Grads {
        const Tensor &g = a.grad(), &X = a.results[0], &F = a.saved[0];
        Tensor C = X.matmul(g + g.mT()).matmul(X);
        return {upper ? -F.matmul(C) : -C.matmul(F)};
      },
      [upper](const linalg::detail::ForwardArgs& f) {
        return linalg::detail::cholesky_inverse_tangent(f.tangent(), f.primal(0).detach(), f.result.detach(), upper);
      });
}

}  // namespace kiln
