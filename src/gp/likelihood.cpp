// The fused marginal-likelihood node. The generic graph (cholesky,
// cholesky_solve, logdet) spends several extra n^3 operations in backward;
// here backward is one potri (K^-1 from the factor already computed) and an
// n^2 rank-one update in place, and the kernel's own backward contracts gK
// with dK/dtheta without ever forming it per parameter.
#include "likelihood.h"

#include <cmath>
#include <numbers>

#include "common.h"
#include "kiln/autograd_function.h"
#include "kiln/linalg.h"

namespace kiln::gp::detail {
namespace {
using autograd::AutogradContext;
using autograd::variable_list;

// Kf + noise I without a graph, in a fresh buffer, seen through its transpose: K is symmetric, and
// the transpose of a row-major buffer is the column-major layout LAPACK copies into (a flat copy
// instead of a transposing one).
Tensor with_noise(const Tensor& Kf, const Tensor& noise) {
  Tensor K = Kf.detach().clone();
  K.diagonal().add_(noise.detach().reshape({}));
  return K.t();
}

// W <- c (alpha alpha^T - W) over the symmetric n x n W, in place (any layout of a dense W).
template <class T>
void rank_one_gradient(T* W, const T* alpha, int64_t n, T c) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) W[i * n + j] = c * (alpha[i] * alpha[j] - W[i * n + j]);
}

struct MarginalLikelihood : autograd::Function<MarginalLikelihood> {
  static Tensor forward(AutogradContext* ctx, const Tensor& Kf, const Tensor& noise, const Tensor& r, double* jitter,
                        Tensor* factor, Tensor* alpha_out) {
    Tensor L = safe_cholesky(with_noise(Kf, noise), jitter);
    Tensor alpha = cholesky_solve(r.detach().unsqueeze(1), L).squeeze(1);
    int64_t n = r.size(0);
    Tensor value = -0.5 * dot(r.detach(), alpha) - L.diagonal().log().sum() - 0.5 * n * std::log(2 * std::numbers::pi);
    ctx->save_for_backward({Kf, noise, r});
    ctx->saved_data["L"] = L;
    ctx->saved_data["alpha"] = alpha;
    ctx->saved_data["jitter"] = *jitter;
    if (factor) *factor = L;
    if (alpha_out) *alpha_out = alpha;
    return value;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const Tensor& g = grads[0];
    if (autograd::GradMode::is_enabled()) return differentiable_backward(ctx, g);
    const Tensor &L = ctx->saved_data["L"].toTensor(), &alpha = ctx->saved_data["alpha"].toTensor();
    // gK, with K^-1 overwritten in place: the only n x n this backward allocates.
    Tensor gK = cholesky_inverse(L);
    int64_t n = alpha.size(0);
    if (gK.dtype() == kFloat64)
      rank_one_gradient(gK.data_ptr<double>(), alpha.data_ptr<double>(), n, 0.5 * g.item<double>());
    else
      rank_one_gradient(gK.data_ptr<float>(), alpha.data_ptr<float>(), n, 0.5f * g.item<float>());
    Tensor gnoise = gK.diagonal().sum().reshape(ctx->get_saved_variables()[1].sizes());
    return {gK, gnoise, -g * alpha, Tensor(), Tensor(), Tensor()};
  }

  // The same gradient through recorded ops, so that it can be differentiated again.
  static variable_list differentiable_backward(AutogradContext* ctx, const Tensor& g) {
    variable_list saved = ctx->get_saved_variables();
    const Tensor &Kf = saved[0], &noise = saved[1], &r = saved[2];
    int64_t n = r.size(0);
    Tensor I = eye(n, TensorOptions(Kf.dtype()));
    Tensor L = linalg::cholesky(Kf + (noise.reshape({}) + ctx->saved_data["jitter"].toDouble()) * I);
    Tensor alpha = cholesky_solve(r.unsqueeze(1), L).squeeze(1);
    Tensor gK = 0.5 * g * (outer(alpha, alpha) - cholesky_inverse(L));
    return {gK, gK.diagonal().sum().reshape(noise.sizes()), -g * alpha, Tensor(), Tensor(), Tensor()};
  }
};

}  // namespace

Tensor log_marginal_likelihood(const Tensor& Kf, const Tensor& noise, const Tensor& r, double* jitter, Tensor* factor,
                               Tensor* alpha) {
  double used = 0;
  Tensor v = MarginalLikelihood::apply(Kf, noise, r, &used, factor, alpha);
  if (jitter) *jitter = used;
  return v;
}

}  // namespace kiln::gp::detail
