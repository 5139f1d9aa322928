#include "linalg/lapack.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/broadcast.h"
#include "core/tensor_impl.h"
#include "kernels/blas.h"
#include "core/dispatch.h"
#include "kernels/elementwise.h"

namespace kiln::linalg::lapack {
namespace {

using core::dispatch_floating;

// ---- typed entry points (column-major, no workspace checks)
lapack_int potrf(char uplo, lapack_int n, float* a, lapack_int lda) {
  return LAPACKE_spotrf_work(LAPACK_COL_MAJOR, uplo, n, a, lda);
}
lapack_int potrf(char uplo, lapack_int n, double* a, lapack_int lda) {
  return LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, uplo, n, a, lda);
}
lapack_int potri(char uplo, lapack_int n, float* a, lapack_int lda) {
  return LAPACKE_spotri_work(LAPACK_COL_MAJOR, uplo, n, a, lda);
}
lapack_int potri(char uplo, lapack_int n, double* a, lapack_int lda) {
  return LAPACKE_dpotri_work(LAPACK_COL_MAJOR, uplo, n, a, lda);
}
lapack_int potrs(char uplo, lapack_int n, lapack_int k, const float* a, lapack_int lda, float* b, lapack_int ldb) {
  return LAPACKE_spotrs_work(LAPACK_COL_MAJOR, uplo, n, k, a, lda, b, ldb);
}
lapack_int potrs(char uplo, lapack_int n, lapack_int k, const double* a, lapack_int lda, double* b, lapack_int ldb) {
  return LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, uplo, n, k, a, lda, b, ldb);
}
lapack_int gesv(lapack_int n, lapack_int k, float* a, lapack_int lda, lapack_int* ipiv, float* b, lapack_int ldb) {
  return LAPACKE_sgesv_work(LAPACK_COL_MAJOR, n, k, a, lda, ipiv, b, ldb);
}
lapack_int gesv(lapack_int n, lapack_int k, double* a, lapack_int lda, lapack_int* ipiv, double* b, lapack_int ldb) {
  return LAPACKE_dgesv_work(LAPACK_COL_MAJOR, n, k, a, lda, ipiv, b, ldb);
}
lapack_int getrf(lapack_int n, float* a, lapack_int lda, lapack_int* ipiv) {
  return LAPACKE_sgetrf_work(LAPACK_COL_MAJOR, n, n, a, lda, ipiv);
}
lapack_int getrf(lapack_int n, double* a, lapack_int lda, lapack_int* ipiv) {
  return LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, n, n, a, lda, ipiv);
}
lapack_int syevd(char uplo, lapack_int n, float* a, lapack_int lda, float* w) {
  return LAPACKE_ssyevd(LAPACK_COL_MAJOR, 'V', uplo, n, a, lda, w);
}
lapack_int syevd(char uplo, lapack_int n, double* a, lapack_int lda, double* w) {
  return LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', uplo, n, a, lda, w);
}
void trsm(CBLAS_SIDE side, CBLAS_UPLO uplo, CBLAS_DIAG diag, int m, int n, const float* a, int lda, float* b, int ldb) {
  cblas_strsm(CblasColMajor, side, uplo, CblasNoTrans, diag, m, n, 1.0f, a, lda, b, ldb);
}
void trsm(CBLAS_SIDE side, CBLAS_UPLO uplo, CBLAS_DIAG diag, int m, int n, const double* a, int lda, double* b,
          int ldb) {
  cblas_dtrsm(CblasColMajor, side, uplo, CblasNoTrans, diag, m, n, 1.0, a, lda, b, ldb);
}

IntArrayRef batch_of(const Tensor& t) { return IntArrayRef(t.sizes().data(), t.dim() - 2); }

int64_t count(IntArrayRef batch) {
  int64_t n = 1;
  for (int64_t s : batch) n *= s;
  return n;
}

