// KL between members of different families (torch's kl.py cross rules);
// where q has no mass on part of p's support the divergence is infinite.
#include <cmath>
#include <limits>
#include <numbers>

#include "common.h"
#include "kl_rules.h"

namespace kiln::distributions::kl {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEulerGamma = 0.57721566490153286061;
const double kLog2Pi = std::log(2 * std::numbers::pi);

Tensor infinite_like(const Tensor& t) { return full_like(t, kInf); }
// x log x with 0 log 0 = 0 (torch's _x_log_x).
Tensor x_log_x(const Tensor& x) { return x * x.log(); }

// p's support reaches where q has no mass: infinite, in the shape of p's parameter.
template <class P>
Tensor infinite(const Distribution& p, const Distribution&) {
  const P& d = as<P>(p);
  if constexpr (requires { d.loc(); }) return infinite_like(d.loc());
  else if constexpr (requires { d.rate(); }) return infinite_like(d.rate());
  else return infinite_like(d.concentration());
}

// ---- from Bernoulli, Poisson
Tensor bernoulli_poisson(const Distribution& a, const Distribution& b) {
  const auto &p = as<Bernoulli>(a);
  const auto &q = as<Poisson>(b);
  return -p.entropy() - (p.probs() * q.rate().log() - q.rate());
}

// ---- from Beta
Tensor beta_mean(const Beta& p) { return p.concentration1() / (p.concentration1() + p.concentration0()); }
Tensor beta_exponential(const Distribution& a, const Distribution& b) {
  const auto &p = as<Beta>(a);
  const auto &q = as<Exponential>(b);
  return -p.entropy() - q.rate().log() + q.rate() * beta_mean(p);
}
Tensor beta_gamma(const Distribution& a, const Distribution& b) {
  const auto &p = as<Beta>(a);
  const auto &q = as<Gamma>(b);
  Tensor c1 = p.concentration1(), c0 = p.concentration0();
  Tensor t2 = q.concentration().lgamma() - q.concentration() * q.rate().log();
  Tensor t3 = (q.concentration() - 1) * (c1.digamma() - (c1 + c0).digamma());
  Tensor t4 = q.rate() * c1 / (c1 + c0);
  return -p.entropy() + t2 - t3 + t4;
}
Tensor beta_normal(const Distribution& a, const Distribution& b) {
  const auto &p = as<Beta>(a);
  const auto &q = as<Normal>(b);
  Tensor e = beta_mean(p);
  Tensor var_normal = q.scale().square();
  Tensor t2 = 0.5 * (var_normal * 2 * std::numbers::pi).log();
  Tensor t3 = (e * (1 - e) / (p.concentration1() + p.concentration0() + 1) + e.square()) * 0.5;
  Tensor t4 = q.loc() * e;
  Tensor t5 = q.loc().square() * 0.5;
  return -p.entropy() + t2 + (t3 - t4 + t5) / var_normal;
}
Tensor beta_uniform(const Distribution& a, const Distribution& b) {
  const auto &p = as<Beta>(a);
  const auto &q = as<Uniform>(b);
  Tensor result = -p.entropy() + (q.high() - q.low()).log();
  return where(q.low().gt(0).logical_or(q.high().lt(1)), kInf, result);
}

// ---- from Exponential
Tensor exponential_gamma(const Distribution& a, const Distribution& b) {
  const auto &p = as<Exponential>(a);
  const auto &q = as<Gamma>(b);
  Tensor ratio = q.rate() / p.rate();
  Tensor t1 = -q.concentration() * ratio.log();
  return t1 + ratio + q.concentration().lgamma() + q.concentration() * kEulerGamma - (1 + kEulerGamma);
}
Tensor exponential_gumbel(const Distribution& a, const Distribution& b) {
  const auto &p = as<Exponential>(a);
  const auto &q = as<Gumbel>(b);
  Tensor prod = p.rate() * q.scale();
  Tensor ratio = q.loc() / q.scale();
  Tensor t1 = prod.log() - 1;
  Tensor t2 = ratio.exp() * prod / (prod + 1);
  return t1 - ratio + t2 + prod.reciprocal();
}
Tensor exponential_normal(const Distribution& a, const Distribution& b) {
  const auto &p = as<Exponential>(a);
  const auto &q = as<Normal>(b);
  Tensor var_normal = q.scale().square();
  Tensor rate_sqr = p.rate().square();
  Tensor t1 = 0.5 * (rate_sqr * var_normal * 2 * std::numbers::pi).log();
  return t1 - 1 + (rate_sqr.reciprocal() - q.loc() / p.rate() + q.loc().square() * 0.5) / var_normal;
}

// ---- from Gamma
Tensor gamma_exponential(const Distribution& a, const Distribution& b) {
  const auto &p = as<Gamma>(a);
  const auto &q = as<Exponential>(b);
  return -p.entropy() - q.rate().log() + q.rate() * p.concentration() / p.rate();
}
Tensor gamma_gumbel(const Distribution& a, const Distribution& b) {
  const auto &p = as<Gamma>(a);
  const auto &q = as<Gumbel>(b);
  const Tensor& c = p.concentration();
  Tensor prod = p.rate() * q.scale();
  Tensor ratio = q.loc() / q.scale();
  Tensor t1 = (c - 1) * c.digamma() - c.lgamma() - c;
  Tensor t2 = prod.log() + c / prod;
  Tensor t3 = ratio.exp() * (1 + prod.reciprocal()).pow(-c) - ratio;
  return t1 + t2 + t3;
}
Tensor gamma_normal(const Distribution& a, const Distribution& b) {
  const auto &p = as<Gamma>(a);
  const auto &q = as<Normal>(b);
  const Tensor& c = p.concentration();
  Tensor var_normal = q.scale().square();
  Tensor beta_sqr = p.rate().square();
  Tensor t1 = 0.5 * (beta_sqr * var_normal * 2 * std::numbers::pi).log() - c - c.lgamma();
  Tensor t2 = 0.5 * (c.square() + c) / beta_sqr;
  Tensor t3 = q.loc() * c / p.rate();
  Tensor t4 = 0.5 * q.loc().square();
  return t1 + (c - 1) * c.digamma() + (t2 - t3 + t4) / var_normal;
}

// ---- from Gumbel
Tensor gumbel_normal(const Distribution& a, const Distribution& b) {
  const auto &p = as<Gumbel>(a);
  const auto &q = as<Normal>(b);
  Tensor ratio = p.scale() / q.scale();
  Tensor t1 = (ratio / std::sqrt(2 * std::numbers::pi)).log();
  Tensor t2 = (std::numbers::pi * ratio * 0.5).square() / 3;
  Tensor t3 = ((p.loc() + p.scale() * kEulerGamma - q.loc()) / q.scale()).square() * 0.5;
  return -t1 + t2 + t3 - (kEulerGamma + 1);
}

// ---- from Laplace
Tensor laplace_normal(const Distribution& a, const Distribution& b) {
  const auto &p = as<Laplace>(a);
  const auto &q = as<Normal>(b);
  Tensor var_normal = q.scale().square();
  Tensor ratio = p.scale().square() / var_normal;
  Tensor t1 = 0.5 * (2 * ratio / std::numbers::pi).log();
  Tensor t2 = 0.5 * p.loc().square();
  Tensor t3 = p.loc() * q.loc();
  Tensor t4 = 0.5 * q.loc().square();
  return -t1 + ratio + (t2 - t3 + t4) / var_normal - 1;
}

// ---- from Normal
Tensor normal_gumbel(const Distribution& a, const Distribution& b) {
  const auto &p = as<Normal>(a);
  const auto &q = as<Gumbel>(b);
  Tensor mean_ratio = p.loc() / q.scale();
  Tensor var_ratio = (p.scale() / q.scale()).square();
  Tensor loc_ratio = q.loc() / q.scale();
  Tensor t3 = (-mean_ratio + 0.5 * var_ratio + loc_ratio).exp();
  return -var_ratio.log() * 0.5 + (mean_ratio - loc_ratio) + t3 - 0.5 * (1 + kLog2Pi);
}
Tensor normal_laplace(const Distribution& a, const Distribution& b) {
  const auto &p = as<Normal>(a);
  const auto &q = as<Laplace>(b);
  Tensor diff = p.loc() - q.loc();
  Tensor ratio = p.scale() / q.scale();
  Tensor diff_ratio = diff / p.scale();
  Tensor t2 = std::sqrt(2 / std::numbers::pi) * p.scale() * (-0.5 * diff_ratio.square()).exp();
  Tensor t3 = diff * (std::sqrt(0.5) * diff_ratio).erf();
  return -ratio.log() + (t2 + t3) / q.scale() - 0.5 * (1 + std::log(0.5 * std::numbers::pi));
}

// ---- from Uniform
Tensor uniform_beta(const Distribution& a, const Distribution& b) {
  const auto &p = as<Uniform>(a);
  const auto &q = as<Beta>(b);
  Tensor width = p.high() - p.low();
  Tensor q1 = q.concentration1(), q0 = q.concentration0();
  Tensor t2 = (q1 - 1) * (x_log_x(p.high()) - x_log_x(p.low()) - width) / width;
  Tensor t3 = (q0 - 1) * (x_log_x(1 - p.high()) - x_log_x(1 - p.low()) + width) / width;
  Tensor t4 = q1.lgamma() + q0.lgamma() - (q1 + q0).lgamma();
  Tensor result = t3 + t4 - width.log() - t2;
  return where(p.high().gt(1).logical_or(p.low().lt(0)), kInf, result);
}
Tensor uniform_exponential(const Distribution& a, const Distribution& b) {
  const auto &p = as<Uniform>(a);
  const auto &q = as<Exponential>(b);
  Tensor result = q.rate() * (p.high() + p.low()) / 2 - ((p.high() - p.low()) * q.rate()).log();
  return where(p.low().lt(0), kInf, result);
}
Tensor uniform_gamma(const Distribution& a, const Distribution& b) {
  const auto &p = as<Uniform>(a);
  const auto &q = as<Gamma>(b);
  Tensor width = p.high() - p.low();
  Tensor t2 = q.concentration().lgamma() - q.concentration() * q.rate().log();
  Tensor t3 = (1 - q.concentration()) * (x_log_x(p.high()) - x_log_x(p.low()) - width) / width;
  Tensor t4 = q.rate() * (p.high() + p.low()) / 2;
  Tensor result = -width.log() + t2 + t3 + t4;
  return where(p.low().lt(0), kInf, result);
}
Tensor uniform_gumbel(const Distribution& a, const Distribution& b) {
  const auto &p = as<Uniform>(a);
  const auto &q = as<Gumbel>(b);
  Tensor common = q.scale() / (p.high() - p.low());
  Tensor high = (p.high() - q.loc()) / q.scale();
  Tensor low = (p.low() - q.loc()) / q.scale();
  Tensor t1 = common.log() + 0.5 * (high + low);
  Tensor t2 = common * ((-high).exp() - (-low).exp());
  return t1 - t2;
}
Tensor uniform_normal(const Distribution& a, const Distribution& b) {
  const auto &p = as<Uniform>(a);
  const auto &q = as<Normal>(b);
  Tensor width = p.high() - p.low();
  Tensor t1 = (std::sqrt(std::numbers::pi * 2) * q.scale() / width).log();
  Tensor t2 = width.square() / 12;
  Tensor t3 = ((p.high() + p.low() - 2 * q.loc()) / 2).square();
  return t1 + 0.5 * (t2 + t3) / q.scale().square();
}

}  // namespace

