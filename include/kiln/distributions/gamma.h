// The gamma family and its relatives, reparameterised through kiln's
// differentiable standard-gamma sampler (implicit reparameterisation).
#pragma once
#include "kiln/distributions/continuous.h"

namespace kiln::distributions {

// Density rate^c x^(c-1) exp(-rate x) / Γ(c) on x >= 0.
class Gamma : public Family<Gamma> {
 public:
  Gamma(Param concentration, Param rate);
  KILN_UNIVARIATE_METHODS(Gamma);
  bool has_rsample() const override { return true; }
  const Tensor& concentration() const { return concentration_; }
  const Tensor& rate() const { return rate_; }

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  struct Unchecked {};
  // For Chi2, which checks its own parameter under its own name.
  Gamma(Param concentration, Param rate, Unchecked);
  std::vector<ParamSlot> slots() override { return {{"concentration", &concentration_, 0}, {"rate", &rate_, 0}}; }

  Tensor concentration_, rate_;
};

// Gamma(df / 2, 1 / 2).
class Chi2 : public Family<Chi2, Gamma> {
 public:
  explicit Chi2(Param df);
  std::string name() const override { return "Chi2"; }
  std::vector<std::string> lineage() const override { return {"Chi2", "Gamma"}; }
  Tensor df() const { return concentration_ * 2; }
  std::string repr() const override;
};

// A point of the probability simplex: event_shape [K], concentration [..., K].
class Dirichlet : public Family<Dirichlet> {
 public:
  explicit Dirichlet(const Tensor& concentration);
  KILN_UNIVARIATE_METHODS(Dirichlet);
  bool has_rsample() const override { return true; }
  const Tensor& concentration() const { return concentration_; }

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"concentration", &concentration_, 1}}; }

 private:
  friend class Beta;
  // `validate` false: Beta checks its own parameters under its own name.
  Dirichlet(const Tensor& concentration, bool validate);
  Tensor concentration_;
};

// Density x^(c1-1) (1-x)^(c0-1) / B(c1, c0) on [0, 1]: the first coordinate
// of Dirichlet([c1, c0]), as torch builds it.
class Beta : public Family<Beta> {
 public:
  Beta(Param concentration1, Param concentration0);
  KILN_UNIVARIATE_METHODS(Beta);
  bool has_rsample() const override { return true; }
  Tensor concentration1() const { return dirichlet_.concentration().select(-1, 0); }
  Tensor concentration0() const { return dirichlet_.concentration().select(-1, 1); }
  std::string repr() const override;

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  void expand_params(IntArrayRef batch_shape) override;

 private:
  Dirichlet dirichlet_;
};

// Student's t with df degrees of freedom, location loc and scale scale.
class StudentT : public Family<StudentT> {
 public:
  explicit StudentT(Param df, Param loc = 0.0, Param scale = 1.0);
  KILN_UNIVARIATE_METHODS(StudentT);
  bool has_rsample() const override { return true; }
  const Tensor& df() const { return df_; }
  const Tensor& loc() const { return loc_; }
  const Tensor& scale() const { return scale_; }

 protected:
  Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const override;
  std::vector<ParamSlot> slots() override { return {{"df", &df_, 0}, {"loc", &loc_, 0}, {"scale", &scale_, 0}}; }

 private:
  Tensor df_, loc_, scale_;
};

}  // namespace kiln::distributions
