#include <cmath>
#include <numbers>

#include "common.h"
#include "kiln/log_density.h"

namespace kiln::distributions {

Normal::Normal(Param loc, Param scale) : Family({}, {}) {
  set_params({loc, scale}, {&loc_, &scale_});
  check_param("loc", loc_, constraints::real());
  check_param("scale", scale_, constraints::positive());
}

Constraint Normal::support() const { return constraints::real(); }

Tensor Normal::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor eps = detail::standard_normal(extended_shape(sample_shape), loc_.dtype(), gen);
  if (detail::without_graph({&loc_, &scale_}) && scale_.dtype() == eps.dtype())
    return eps.mul_(scale_).add_(loc_);  // one buffer, no temporaries
  return loc_ + eps * scale_;
}

// One fused pass (kiln::_normal_log_prob), differentiable in all three.
Tensor Normal::log_prob(const Tensor& value) const {
  validate_sample(value);
  return _normal_log_prob(value, loc_, scale_);
}

Tensor Normal::cdf(const Tensor& value) const {
  validate_sample(value);
  return 0.5 * (1 + ((value - loc_) * scale_.reciprocal() / std::numbers::sqrt2).erf());
}

Tensor Normal::icdf(const Tensor& value) const {
  return loc_ + scale_ * (2 * value - 1).erfinv() * std::numbers::sqrt2;
}

Tensor Normal::entropy() const { return 0.5 + 0.5 * std::log(2 * std::numbers::pi) + scale_.log(); }
Tensor Normal::mean() const { return loc_; }
Tensor Normal::mode() const { return loc_; }
Tensor Normal::variance() const { return scale_.square(); }

}  // namespace kiln::distributions
