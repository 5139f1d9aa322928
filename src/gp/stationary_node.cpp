// The RBF and Matern kernels, scaled, as one node:
//   K_ij = c f(s_ij),  s_ij = sum_d ((x1_id - x2_jd) / l_d)^2.
// A graph of generic ops keeps several n x n alive for backward (the
// distances, exp's result, the unscaled matrix for the scale's gradient);
// this node saves only X1, X2, l and c and recomputes s, f and f' in blocks
// of rows (f and f' through kiln's vectorised ops, threads over blocks):
//   gc = sum G f,  gl_d = -2 / l_d sum G c f' dz_d^2,
//   gx1_id = 2 / l_d sum_j G c f' dz_d,  gx2_jd = -2 / l_d sum_i G c f' dz_d,
// with dz = z1 - z2, z = x / l. Matern's f' is taken as 0 below s = 1e-30,
// as the generic path's clamp gives (every term there is 0 or cancels).
// Under create_graph the recorded graph of the same matrix is differentiated instead.
#include <omp.h>

#include <cmath>
#include <type_traits>
#include <vector>

#include "common.h"
#include "kiln/autograd_function.h"
#include "kiln/threads.h"

namespace kiln::gp::detail {
namespace {
using autograd::AutogradContext;
using autograd::variable_list;

constexpr double kMinSquaredDistance = 1e-30;

// f(s) and (when asked) df/ds, elementwise through kiln's ops (its vectorised exp): on a row block in
// the fast paths, recorded for create_graph. As GPyTorch, Matern's root is clamped below
// kMinSquaredDistance and df/ds is 0 there (the subgradient exp(-r) needs at zero distance, not 0 * inf).
std::pair<Tensor, Tensor> profile(Profile p, const Tensor& s, bool derivative = true) {
  if (p == Profile::RBF) {
    Tensor f = exp(-0.5 * s);
    return {f, derivative ? -0.5 * f : Tensor()};
  }
  Tensor r = s.clamp_min(kMinSquaredDistance).sqrt(), f, dfds;
  if (p == Profile::Matern12) {
    f = exp(-r);
    dfds = -f / (2 * r);
  } else {
    Tensor cr = std::sqrt(p == Profile::Matern32 ? 3.0 : 5.0) * r, e = exp(-cr);
    f = p == Profile::Matern32 ? (1 + cr) * e : (1 + cr + cr.square() / 3) * e;
    if (!derivative) return {f, Tensor()};
    dfds = p == Profile::Matern32 ? -1.5 * e : -5.0 / 6 * (1 + cr) * e;
  }
  return {f, derivative ? where(s < kMinSquaredDistance, zeros_like(dfds), dfds) : Tensor()};
}

// c f(s) as recorded ops: the graph that create_graph differentiates and that forward mode runs through.
Tensor recorded(Profile p, const Tensor& X1, const Tensor& X2, const Tensor& l, const Tensor& c) {
  return c * profile(p, scaled_sq_dist(X1, X2, l, "gp::Kernel"), false).first;
}

// Rows of X / l, and X2's transposed ([d, n2]) so that the inner loop over j is contiguous.
Tensor scaled_rows(const Tensor& X, const Tensor& l) { return (X / l).contiguous(); }
Tensor scaled_columns(const Tensor& X, const Tensor& l) { return (X / l).t().contiguous(); }

bool worth_threads(int64_t work) { return work > (int64_t{1} << 15) && get_num_threads() > 1; }

// Rows [i0, i0 + rows) of the squared distances, row-major into s.
template <class T>
void squared_distances(const T* z1, const T* z2t, int64_t i0, int64_t rows, int64_t n2, int64_t D, T* s) {
  std::fill(s, s + rows * n2, T(0));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t d = 0; d < D; ++d) {
      const T a = z1[(i0 + i) * D + d];
      const T* col = z2t + d * n2;
      T* row = s + i * n2;
      for (int64_t j = 0; j < n2; ++j) row[j] += (a - col[j]) * (a - col[j]);
    }
}

// Blocks of about 16K pairs: the profile's ops work on a block that stays in cache.
int64_t block_rows(int64_t n2) { return std::max<int64_t>(1, 16384 / std::max<int64_t>(n2, 1)); }

template <class T>
Tensor block_of(T* data, int64_t rows, int64_t n2) {
  return from_blob(data, {rows, n2}, TensorOptions(scalar_type_of<T>));
}

template <class T>
void fill(Profile p, const Tensor& Z1, const Tensor& Z2t, double c, Tensor& K) {
  const int64_t n1 = Z1.size(0), n2 = Z2t.size(1), D = Z1.size(1), B = block_rows(n2), blocks = (n1 + B - 1) / B;
  const T *z1 = Z1.data_ptr<T>(), *z2 = Z2t.data_ptr<T>();
  T* k = K.data_ptr<T>();
#pragma omp parallel for num_threads(worth_threads(n1 * n2 * D) ? get_num_threads() : 1) schedule(static)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t i0 = b * B, rows = std::min(B, n1 - i0);
    squared_distances(z1, z2, i0, rows, n2, D, k + i0 * n2);
    Tensor S = block_of(k + i0 * n2, rows, n2);
    S.copy_(profile(p, S, false).first.mul_(c));
  }
}

