// kiln::linalg: torch.linalg over LAPACKE, batched over leading dims.
#pragma once
#include <optional>
#include <string>
#include <tuple>

#include "kiln/functions.h"

namespace kiln::linalg {

Tensor cholesky(const Tensor& A, bool upper = false);
// (L, info): info (int32, batch shape) is LAPACK's potrf status, nonzero where A is not positive-definite.
std::tuple<Tensor, Tensor> cholesky_ex(const Tensor& A, bool upper = false, bool check_errors = false);
Tensor solve(const Tensor& A, const Tensor& B, bool left = true);
Tensor inv(const Tensor& A);
Tensor det(const Tensor& A);
std::tuple<Tensor, Tensor> slogdet(const Tensor& A);
Tensor solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left = true, bool unitriangular = false);
std::tuple<Tensor, Tensor> eigh(const Tensor& A, const std::string& UPLO = "L");
Tensor eigvalsh(const Tensor& A, const std::string& UPLO = "L");
Tensor vector_norm(const Tensor& x, Scalar ord = 2, OptionalIntArrayRef dim = std::nullopt,
                   bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor matrix_norm(const Tensor& A, const std::string& ord = "fro", IntArrayRef dim = {-2, -1},
                   bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor matrix_norm(const Tensor& A, Scalar ord, IntArrayRef dim = {-2, -1}, bool keepdim = false,
                   std::optional<ScalarType> dtype = std::nullopt);
Tensor norm(const Tensor& x, std::optional<Scalar> ord = std::nullopt, OptionalIntArrayRef dim = std::nullopt,
            bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor norm(const Tensor& x, const std::string& ord, OptionalIntArrayRef dim = std::nullopt,
            bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
// String literals ("fro", "nuc") take these: a pointer would also convert to Scalar (via bool).
Tensor matrix_norm(const Tensor& A, const char* ord, IntArrayRef dim = {-2, -1}, bool keepdim = false,
                   std::optional<ScalarType> dtype = std::nullopt);
Tensor norm(const Tensor& x, const char* ord, OptionalIntArrayRef dim = std::nullopt, bool keepdim = false,
            std::optional<ScalarType> dtype = std::nullopt);

}  // namespace kiln::linalg

namespace kiln {
// (L L^T)^-1 from the Cholesky factor L (potri), as torch::cholesky_inverse.
Tensor cholesky_inverse(const Tensor& L, bool upper = false);
}  // namespace kiln
