// linalg::solve_triangular and its derivatives. Only A's triangle (without
// the diagonal when unitriangular) is read, so only it gets a gradient.
//   left  X = A^-1 B:  gB = A^-T g,  gA = tri(-gB X^T);   dX = A^-1 (dB - tri(dA) X)
//   right X = B A^-1:  gB = g A^-T,  gA = tri(-X^T gB);   dX = (dB - X tri(dA)) A^-1
#include "linalg/common.h"
#include "linalg/lapack.h"

namespace kiln::linalg {
namespace {
using namespace detail;

// The part of a matrix that a triangular solve reads.
Tensor read_part(const Tensor& x, bool upper, bool unitriangular) {
  int64_t diagonal = unitriangular ? (upper ? 1 : -1) : 0;
  return upper ? x.triu(diagonal) : x.tril(diagonal);
}
}  // namespace

Tensor solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left, bool unitriangular) {
  const char* op = "linalg.solve_triangular";
  check_square(op, A);
  check_matrix(op, B, "B");
  check_same_dtype(op, A, B);
  int64_t inner = left ? B.size(-2) : B.size(-1);
  KILN_CHECK(inner == A.size(-1), op, ": Incompatible shapes of A and B for the equation ", left ? "AX = B" : "XA = B",
             " (", A.size(-2), "x", A.size(-1), " and ", B.size(-2), "x", B.size(-1), ")");
  return autograd::differentiable(
      lapack::solve_triangular(A, B, upper, left, unitriangular, op), {"LinalgSolveTriangularBackward0", {A, B}, {A}, true},
      [upper, left, unitriangular](const BackwardArgs& a) -> Grads {
        const Tensor &A = a.saved[0], &X = a.results[0];
        Tensor gB = solve_triangular(A.mT(), a.grad(), !upper, left, unitriangular);
        Tensor gA;
        if (a.needs_grad(0)) gA = read_part(left ? -gB.matmul(X.mT()) : -X.mT().matmul(gB), upper, unitriangular);
        return {gA, gB};
      },
      [upper, left, unitriangular](const ForwardArgs& f) {
        Tensor X = f.result.detach(), rhs = f.tangent_or_zeros(1);
        if (f.tangent(0).defined()) {
          Tensor dA = read_part(f.tangent(0), upper, unitriangular);
          rhs = rhs - (left ? dA.matmul(X) : X.matmul(dA));
        }
        return solve_triangular(f.primal(0).detach(), rhs, upper, left, unitriangular);
      });
}

}  // namespace kiln::linalg
