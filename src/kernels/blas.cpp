#include "kernels/blas.h"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <climits>

#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kernels/elementwise.h"
#include "kernels/parallel.h"

extern "C" void openblas_set_num_threads(int);

namespace kiln::kernels {
namespace {

// How row-major BLAS can read a rows x cols matrix: as stored (NoTrans, rows
// contiguous) or as the transpose of a row-major matrix (Trans, columns
// contiguous), with leading dimension ld.
struct Layout {
  bool ok = false;
  bool trans = false;
  int64_t ld = 0;
};

template <class T>
Layout layout_of(const MatrixRef<T>& m) {
  // The stride of a size-1 dim is never followed: use the one BLAS accepts.
  int64_t one_r = std::max<int64_t>(m.rows, 1), one_c = std::max<int64_t>(m.cols, 1);
  int64_t rs = m.rows == 1 ? one_c : m.row_stride, cs = m.cols == 1 ? 1 : m.col_stride;
  if (cs == 1 && rs >= one_c && rs <= INT_MAX) return {true, false, rs};
  rs = m.rows == 1 ? 1 : m.row_stride;
  cs = m.cols == 1 ? one_r : m.col_stride;
  if (rs == 1 && cs >= one_r && cs <= INT_MAX) return {true, true, cs};
  return {};
}

CBLAS_TRANSPOSE flag(bool trans) { return trans ? CblasTrans : CblasNoTrans; }

// c = beta * c, where beta == 0 writes zeros (the k == 0 product).
template <class T>
void scale(MatrixRef<T> c, T beta) {
  for (int64_t i = 0; i < c.rows; ++i)
    for (int64_t j = 0; j < c.cols; ++j) {
      T& v = c.data[i * c.row_stride + j * c.col_stride];
      v = beta == T(0) ? T(0) : beta * v;
    }
}

void call_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* a, int lda,
               const float* b, int ldb, float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void call_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha, const double* a, int lda,
               const double* b, int ldb, double beta, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void call_gemv(CBLAS_TRANSPOSE t, int m, int n, float alpha, const float* a, int lda, const float* x, int incx,
               float beta, float* y, int incy) {
  cblas_sgemv(CblasRowMajor, t, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
void call_gemv(CBLAS_TRANSPOSE t, int m, int n, double alpha, const double* a, int lda, const double* x, int incx,
               double beta, double* y, int incy) {
  cblas_dgemv(CblasRowMajor, t, m, n, alpha, a, lda, x, incx, beta, y, incy);
}

float call_dot(int n, const float* x, int incx, const float* y, int incy) { return cblas_sdot(n, x, incx, y, incy); }
double call_dot(int n, const double* x, int incx, const double* y, int incy) {
  return cblas_ddot(n, x, incx, y, incy);
}

// The integer product: a plain loop (BLAS has no integer gemm).
template <class T>
void integer_gemm(T alpha, MatrixRef<const T> a, MatrixRef<const T> b, T beta, MatrixRef<T> c) {
  for (int64_t i = 0; i < c.rows; ++i)
    for (int64_t j = 0; j < c.cols; ++j) {
      T acc = 0;
      for (int64_t p = 0; p < a.cols; ++p)
        acc += a.data[i * a.row_stride + p * a.col_stride] * b.data[p * b.row_stride + j * b.col_stride];
      T& out = c.data[i * c.row_stride + j * c.col_stride];
      out = alpha * acc + (beta == T(0) ? T(0) : beta * out);
    }
}

// One matrix on one thread: gemv when a side is a vector, gemm otherwise.
template <class T>
bool serial_product(T alpha, MatrixRef<const T> a, MatrixRef<const T> b, T beta, MatrixRef<T> c) {
  if constexpr (!std::is_floating_point_v<T>) {
    integer_gemm(alpha, a, b, beta, c);
    return true;
  } else {
    if (c.cols == 1 && b.row_stride != 0 && c.row_stride != 0)
      return gemv(alpha, a, b.data, b.row_stride, beta, c.data, c.row_stride);
    if (c.rows == 1 && a.col_stride != 0 && c.col_stride != 0) {
      MatrixRef<const T> bt{b.data, b.cols, b.rows, b.col_stride, b.row_stride};
      return gemv(alpha, bt, a.data, a.col_stride, beta, c.data, c.col_stride);
    }
    return gemm(alpha, a, b, beta, c);
  }
}

// Products above this many multiply-adds are split across kiln's threads
// (below it the fork costs more than it saves).
constexpr int64_t kSplitWork = int64_t{1} << 20;

// One matrix: its output's rows (or columns, when wider) in one block per
// thread, each a serial BLAS call. OpenBLAS's own pool stays at one thread
// (core/threads.cpp): two pools on the same cores spin against each other.
// Only a product BLAS reads as laid out is split: every block of it then
// passes too (a smaller block only relaxes the layout checks), so a block
// never writes while another asks for the copies (with beta != 0 the retry
// would apply beta twice).
template <class T>
bool product(T alpha, MatrixRef<const T> a, MatrixRef<const T> b, T beta, MatrixRef<T> c) {
  int64_t parts = c.rows * c.cols * a.cols >= kSplitWork && !omp_in_parallel() ? thread_budget() : 1;
  if (parts > 1 && !(layout_of(a).ok && layout_of(b).ok && layout_of(c).ok)) parts = 1;
  bool by_rows = c.rows >= c.cols;
  int64_t extent = by_rows ? c.rows : c.cols;
  parts = std::min(parts, extent / 16);
  if (parts <= 1) return serial_product(alpha, a, b, beta, c);
  std::atomic<bool> ok{true};
  parallel_for(parts, 1, [&](int64_t first, int64_t last) {
    for (int64_t p = first; p < last; ++p) {
      int64_t begin = extent * p / parts, n = extent * (p + 1) / parts - begin;
      MatrixRef<const T> ap = a, bp = b;
      MatrixRef<T> cp = c;
      if (by_rows) {
        ap = {a.data + begin * a.row_stride, n, a.cols, a.row_stride, a.col_stride};
        cp = {c.data + begin * c.row_stride, n, c.cols, c.row_stride, c.col_stride};
      } else {
        bp = {b.data + begin * b.col_stride, b.rows, n, b.row_stride, b.col_stride};
        cp = {c.data + begin * c.col_stride, c.rows, n, c.row_stride, c.col_stride};
      }
      if (!serial_product(alpha, ap, bp, beta, cp)) ok = false;
    }
  });
  return ok;
}

// The strides of t's batch dims aligned to `batch` (0 where t repeats).
Shape batch_strides(const Tensor& t, IntArrayRef batch) {
  Shape s(batch.size(), 0);
  int64_t lead = static_cast<int64_t>(batch.size()) - (t.dim() - 2);
  for (int64_t d = 0; d < t.dim() - 2; ++d)
    if (t.size(d) != 1) s[lead + d] = t.stride(d);
  return s;
}

template <class T>
MatrixRef<T> matrix_of(const Tensor& t, T* data) {
  int64_t n = t.dim();
  return {data, t.size(n - 2), t.size(n - 1), t.stride(n - 2), t.stride(n - 1)};
}

// Runs every product of the batch; false if a layout needs a copy (decided by
// strides alone, so nothing has been written then).
template <class T>
bool run_batch(const Tensor& out, const Tensor& a, const Tensor& b, T beta, T alpha) {
  IntArrayRef batch(out.sizes().data(), out.dim() - 2);
  Shape sa = batch_strides(a, batch), sb = batch_strides(b, batch), so = batch_strides(out, batch);
  const T* pa = static_cast<const T*>(a.data_ptr());
  const T* pb = static_cast<const T*>(b.data_ptr());
  T* po = static_cast<T*>(out.data_ptr());
  int64_t count = 1;
  for (int64_t s : batch) count *= s;
  Shape idx(batch.size(), 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t oa = 0, ob = 0, oo = 0;
    for (size_t d = 0; d < batch.size(); ++d) {
      oa += idx[d] * sa[d];
      ob += idx[d] * sb[d];
      oo += idx[d] * so[d];
    }
    if (!product(alpha, matrix_of(a, pa + oa), matrix_of(b, pb + ob), beta, matrix_of(out, po + oo))) return false;
    for (int64_t d = static_cast<int64_t>(batch.size()) - 1; d >= 0; --d) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  return true;
}

Tensor contiguous_copy(const Tensor& t) {
  Tensor c = core::empty(t.sizes(), t.dtype());
  copy(c, t);
  return c;
}

template <class T>
bool blas_readable(const Tensor& t) {
  return layout_of(matrix_of(t, static_cast<T*>(nullptr))).ok;
}

}  // namespace

template <class T>
bool gemm(T alpha, MatrixRef<const T> a, MatrixRef<const T> b, T beta, MatrixRef<T> c) {
  Layout la = layout_of(a), lb = layout_of(b), lc = layout_of(c);
  if (!la.ok || !lb.ok || !lc.ok) return false;
  int64_t m = c.rows, n = c.cols, k = a.cols;
  if (m == 0 || n == 0) return true;
  if (k == 0) {
    scale(c, beta);
    return true;
  }
  if (!lc.trans) {
    call_gemm(flag(la.trans), flag(lb.trans), int(m), int(n), int(k), alpha, a.data, int(la.ld), b.data, int(lb.ld),
              beta, c.data, int(lc.ld));
  } else {
    // c is column-major: compute its transpose, c^T = b^T a^T, row-major.
    call_gemm(flag(!lb.trans), flag(!la.trans), int(n), int(m), int(k), alpha, b.data, int(lb.ld), a.data,
              int(la.ld), beta, c.data, int(lc.ld));
  }
  return true;
}

template <class T>
bool gemv(T alpha, MatrixRef<const T> a, const T* x, int64_t incx, T beta, T* y, int64_t incy) {
  Layout la = layout_of(a);
  if (!la.ok || incx == 0 || incy == 0 || std::max(std::abs(incx), std::abs(incy)) > INT_MAX) return false;
  if (a.rows == 0) return true;
  if (a.cols == 0) {
    scale(MatrixRef<T>{y, a.rows, 1, incy, 1}, beta);
    return true;
  }
  // A transposed layout stores a^T row-major: gemv(Trans) of that is a @ x.
  int64_t rows = la.trans ? a.cols : a.rows, cols = la.trans ? a.rows : a.cols;
  call_gemv(flag(la.trans), int(rows), int(cols), alpha, a.data, int(la.ld), x, int(incx), beta, y, int(incy));
  return true;
}

void dot_out(const Tensor& out, const Tensor& a, const Tensor& b) {
  int64_t n = a.numel(), sa = n > 1 ? a.stride(0) : 1, sb = n > 1 ? b.stride(0) : 1;
  core::dispatch(out.dtype(), [&](auto type) {
    using T = typename decltype(type)::type;
    const T* x = static_cast<const T*>(a.data_ptr());
    const T* y = static_cast<const T*>(b.data_ptr());
    T* r = static_cast<T*>(out.data_ptr());
    if constexpr (std::is_floating_point_v<T>) {
      if (n <= INT_MAX && sa > 0 && sb > 0 && std::max(sa, sb) <= INT_MAX) {
        *r = call_dot(int(n), x, int(sa), y, int(sb));
        return;
      }
    }
    if constexpr (!std::is_same_v<T, bool>) {
      T acc = 0;
      for (int64_t i = 0; i < n; ++i) acc += x[i * sa] * y[i * sb];
      *r = acc;
    }
  });
}

LapackThreads::LapackThreads() { openblas_set_num_threads(thread_budget()); }
LapackThreads::~LapackThreads() { openblas_set_num_threads(1); }

template bool gemm<float>(float, MatrixRef<const float>, MatrixRef<const float>, float, MatrixRef<float>);
template bool gemm<double>(double, MatrixRef<const double>, MatrixRef<const double>, double, MatrixRef<double>);
template bool gemv<float>(float, MatrixRef<const float>, const float*, int64_t, float, float*, int64_t);
template bool gemv<double>(double, MatrixRef<const double>, const double*, int64_t, double, double*, int64_t);

void matmul_out(const Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha) {
  KILN_CHECK(out.dtype() != kBool, "matmul: not implemented for 'Bool'");
  KILN_CHECK(a.dim() >= 2 && b.dim() >= 2 && out.dim() >= 2, "matmul kernel: expected matrices, got ", a.sizes(),
             " and ", b.sizes());
  for (int64_t s : {out.size(-2), out.size(-1), a.size(-1)})
    KILN_CHECK(s <= INT_MAX, "matmul: matrix dimension ", s, " exceeds what BLAS can index");
  core::dispatch(out.dtype(), [&](auto type) {
    using T = typename decltype(type)::type;
    if constexpr (!std::is_same_v<T, bool>) {
      if (run_batch<T>(out, a, b, T(beta), T(alpha))) return;
      // Some operand has neither stride 1: copy just those, then retry.
      Tensor a2 = blas_readable<T>(a) ? a : contiguous_copy(a);
      Tensor b2 = blas_readable<T>(b) ? b : contiguous_copy(b);
      bool out_ok = blas_readable<T>(out);
      Tensor o2 = out_ok ? out : (beta == 0 ? core::empty(out.sizes(), out.dtype()) : contiguous_copy(out));
      bool done = run_batch<T>(o2, a2, b2, T(beta), T(alpha));
      KILN_CHECK(done, "matmul kernel: could not lay out ", a.sizes(), " @ ", b.sizes(), " for BLAS");
      if (!out_ok) copy(out, o2);
    }
  });
}

}  // namespace kiln::kernels
