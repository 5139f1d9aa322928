#include <cmath>
#include <numbers>

#include "common.h"
#include "kiln/linalg.h"
#include "linear.h"

namespace kiln::distributions {
namespace {

// Cholesky factor of the capacitance I + Wᵀ D⁻¹ W (rank x rank).
Tensor capacitance_of(const Tensor& W, const Tensor& D) {
  int64_t m = W.size(-1);
  Tensor K = (W.mT() / D.unsqueeze(-2)).matmul(W) + eye(m, dtype(W.dtype()));
  return linalg::cholesky(K);
}

}  // namespace

LowRankMultivariateNormal::LowRankMultivariateNormal(const Tensor& loc, const Tensor& cov_factor,
                                                     const Tensor& cov_diag)
    : Family({}, {}) {
  const char* who = "LowRankMultivariateNormal";
  KILN_CHECK(loc.defined() && cov_factor.defined() && cov_diag.defined(), who, ": parameters must be defined tensors");
  KILN_CHECK(loc.dim() >= 1, who, ": loc must be at least one-dimensional, got shape ", loc.sizes());
  int64_t n = loc.size(-1);
  KILN_CHECK(cov_factor.dim() >= 2, who, ": cov_factor must be at least two-dimensional, with optional leading batch "
             "dimensions, got shape ", cov_factor.sizes());
  KILN_CHECK(cov_factor.size(-2) == n, who, ": cov_factor must be a batch of matrices with shape ", n,
             " x m, got shape ", cov_factor.sizes());
  KILN_CHECK(cov_diag.dim() >= 1 && cov_diag.size(-1) == n, who, ": cov_diag must be a batch of vectors with shape [",
             n, "], got shape ", cov_diag.sizes());
  std::vector<Tensor> b;
  try {
    b = broadcast_tensors({loc.unsqueeze(-1), cov_factor, cov_diag.unsqueeze(-1)});
  } catch (const Error&) {
    kiln::detail::fail(kiln::detail::concat(who, ": incompatible batch shapes: loc ", loc.sizes(), ", cov_factor ",
                                            cov_factor.sizes(), ", cov_diag ", cov_diag.sizes()));
  }
  loc_ = b[0].select(-1, 0);
  cov_factor_ = b[1];
  cov_diag_ = b[2].select(-1, 0);
  factor_ = cov_factor;
  diag_ = cov_diag;
  set_shapes(IntArrayRef(loc_.sizes().begin(), loc_.dim() - 1), {n});
  check_param("loc", loc_, constraints::real_vector());
  check_param("cov_factor", cov_factor_, constraints::independent(constraints::real(), 2));
  check_param("cov_diag", cov_diag_, constraints::independent(constraints::positive(), 1));
  capacitance_tril_ = capacitance_of(factor_, diag_);
}

Constraint LowRankMultivariateNormal::support() const { return constraints::real_vector(); }

Tensor LowRankMultivariateNormal::variance() const {
  return (factor_.square().sum({-1}) + diag_).expand(detail::concat(batch_shape_, event_shape_));
}

Tensor LowRankMultivariateNormal::scale_tril() const {
  // W Wᵀ + D = D^½ (I + D^-½ W Wᵀ D^-½) D^½; the middle matrix has
  // eigenvalues >= 1, a well-conditioned factorisation.
  int64_t n = event_shape_[0];
  Tensor d_sqrt = diag_.sqrt().unsqueeze(-1);
  Tensor w = factor_ / d_sqrt;
  Tensor K = w.matmul(w.mT()) + eye(n, dtype(w.dtype()));
  return (d_sqrt * linalg::cholesky(K)).expand(detail::concat(batch_shape_, {n, n}));
}

Tensor LowRankMultivariateNormal::covariance_matrix() const {
  int64_t n = event_shape_[0];
  return (factor_.matmul(factor_.mT()) + diag_embed(diag_)).expand(detail::concat(batch_shape_, {n, n}));
}

Tensor LowRankMultivariateNormal::precision_matrix() const {
  // Woodbury: (W Wᵀ + D)⁻¹ = D⁻¹ - D⁻¹ W C⁻¹ Wᵀ D⁻¹.
  int64_t n = event_shape_[0];
  Tensor wt_dinv = factor_.mT() / diag_.unsqueeze(-2);
  Tensor A = linalg::solve_triangular(capacitance_tril_, wt_dinv, /*upper=*/false);
  return (diag_embed(diag_.reciprocal()) - A.mT().matmul(A)).expand(detail::concat(batch_shape_, {n, n}));
}

Tensor LowRankMultivariateNormal::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Shape shape = extended_shape(sample_shape);
  Shape w_shape(shape.begin(), shape.size() - 1);
  w_shape.push_back(cov_factor_.size(-1));
  Tensor eps_w = detail::standard_normal(w_shape, loc_.dtype(), gen);
  Tensor eps_d = detail::standard_normal(shape, loc_.dtype(), gen);
  return loc_ + detail::batch_mv(factor_, eps_w) + diag_.sqrt() * eps_d;
}

Tensor LowRankMultivariateNormal::log_prob(const Tensor& value) const {
  validate_sample(value);
  Tensor m = detail::lowrank_mahalanobis(factor_, diag_, value - loc_, capacitance_tril_);
  double n = static_cast<double>(event_shape_[0]);
  Tensor log_det = detail::lowrank_logdet(factor_, diag_, capacitance_tril_);
  return -0.5 * (log_det + m + n * std::log(2 * std::numbers::pi));
}

Tensor LowRankMultivariateNormal::entropy() const {
  double n = static_cast<double>(event_shape_[0]);
  Tensor log_det = detail::lowrank_logdet(factor_, diag_, capacitance_tril_);
  Tensor h = 0.5 * (log_det + n * (1.0 + std::log(2 * std::numbers::pi)));
  return batch_shape_.empty() ? h : h.expand(batch_shape_);
}

}  // namespace kiln::distributions
