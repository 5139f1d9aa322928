// TransformedDistribution and the families torch builds from it.
#include <cmath>
#include <limits>
#include <numbers>

#include "common.h"

namespace kiln::distributions {
namespace {

Tensor sum_rightmost(const Tensor& t, int64_t n) { return n > 0 ? t.flatten(t.dim() - n).sum({-1}) : t; }

}  // namespace

TransformedDistribution::TransformedDistribution(const Distribution& base, std::vector<Transform> transforms)
    : Family({}, {}), base_(base.clone()), transforms_(std::move(transforms)) {
  // Element-wise transforms (and affine maps over event dims) keep the
  // base's event dims; a tensor parameter may broadcast the batch.
  int64_t base_event = static_cast<int64_t>(base.event_shape().size());
  int64_t event_dims = base_event;
  std::vector<int64_t> base_shape = detail::concat(base.batch_shape(), base.event_shape());
  Shape shape(base_shape.data(), base_shape.size());
  for (const Transform& t : transforms_) {
    KILN_CHECK(static_cast<int64_t>(shape.size()) >= t.event_dim(), "TransformedDistribution: base_distribution needs "
               "a shape of at least ", t.event_dim(), " dims for ", t.repr(), ", got ", IntArrayRef(base_shape));
    shape = t.forward_shape(shape);
    event_dims = std::max(event_dims, t.event_dim());
  }
  Shape expanded = shape;
  for (auto it = transforms_.rbegin(); it != transforms_.rend(); ++it) expanded = it->inverse_shape(expanded);
  if (IntArrayRef(expanded) != IntArrayRef(base_shape))
    base_ = base_->expand_shared(detail::slice(expanded, 0, static_cast<int64_t>(expanded.size()) - base_event));
  if (event_dims > base_event) base_ = Independent(*base_, event_dims - base_event).clone();
  int64_t cut = static_cast<int64_t>(shape.size()) - event_dims;
  set_shapes(detail::slice(shape, 0, cut), detail::slice(shape, cut, static_cast<int64_t>(shape.size())));
}

std::string TransformedDistribution::repr() const {
  std::string ts;
  for (const Transform& t : transforms_) ts += (ts.empty() ? "" : ", ") + t.repr();
  return name() + "(" + base_->repr() + ", [" + ts + "])";
}

Constraint TransformedDistribution::support() const {
  if (transforms_.empty()) return base_->support();
  Constraint s = transforms_.back().codomain();
  int64_t extra = static_cast<int64_t>(event_shape_.size()) - s.event_dim;
  return extra > 0 ? constraints::independent(s, extra) : s;
}

void TransformedDistribution::expand_params(IntArrayRef batch_shape) {
  Shape shape(batch_shape.begin(), batch_shape.size());
  for (int64_t d : event_shape_) shape.push_back(d);
  for (auto it = transforms_.rbegin(); it != transforms_.rend(); ++it) shape = it->inverse_shape(shape);
  int64_t base_event = static_cast<int64_t>(base_->event_shape().size());
  base_ = base_->expand_shared(detail::slice(shape, 0, static_cast<int64_t>(shape.size()) - base_event));
  batch_shape_ = batch_shape.vec();
}

Tensor TransformedDistribution::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor x = base_->sample(sample_shape, gen);
  for (const Transform& t : transforms_) x = t(x);
  return x;
}

Tensor TransformedDistribution::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor x = base_->rsample(sample_shape, gen);
  for (const Transform& t : transforms_) x = t(x);
  return x;
}

// log p(y) = log p_base(x) - Σ log |dy/dx| along the chain, each term summed
// over the event dims it does not itself reduce.
Tensor TransformedDistribution::log_prob(const Tensor& value) const {
  validate_sample(value);
  int64_t event_dim = static_cast<int64_t>(event_shape_.size());
  Tensor y = value;
  Tensor lp;
  for (auto it = transforms_.rbegin(); it != transforms_.rend(); ++it) {
    Tensor x = it->inv(y);
    Tensor term = sum_rightmost(it->log_abs_det_jacobian(x, y), event_dim - it->event_dim());
    lp = lp.defined() ? lp - term : -term;
    y = x;
  }
  Tensor base_lp = sum_rightmost(base_->log_prob(y), event_dim - static_cast<int64_t>(base_->event_shape().size()));
  return lp.defined() ? lp + base_lp : base_lp;
}

Tensor TransformedDistribution::monotonize_cdf(const Tensor& value) const {
  Tensor sign;
  for (const Transform& t : transforms_) sign = sign.defined() ? sign * t.sign() : t.sign();
  if (!sign.defined() || (sign.numel() == 1 && sign.item<double>() == 1)) return value;
  return sign * (value - 0.5) + 0.5;
}

Tensor TransformedDistribution::cdf(const Tensor& value) const {
  Tensor x = value;
  for (auto it = transforms_.rbegin(); it != transforms_.rend(); ++it) x = it->inv(x);
  if (validate_args()) base_->check_sample(x);
  return monotonize_cdf(base_->cdf(x));
}

Tensor TransformedDistribution::icdf(const Tensor& value) const {
  Tensor x = base_->icdf(monotonize_cdf(value));
  for (const Transform& t : transforms_) x = t(x);
  return x;
}

// ---- LogNormal
LogNormal::LogNormal(Param loc, Param scale) : Family(Normal(loc, scale), {ExpTransform()}) {}

std::string LogNormal::repr() const { return name() + base_->repr().substr(normal().name().size()); }
Constraint LogNormal::support() const { return constraints::positive(); }
Tensor LogNormal::entropy() const { return normal().entropy() + loc(); }
Tensor LogNormal::mean() const { return (loc() + scale().square() / 2).exp(); }
Tensor LogNormal::mode() const { return (loc() - scale().square()).exp(); }
Tensor LogNormal::variance() const {
  Tensor s2 = scale().square();
  return s2.expm1() * (2 * loc() + s2).exp();
}

// ---- HalfNormal
HalfNormal::HalfNormal(Param scale) : Family(Normal(0.0, scale), {AbsTransform()}) {}

std::string HalfNormal::repr() const { return name() + "(scale: " + detail::format_number(scale().numel() == 1 ? scale().item<double>() : NAN) + ")"; }
Constraint HalfNormal::support() const { return constraints::nonnegative(); }

Tensor HalfNormal::log_prob(const Tensor& value) const {
  validate_sample(value);
  Tensor lp = normal().log_prob(value) + std::numbers::ln2;
  return where(value.ge(0), lp, -std::numeric_limits<double>::infinity());
}
Tensor HalfNormal::cdf(const Tensor& value) const {
  validate_sample(value);
  return 2 * normal().cdf(value) - 1;
}
Tensor HalfNormal::icdf(const Tensor& value) const { return normal().icdf((value + 1) / 2); }
Tensor HalfNormal::entropy() const { return normal().entropy() - std::numbers::ln2; }
Tensor HalfNormal::mean() const { return scale() * std::sqrt(2 / std::numbers::pi); }
Tensor HalfNormal::mode() const { return zeros_like(scale()); }
Tensor HalfNormal::variance() const { return scale().square() * (1 - 2 / std::numbers::pi); }

}  // namespace kiln::distributions
