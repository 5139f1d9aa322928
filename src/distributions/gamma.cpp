// Gamma, Chi2, Dirichlet, Beta and StudentT: densities and moments (their
// samplers are in gamma_sampling.cpp).
#include <cmath>
#include <limits>
#include <numbers>

#include "common.h"

namespace kiln::distributions {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

// ---- Gamma
Gamma::Gamma(Param concentration, Param rate, Unchecked) : Family({}, {}) {
  set_params({concentration, rate}, {&concentration_, &rate_});
}
Gamma::Gamma(Param concentration, Param rate) : Gamma(concentration, rate, Unchecked{}) {
  check_param("concentration", concentration_, constraints::positive());
  check_param("rate", rate_, constraints::positive());
}
Constraint Gamma::support() const { return constraints::nonnegative(); }
Tensor Gamma::log_prob(const Tensor& value) const {
  Tensor v = value.to(rate_.dtype());
  validate_sample(v);
  return xlogy(concentration_, rate_) + xlogy(concentration_ - 1, v) - rate_ * v - concentration_.lgamma();
}
Tensor Gamma::entropy() const {
  return concentration_ - rate_.log() + concentration_.lgamma() + (1.0 - concentration_) * concentration_.digamma();
}
Tensor Gamma::mean() const { return concentration_ / rate_; }
Tensor Gamma::mode() const { return ((concentration_ - 1) / rate_).clamp_min(0); }
Tensor Gamma::variance() const { return concentration_ / rate_.square(); }

// ---- Chi2
namespace {
Param half(const Param& p) { return p.is_number() ? Param(0.5 * p.number()) : Param(0.5 * p.tensor()); }
}  // namespace
Chi2::Chi2(Param df) : Family(half(df), 0.5, Unchecked{}) { check_param("df", this->df(), constraints::positive()); }
std::string Chi2::repr() const {
  Tensor d = df();
  return name() + "(df: " + (d.numel() == 1 ? detail::format_number(d.item<double>()) : kiln::detail::concat("shape ", d.sizes())) + ")";
}

// ---- Dirichlet
Dirichlet::Dirichlet(const Tensor& concentration) : Dirichlet(concentration, true) {}
Dirichlet::Dirichlet(const Tensor& concentration, bool validate) : Family({}, {}) {
  KILN_CHECK(concentration.defined(), "Dirichlet: concentration must be a defined tensor");
  KILN_CHECK(concentration.dim() >= 1, "Dirichlet: `concentration` parameter must be at least one-dimensional, got shape ",
             concentration.sizes());
  concentration_ = concentration;
  set_shapes(IntArrayRef(concentration.sizes().begin(), concentration.dim() - 1), {concentration.size(-1)});
  if (validate) check_param("concentration", concentration_, constraints::independent(constraints::positive(), 1));
}
Constraint Dirichlet::support() const { return constraints::simplex(); }
Tensor Dirichlet::log_prob(const Tensor& value) const {
  validate_sample(value);
  return (value.log() * (concentration_ - 1.0)).sum({-1}) + concentration_.sum({-1}).lgamma() -
         concentration_.lgamma().sum({-1});
}
Tensor Dirichlet::entropy() const {
  double k = static_cast<double>(concentration_.size(-1));
  Tensor a0 = concentration_.sum({-1});
  return concentration_.lgamma().sum({-1}) - a0.lgamma() - (k - a0) * a0.digamma() -
         ((concentration_ - 1.0) * concentration_.digamma()).sum({-1});
}
Tensor Dirichlet::mean() const { return concentration_ / concentration_.sum({-1}, true); }
Tensor Dirichlet::mode() const {
  Tensor cm1 = (concentration_ - 1).clamp_min(0.);
  Tensor mode = cm1 / cm1.sum({-1}, true);
  // Every concentration below 1: the rows are 0/0, and torch puts the mode
  // at the first vertex (argmax of an all-nan row).
  Tensor all_below_one = concentration_.lt(1).all(-1, true);
  Tensor first_vertex = arange(cm1.size(-1), dtype(kInt64)).eq(0).to(mode.dtype());
  return where(all_below_one, first_vertex, mode);
}
Tensor Dirichlet::variance() const {
  Tensor c0 = concentration_.sum({-1}, true);
  return concentration_ * (c0 - concentration_) / (c0.square() * (c0 + 1));
}

// ---- Beta
namespace {
Tensor stacked(const Param& c1, const Param& c0) {
  if (c1.is_number() && c0.is_number()) return tensor({c1.number(), c0.number()}, dtype(get_default_dtype()));
  std::vector<Tensor> b = detail::broadcast_all({c1, c0}, "Beta");
  return stack(b, -1);
}
}  // namespace
Beta::Beta(Param concentration1, Param concentration0)
    : Family({}, {}), dirichlet_(stacked(concentration1, concentration0), false) {
  set_shapes(dirichlet_.batch_shape(), {});
  check_param("concentration1", this->concentration1(), constraints::positive());
  check_param("concentration0", this->concentration0(), constraints::positive());
}
std::string Beta::repr() const {
  auto show = [](const Tensor& t) {
    return t.numel() == 1 ? detail::format_number(t.item<double>()) : kiln::detail::concat("shape ", t.sizes());
  };
  return name() + "(concentration1: " + show(concentration1()) + ", concentration0: " + show(concentration0()) + ")";
}
void Beta::expand_params(IntArrayRef batch_shape) {
  dirichlet_ = dirichlet_.expand(batch_shape);
  batch_shape_ = batch_shape.vec();
}
Constraint Beta::support() const { return constraints::unit_interval(); }
Tensor Beta::log_prob(const Tensor& value) const {
  validate_sample(value);
  return dirichlet_.log_prob(stack({value, 1.0 - value}, -1));
}
Tensor Beta::entropy() const { return dirichlet_.entropy(); }
Tensor Beta::mean() const { return concentration1() / (concentration1() + concentration0()); }
Tensor Beta::mode() const { return dirichlet_.mode().select(-1, 0); }
Tensor Beta::variance() const {
  Tensor total = concentration1() + concentration0();
  return concentration1() * concentration0() / (total.square() * (total + 1));
}

// ---- StudentT
StudentT::StudentT(Param df, Param loc, Param scale) : Family({}, {}) {
  set_params({df, loc, scale}, {&df_, &loc_, &scale_});
  check_param("df", df_, constraints::positive());
  check_param("loc", loc_, constraints::real());
  check_param("scale", scale_, constraints::positive());
}
Constraint StudentT::support() const { return constraints::real(); }
Tensor StudentT::log_prob(const Tensor& value) const {
  validate_sample(value);
  Tensor y = (value - loc_) / scale_;
  Tensor z = scale_.log() + 0.5 * df_.log() + 0.5 * std::log(std::numbers::pi) + (0.5 * df_).lgamma() -
             (0.5 * (df_ + 1.)).lgamma();
  return -0.5 * (df_ + 1.) * (y.square() / df_).log1p() - z;
}
Tensor StudentT::entropy() const {
  Tensor lbeta = (0.5 * df_).lgamma() + std::lgamma(0.5) - (0.5 * (df_ + 1)).lgamma();
  return scale_.log() + 0.5 * (df_ + 1) * ((0.5 * (df_ + 1)).digamma() - (0.5 * df_).digamma()) +
         0.5 * df_.log() + lbeta;
}
// Undefined for df <= 1 (nan); the variance is infinite for 1 < df <= 2.
Tensor StudentT::mean() const { return where(df_.le(1), kNaN, loc_); }
Tensor StudentT::mode() const { return loc_; }
Tensor StudentT::variance() const {
  Tensor finite = scale_.square() * df_ / (df_ - 2);
  return where(df_.gt(2), finite, where(df_.gt(1), kInf, kNaN).to(df_.dtype()));
}

}  // namespace kiln::distributions
