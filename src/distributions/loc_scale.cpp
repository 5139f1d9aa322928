// Laplace, Cauchy and Gumbel: location-scale families with closed-form
// cdf and icdf, sampled by transforming one uniform draw.
#include <cmath>
#include <limits>
#include <numbers>

#include "common.h"

namespace kiln::distributions {
namespace {
constexpr double kEulerGamma = 0.57721566490153286061;
}  // namespace

// ---- Laplace
Laplace::Laplace(Param loc, Param scale) : Family({}, {}) {
  set_params({loc, scale}, {&loc_, &scale_});
  check_param("loc", loc_, constraints::real());
  check_param("scale", scale_, constraints::positive());
}
Constraint Laplace::support() const { return constraints::real(); }
Tensor Laplace::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  double e = detail::eps(loc_.dtype());
  Tensor u = detail::uniform(extended_shape(sample_shape), loc_.dtype(), e - 1, 1, gen);
  return loc_ - scale_ * u.sign() * (-u.abs()).log1p();
}
Tensor Laplace::log_prob(const Tensor& value) const {
  validate_sample(value);
  return -(2 * scale_).log() - (value - loc_).abs() / scale_;
}
Tensor Laplace::cdf(const Tensor& value) const {
  validate_sample(value);
  Tensor d = value - loc_;
  return 0.5 - 0.5 * d.sign() * (-d.abs() / scale_).expm1();
}
Tensor Laplace::icdf(const Tensor& value) const {
  Tensor term = value - 0.5;
  return loc_ - scale_ * term.sign() * (-2 * term.abs()).log1p();
}
Tensor Laplace::entropy() const { return 1 + (2 * scale_).log(); }
Tensor Laplace::mean() const { return loc_; }
Tensor Laplace::mode() const { return loc_; }
Tensor Laplace::variance() const { return 2 * scale_.square(); }
Tensor Laplace::stddev() const { return std::numbers::sqrt2 * scale_; }

// ---- Cauchy
Cauchy::Cauchy(Param loc, Param scale) : Family({}, {}) {
  set_params({loc, scale}, {&loc_, &scale_});
  check_param("loc", loc_, constraints::real());
  check_param("scale", scale_, constraints::positive());
}
Constraint Cauchy::support() const { return constraints::real(); }
Tensor Cauchy::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor u = detail::standard_uniform(extended_shape(sample_shape), loc_.dtype(), gen);
  return loc_ + (std::numbers::pi * (u - 0.5)).tan() * scale_;
}
Tensor Cauchy::log_prob(const Tensor& value) const {
  validate_sample(value);
  return -std::log(std::numbers::pi) - scale_.log() - (1 + ((value - loc_) / scale_).square()).log();
}
Tensor Cauchy::cdf(const Tensor& value) const {
  validate_sample(value);
  return ((value - loc_) / scale_).atan() / std::numbers::pi + 0.5;
}
Tensor Cauchy::icdf(const Tensor& value) const { return (std::numbers::pi * (value - 0.5)).tan() * scale_ + loc_; }
Tensor Cauchy::entropy() const { return std::log(4 * std::numbers::pi) + scale_.log(); }
// No mean and an infinite variance, as torch returns them.
Tensor Cauchy::mean() const { return full(extended_shape({}), std::numeric_limits<double>::quiet_NaN(), dtype(loc_.dtype())); }
Tensor Cauchy::mode() const { return loc_; }
Tensor Cauchy::variance() const { return full(extended_shape({}), std::numeric_limits<double>::infinity(), dtype(loc_.dtype())); }

// ---- Gumbel
Gumbel::Gumbel(Param loc, Param scale) : Family({}, {}) {
  set_params({loc, scale}, {&loc_, &scale_});
  check_param("loc", loc_, constraints::real());
  check_param("scale", scale_, constraints::positive());
}
Constraint Gumbel::support() const { return constraints::real(); }
Tensor Gumbel::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  // torch's transforms of Uniform(tiny, 1 - eps): loc - scale log(-log u).
  ScalarType dt = loc_.dtype();
  Tensor u = detail::uniform(extended_shape(sample_shape), dt, detail::tiny(dt), 1 - detail::eps(dt), gen);
  return loc_ - scale_ * (-u.log()).log();
}
Tensor Gumbel::log_prob(const Tensor& value) const {
  validate_sample(value);
  Tensor y = (loc_ - value) / scale_;
  return (y - y.exp()) - scale_.log();
}
Tensor Gumbel::cdf(const Tensor& value) const {
  validate_sample(value);
  return (-(-(value - loc_) / scale_).exp()).exp();
}
Tensor Gumbel::icdf(const Tensor& value) const { return loc_ - scale_ * (-value.log()).log(); }
Tensor Gumbel::entropy() const { return scale_.log() + (1 + kEulerGamma); }
Tensor Gumbel::mean() const { return loc_ + scale_ * kEulerGamma; }
Tensor Gumbel::mode() const { return loc_; }
Tensor Gumbel::stddev() const { return (std::numbers::pi / std::sqrt(6.0)) * scale_; }
Tensor Gumbel::variance() const { return stddev().square(); }

}  // namespace kiln::distributions
