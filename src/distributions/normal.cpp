#include <cmath>
#include <numbers>

#include "common.h"

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

Tensor Normal::log_prob(const Tensor& value) const {
  validate_sample(value);
  const double half_log_2pi = 0.5 * std::log(2 * std::numbers::pi);
  Tensor z = value - loc_;
  if (detail::without_graph({&value, &loc_, &scale_}) && result_type(z, scale_) == z.dtype() &&
      z.dim() >= scale_.dim()) {
    // One buffer: ((v - loc) / scale)² * -0.5 - (log scale + log √2π).
    Tensor offset = scale_.log() + half_log_2pi;
    return z.div_(scale_).square_().mul_(-0.5).sub_(offset);
  }
  z = z / scale_;
  return -0.5 * z.square() - scale_.log() - half_log_2pi;
}

Tensor Normal::cdf(const Tensor& value) const {
  validate_sample(value);
  return 0.5 * (1 + ((value - loc_) * scale_.reciprocal() / std::numbers::sqrt2).erf());
}

// Φ⁻¹ by Newton's method on Φ(x) = p from the logistic guess, until
// kiln::erfinv (the prims branch) is merged.
Tensor Normal::icdf(const Tensor& value) const {
  const double inv_sqrt_2pi = 1 / std::sqrt(2 * std::numbers::pi);
  Tensor x = (value / (1 - value)).log() * std::sqrt(std::numbers::pi / 8);
  for (int i = 0; i < 8; ++i)
    x = x - (0.5 * (-x / std::numbers::sqrt2).erfc() - value) / ((-0.5 * x.square()).exp() * inv_sqrt_2pi);
  return loc_ + scale_ * x;
}

Tensor Normal::entropy() const { return 0.5 + 0.5 * std::log(2 * std::numbers::pi) + scale_.log(); }
Tensor Normal::mean() const { return loc_; }
Tensor Normal::mode() const { return loc_; }
Tensor Normal::variance() const { return scale_.square(); }

}  // namespace kiln::distributions
