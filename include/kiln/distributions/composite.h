// Distributions built from others, which they hold by value (a copy):
// Independent(Normal(loc, scale), 1), TransformedDistribution(base,
// {ExpTransform()}), MixtureSameFamily(Categorical(w), Normal(mu, sigma)),
// and the families torch defines as transformed ones (LogNormal, HalfNormal).
#pragma once
#include <vector>

#include "kiln/distributions/continuous.h"
#include "kiln/distributions/discrete.h"
#include "kiln/distributions/transforms.h"

namespace kiln::distributions {

// Reinterprets the rightmost `reinterpreted_batch_ndims` batch dims of
// `base` as event dims (log_prob sums over them).
class Independent : public Family<Independent> {
 public:
  Independent(const Distribution& base, int64_t reinterpreted_batch_ndims);
  std::string name() const override { return "Independent"; }
  Constraint support() const override;
  bool has_rsample() const override { return base_->has_rsample(); }
  bool has_enumerate_support() const override { return reinterpreted_ == 0 && base_->has_enumerate_support(); }
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override { return base_->mean(); }
  Tensor mode() const override { return base_->mode(); }
  Tensor variance() const override { return base_->variance(); }
  Tensor enumerate_support(bool expand = true) const override;
  const Distribution& base_dist() const { return *base_; }
  int64_t reinterpreted_batch_ndims() const { return reinterpreted_; }
  std::string repr() const override;

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  void expand_params(IntArrayRef batch_shape) override;

 private:
  std::shared_ptr<const Distribution> base_;
  int64_t reinterpreted_;
};

// The distribution of transforms[-1](...transforms[0](x)) for x ~ base.
class TransformedDistribution : public Family<TransformedDistribution> {
 public:
  TransformedDistribution(const Distribution& base, std::vector<Transform> transforms);
  std::string name() const override { return "TransformedDistribution"; }
  Constraint support() const override;
  bool has_rsample() const override { return base_->has_rsample(); }
  Tensor log_prob(const Tensor& value) const override;
  Tensor cdf(const Tensor& value) const override;
  Tensor icdf(const Tensor& value) const override;
  const Distribution& base_dist() const { return *base_; }
  const std::vector<Transform>& transforms() const { return transforms_; }
  std::string repr() const override;

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  void expand_params(IntArrayRef batch_shape) override;
  // cdf(x) or 1 - cdf(x) when the transforms reverse the order.
  Tensor monotonize_cdf(const Tensor& value) const;

  std::shared_ptr<const Distribution> base_;
  std::vector<Transform> transforms_;
};

// exp(X) for X ~ Normal(loc, scale).
class LogNormal : public Family<LogNormal, TransformedDistribution> {
 public:
  LogNormal(Param loc, Param scale);
  std::string name() const override { return "LogNormal"; }
  std::vector<std::string> lineage() const override { return {"LogNormal", "TransformedDistribution"}; }
  Constraint support() const override;
  Tensor entropy() const override;
  Tensor mean() const override;
  Tensor mode() const override;
  Tensor variance() const override;
  const Tensor& loc() const { return normal().loc(); }
  const Tensor& scale() const { return normal().scale(); }
  std::string repr() const override;

 private:
  const Normal& normal() const { return static_cast<const Normal&>(*base_); }
};

// |X| for X ~ Normal(0, scale).
class HalfNormal : public Family<HalfNormal, TransformedDistribution> {
 public:
  explicit HalfNormal(Param scale);
  std::string name() const override { return "HalfNormal"; }
  std::vector<std::string> lineage() const override { return {"HalfNormal", "TransformedDistribution"}; }
  Constraint support() const override;
  Tensor log_prob(const Tensor& value) const override;
  Tensor cdf(const Tensor& value) const override;
  Tensor icdf(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override;
  Tensor mode() const override;
  Tensor variance() const override;
  const Tensor& scale() const { return normal().scale(); }
  std::string repr() const override;

 private:
  const Normal& normal() const { return static_cast<const Normal&>(*base_); }
};

// A batch of K-component mixtures: the component index from `mixture`
// (batch_shape B), the value from `components` (batch_shape B + [K]).
class MixtureSameFamily : public Family<MixtureSameFamily> {
 public:
  MixtureSameFamily(const Categorical& mixture, const Distribution& components);
  std::string name() const override { return "MixtureSameFamily"; }
  Constraint support() const override { return components_->support(); }
  Tensor log_prob(const Tensor& value) const override;
  Tensor cdf(const Tensor& value) const override;
  Tensor mean() const override;
  Tensor variance() const override;
  const Categorical& mixture_distribution() const { return mixture_; }
  const Distribution& component_distribution() const { return *components_; }
  std::string repr() const override;

 protected:
  Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const override;
  void expand_params(IntArrayRef batch_shape) override;

 private:
  // probs [B', K] reshaped to line up with the components' [B, K, event...].
  Tensor pad_mixture(const Tensor& probs) const;
  Tensor pad(const Tensor& x) const { return x.unsqueeze(-1 - static_cast<int64_t>(event_shape_.size())); }
  Categorical mixture_;
  std::shared_ptr<const Distribution> components_;
};

}  // namespace kiln::distributions
