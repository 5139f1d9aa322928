// KL between two members of one family (closed forms as torch's kl.py).
#include <cmath>
#include <limits>
#include <numbers>

#include "common.h"
#include "kiln/linalg.h"
#include "kl_rules.h"
#include "linear.h"

namespace kiln::distributions::kl {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEulerGamma = 0.57721566490153286061;

Tensor sum_rightmost(const Tensor& t, int64_t n) { return n > 0 ? t.flatten(t.dim() - n).sum({-1}) : t; }

Tensor normal_normal(const Distribution& a, const Distribution& b) {
  const auto &p = as<Normal>(a), &q = as<Normal>(b);
  Tensor var_ratio = (p.scale() / q.scale()).square();
  Tensor t1 = ((p.loc() - q.loc()) / q.scale()).square();
  return 0.5 * (var_ratio + t1 - 1 - var_ratio.log());
}

Tensor bernoulli_bernoulli(const Distribution& a, const Distribution& b) {
  const auto &p = as<Bernoulli>(a), &q = as<Bernoulli>(b);
  // 0 log 0 terms are 0; mass where q has none is infinite.
  Tensor t1 = p.probs() * (softplus(-q.logits()) - softplus(-p.logits()));
  t1 = where(p.probs().eq(0), 0.0, where(q.probs().eq(0), kInf, t1));
  Tensor t2 = (1 - p.probs()) * (softplus(q.logits()) - softplus(p.logits()));
  t2 = where(p.probs().eq(1), 0.0, where(q.probs().eq(1), kInf, t2));
  return t1 + t2;
}

Tensor categorical_terms(const Categorical& p, const Categorical& q) {
  Tensor t = p.probs() * (p.logits() - q.logits());
  t = where(p.probs().eq(0), 0.0, where(q.probs().eq(0), kInf, t));
  return t.sum({-1});
}
Tensor categorical_categorical(const Distribution& a, const Distribution& b) {
  return categorical_terms(as<Categorical>(a), as<Categorical>(b));
}
Tensor onehot_onehot(const Distribution& a, const Distribution& b) {
  return categorical_terms(as<OneHotCategorical>(a).categorical(), as<OneHotCategorical>(b).categorical());
}

Tensor binomial_binomial(const Distribution& a, const Distribution& b) {
  const auto &p = as<Binomial>(a), &q = as<Binomial>(b);
  KILN_CHECK(!p.total_count().lt(q.total_count()).any().item<bool>(),
             "kl_divergence: KL between Binomials where q.total_count > p.total_count is not implemented");
  Tensor kl = p.total_count() * (p.probs() * (p.logits() - q.logits()) + (-p.probs()).log1p() - (-q.probs()).log1p());
  return where(p.total_count().gt(q.total_count()), kInf, kl);
}

Tensor geometric_geometric(const Distribution& a, const Distribution& b) {
  const auto &p = as<Geometric>(a), &q = as<Geometric>(b);
  return -p.entropy() - (-q.probs()).log1p() / p.probs() - q.logits();
}

Tensor poisson_poisson(const Distribution& a, const Distribution& b) {
  const auto &p = as<Poisson>(a), &q = as<Poisson>(b);
  return p.rate() * (p.rate().log() - q.rate().log()) - (p.rate() - q.rate());
}

Tensor exponential_exponential(const Distribution& a, const Distribution& b) {
  const auto &p = as<Exponential>(a), &q = as<Exponential>(b);
  Tensor ratio = q.rate() / p.rate();
  return -ratio.log() + ratio - 1;
}

Tensor gamma_gamma(const Distribution& a, const Distribution& b) {
  const auto &p = as<Gamma>(a), &q = as<Gamma>(b);
  Tensor t1 = q.concentration() * (p.rate() / q.rate()).log();
  Tensor t2 = q.concentration().lgamma() - p.concentration().lgamma();
  Tensor t3 = (p.concentration() - q.concentration()) * p.concentration().digamma();
  Tensor t4 = (q.rate() - p.rate()) * (p.concentration() / p.rate());
  return t1 + t2 + t3 + t4;
}

Tensor beta_beta(const Distribution& a, const Distribution& b) {
  const auto &p = as<Beta>(a), &q = as<Beta>(b);
  Tensor p1 = p.concentration1(), p0 = p.concentration0(), q1 = q.concentration1(), q0 = q.concentration0();
  Tensor sum_p = p1 + p0, sum_q = q1 + q0;
  Tensor t1 = q1.lgamma() + q0.lgamma() + sum_p.lgamma();
  Tensor t2 = p1.lgamma() + p0.lgamma() + sum_q.lgamma();
  Tensor t3 = (p1 - q1) * p1.digamma();
  Tensor t4 = (p0 - q0) * p0.digamma();
  Tensor t5 = (sum_q - sum_p) * sum_p.digamma();
  return t1 - t2 + t3 + t4 + t5;
}

Tensor dirichlet_dirichlet(const Distribution& a, const Distribution& b) {
  const Tensor &p = as<Dirichlet>(a).concentration(), &q = as<Dirichlet>(b).concentration();
  Tensor sum_p = p.sum({-1}), sum_q = q.sum({-1});
  Tensor t1 = sum_p.lgamma() - sum_q.lgamma();
  Tensor t2 = (p.lgamma() - q.lgamma()).sum({-1});
  Tensor t3 = p - q;
  Tensor t4 = p.digamma() - sum_p.digamma().unsqueeze(-1);
  return t1 - t2 + (t3 * t4).sum({-1});
}

Tensor uniform_uniform(const Distribution& a, const Distribution& b) {
  const auto &p = as<Uniform>(a), &q = as<Uniform>(b);
  Tensor result = ((q.high() - q.low()) / (p.high() - p.low())).log();
  return where(q.low().gt(p.low()).logical_or(q.high().lt(p.high())), kInf, result);
}

Tensor laplace_laplace(const Distribution& a, const Distribution& b) {
  const auto &p = as<Laplace>(a), &q = as<Laplace>(b);
  Tensor scale_ratio = p.scale() / q.scale();
  Tensor loc_abs_diff = (p.loc() - q.loc()).abs();
  return -scale_ratio.log() + loc_abs_diff / q.scale() + scale_ratio * (-loc_abs_diff / p.scale()).exp() - 1;
}

Tensor cauchy_cauchy(const Distribution& a, const Distribution& b) {
  const auto &p = as<Cauchy>(a), &q = as<Cauchy>(b);
  Tensor t1 = ((p.scale() + q.scale()).square() + (p.loc() - q.loc()).square()).log();
  return t1 - (4 * p.scale() * q.scale()).log();
}

Tensor gumbel_gumbel(const Distribution& a, const Distribution& b) {
  const auto &p = as<Gumbel>(a), &q = as<Gumbel>(b);
  Tensor ct1 = p.scale() / q.scale(), ct2 = q.loc() / q.scale(), ct3 = p.loc() / q.scale();
  Tensor t1 = -ct1.log() - ct2 + ct3;
  Tensor t2 = ct1 * kEulerGamma;
  Tensor t3 = (ct2 + (1 + ct1).lgamma() - ct3).exp();
  return t1 + t2 + t3 - (1 + kEulerGamma);
}

Tensor halfnormal_halfnormal(const Distribution& a, const Distribution& b) {
  return normal_normal(as<HalfNormal>(a).base_dist(), as<HalfNormal>(b).base_dist());
}

Tensor independent_independent(const Distribution& a, const Distribution& b) {
  const auto &p = as<Independent>(a), &q = as<Independent>(b);
  KILN_CHECK(p.reinterpreted_batch_ndims() == q.reinterpreted_batch_ndims(), "kl_divergence: Independent ",
             "distributions reinterpret different numbers of batch dims (", p.reinterpreted_batch_ndims(), " vs ",
             q.reinterpreted_batch_ndims(), ")");
  return sum_rightmost(kl_divergence(p.base_dist(), q.base_dist()), p.reinterpreted_batch_ndims());
}

Tensor transformed_transformed(const Distribution& a, const Distribution& b) {
  const auto &p = as<TransformedDistribution>(a), &q = as<TransformedDistribution>(b);
  KILN_CHECK(p.transforms() == q.transforms() && p.event_shape() == q.event_shape(), "kl_divergence: no KL(p || q) "
             "is implemented for ", p.name(), " and ", q.name(), " with different transforms or event shapes");
  return kl_divergence(p.base_dist(), q.base_dist());
}

// ---- Gaussians over vectors
void same_event(const Distribution& p, const Distribution& q) {
  KILN_CHECK(p.event_shape() == q.event_shape(), "kl_divergence: KL between ", p.name(), " and ", q.name(),
             " with different event shapes (", IntArrayRef(p.event_shape()), " vs ", IntArrayRef(q.event_shape()),
             ") cannot be computed");
}

Tensor half_log_det(const Tensor& L) { return L.diagonal(0, -2, -1).log().sum({-1}); }

// L broadcast to `batch` + [n, n].
Tensor expand_batch(const Tensor& M, IntArrayRef batch) {
  return M.expand(detail::concat(batch, detail::slice(M.sizes(), M.dim() - 2, M.dim())));
}
Shape batch_of(const Tensor& a, const Tensor& b) {
  return broadcast_shapes(IntArrayRef(a.sizes().begin(), a.dim() - 2), IntArrayRef(b.sizes().begin(), b.dim() - 2));
}

Tensor mvn_mvn(const Distribution& a, const Distribution& b) {
  const auto &p = as<MultivariateNormal>(a), &q = as<MultivariateNormal>(b);
  same_event(p, q);
  const Tensor &Lp = p.unbroadcasted_scale_tril(), &Lq = q.unbroadcasted_scale_tril();
  Shape batch = batch_of(Lq, Lp);
  double n = static_cast<double>(p.event_shape()[0]);
  Tensor term2 = detail::trace_xxt(linalg::solve_triangular(expand_batch(Lq, batch), expand_batch(Lp, batch), false));
  Tensor term3 = detail::batch_mahalanobis(Lq, q.loc() - p.loc());
  return half_log_det(Lq) - half_log_det(Lp) + 0.5 * (term2 + term3 - n);
}

// Shared by the two low-rank q rules: A = C⁻¹ Wᵀ D⁻¹ for q.
Tensor woodbury_factor(const LowRankMultivariateNormal& q) {
  Tensor wt_dinv = q.unbroadcasted_cov_factor().mT() / q.unbroadcasted_cov_diag().unsqueeze(-2);
  return linalg::solve_triangular(q.capacitance_tril(), wt_dinv, false);
}
Tensor lowrank_logdet(const LowRankMultivariateNormal& d) {
  return detail::lowrank_logdet(d.unbroadcasted_cov_factor(), d.unbroadcasted_cov_diag(), d.capacitance_tril());
}
Tensor lowrank_mahalanobis(const LowRankMultivariateNormal& q, const Tensor& x) {
  return detail::lowrank_mahalanobis(q.unbroadcasted_cov_factor(), q.unbroadcasted_cov_diag(), x, q.capacitance_tril());
}

Tensor lowrank_lowrank(const Distribution& a, const Distribution& b) {
  const auto &p = as<LowRankMultivariateNormal>(a), &q = as<LowRankMultivariateNormal>(b);
  same_event(p, q);
  Tensor term1 = lowrank_logdet(q) - lowrank_logdet(p);
  Tensor term3 = lowrank_mahalanobis(q, q.loc() - p.loc());
  Tensor A = woodbury_factor(q);
  const Tensor &pW = p.unbroadcasted_cov_factor(), &pD = p.unbroadcasted_cov_diag(), &qD = q.unbroadcasted_cov_diag();
  Tensor term21 = (pD / qD).sum({-1});
  Tensor term22 = detail::trace_xxt(pW * qD.rsqrt().unsqueeze(-1));
  Tensor term23 = detail::trace_xxt(A * pD.sqrt().unsqueeze(-2));
  Tensor term24 = detail::trace_xxt(A.matmul(pW));
  double n = static_cast<double>(p.event_shape()[0]);
  return 0.5 * (term1 + term21 + term22 - term23 - term24 + term3 - n);
}

Tensor mvn_lowrank(const Distribution& a, const Distribution& b) {
  const auto &p = as<MultivariateNormal>(a);
  const auto &q = as<LowRankMultivariateNormal>(b);
  same_event(p, q);
  const Tensor& Lp = p.unbroadcasted_scale_tril();
  Tensor term1 = lowrank_logdet(q) - 2 * half_log_det(Lp);
  Tensor term3 = lowrank_mahalanobis(q, q.loc() - p.loc());
  Tensor A = woodbury_factor(q);
  Tensor term21 = detail::trace_xxt(Lp * q.unbroadcasted_cov_diag().rsqrt().unsqueeze(-1));
  Tensor term22 = detail::trace_xxt(A.matmul(Lp));
  double n = static_cast<double>(p.event_shape()[0]);
  return 0.5 * (term1 + term21 - term22 + term3 - n);
}

Tensor lowrank_mvn(const Distribution& a, const Distribution& b) {
  const auto &p = as<LowRankMultivariateNormal>(a);
  const auto &q = as<MultivariateNormal>(b);
  same_event(p, q);
  const Tensor& Lq = q.unbroadcasted_scale_tril();
  Tensor term1 = 2 * half_log_det(Lq) - lowrank_logdet(p);
  Tensor term3 = detail::batch_mahalanobis(Lq, q.loc() - p.loc());
  Shape batch = batch_of(Lq, p.unbroadcasted_cov_factor());
  Tensor Lqb = expand_batch(Lq, batch);
  Tensor term21 = detail::trace_xxt(linalg::solve_triangular(Lqb, expand_batch(p.unbroadcasted_cov_factor(), batch), false));
  Tensor d_sqrt = diag_embed(p.unbroadcasted_cov_diag().sqrt());
  Tensor term22 = detail::trace_xxt(linalg::solve_triangular(Lqb, expand_batch(d_sqrt, batch), false));
  double n = static_cast<double>(p.event_shape()[0]);
  return 0.5 * (term1 + term21 + term22 + term3 - n);
}

}  // namespace

