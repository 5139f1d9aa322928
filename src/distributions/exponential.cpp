#include "common.h"

namespace kiln::distributions {

Exponential::Exponential(Param rate) : Family({}, {}) {
  set_params({rate}, {&rate_});
  check_param("rate", rate_, constraints::positive());
}

Constraint Exponential::support() const { return constraints::nonnegative(); }

Tensor Exponential::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor u = detail::standard_uniform(extended_shape(sample_shape), rate_.dtype(), gen);
  return -(-u).log1p() / rate_;  // u in [0, 1): a finite Exp(1) draw
}

Tensor Exponential::log_prob(const Tensor& value) const {
  validate_sample(value);
  return rate_.log() - rate_ * value;
}

Tensor Exponential::cdf(const Tensor& value) const {
  validate_sample(value);
  return 1 - (-rate_ * value).exp();
}

Tensor Exponential::icdf(const Tensor& value) const { return -(1 - value).log() / rate_; }
Tensor Exponential::entropy() const { return 1.0 - rate_.log(); }
Tensor Exponential::mean() const { return rate_.reciprocal(); }
Tensor Exponential::mode() const { return zeros_like(rate_); }
Tensor Exponential::stddev() const { return rate_.reciprocal(); }
Tensor Exponential::variance() const { return rate_.pow(-2); }

}  // namespace kiln::distributions
