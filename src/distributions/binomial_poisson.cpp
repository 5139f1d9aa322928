// Binomial and Poisson: counts (their samplers are in count_sampling.cpp).
#include "common.h"

namespace kiln::distributions {

// ---- Binomial
Binomial::Binomial(Param total_count, Param probs) : Binomial(total_count, probs, false) {}
Binomial Binomial::from_logits(Param total_count, Param logits) { return Binomial(total_count, logits, true); }

Binomial::Binomial(Param n, Param p, bool logits) : Family({}, {}) {
  Tensor given;
  set_params({n, p}, {&total_count_, &given});
  total_count_ = total_count_.to(given.dtype());
  given_logits_ = logits;
  if (logits) {
    logits_ = given;
    probs_ = detail::logits_to_probs(logits_, true);
  } else {
    probs_ = given;
    logits_ = detail::probs_to_logits(probs_, true);
  }
  check_param("total_count", total_count_, constraints::nonnegative_integer());
  if (logits)
    check_param("logits", logits_, constraints::real());
  else
    check_param("probs", probs_, constraints::unit_interval());
}

std::vector<Distribution::ParamSlot> Binomial::slots() {
  if (given_logits_) return {{"total_count", &total_count_, 0}, {"logits", &logits_, 0}, {"", &probs_, 0}};
  return {{"total_count", &total_count_, 0}, {"probs", &probs_, 0}, {"", &logits_, 0}};
}

Constraint Binomial::support() const { return constraints::integer_interval(0, total_count_); }

Tensor Binomial::log_prob(const Tensor& value) const {
  validate_sample(value);
  return detail::binomial_log_prob(total_count_, logits_, value);
}

int64_t Binomial::homogeneous_count(const char* method) const {
  auto most = static_cast<int64_t>(total_count_.max().item<double>());
  KILN_CHECK(total_count_.min().item<double>() == static_cast<double>(most), "Binomial: inhomogeneous total_count is "
             "not supported by `", method, "`");
  return most;
}

Tensor Binomial::entropy() const {
  homogeneous_count("entropy");
  Tensor lp = log_prob(enumerate_support(false));
  return -(lp.exp() * lp).sum({0});
}

Tensor Binomial::enumerate_support(bool expand) const {
  int64_t n = homogeneous_count("enumerate_support");
  std::vector<int64_t> shape(batch_shape_.size() + 1, 1);
  shape[0] = -1;
  Tensor values = arange(n + 1, dtype(probs_.dtype())).view(shape);
  return expand ? values.expand(detail::concat({-1}, batch_shape_)) : values;
}

Tensor Binomial::mean() const { return total_count_ * probs_; }
Tensor Binomial::mode() const { return minimum(((total_count_ + 1) * probs_).floor(), total_count_); }
Tensor Binomial::variance() const { return total_count_ * probs_ * (1 - probs_); }

// ---- Poisson
Poisson::Poisson(Param rate) : Family({}, {}) {
  set_params({rate}, {&rate_});
  check_param("rate", rate_, constraints::nonnegative());
}

Constraint Poisson::support() const { return constraints::nonnegative_integer(); }

Tensor Poisson::log_prob(const Tensor& value) const {
  validate_sample(value);
  std::vector<Tensor> b = broadcast_tensors({rate_, value});
  return xlogy(b[1], b[0]) - b[0] - (b[1] + 1).lgamma();
}

}  // namespace kiln::distributions