std::vector<Rule> cross_family_rules() {
  KLRule exponential_inf = infinite<Exponential>, gumbel_inf = infinite<Gumbel>, laplace_inf = infinite<Laplace>,
         normal_inf = infinite<Normal>, poisson_inf = infinite<Poisson>, gamma_infinite = infinite<Gamma>;
  return {
      {"Bernoulli", "Poisson", bernoulli_poisson},
      {"Beta", "Exponential", beta_exponential},
      {"Beta", "Gamma", beta_gamma},
      {"Beta", "Normal", beta_normal},
      {"Beta", "Uniform", beta_uniform},
      {"Exponential", "Beta", exponential_inf},
      {"Exponential", "Gamma", exponential_gamma},
      {"Exponential", "Gumbel", exponential_gumbel},
      {"Exponential", "Normal", exponential_normal},
      {"Exponential", "Uniform", exponential_inf},
      {"Gamma", "Beta", gamma_infinite},
      {"Gamma", "Exponential", gamma_exponential},
      {"Gamma", "Gumbel", gamma_gumbel},
      {"Gamma", "Normal", gamma_normal},
      {"Gamma", "Uniform", gamma_infinite},
      {"Gumbel", "Beta", gumbel_inf},
      {"Gumbel", "Exponential", gumbel_inf},
      {"Gumbel", "Gamma", gumbel_inf},
      {"Gumbel", "Normal", gumbel_normal},
      {"Gumbel", "Uniform", gumbel_inf},
      {"Laplace", "Beta", laplace_inf},
      {"Laplace", "Exponential", laplace_inf},
      {"Laplace", "Gamma", laplace_inf},
      {"Laplace", "Normal", laplace_normal},
      {"Laplace", "Uniform", laplace_inf},
      {"Normal", "Beta", normal_inf},
      {"Normal", "Exponential", normal_inf},
      {"Normal", "Gamma", normal_inf},
      {"Normal", "Gumbel", normal_gumbel},
      {"Normal", "Laplace", normal_laplace},
      {"Normal", "Uniform", normal_inf},
      {"Poisson", "Bernoulli", poisson_inf},
      {"Poisson", "Binomial", poisson_inf},
      {"Uniform", "Beta", uniform_beta},
      {"Uniform", "Exponential", uniform_exponential},
      {"Uniform", "Gamma", uniform_gamma},
      {"Uniform", "Gumbel", uniform_gumbel},
      {"Uniform", "Normal", uniform_normal},
  };
}

}  // namespace kiln::distributions::kl
