// Bernoulli and Geometric: one success probability per batch element.
#include <cmath>
#include <limits>

#include "common.h"

namespace kiln::distributions {
namespace {

// Both parameterisations from the given one (torch's lazy probs/logits).
void set_probs_or_logits(Tensor given, bool logits, Tensor& probs, Tensor& log_odds) {
  if (logits) {
    log_odds = std::move(given);
    probs = detail::logits_to_probs(log_odds, true);
  } else {
    probs = std::move(given);
    log_odds = detail::probs_to_logits(probs, true);
  }
}

}  // namespace

// ---- Bernoulli
Bernoulli::Bernoulli(Param probs) : Bernoulli(probs, false) {}
Bernoulli Bernoulli::from_logits(Param logits) { return Bernoulli(logits, true); }

Bernoulli::Bernoulli(Param p, bool logits) : Family({}, {}) {
  Tensor given;
  set_params({p}, {&given});
  given_logits_ = logits;
  set_probs_or_logits(given, logits, probs_, logits_);
  if (logits)
    check_param("logits", logits_, constraints::real());
  else
    check_param("probs", probs_, constraints::unit_interval());
}

std::vector<Distribution::ParamSlot> Bernoulli::slots() {
  if (given_logits_) return {{"logits", &logits_, 0}, {"", &probs_, 0}};
  return {{"probs", &probs_, 0}, {"", &logits_, 0}};
}

Constraint Bernoulli::support() const { return constraints::boolean(); }

Tensor Bernoulli::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor p = probs_.detach().expand(extended_shape(sample_shape));
  return detail::drawn_from(gen, [&] { return bernoulli(p); });
}

Tensor Bernoulli::log_prob(const Tensor& value) const {
  validate_sample(value);
  return -detail::bce_with_logits(logits_, value);
}

Tensor Bernoulli::entropy() const { return detail::bce_with_logits(logits_, probs_); }

Tensor Bernoulli::mode() const {
  Tensor mode = probs_.ge(0.5).to(probs_.dtype());
  return where(probs_.eq(0.5), std::numeric_limits<double>::quiet_NaN(), mode);
}

Tensor Bernoulli::variance() const { return probs_ * (1 - probs_); }

// Values [2, 1, ..., 1] (or expanded to [2, batch...]), in the parameter's dtype.
Tensor Bernoulli::enumerate_support(bool expand) const {
  std::vector<int64_t> shape(batch_shape_.size() + 1, 1);
  shape[0] = -1;
  Tensor values = arange(2, dtype(probs_.dtype())).view(shape);
  return expand ? values.expand(detail::concat({-1}, batch_shape_)) : values;
}

// ---- Geometric
Geometric::Geometric(Param probs) : Geometric(probs, false) {}
Geometric Geometric::from_logits(Param logits) { return Geometric(logits, true); }

Geometric::Geometric(Param p, bool logits) : Family({}, {}) {
  Tensor given;
  set_params({p}, {&given});
  given_logits_ = logits;
  set_probs_or_logits(given, logits, probs_, logits_);
  if (logits) {
    check_param("logits", logits_, constraints::real());
  } else {
    check_param("probs", probs_, constraints::unit_interval());
    // A zero success probability has no distribution (torch checks probs > 0 too).
    check_param("probs", probs_, constraints::greater_than(0.0));
  }
}

std::vector<Distribution::ParamSlot> Geometric::slots() {
  if (given_logits_) return {{"logits", &logits_, 0}, {"", &probs_, 0}};
  return {{"probs", &probs_, 0}, {"", &logits_, 0}};
}

Constraint Geometric::support() const { return constraints::nonnegative_integer(); }

Tensor Geometric::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  ScalarType dt = probs_.dtype();
  Tensor u = detail::uniform(extended_shape(sample_shape), dt, detail::tiny(dt), 1, gen);
  return (u.log() / (-probs_).log1p()).floor();
}

Tensor Geometric::log_prob(const Tensor& value) const {
  validate_sample(value);
  // p = 1 and k = 0: 0 * log(0) is 0, not nan.
  Tensor p = where(probs_.eq(1).logical_and(value.eq(0)), 0.0, probs_);
  return value * (-p).log1p() + probs_.log();
}

Tensor Geometric::entropy() const { return detail::bce_with_logits(logits_, probs_) / probs_; }
Tensor Geometric::mean() const { return 1. / probs_ - 1.; }
Tensor Geometric::mode() const { return zeros_like(probs_); }
Tensor Geometric::variance() const { return (1. / probs_ - 1.) / probs_; }

}  // namespace kiln::distributions
