// kiln::linalg: torch.linalg over LAPACKE, batched over leading dims.
#pragma once
#include <optional>
#include <string>
#include <tuple>

#include "kiln/functions.h"

namespace kiln::linalg {

Tensor cholesky(const Tensor& A, bool upper = false);
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
