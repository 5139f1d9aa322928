// linalg::eigh / eigvalsh of symmetric matrices, and their derivatives.
// With A = V diag(L) V^T and F_ij = 1 / (L_j - L_i) off the diagonal:
//   backward  gA = V (diag(gL) + F o skew(V^T gV)) V^T,  skew(M) = (M - M^T) / 2
//   forward   dL = diag(V^T dA V),  dV = V (F o (V^T dA V))
// F is taken as 0 for equal eigenvalues, where the eigenvectors' derivative
// does not exist: the result stays finite instead of inf/NaN.
#include "linalg/common.h"
#include "linalg/lapack.h"

namespace kiln::linalg {
namespace {
using namespace detail;

bool upper_of(const std::string& UPLO) {
  KILN_CHECK(UPLO == "L" || UPLO == "U" || UPLO == "l" || UPLO == "u",
             "linalg.eigh: Expected UPLO argument to be 'L' or 'U', but got ", UPLO);
  return UPLO == "U" || UPLO == "u";
}

// F_ij = 1 / (L_j - L_i), 0 where the eigenvalues coincide (the diagonal too).
Tensor inverse_gaps(const Tensor& L) {
  Tensor E = L.unsqueeze(-2) - L.unsqueeze(-1);
  Tensor zero = E == 0;
  return where(zero, 0.0, 1.0 / where(zero, 1.0, E));
}

Tensor eigh_backward(const Tensor& gL, const Tensor& gV, const Tensor& L, const Tensor& V) {
  Tensor inner = diag_matrix(gL);
  if (gV.defined()) {
    Tensor M = V.mT().matmul(gV);
    inner = inner + inverse_gaps(L) * (0.5 * (M - M.mT()));
  }
  return V.matmul(inner).matmul(V.mT());
}

}  // namespace

std::tuple<Tensor, Tensor> eigh(const Tensor& A, const std::string& UPLO) {
  check_square("linalg.eigh", A);
  Tensor L, V;
  std::tie(L, V) = lapack::eigh(A, upper_of(UPLO), "linalg.eigh");
  autograd::differentiable(
      {L, V}, {"LinalgEighBackward0", {A}, {}, true},
      [](const BackwardArgs& a) -> Grads { return {eigh_backward(a.grad(0), a.grad(1), a.results[0], a.results[1])}; },
      [L, V](const ForwardArgs& f) -> autograd::TensorList {
        Tensor Ld = L.detach(), Vd = V.detach();
        Tensor M = Vd.mT().matmul(f.tangent()).matmul(Vd);
        return {M.diagonal(0, -2, -1), Vd.matmul(inverse_gaps(Ld) * M)};
      });
  return {L, V};
}

// The eigenvalues of eigh: their gradient V diag(gL) V^T stays differentiable
// through V, so second derivatives are right.
Tensor eigvalsh(const Tensor& A, const std::string& UPLO) {
  check_square("linalg.eigvalsh", A);
  return std::get<0>(eigh(A, UPLO));
}

}  // namespace kiln::linalg