// A fresh tensor of shape batch + [rows, cols] holding t broadcast to it,
// each matrix column-major, matrices packed one after another.
Tensor column_major_copy(const Tensor& t, IntArrayRef batch) {
  int64_t rows = t.size(-2), cols = t.size(-1);
  KILN_CHECK(rows <= INT_MAX && cols <= INT_MAX, "linalg: matrix dimensions ", t.sizes(), " exceed LAPACK's range");
  Shape storage(batch), sizes(batch);
  storage.push_back(cols);
  storage.push_back(rows);
  sizes.push_back(rows);
  sizes.push_back(cols);
  Tensor buf = core::empty(storage, t.dtype());
  Shape strides = core::contiguous_strides(storage);
  std::swap(strides[strides.size() - 1], strides[strides.size() - 2]);
  Tensor view = core::make_view(buf, sizes, strides, 0);
  kernels::copy(view, t);
  return view;
}

// t itself when it already has that layout (a factor LAPACK returned), else
// column_major_copy: for matrices LAPACK only reads.
Tensor column_major_input(const Tensor& t, IntArrayRef batch) {
  const int64_t rows = t.size(-2), cols = t.size(-1);
  bool packed = batch == batch_of(t) && (rows <= 1 || t.stride(-2) == 1) && (cols <= 1 || t.stride(-1) == rows);
  int64_t expected = rows * cols;
  for (size_t d = batch.size(); packed && d-- > 0;) {
    packed = batch[d] <= 1 || t.stride(static_cast<int64_t>(d)) == expected;
    expected *= batch[d];
  }
  return packed ? t : column_major_copy(t, batch);
}

// "op: " or "op: (Batch element i): ", as PyTorch reports batched failures.
std::string prefix(const char* op, bool batched, int64_t i) {
  std::string s = std::string(op) + ": ";
  if (batched) s += "(Batch element " + std::to_string(i) + "): ";
  return s;
}

lapack_int ld(int64_t rows) { return static_cast<lapack_int>(std::max<int64_t>(rows, 1)); }

// potrf leaves the other triangle of the column-major n x n matrix untouched: clear it.
template <class T>
void clear_other_triangle(T* a, int64_t n, bool upper) {
  for (int64_t j = 0; j < n; ++j)
    for (int64_t i = 0; i < n; ++i)
      if (upper ? i > j : i < j) a[i + j * n] = T(0);
}

// potri fills one triangle of the column-major n x n matrix: copy it into the
// other, in tiles so that the strided side stays in cache.
template <class T>
void mirror_triangle(T* a, int64_t n, bool upper) {
  constexpr int64_t kTile = 64;
  for (int64_t jb = 0; jb < n; jb += kTile)
    for (int64_t ib = jb; ib < n; ib += kTile)
      for (int64_t j = jb; j < std::min(jb + kTile, n); ++j)
        for (int64_t i = std::max(ib, j + 1); i < std::min(ib + kTile, n); ++i) {
          if (upper) a[i + j * n] = a[j + i * n];
          else a[j + i * n] = a[i + j * n];
        }
}

Shape broadcast_batch(const Tensor& a, const Tensor& b, const char* op) {
  return core::broadcast_shape(batch_of(a), batch_of(b), op);
}

}  // namespace

Tensor cholesky(const Tensor& A, bool upper, const char* op, Tensor* info) {
  kernels::LapackThreads threads;
  Tensor L = column_major_copy(A, batch_of(A));
  int64_t n = A.size(-1), batch = count(batch_of(A));
  if (info) *info = core::empty(batch_of(A), kInt32);
  dispatch_floating(A.dtype(), op, [&](auto type) {
    using T = typename decltype(type)::type;
    T* base = L.data_ptr<T>();
    for (int64_t b = 0; b < batch; ++b) {
      T* a = base + b * n * n;
      lapack_int status = potrf(upper ? 'U' : 'L', static_cast<lapack_int>(n), a, ld(n));
      if (info) info->data_ptr<int32_t>()[b] = static_cast<int32_t>(status);
      else
        KILN_CHECK(status == 0, prefix(op, A.dim() > 2, b),
                   "The factorization could not be completed because the input is not positive-definite (the "
                   "leading minor of order ", status, " is not positive-definite).");
      clear_other_triangle(a, n, upper);
    }
  });
  return L;
}

