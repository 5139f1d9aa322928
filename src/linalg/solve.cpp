// General and Cholesky solves and the inverse, with their derivatives.
//   solve  X = A^-1 B:        gB = A^-T g,   gA = -gB X^T;        dX = A^-1 (dB - dA X)
//   inv    X = A^-1:          gA = -X^T g X^T;                     dX = -X dA X
//   cholesky_solve X = (L L^T)^-1 B:
//                             gB = (L L^T)^-1 g,  C = gB X^T + X gB^T,  gL = -C L (lower) / -U C (upper)
//                             dX = (L L^T)^-1 (dB - (dL L^T + L dL^T) X)
// Batch dims broadcast; the engine sums gradients back to each input's shape.
#include "core/broadcast.h"
#include "linalg/common.h"
#include "linalg/lapack.h"

namespace kiln {
namespace linalg {
namespace {
using namespace detail;

// The recorded left solve of a matrix right-hand side.
Tensor solve_matrix(const Tensor& A, const Tensor& B) {
  return autograd::differentiable(
      lapack::solve(A, B, "linalg.solve"), {"LinalgSolveExBackward0", {A, B}, {A}, true},
      [](const BackwardArgs& a) -> Grads {
        Tensor gB = solve_matrix(a.saved[0].mT(), a.grad());
        return {a.needs_grad(0) ? -gB.matmul(a.results[0].mT()) : Tensor(), gB};
      },
      [](const ForwardArgs& f) {
        Tensor rhs = f.tangent_or_zeros(1);
        if (f.tangent(0).defined()) rhs = rhs - f.tangent(0).matmul(f.result.detach());
        return solve_matrix(f.primal(0).detach(), rhs);
      });
}

// PyTorch's rule: B is a (batch of) vector(s) when it is 1-D or has A's batch shape without the last dim.
bool is_vector_rhs(const Tensor& A, const Tensor& B) {
  if (B.dim() == 1) return true;
  if (B.dim() != A.dim() - 1) return false;
  for (int64_t d = 0; d < B.dim(); ++d)
    if (B.size(d) != A.size(d)) return false;
  return true;
}

}  // namespace

Tensor solve(const Tensor& A, const Tensor& B, bool left) {
  check_square("linalg.solve", A);
  check_same_dtype("linalg.solve", A, B);
  bool vector = is_vector_rhs(A, B);
  if (!vector) check_matrix("linalg.solve", B, "B");
  // X A = B is A^T X^T = B^T.
  Tensor Al = left ? A : A.mT();
  Tensor Bm = vector ? B.unsqueeze(-1) : (left ? B : B.mT());
  KILN_CHECK(Bm.size(-2) == A.size(-1), "linalg.solve: Incompatible shapes of A and B for the equation ",
             left ? "AX = B" : "XA = B", " (", A.size(-2), "x", A.size(-1), " and ",
             vector ? B.size(-1) : B.size(-2), "x", vector ? 1 : B.size(-1), ")");
  Tensor X = solve_matrix(Al, Bm);
  if (vector) return X.squeeze(-1);
  return left ? X : X.mT();
}

Tensor inv(const Tensor& A) {
  check_square("linalg.inv", A);
  return autograd::differentiable(
      lapack::inverse(A, "linalg.inv"), {"LinalgInvExBackward0", {A}, {}, true},
      [](const BackwardArgs& a) -> Grads {
        Tensor Xt = a.results[0].mT();
        return {-Xt.matmul(a.grad()).matmul(Xt)};
      },
      [](const ForwardArgs& f) {
        Tensor X = f.result.detach();
        return -X.matmul(f.tangent()).matmul(X);
      });
}

}  // namespace linalg

Tensor inverse(const Tensor& t) { return linalg::inv(t); }

namespace {
using namespace linalg::detail;

Tensor cholesky_solve_backward_L(const Tensor& gB, const Tensor& X, const Tensor& L, bool upper) {
  Tensor C = gB.matmul(X.mT());
  C = C + C.mT();
  // Only the factor's triangle is read, so only it gets a gradient.
  return upper ? (-L.matmul(C)).triu() : (-C.matmul(L)).tril();
}
}  // namespace

Tensor cholesky_solve(const Tensor& B, const Tensor& L, bool upper) {
  KILN_CHECK(B.dim() >= 2, "cholesky_solve: b should have at least 2 dimensions, but has ", B.dim(),
             " dimensions instead");
  KILN_CHECK(L.dim() >= 2, "cholesky_solve: u should have at least 2 dimensions, but has ", L.dim(),
             " dimensions instead");
  check_floating("cholesky_solve", B);
  KILN_CHECK(B.dtype() == L.dtype(), "cholesky_solve: Expected b and A to have the same dtype, but found b of type ",
             B.dtype(), " and A of type ", L.dtype(), " instead.");
  KILN_CHECK(L.size(-1) == L.size(-2) && B.size(-2) == L.size(-1),
             "cholesky_solve: Incompatible matrix sizes for cholesky_solve: each A matrix is ", L.size(-2), " by ",
             L.size(-1), " but each b matrix is ", B.size(-2), " by ", B.size(-1));
  return autograd::differentiable(
      linalg::lapack::cholesky_solve(B, L, upper, "cholesky_solve"), {"CholeskySolveBackward0", {B, L}, {L}, true},
      [upper](const BackwardArgs& a) -> Grads {
        const Tensor& L = a.saved[0];
        Tensor gB = cholesky_solve(a.grad(), L, upper);
        return {gB, a.needs_grad(1) ? cholesky_solve_backward_L(gB, a.results[0], L, upper) : Tensor()};
      },
      [upper](const ForwardArgs& f) {
        Tensor Ld = f.primal(1).detach(), rhs = f.tangent_or_zeros(0);
        if (f.tangent(1).defined()) {
          Tensor dL = upper ? f.tangent(1).triu() : f.tangent(1).tril();
          Tensor dA = upper ? dL.mT().matmul(Ld) + Ld.mT().matmul(dL) : dL.matmul(Ld.mT()) + Ld.matmul(dL.mT());
          rhs = rhs - dA.matmul(f.result.detach());
        }
        return cholesky_solve(rhs, Ld, upper);
      });
}

}  // namespace kiln
