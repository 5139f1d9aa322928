// LAPACK (and BLAS trsm) over batches of matrices: the kernels of
// kiln::linalg. Inputs may have any strides and broadcastable batch dims;
// each call copies its operands into column-major buffers (LAPACK overwrites
// them anyway) and returns fresh column-major results, as PyTorch does.
// A failure (not positive-definite, singular) throws kiln::Error naming
// `op`, the batch element and LAPACK's info. Knows nothing of autograd.
#pragma once
#include <tuple>

#include "kiln/tensor.h"

namespace kiln::linalg::lapack {

// The Cholesky factor (potrf), with the other triangle zeroed. With `info`
// given, a failure is reported there (int32, batch shape: LAPACK's info per
// matrix, 0 = success) instead of thrown.
Tensor cholesky(const Tensor& A, bool upper, const char* op, Tensor* info = nullptr);
// (L L^T)^-1 (or (U^T U)^-1) from the factor (potri), both triangles filled.
Tensor cholesky_inverse(const Tensor& L, bool upper, const char* op);
// X with A X = B, A = L L^T (or U^T U): potrs. Batch dims broadcast.
Tensor cholesky_solve(const Tensor& B, const Tensor& L, bool upper, const char* op);
// X with A X = B (gesv). Batch dims broadcast.
Tensor solve(const Tensor& A, const Tensor& B, const char* op);
// A^-1 (gesv against the identity).
Tensor inverse(const Tensor& A, const char* op);
// From one LU factorisation (getrf): sign and log|det| (0 and -inf when
// singular) and det itself (the product of U's diagonal, exactly 0 when singular).
struct Determinant {
  Tensor sign, logabsdet, det;
};
Determinant determinant(const Tensor& A);
// X with A X = B (left) or X A = B, A triangular (trsm). Batch dims broadcast.
// A zero on A's diagonal (unless unitriangular) is an error, not inf.
Tensor solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left, bool unitriangular, const char* op);
// (eigenvalues ascending, eigenvectors as columns) of a symmetric matrix,
// reading the lower or upper triangle (syevd).
std::tuple<Tensor, Tensor> eigh(const Tensor& A, bool upper, const char* op);

}  // namespace kiln::linalg::lapack