Tensor cholesky_inverse(const Tensor& L, bool upper, const char* op) {
  kernels::LapackThreads threads;
  Tensor X = column_major_copy(L, batch_of(L));
  int64_t n = L.size(-1), batch = count(batch_of(L));
  dispatch_floating(L.dtype(), op, [&](auto type) {
    using T = typename decltype(type)::type;
    T* base = X.data_ptr<T>();
    for (int64_t b = 0; b < batch; ++b) {
      T* a = base + b * n * n;
      lapack_int info = potri(upper ? 'U' : 'L', static_cast<lapack_int>(n), a, ld(n));
      KILN_CHECK(info == 0, prefix(op, L.dim() > 2, b), "The diagonal element ", info,
                 " of the factor is zero, the inverse could not be computed.");
      mirror_triangle(a, n, upper);
    }
  });
  return X;
}

Tensor cholesky_solve(const Tensor& B, const Tensor& L, bool upper, const char* op) {
  kernels::LapackThreads threads;
  Shape batch = broadcast_batch(B, L, op);
  Tensor X = column_major_copy(B, batch), F = column_major_input(L, batch);
  int64_t n = L.size(-1), k = B.size(-1), total = count(batch);
  dispatch_floating(B.dtype(), op, [&](auto type) {
    using T = typename decltype(type)::type;
    for (int64_t b = 0; b < total; ++b)
      potrs(upper ? 'U' : 'L', static_cast<lapack_int>(n), static_cast<lapack_int>(k), F.data_ptr<T>() + b * n * n,
            ld(n), X.data_ptr<T>() + b * n * k, ld(n));
  });
  return X;
}

Tensor solve(const Tensor& A, const Tensor& B, const char* op) {
  kernels::LapackThreads threads;
  Shape batch = broadcast_batch(A, B, op);
  Tensor LU = column_major_copy(A, batch), X = column_major_copy(B, batch);
  int64_t n = A.size(-1), k = B.size(-1), total = count(batch);
  std::vector<lapack_int> ipiv(std::max<int64_t>(n, 1));
  dispatch_floating(A.dtype(), op, [&](auto type) {
    using T = typename decltype(type)::type;
    for (int64_t b = 0; b < total; ++b) {
      lapack_int info = gesv(static_cast<lapack_int>(n), static_cast<lapack_int>(k), LU.data_ptr<T>() + b * n * n,
                             ld(n), ipiv.data(), X.data_ptr<T>() + b * n * k, ld(n));
      KILN_CHECK(info == 0, prefix(op, !batch.empty(), b),
                 "The solver failed because the input matrix is singular (the diagonal element ", info,
                 " of its LU factorization is zero).");
    }
  });
  return X;
}

Tensor inverse(const Tensor& A, const char* op) {
  kernels::LapackThreads threads;
  Tensor LU = column_major_copy(A, batch_of(A));
  Shape shape(A.sizes());
  Tensor X = core::empty(shape, A.dtype());
  kernels::fill(X, 0);
  X = column_major_copy(X, batch_of(A));
  int64_t n = A.size(-1), total = count(batch_of(A));
  std::vector<lapack_int> ipiv(std::max<int64_t>(n, 1));
  dispatch_floating(A.dtype(), op, [&](auto type) {
    using T = typename decltype(type)::type;
    for (int64_t b = 0; b < total; ++b) {
      T* x = X.data_ptr<T>() + b * n * n;
      for (int64_t i = 0; i < n; ++i) x[i + i * n] = T(1);
      lapack_int info = gesv(static_cast<lapack_int>(n), static_cast<lapack_int>(n), LU.data_ptr<T>() + b * n * n,
                             ld(n), ipiv.data(), x, ld(n));
      KILN_CHECK(info == 0, prefix(op, A.dim() > 2, b), "The diagonal element ", info,
                 " is zero, the inversion could not be completed because the input matrix is singular.");
    }
  });
  return X;
}