// What backward accumulates (in double for float32 inputs, as kiln's sums do): sum G f, sum w dz_d^2
// per feature, and sum w dz_d per row of Z1 and Z2.
template <class T>
using Acc = std::conditional_t<std::is_same_v<T, float>, double, T>;

template <class A>
struct Sums {
  A g_f = 0;
  std::vector<A> w_dz2, gz1, gz2;
  Sums(int64_t D, int64_t n1, int64_t n2, bool x1, bool x2) : w_dz2(D), gz1(x1 ? n1 * D : 0), gz2(x2 ? n2 * D : 0) {}
  void add(const Sums& o) {
    g_f += o.g_f;
    for (size_t d = 0; d < w_dz2.size(); ++d) w_dz2[d] += o.w_dz2[d];
    for (size_t q = 0; q < gz1.size(); ++q) gz1[q] += o.gz1[q];
    for (size_t q = 0; q < gz2.size(); ++q) gz2[q] += o.gz2[q];
  }
};

// w_ij = G_ij c f'(s_ij), accumulated as the header says; G may have any strides (K^-1 from LAPACK is
// column-major). Each thread sums its own block of rows; the blocks are added in thread order, so a
// result does not depend on which thread finishes first. Buffers are made before the parallel region.
template <class T>
Sums<Acc<T>> accumulate(Profile p, const Tensor& Z1, const Tensor& Z2t, T c, const Tensor& G, bool x1, bool x2) {
  const int64_t n1 = Z1.size(0), n2 = Z2t.size(1), D = Z1.size(1), gi = G.stride(0), gj = G.stride(1);
  const int64_t B = block_rows(n2), blocks = (n1 + B - 1) / B;
  const T *z1 = Z1.data_ptr<T>(), *z2 = Z2t.data_ptr<T>(), *g = G.data_ptr<T>();
  const int threads = worth_threads(n1 * n2 * D) ? get_num_threads() : 1;
  std::vector<Sums<Acc<T>>> part(threads, Sums<Acc<T>>(D, n1, n2, x1, x2));
  std::vector<std::vector<T>> s_of(threads, std::vector<T>(B * n2)), w_of(threads, std::vector<T>(n2));
#pragma omp parallel num_threads(threads)
  {
    const int me = omp_get_thread_num();
    Sums<Acc<T>>& mine = part[me];
    T *s = s_of[me].data(), *w = w_of[me].data();
#pragma omp for schedule(static)
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t i0 = b * B, rows = std::min(B, n1 - i0);
      squared_distances(z1, z2, i0, rows, n2, D, s);
      auto [f_block, dfds_block] = profile(p, block_of(s, rows, n2));
      const Tensor F = f_block.contiguous(), Dfds = dfds_block.contiguous();
      const T *f = F.data_ptr<T>(), *dfds = Dfds.data_ptr<T>();
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t i = i0 + r;
        Acc<T> g_f = 0;
        for (int64_t j = 0; j < n2; ++j) {
          const T gij = g[i * gi + j * gj];
          g_f += gij * f[r * n2 + j];
          w[j] = gij * c * dfds[r * n2 + j];
        }
        mine.g_f += g_f;
        for (int64_t d = 0; d < D; ++d) {
          const T a = z1[i * D + d];
          const T* col = z2 + d * n2;
          Acc<T> w_dz = 0, w_dz2 = 0;
          for (int64_t j = 0; j < n2; ++j) {
            const T dz = a - col[j];
            w_dz += w[j] * dz;
            w_dz2 += w[j] * dz * dz;
            if (x2) mine.gz2[j * D + d] -= w[j] * dz;
          }
          mine.w_dz2[d] += w_dz2;
          if (x1) mine.gz1[i * D + d] += w_dz;
        }
      }
    }
  }
  for (int t = 1; t < threads; ++t) part[0].add(part[t]);
  return std::move(part[0]);
}

