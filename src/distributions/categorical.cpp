// Categorical, OneHotCategorical and Multinomial: draws over K classes.
#include <limits>

#include "common.h"

namespace kiln::distributions {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Class indices as one-hot vectors of `dt` (torch's one_hot(...).to(probs)).
Tensor one_hot(const Tensor& indices, int64_t classes, ScalarType dt) {
  return indices.unsqueeze(-1).eq(arange(classes, dtype(kInt64))).to(dt);
}

}  // namespace

// ---- Categorical
Categorical::Categorical(const Tensor& probs) : Categorical(probs, false, true) {}
Categorical Categorical::from_logits(const Tensor& logits) { return Categorical(logits, true, true); }

Categorical::Categorical(const Tensor& p, bool logits, bool validate) : Family({}, {}) {
  const char* what = logits ? "logits" : "probs";
  KILN_CHECK(p.defined(), "Categorical: ", what, " must be a defined tensor");
  KILN_CHECK(p.dim() >= 1, "Categorical: `", what, "` parameter must be at least one-dimensional, got shape ",
             p.sizes());
  given_logits_ = logits;
  if (logits) {
    logits_ = p - p.logsumexp({-1}, true);
    probs_ = detail::logits_to_probs(logits_, false);
  } else {
    probs_ = p / p.sum({-1}, true);  // weights are normalised, as torch
    logits_ = detail::probs_to_logits(probs_, false);
  }
  set_shapes(IntArrayRef(p.sizes().begin(), p.dim() - 1), {});
  if (!validate) return;
  if (logits)
    check_param("logits", logits_, constraints::real_vector());
  else
    check_param("probs", probs_, constraints::simplex());
}

std::vector<Distribution::ParamSlot> Categorical::slots() {
  if (given_logits_) return {{"logits", &logits_, 1}, {"", &probs_, 1}};
  return {{"probs", &probs_, 1}, {"", &logits_, 1}};
}

std::vector<int64_t> Categorical::param_shape() const { return probs_.sizes().vec(); }

Constraint Categorical::support() const {
  return constraints::integer_interval(0, scalar_tensor(num_events() - 1, dtype(kInt64)));
}

Tensor Categorical::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  int64_t n = detail::numel_of(sample_shape);
  Shape shape = extended_shape(sample_shape);
  if (n == 0 || probs_.numel() == 0) return empty(shape, dtype(kInt64));
  Tensor probs_2d = probs_.detach().reshape({-1, num_events()});
  Tensor drawn = detail::drawn_from(gen, [&] { return multinomial(probs_2d, n, true); });
  return drawn.t().reshape(shape);
}

Tensor Categorical::log_prob(const Tensor& value) const {
  validate_sample(value);
  std::vector<Tensor> b = broadcast_tensors({value.to(kInt64).unsqueeze(-1), logits_});
  return b[1].gather(-1, b[0].narrow(-1, 0, 1)).squeeze(-1);
}

Tensor Categorical::entropy() const {
  Tensor logits = logits_.clamp_min(detail::lowest(logits_.dtype()));
  return -(logits * probs_).sum({-1});
}

Tensor Categorical::mean() const { return full(extended_shape({}), kNaN, dtype(probs_.dtype())); }
Tensor Categorical::mode() const { return probs_.argmax(-1); }
Tensor Categorical::variance() const { return full(extended_shape({}), kNaN, dtype(probs_.dtype())); }

Tensor Categorical::enumerate_support(bool expand) const {
  std::vector<int64_t> shape(batch_shape_.size() + 1, 1);
  shape[0] = -1;
  Tensor values = arange(num_events(), dtype(kInt64)).view(shape);
  return expand ? values.expand(detail::concat({-1}, batch_shape_)) : values;
}

// ---- OneHotCategorical
OneHotCategorical::OneHotCategorical(Categorical c) : Family({}, {}), categorical_(std::move(c)) {
  set_shapes(categorical_.batch_shape(), {categorical_.num_events()});
  if (categorical_.given_logits())
    check_param("logits", categorical_.logits(), constraints::real_vector());
  else
    check_param("probs", categorical_.probs(), constraints::simplex());
}
OneHotCategorical::OneHotCategorical(const Tensor& probs) : OneHotCategorical(Categorical(probs, false, false)) {}
OneHotCategorical OneHotCategorical::from_logits(const Tensor& logits) {
  return OneHotCategorical(Categorical(logits, true, false));
}

std::string OneHotCategorical::repr() const { return name() + categorical_.repr().substr(categorical_.name().size()); }

void OneHotCategorical::expand_params(IntArrayRef batch_shape) {
  categorical_ = categorical_.expand(batch_shape);
  batch_shape_ = batch_shape.vec();
}

Constraint OneHotCategorical::support() const { return constraints::one_hot(); }

Tensor OneHotCategorical::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  return one_hot(categorical_.sample(sample_shape, gen), categorical_.num_events(), probs().dtype());
}

