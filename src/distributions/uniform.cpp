#include <cmath>

#include "common.h"

namespace kiln::distributions {

Uniform::Uniform(Param low, Param high) : Family({}, {}) {
  set_params({low, high}, {&low_, &high_});
  if (validate_args()) {
    Tensor ok = low_.lt(high_);
    KILN_CHECK(ok.all().item<bool>(), "Uniform: is not defined when low >= high, got ", repr());
  }
}

Constraint Uniform::support() const { return constraints::interval(low_, high_); }

Tensor Uniform::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor u = detail::standard_uniform(extended_shape(sample_shape), low_.dtype(), gen);
  return low_ + u * (high_ - low_);
}

Tensor Uniform::log_prob(const Tensor& value) const {
  validate_sample(value);
  Tensor inside = low_.le(value).logical_and(high_.gt(value)).to(low_.dtype());
  return inside.log() - (high_ - low_).log();
}

Tensor Uniform::cdf(const Tensor& value) const {
  validate_sample(value);
  return ((value - low_) / (high_ - low_)).clamp(0, 1);
}

Tensor Uniform::icdf(const Tensor& value) const { return value * (high_ - low_) + low_; }
Tensor Uniform::entropy() const { return (high_ - low_).log(); }
Tensor Uniform::mean() const { return (high_ + low_) / 2; }
Tensor Uniform::mode() const { return high_ * std::nan(""); }
Tensor Uniform::stddev() const { return (high_ - low_) / std::sqrt(12.0); }
Tensor Uniform::variance() const { return (high_ - low_).square() / 12; }

}  // namespace kiln::distributions