// Sums (double for a float32 input) as a tensor of the input's dtype.
template <class A>
Tensor from_vector(const std::vector<A>& v, IntArrayRef shape, ScalarType dtype) {
  return tensor(v, TensorOptions(scalar_type_of<A>)).reshape(shape).to(dtype);
}

struct ScaledStationary : autograd::Function<ScaledStationary> {
  static Tensor forward(AutogradContext* ctx, const Tensor& X1, const Tensor& X2, const Tensor& l, const Tensor& c,
                        Profile p) {
    ctx->save_for_backward({X1, X2, l, c});
    ctx->saved_data["profile"] = static_cast<int64_t>(p);
    Tensor Z1 = scaled_rows(X1.detach(), l.detach()), Z2t = scaled_columns(X2.detach(), l.detach());
    Tensor K = empty({X1.size(0), X2.size(0)}, TensorOptions(X1.dtype()));
    if (X1.dtype() == kFloat64) fill<double>(p, Z1, Z2t, c.item<double>(), K);
    else fill<float>(p, Z1, Z2t, c.item<double>(), K);
    return K;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    variable_list v = ctx->get_saved_variables();
    const Tensor &X1 = v[0], &X2 = v[1], &l = v[2], &c = v[3], &G = grads[0];
    const auto p = static_cast<Profile>(ctx->saved_data["profile"].toInt());
    if (autograd::GradMode::is_enabled()) return differentiable_backward(ctx, v, G, p);
    const bool x1 = ctx->needs_input_grad(0), x2 = ctx->needs_input_grad(1);
    Tensor Z1 = scaled_rows(X1, l), Z2t = scaled_columns(X2, l);
    return X1.dtype() == kFloat64 ? gradients<double>(p, X1, X2, l, c, Z1, Z2t, G, x1, x2)
                                  : gradients<float>(p, X1, X2, l, c, Z1, Z2t, G, x1, x2);
  }

  template <class T>
  static variable_list gradients(Profile p, const Tensor& X1, const Tensor& X2, const Tensor& l, const Tensor& c,
                                 const Tensor& Z1, const Tensor& Z2t, const Tensor& G, bool x1, bool x2) {
    const int64_t D = Z1.size(1);
    Sums<Acc<T>> sums = accumulate<T>(p, Z1, Z2t, c.item<T>(), G, x1, x2);
    const ScalarType dtype = X1.dtype();
    // Per feature, then summed when one lengthscale serves all features.
    Tensor lf = l.reshape({-1}).expand({D});
    Tensor gl = -2 * from_vector(sums.w_dz2, {D}, dtype) / lf;
    gl = (l.numel() == 1 ? gl.sum() : gl).reshape(l.sizes());
    Tensor gX1 = x1 ? 2 * from_vector(sums.gz1, X1.sizes(), dtype) / lf : Tensor();
    Tensor gX2 = x2 ? 2 * from_vector(sums.gz2, X2.sizes(), dtype) / lf : Tensor();
    return {gX1, gX2, gl, full(c.sizes(), static_cast<double>(sums.g_f), TensorOptions(c.dtype())), Tensor()};
  }

  // Under create_graph: the derivative of the matrix's recorded graph, itself recorded, so that it can
  // be differentiated again.
  static variable_list differentiable_backward(AutogradContext* ctx, const variable_list& v, const Tensor& G, Profile p) {
    variable_list wanted;
    for (size_t q = 0; q < 4; ++q)
      if (ctx->needs_input_grad(q)) wanted.push_back(v[q]);
    variable_list got = autograd::grad({recorded(p, v[0], v[1], v[2], v[3])}, wanted, {G}, true, true, true);
    variable_list out(5);
    for (size_t q = 0, next = 0; q < 4; ++q)
      if (ctx->needs_input_grad(q)) out[q] = got[next++];
    return out;
  }
};

}  // namespace

Tensor scaled_stationary(Profile p, const Tensor& X1, const Tensor& X2, const Tensor& l, const Tensor& c, const char* op) {
  KILN_CHECK(X1.size(1) == X2.size(1), op, ": inputs with ", X1.size(1), " and ", X2.size(1), " features");
  check_features(l, X1, op, "lengthscale");
  Tensor lx = like(l, X1), cx = like(c, X1);
  // Tangents do not pass through custom functions: under forward-mode AD the same matrix comes from recorded ops.
  if (has_tangent(X1) || has_tangent(X2) || has_tangent(lx) || has_tangent(cx))
    return recorded(p, X1, X2, lx, cx);
  return ScaledStationary::apply(X1, X2, lx, cx, p);
}

}  // namespace kiln::gp::detail
