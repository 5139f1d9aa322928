// Matrix products over strided memory: CBLAS gemm/gemv for float and double,
// a plain loop for integer dtypes. A matrix whose rows or columns are
// contiguous goes to BLAS as is (a transposed layout becomes a Trans flag);
// only a matrix with neither stride 1 is copied. Knows nothing of autograd.
#pragma once
#include <cstdint>

#include "kiln/tensor.h"

namespace kiln::kernels {

// A 2-D window onto memory, strides in elements.
template <class T>
struct MatrixRef {
  T* data;
  int64_t rows, cols;
  int64_t row_stride, col_stride;
};

// c = alpha * a @ b + beta * c. With beta == 0, c's old contents (NaN too)
// are ignored, as in BLAS. Returns false (doing nothing) when a layout cannot
// be passed to BLAS without a copy; the caller then copies.
template <class T>
bool gemm(T alpha, MatrixRef<const T> a, MatrixRef<const T> b, T beta, MatrixRef<T> c);
// y = alpha * a @ x + beta * y, x and y vectors with element strides incx, incy.
template <class T>
bool gemv(T alpha, MatrixRef<const T> a, const T* x, int64_t incx, T beta, T* y, int64_t incy);

// The 0-d `out` = sum_i a[i] * b[i] for two vectors of out's dtype (not
// bool): BLAS dot for floating types, as torch's dot.
void dot_out(const Tensor& out, const Tensor& a, const Tensor& b);

// While alive, OpenBLAS may use kiln's whole thread budget: for LAPACK
// routines, which kiln cannot split itself. Otherwise it runs on one thread
// and kiln splits products across its own (core/threads.cpp).
class LapackThreads {
 public:
  LapackThreads();
  ~LapackThreads();
  LapackThreads(const LapackThreads&) = delete;
  LapackThreads& operator=(const LapackThreads&) = delete;
};

// out[..., m, n] = alpha * a[..., m, k] @ b[..., k, n] + beta * out.
// The batch dims of a and b broadcast to out's batch dims (missing or size-1
// dims repeat); shapes are checked by the caller. All three share one dtype
// (not bool). Loops over the batch, one BLAS call per matrix.
void matmul_out(const Tensor& out, const Tensor& a, const Tensor& b, double beta = 0, double alpha = 1);

}  // namespace kiln::kernels