Tensor OneHotCategorical::log_prob(const Tensor& value) const {
  validate_sample(value);
  return categorical_.log_prob(std::get<1>(value.max(-1)));
}

Tensor OneHotCategorical::entropy() const { return categorical_.entropy(); }
Tensor OneHotCategorical::mean() const { return probs(); }
Tensor OneHotCategorical::mode() const { return one_hot(probs().argmax(-1), categorical_.num_events(), probs().dtype()); }
Tensor OneHotCategorical::variance() const { return probs() * (1 - probs()); }

Tensor OneHotCategorical::enumerate_support(bool expand) const {
  int64_t n = event_shape_[0];
  std::vector<int64_t> shape(batch_shape_.size() + 2, 1);
  shape.front() = n;
  shape.back() = n;
  Tensor values = eye(n, dtype(probs().dtype())).view(shape);
  return expand ? values.expand(detail::concat(detail::concat({n}, batch_shape_), {n})) : values;
}

// ---- Multinomial
Multinomial::Multinomial(int64_t total_count, Categorical c)
    : Family({}, {}), total_count_(total_count), categorical_(std::move(c)) {
  KILN_CHECK(total_count >= 0, "Multinomial: total_count must be a non-negative integer, got ", total_count);
  set_shapes(categorical_.batch_shape(), {categorical_.num_events()});
  if (categorical_.given_logits())
    check_param("logits", categorical_.logits(), constraints::real_vector());
  else
    check_param("probs", categorical_.probs(), constraints::simplex());
}
Multinomial::Multinomial(int64_t total_count, const Tensor& probs)
    : Multinomial(total_count, Categorical(probs, false, false)) {}
Multinomial Multinomial::from_logits(int64_t total_count, const Tensor& logits) {
  return Multinomial(total_count, Categorical(logits, true, false));
}

std::string Multinomial::repr() const {
  std::string inner = categorical_.repr().substr(categorical_.name().size() + 1);
  return name() + "(total_count: " + std::to_string(total_count_) + ", " + inner;
}

void Multinomial::expand_params(IntArrayRef batch_shape) {
  categorical_ = categorical_.expand(batch_shape);
  batch_shape_ = batch_shape.vec();
}

Constraint Multinomial::support() const { return constraints::multinomial(total_count_); }

Tensor Multinomial::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  Shape shape = extended_shape(sample_shape);
  Tensor counts = zeros(shape, dtype(kInt64));
  int64_t k = categorical_.num_events();
  if (total_count_ > 0 && counts.numel() > 0) {
    // total_count class draws per distribution, tallied per class.
    Tensor drawn = categorical_.sample(detail::concat({total_count_}, sample_shape), gen).contiguous();
    const int64_t* idx = drawn.data_ptr<int64_t>();
    int64_t* out = counts.data_ptr<int64_t>();
    int64_t per_draw = counts.numel() / k;
    for (int64_t i = 0; i < total_count_; ++i, idx += per_draw)
      for (int64_t j = 0; j < per_draw; ++j) ++out[j * k + idx[j]];
  }
  return counts.to(probs().dtype());
}

Tensor Multinomial::log_prob(const Tensor& value) const {
  validate_sample(value);
  std::vector<Tensor> b = broadcast_tensors({logits(), value});
  const Tensor& v = b[1];
  Tensor log_factorial_n = (v.sum({-1}) + 1).lgamma();
  Tensor log_factorial_xs = (v + 1).lgamma().sum({-1});
  // A class of probability 0 drawn 0 times contributes 0, not 0 * -inf.
  Tensor l = where(v.eq(0).logical_and(b[0].eq(-std::numeric_limits<double>::infinity())), 0.0, b[0]);
  return log_factorial_n - log_factorial_xs + (l * v).sum({-1});
}

// n H(categorical) - log n! + Σ_classes Σ_{k=1..n} Binomial(n, p).pmf(k) log k!.
Tensor Multinomial::entropy() const {
  ScalarType dt = probs().dtype();
  Tensor n = scalar_tensor(static_cast<double>(total_count_), dtype(dt));
  Tensor term1 = n * categorical_.entropy() - (n + 1).lgamma();
  std::vector<int64_t> shape(batch_shape_.size() + 2, 1);
  shape[0] = -1;
  Tensor k = arange(1, total_count_ + 1, dtype(dt)).view(shape);
  Tensor binomial_probs = detail::binomial_log_prob(n, detail::probs_to_logits(probs(), true), k).exp();
  Tensor term2 = (binomial_probs * (k + 1).lgamma()).sum({0, -1});
  return term1 + term2;
}

Tensor Multinomial::mean() const { return probs() * static_cast<double>(total_count_); }
Tensor Multinomial::variance() const { return static_cast<double>(total_count_) * probs() * (1 - probs()); }

}  // namespace kiln::distributions
