// Continuous families on the real line and its halves, torch's parameter
// order; each parameter a tensor or a C++ number, broadcast to the batch shape.
#pragma once
#include "kiln/distributions/distribution.h"

namespace kiln::distributions {

// The methods every univariate family below overrides (declared once here).
#define KILN_UNIVARIATE_METHODS(Class)                  \
  std::string name() const override { return #Class; } \
  Constraint support() const override;                  \
  Tensor log_prob(const Tensor& value) const override;  \
  Tensor entropy() const override;                      \
  Tensor mean() const override;                         \
  Tensor mode() const override;                         \
  Tensor variance() const override

// N(loc, scale^2).
class Normal : public Family<Normal> {
 public:
  Normal(Param loc, Param scale);
  KILN_UNIVARIATE_METHODS(Normal);
  bool has_rsample() const override { return true; }
  Tensor cdf(const Tensor& value) const override;
  Tensor icdf(const Tensor& value) const override;
  Tensor stddev() const override { return scale_; }
  const Tensor& loc() const { return loc_; }
  const Tensor& scale() const { return scale_; }

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"loc", &loc_, 0}, {"scale", &scale_, 0}}; }

 private:
  Tensor loc_, scale_;
};

// Uniform on [low, high).
class Uniform : public Family<Uniform> {
 public:
  Uniform(Param low, Param high);
  KILN_UNIVARIATE_METHODS(Uniform);
  bool has_rsample() const override { return true; }
  Tensor cdf(const Tensor& value) const override;
  Tensor icdf(const Tensor& value) const override;
  Tensor stddev() const override;
  const Tensor& low() const { return low_; }
  const Tensor& high() const { return high_; }

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"low", &low_, 0}, {"high", &high_, 0}}; }

 private:
  Tensor low_, high_;
};

// Density rate * exp(-rate x) on x >= 0.
class Exponential : public Family<Exponential> {
 public:
  explicit Exponential(Param rate);
  KILN_UNIVARIATE_METHODS(Exponential);
  bool has_rsample() const override { return true; }
  Tensor cdf(const Tensor& value) const override;
  Tensor icdf(const Tensor& value) const override;
  Tensor stddev() const override;
  const Tensor& rate() const { return rate_; }

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"rate", &rate_, 0}}; }

 private:
  Tensor rate_;
};

// A location-scale family (Laplace, Cauchy, Gumbel): shared storage only.
class LocScale {
 public:
  const Tensor& loc() const { return loc_; }
  const Tensor& scale() const { return scale_; }

 protected:
  Tensor loc_, scale_;
};

// Density exp(-|x - loc| / scale) / (2 scale).
class Laplace : public Family<Laplace>, public LocScale {
 public:
  Laplace(Param loc, Param scale);
  KILN_UNIVARIATE_METHODS(Laplace);
  bool has_rsample() const override { return true; }
  Tensor cdf(const Tensor& value) const override;
  Tensor icdf(const Tensor& value) const override;
  Tensor stddev() const override;

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"loc", &loc_, 0}, {"scale", &scale_, 0}}; }
};

// Density 1 / (pi scale (1 + ((x - loc) / scale)^2)); mean nan, variance inf.
class Cauchy : public Family<Cauchy>, public LocScale {
 public:
  Cauchy(Param loc, Param scale);
  KILN_UNIVARIATE_METHODS(Cauchy);
  bool has_rsample() const override { return true; }
  Tensor cdf(const Tensor& value) const override;
  Tensor icdf(const Tensor& value) const override;

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"loc", &loc_, 0}, {"scale", &scale_, 0}}; }
};

// The maximum-value distribution: cdf exp(-exp(-(x - loc) / scale)).
class Gumbel : public Family<Gumbel>, public LocScale {
 public:
  Gumbel(Param loc, Param scale);
  KILN_UNIVARIATE_METHODS(Gumbel);
  bool has_rsample() const override { return true; }
  Tensor cdf(const Tensor& value) const override;
  Tensor icdf(const Tensor& value) const override;
  Tensor stddev() const override;

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"loc", &loc_, 0}, {"scale", &scale_, 0}}; }
};

}  // namespace kiln::distributions