Determinant determinant(const Tensor& A) {
  kernels::LapackThreads threads;
  Tensor LU = column_major_copy(A, batch_of(A));
  Shape batch(batch_of(A));
  Determinant r{core::empty(batch, A.dtype()), core::empty(batch, A.dtype()), core::empty(batch, A.dtype())};
  int64_t n = A.size(-1), total = count(batch);
  std::vector<lapack_int> ipiv(std::max<int64_t>(n, 1));
  dispatch_floating(A.dtype(), "linalg.det", [&](auto type) {
    using T = typename decltype(type)::type;
    for (int64_t b = 0; b < total; ++b) {
      T* a = LU.data_ptr<T>() + b * n * n;
      getrf(static_cast<lapack_int>(n), a, ld(n), ipiv.data());  // info > 0: a zero pivot, det 0
      // det = (permutation sign) * prod(diag U); log|det| = sum log|U_ii|.
      T perm = 1, prod = 1, diag_sign = 1, logabs = 0;
      for (int64_t i = 0; i < n; ++i) {
        T u = a[i + i * n];
        if (ipiv[i] != i + 1) perm = -perm;
        prod *= u;
        diag_sign *= u > 0 ? T(1) : (u < 0 ? T(-1) : T(0));
        logabs += std::log(std::abs(u));
      }
      T sign = perm * diag_sign, det = perm * prod;
      if (diag_sign == 0) logabs = -std::numeric_limits<T>::infinity();
      r.sign.data_ptr<T>()[b] = sign;
      r.logabsdet.data_ptr<T>()[b] = logabs;
      r.det.data_ptr<T>()[b] = det;
    }
  });
  return r;
}

Tensor solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left, bool unitriangular, const char* op) {
  kernels::LapackThreads threads;
  Shape batch = broadcast_batch(A, B, op);
  Tensor T_ = column_major_input(A, batch), X = column_major_copy(B, batch);
  int64_t n = A.size(-1), rows = B.size(-2), cols = B.size(-1), total = count(batch);
  dispatch_floating(A.dtype(), op, [&](auto type) {
    using T = typename decltype(type)::type;
    for (int64_t b = 0; b < total; ++b) {
      const T* a = T_.data_ptr<T>() + b * n * n;
      if (!unitriangular)
        for (int64_t i = 0; i < n; ++i)
          KILN_CHECK(a[i + i * n] != T(0), prefix(op, !batch.empty(), b), "The diagonal element ", i + 1,
                     " is zero, the triangular system cannot be solved because the input matrix is singular.");
      trsm(left ? CblasLeft : CblasRight, upper ? CblasUpper : CblasLower, unitriangular ? CblasUnit : CblasNonUnit,
           static_cast<int>(rows), static_cast<int>(cols), a, ld(n), X.data_ptr<T>() + b * rows * cols, ld(rows));
    }
  });
  return X;
}

std::tuple<Tensor, Tensor> eigh(const Tensor& A, bool upper, const char* op) {
  kernels::LapackThreads threads;
  Tensor V = column_major_copy(A, batch_of(A));
  Shape wshape(batch_of(A));
  int64_t n = A.size(-1), total = count(batch_of(A));
  wshape.push_back(n);
  Tensor w = core::empty(wshape, A.dtype());
  dispatch_floating(A.dtype(), op, [&](auto type) {
    using T = typename decltype(type)::type;
    for (int64_t b = 0; b < total; ++b) {
      if (n == 0) break;
      lapack_int info = syevd(upper ? 'U' : 'L', static_cast<lapack_int>(n), V.data_ptr<T>() + b * n * n, ld(n),
                              w.data_ptr<T>() + b * n);
      KILN_CHECK(info == 0, prefix(op, A.dim() > 2, b),
                 "The algorithm failed to converge because the input matrix is ill-conditioned or has too many "
                 "repeated eigenvalues (error code: ", info, ").");
    }
  });
  return {w, V};
}

}  // namespace kiln::linalg::lapack