std::vector<Rule> same_family_rules() {
  return {
      {"Bernoulli", "Bernoulli", bernoulli_bernoulli},
      {"Beta", "Beta", beta_beta},
      {"Binomial", "Binomial", binomial_binomial},
      {"Categorical", "Categorical", categorical_categorical},
      {"Cauchy", "Cauchy", cauchy_cauchy},
      {"Dirichlet", "Dirichlet", dirichlet_dirichlet},
      {"Exponential", "Exponential", exponential_exponential},
      {"Gamma", "Gamma", gamma_gamma},
      {"Geometric", "Geometric", geometric_geometric},
      {"Gumbel", "Gumbel", gumbel_gumbel},
      {"HalfNormal", "HalfNormal", halfnormal_halfnormal},
      {"Independent", "Independent", independent_independent},
      {"Laplace", "Laplace", laplace_laplace},
      {"LowRankMultivariateNormal", "LowRankMultivariateNormal", lowrank_lowrank},
      {"LowRankMultivariateNormal", "MultivariateNormal", lowrank_mvn},
      {"MultivariateNormal", "LowRankMultivariateNormal", mvn_lowrank},
      {"MultivariateNormal", "MultivariateNormal", mvn_mvn},
      {"Normal", "Normal", normal_normal},
      {"OneHotCategorical", "OneHotCategorical", onehot_onehot},
      {"Poisson", "Poisson", poisson_poisson},
      {"TransformedDistribution", "TransformedDistribution", transformed_transformed},
      {"Uniform", "Uniform", uniform_uniform},
  };
}

}  // namespace kiln::distributions::kl
