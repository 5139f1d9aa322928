// Exact GP regression: the marginal likelihood (a fused node, likelihood.cpp)
// and the posterior, which reuses one factorisation until a hyperparameter
// changes.
#include <cmath>

#include "common.h"
#include "kiln/linalg.h"
#include "likelihood.h"

namespace kiln::gp {
using detail::Hyper;

ExactGP::ExactGP(const Tensor& X, const Tensor& y, Kernel kernel, double noise, Mean mean, bool normalize_y)
    : kernel_(std::move(kernel)), mean_(std::move(mean)) {
  KILN_CHECK(y.defined() && y.dim() == 1, "gp::ExactGP: y must be [n], got shape ", y.defined() ? y.sizes() : IntArrayRef{});
  Tensor A = detail::as_matrix(X, "gp::ExactGP");
  KILN_CHECK(A.size(0) == y.size(0), "gp::ExactGP: X has ", A.size(0), " rows (shape ", X.sizes(), ") but y has ",
             y.size(0), " values");
  KILN_CHECK(A.size(0) > 0, "gp::ExactGP: no training points");
  KILN_CHECK(std::isfinite(noise) && noise >= 0, "gp::ExactGP: noise must be a non-negative variance, got ", noise);
  X_ = A.detach().to(kFloat64).contiguous();
  y_ = y.detach().to(kFloat64).contiguous();
  KILN_CHECK(isfinite(X_).all().item<bool>() && isfinite(y_).all().item<bool>(), "gp::ExactGP: X or y has non-finite values");
  if (normalize_y) {
    y_mean_ = y_.mean().item<double>();
    y_scale_ = y_.numel() > 1 ? y_.std().item<double>() : 1.0;
    if (!(y_scale_ > 0)) y_scale_ = 1.0;
    y_ = (y_ - y_mean_) / y_scale_;
  }
  // A zero noise is the smallest positive double softplus can return (jitter takes over where needed).
  noise_ = detail::positive("noise", std::max(noise, 1e-300), "ExactGP");
  kernel_(X_.narrow(0, 0, 1));  // rejects a kernel whose ARD size does not fit X now, not at fit time
}

std::vector<Hyper> ExactGP::hypers() const {
  std::vector<Hyper> out;
  for (Hyper h : kernel_.hypers()) {
    h.name = "kernel." + h.name;
    out.push_back(h);
  }
  for (Hyper h : mean_.hypers()) {
    h.name = "mean." + h.name;
    out.push_back(h);
  }
  out.push_back(noise_);
  return out;
}

std::vector<Tensor> ExactGP::parameters() const { return detail::raw_tensors(hypers()); }
NamedTensors ExactGP::named_parameters() const { return detail::raw_named(hypers()); }
NamedTensors ExactGP::named_hyperparameters() const { return detail::values_named(hypers()); }

Tensor ExactGP::noise() const { return noise_.value(); }

Tensor ExactGP::centred_targets() const { return y_ - mean_(X_); }

Tensor ExactGP::log_marginal_likelihood() const {
  // The old factor goes first: kept through the new factorisation, it would be a fourth n x n.
  if (!detail::overrides_active()) L_ = alpha_ = Tensor();
  Tensor L, alpha;
  Tensor v = detail::log_marginal_likelihood(kernel_(X_), noise_.value(), centred_targets(), &jitter_, &L, &alpha);
  // The factor just computed serves posterior() while the parameters stay as they are.
  if (detail::overrides_active()) return v;
  L_ = L;
  alpha_ = alpha;
  cached_at_ = snapshot();
  return v;
}

Tensor ExactGP::snapshot() const {
  std::vector<Tensor> raws;
  for (const auto& h : hypers()) raws.push_back(h.raw.detach().reshape({-1}));
  return cat(raws).clone();
}

void ExactGP::refresh() const {
  if (L_.defined() && equal(cached_at_, snapshot())) return;
  NoGradGuard no_grad;
  log_marginal_likelihood();
}

distributions::MultivariateNormal ExactGP::posterior(const Tensor& Xs, bool include_noise) const {
  Tensor A = detail::as_matrix(Xs, "gp::ExactGP.posterior");
  KILN_CHECK(A.size(1) == X_.size(1), "gp::ExactGP.posterior: Xs has ", A.size(1), " features (shape ", Xs.sizes(),
             ") but the model was trained on ", X_.size(1));
  refresh();
  Tensor S = A.to(kFloat64);
  Tensor Ks = kernel_(S, X_);
  Tensor mean = Ks.matmul(alpha_) + mean_(S);
  Tensor V = linalg::solve_triangular(L_, Ks.t(), /*upper=*/false);
  Tensor cov = kernel_(S) - V.t().matmul(V);
  if (include_noise) cov = cov + noise_.value() * eye(S.size(0), TensorOptions(kFloat64));
  // Back to y's units.
  Tensor L = safe_cholesky(cov * (y_scale_ * y_scale_), &posterior_jitter_);
  return distributions::MultivariateNormal::from_scale_tril(mean * y_scale_ + y_mean_, L);
}

}  // namespace kiln::gp
