// Discrete families. Where torch takes probs= or logits=, kiln has X(probs)
// and X::from_logits(logits); both are kept (the other one derived).
#pragma once
#include "kiln/distributions/distribution.h"

namespace kiln::distributions {

// A family given by probabilities or by logits.
class ProbsOrLogits {
 public:
  const Tensor& probs() const { return probs_; }
  const Tensor& logits() const { return logits_; }
  bool given_logits() const { return given_logits_; }

 protected:
  Tensor probs_, logits_;
  bool given_logits_ = false;
};

// 1 with probability probs, else 0.
class Bernoulli : public Family<Bernoulli>, public ProbsOrLogits {
 public:
  explicit Bernoulli(Param probs);
  static Bernoulli from_logits(Param logits);
  std::string name() const override { return "Bernoulli"; }
  Constraint support() const override;
  bool has_enumerate_support() const override { return true; }
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override { return probs_; }
  Tensor mode() const override;
  Tensor variance() const override;
  Tensor enumerate_support(bool expand = true) const override;

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override;

 private:
  Bernoulli(Param p, bool logits);
};

// The number of failures before the first success, success probability probs.
class Geometric : public Family<Geometric>, public ProbsOrLogits {
 public:
  explicit Geometric(Param probs);
  static Geometric from_logits(Param logits);
  std::string name() const override { return "Geometric"; }
  Constraint support() const override;
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override;
  Tensor mode() const override;
  Tensor variance() const override;

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override;

 private:
  Geometric(Param p, bool logits);
};

// The number of successes in total_count trials of success probability probs.
class Binomial : public Family<Binomial>, public ProbsOrLogits {
 public:
  Binomial(Param total_count, Param probs);
  static Binomial from_logits(Param total_count, Param logits);
  std::string name() const override { return "Binomial"; }
  Constraint support() const override;
  bool has_enumerate_support() const override { return true; }
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;  // needs one total_count for the whole batch, as torch
  Tensor mean() const override;
  Tensor mode() const override;
  Tensor variance() const override;
  Tensor enumerate_support(bool expand = true) const override;
  const Tensor& total_count() const { return total_count_; }

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override;

 private:
  Binomial(Param n, Param p, bool logits);
  // The one total count of the batch (raises, naming `method`, if they differ).
  int64_t homogeneous_count(const char* method) const;
  Tensor total_count_;
};

// Counts with mean rate.
class Poisson : public Family<Poisson> {
 public:
  explicit Poisson(Param rate);
  std::string name() const override { return "Poisson"; }
  Constraint support() const override;
  Tensor log_prob(const Tensor& value) const override;
  Tensor mean() const override { return rate_; }
  Tensor mode() const override { return rate_.floor(); }
  Tensor variance() const override { return rate_; }
  const Tensor& rate() const { return rate_; }

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"rate", &rate_, 0}}; }

 private:
  Tensor rate_;
};

// An index in [0, K) drawn with (normalised) weights probs [..., K].
class Categorical : public Family<Categorical>, public ProbsOrLogits {
 public:
  explicit Categorical(const Tensor& probs);
  static Categorical from_logits(const Tensor& logits);
  std::string name() const override { return "Categorical"; }
  Constraint support() const override;
  bool has_enumerate_support() const override { return true; }
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override;  // nan, as torch
  Tensor mode() const override;
  Tensor variance() const override;  // nan, as torch
  Tensor enumerate_support(bool expand = true) const override;
  int64_t num_events() const { return probs_.size(-1); }
  std::vector<int64_t> param_shape() const;

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override;

 private:
  friend class OneHotCategorical;
  friend class Multinomial;
  // `validate` false: the composite holding it checks the parameter itself, under its own name.
  Categorical(const Tensor& p, bool logits, bool validate);
};

// A Categorical draw as a one-hot vector (event_shape [K]).
class OneHotCategorical : public Family<OneHotCategorical> {
 public:
  explicit OneHotCategorical(const Tensor& probs);
  static OneHotCategorical from_logits(const Tensor& logits);
  std::string name() const override { return "OneHotCategorical"; }
  Constraint support() const override;
  bool has_enumerate_support() const override { return true; }
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override;
  Tensor mode() const override;
  Tensor variance() const override;
  Tensor enumerate_support(bool expand = true) const override;
  const Tensor& probs() const { return categorical_.probs(); }
  const Tensor& logits() const { return categorical_.logits(); }
  const Categorical& categorical() const { return categorical_; }

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  void expand_params(IntArrayRef batch_shape) override;
  std::string repr() const override;

 private:
  explicit OneHotCategorical(Categorical c);
  Categorical categorical_;
};

// Counts of total_count Categorical draws (event_shape [K]).
class Multinomial : public Family<Multinomial> {
 public:
  Multinomial(int64_t total_count, const Tensor& probs);
  static Multinomial from_logits(int64_t total_count, const Tensor& logits);
  std::string name() const override { return "Multinomial"; }
  Constraint support() const override;
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override;
  Tensor variance() const override;
  int64_t total_count() const { return total_count_; }
  const Tensor& probs() const { return categorical_.probs(); }
  const Tensor& logits() const { return categorical_.logits(); }

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  void expand_params(IntArrayRef batch_shape) override;
  std::string repr() const override;

 private:
  Multinomial(int64_t total_count, Categorical c);
  int64_t total_count_;
  Categorical categorical_;
};

}  // namespace kiln::distributions
