// Gaussians over vectors, from a Cholesky factor (never an explicit inverse
// or determinant), batched over leading dims.
#pragma once
#include "kiln/distributions/distribution.h"

namespace kiln::distributions {

// N(loc, Σ), Σ given as a covariance (its Cholesky factor is taken once), a
// lower Cholesky factor L with Σ = L Lᵀ, or a precision matrix.
//   MultivariateNormal(loc, cov)
//   MultivariateNormal::from_scale_tril(loc, L)
//   MultivariateNormal::from_precision(loc, P)
// batch_shape = broadcast(loc.shape[:-1], matrix.shape[:-2]), event_shape = [n].
class MultivariateNormal : public Family<MultivariateNormal> {
 public:
  MultivariateNormal(const Tensor& loc, const Tensor& covariance_matrix);
  static MultivariateNormal from_scale_tril(const Tensor& loc, const Tensor& scale_tril);
  static MultivariateNormal from_precision(const Tensor& loc, const Tensor& precision_matrix);

  std::string name() const override { return "MultivariateNormal"; }
  Constraint support() const override;
  bool has_rsample() const override { return true; }
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override { return loc_; }
  Tensor mode() const override { return loc_; }
  Tensor variance() const override;
  const Tensor& loc() const { return loc_; }
  // Each [batch..., n, n] (views of the one unbroadcast factor's products).
  Tensor scale_tril() const;
  Tensor covariance_matrix() const;
  Tensor precision_matrix() const;
  // L as given or computed, before broadcasting to the batch shape.
  const Tensor& unbroadcasted_scale_tril() const { return scale_tril_; }

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"loc", &loc_, 1}}; }

 private:
  enum class Given { covariance, scale_tril, precision };
  MultivariateNormal(const Tensor& loc, const Tensor& matrix, Given given);
  Tensor loc_, scale_tril_;
};

// N(loc, W Wᵀ + diag(D)) with W = cov_factor [.., n, rank] and D = cov_diag:
// log_prob and entropy through the rank x rank capacitance I + Wᵀ D⁻¹ W.
class LowRankMultivariateNormal : public Family<LowRankMultivariateNormal> {
 public:
  LowRankMultivariateNormal(const Tensor& loc, const Tensor& cov_factor, const Tensor& cov_diag);

  std::string name() const override { return "LowRankMultivariateNormal"; }
  Constraint support() const override;
  bool has_rsample() const override { return true; }
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override { return loc_; }
  Tensor mode() const override { return loc_; }
  Tensor variance() const override;
  const Tensor& loc() const { return loc_; }
  const Tensor& cov_factor() const { return cov_factor_; }
  const Tensor& cov_diag() const { return cov_diag_; }
  Tensor scale_tril() const;
  Tensor covariance_matrix() const;
  Tensor precision_matrix() const;
  // W and D as given, and the Cholesky factor of I + Wᵀ D⁻¹ W.
  const Tensor& unbroadcasted_cov_factor() const { return factor_; }
  const Tensor& unbroadcasted_cov_diag() const { return diag_; }
  const Tensor& capacitance_tril() const { return capacitance_tril_; }

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override {
    return {{"loc", &loc_, 1}, {"cov_factor", &cov_factor_, 2}, {"cov_diag", &cov_diag_, 1}};
  }

 private:
  Tensor loc_, cov_factor_, cov_diag_;                   // broadcast to the batch
  Tensor factor_, diag_, capacitance_tril_;              // as given
};

}  // namespace kiln::distributions
