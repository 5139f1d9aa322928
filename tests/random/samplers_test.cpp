// The samplers kiln::distributions builds on: _standard_gamma (and its
// implicit gradient), _sample_dirichlet, poisson, binomial, the alias-table
// multinomial and the vectorised float randn. Distributions are checked by
// Kolmogorov-Smirnov or chi-square tests against scipy (through
// /usr/bin/python3; a missing oracle fails) at fixed seeds, at the 0.001 level.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "common/expect_error.h"
#include "linalg/oracle.h"

namespace {

using namespace kiln;
using linalg_test::torch_eval;

// Chi-square p-value of integer samples x against a scipy discrete
// distribution d, binned at its 40-quantiles (each bin ~1/40 of the mass).
const std::string kChiSquare = R"PY(
def chi2_p(x, d):
    edges = np.unique(d.ppf(np.linspace(0, 1, 41)[1:-1]))
    obs = np.bincount(np.searchsorted(edges, x, side='left'), minlength=edges.size + 1)
    expected = np.diff(np.concatenate([[0.0], d.cdf(edges), [1.0]])) * x.size
    keep = expected > 0  # (a bin may hold no mass when the support is a few points)
    if obs[~keep].sum() > 0: return 0.0
    return st.chisquare(obs[keep], expected[keep] * obs.sum() / expected[keep].sum()).pvalue
)PY";

// Runs `code` in Python (numpy as np, scipy.stats as st) with xs[k] bound to
// the k-th sample set (float64 arrays); returns the numbers it leaves in the
// list `r`. One Python run per test: starting it is the slow part.
std::vector<double> with_samples(const std::vector<Tensor>& sets, const std::string& code) {
  std::vector<std::string> paths;
  std::string load = "xs = [";
  for (const Tensor& samples : sets) {
    char path[] = "/tmp/kiln_samples_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    paths.push_back(path);
    Tensor c = samples.detach().to(kFloat64).contiguous().reshape({-1});
    std::ofstream f(path);
    f.precision(17);
    for (int64_t i = 0; i < c.numel(); ++i) f << c.data_ptr<double>()[i] << '\n';
    load += "np.atleast_1d(np.loadtxt('" + std::string(path) + "')), ";
  }
  std::vector<Tensor> r = torch_eval("import numpy as np, scipy.stats as st\n" + load + "]\n" + kChiSquare + code +
                                     "\nout.append(torch.tensor([float(v) for v in r]))");
  for (const std::string& p : paths) std::remove(p.c_str());
  Tensor v = r.at(0);
  return std::vector<double>(v.data_ptr<double>(), v.data_ptr<double>() + v.numel());
}

// KS p-values of each sample set against its scipy distribution.
std::vector<double> ks_pvalues(const std::vector<Tensor>& sets, const std::vector<std::string>& dists) {
  std::string code = "r = [";
  for (size_t k = 0; k < dists.size(); ++k)
    code += "st.kstest(xs[" + std::to_string(k) + "], " + dists[k] + ".cdf).pvalue, ";
  return with_samples(sets, code + "]");
}

std::vector<double> chi_square_pvalues(const std::vector<Tensor>& sets, const std::vector<std::string>& dists) {
  std::string code = "r = [";
  for (size_t k = 0; k < dists.size(); ++k) code += "chi2_p(xs[" + std::to_string(k) + "], " + dists[k] + "), ";
  return with_samples(sets, code + "]");
}

double ks_pvalue(const Tensor& samples, const std::string& dist) { return ks_pvalues({samples}, {dist}).at(0); }

void expect_all_above(const std::vector<double>& p, double level, const std::vector<std::string>& what) {
  for (size_t k = 0; k < p.size(); ++k) EXPECT_GT(p[k], level) << what[k];
}

TEST(Samplers, StandardGammaPassesKolmogorovSmirnov) {
  std::vector<Tensor> sets;
  std::vector<std::string> dists;
  for (double alpha : {0.05, 0.5, 1.0, 2.5, 30.0}) {
    manual_seed(17);
    std::string dist = "st.gamma(" + std::to_string(alpha) + ")";
    sets.push_back(_standard_gamma(full({20000}, alpha, kFloat64)));
    Tensor xf = _standard_gamma(full({20000}, alpha));
    EXPECT_EQ(xf.dtype(), kFloat32);
    EXPECT_GT(xf.min().item<float>(), 0.0f);  // never 0, even for tiny alpha
    sets.push_back(xf);
    dists.insert(dists.end(), {dist, dist});
  }
  expect_all_above(ks_pvalues(sets, dists), 1e-3, dists);
}

TEST(Samplers, StandardGammaBroadcastsPerElementConcentrations) {
  manual_seed(3);
  Tensor alpha = tensor({0.3, 4.0}, kFloat64).expand({20000, 2});
  Tensor x = _standard_gamma(alpha);
  expect_all_above(ks_pvalues({x.select(1, 0), x.select(1, 1)}, {"st.gamma(0.3)", "st.gamma(4.0)"}), 1e-3,
                   {"0.3", "4.0"});
}

// d x / d alpha at a fixed quantile, against scipy's inverse incomplete gamma
// (central differences in alpha) and against torch's _standard_gamma_grad.
TEST(Samplers, StandardGammaGradMatchesTheImplicitDerivative) {
  const std::string alphas = "[0.01, 0.1, 0.5, 0.5, 1.0, 1.0, 2.5, 2.5, 2.5, 7.0, 40.0, 40.0, 300.0]";
  const std::string xs = "[1e-30, 0.003, 0.01, 2.0, 0.2, 3.0, 0.5, 2.5, 9.0, 5.0, 33.0, 47.0, 290.0]";
  Tensor a = torch_eval("out.append(torch.tensor(" + alphas + "))")[0];
  Tensor x = torch_eval("out.append(torch.tensor(" + xs + "))")[0];
  std::vector<Tensor> expected = torch_eval(
      "import numpy as np, scipy.special as sp\na = np.array(" + alphas + ")\nx = np.array(" + xs +
      ")\nq = sp.gammainc(a, x)\nh = 1e-6 * a\n"
      "out.append(torch.tensor((sp.gammaincinv(a + h, q) - sp.gammaincinv(a - h, q)) / (2 * h)))\n"
      "out.append(torch._standard_gamma_grad(torch.tensor(a), torch.tensor(x)))");
  Tensor g = _standard_gamma_grad(a, x);
  Tensor fd = expected[0], torch_grad = expected[1];
  for (int64_t i = 0; i < g.numel(); ++i) {
    double v = g[i].item<double>(), e = fd[i].item<double>(), t = torch_grad[i].item<double>();
    SCOPED_TRACE("alpha " + std::to_string(a[i].item<double>()) + ", x " + std::to_string(x[i].item<double>()));
    EXPECT_NEAR(v, e, 1e-5 * std::abs(e) + 1e-12);
    EXPECT_NEAR(v, t, 5e-3 * std::abs(t) + 1e-12);  // torch's is a fitted approximation
  }
}

// The pathwise gradient is unbiased: d/dalpha E[X] = 1 for X ~ Gamma(alpha, 1),
// and the Dirichlet mean alpha_i / alpha_0 has d/dalpha_0 = (alpha_0 - alpha_i) / alpha_0^2 for i = 0.
TEST(Samplers, ReparameterisedGradientsAreUnbiased) {
  manual_seed(5);
  Tensor alpha = tensor({2.5}, kFloat64).requires_grad_();
  const int64_t n = 20000;
  Tensor x = _standard_gamma(alpha.expand({n}));
  Tensor per_sample = _standard_gamma_grad(alpha.detach().expand({n}), x.detach());
  x.mean().backward();
  double se = kiln::std(per_sample).item<double>() / std::sqrt(double(n));
  EXPECT_NEAR(alpha.grad().item<double>(), 1.0, 4 * se);

  Tensor conc = tensor({1.5, 0.7, 3.0}, kFloat64).requires_grad_();
  Tensor d = _sample_dirichlet(conc.expand({n, 3}));
  EXPECT_TRUE(allclose(d.sum({-1}), ones({n}, kFloat64)));
  d.select(1, 0).mean().backward();
  double a0 = 5.2;
  EXPECT_NEAR(conc.grad()[0].item<double>(), (a0 - 1.5) / (a0 * a0), 0.02);
  EXPECT_NEAR(conc.grad()[1].item<double>(), -1.5 / (a0 * a0), 0.02);
  // And the marginal of a Dirichlet component is Beta(alpha_i, alpha_0 - alpha_i).
  EXPECT_GT(ks_pvalue(d.select(1, 2), "st.beta(3.0, 2.2)"), 1e-3);
}

TEST(Samplers, PoissonPassesChiSquare) {
  std::vector<Tensor> sets;
  std::vector<std::string> dists;
  for (double rate : {0.3, 3.5, 9.9, 10.0, 47.0, 2500.0}) {
    manual_seed(11);
    Tensor k = poisson(full({20000}, rate, kFloat64));
    EXPECT_EQ(k.dtype(), kFloat64);
    EXPECT_TRUE(equal(k, k.floor()));
    sets.push_back(k);
    dists.push_back("st.poisson(" + std::to_string(rate) + ")");
  }
  EXPECT_EQ(poisson(zeros({5})).sum().item<float>(), 0.0f);
  // The binomial, by inversion (small means) and by BTRS.
  struct P { double n, p; };
  for (P c : {P{10, 0.3}, P{40, 0.2}, P{1000, 0.7}, P{200, 0.999}, P{1e6, 0.5}}) {
    manual_seed(12);
    sets.push_back(binomial(full({20000}, c.n, kFloat64), full({1}, c.p, kFloat64)));
    dists.push_back("st.binom(" + std::to_string(c.n) + ", " + std::to_string(c.p) + ")");
  }
  expect_all_above(chi_square_pvalues(sets, dists), 1e-3, dists);
  Tensor n = tensor({0.0, 7.0, 7.0}), p = tensor({0.5f, 0.0f, 1.0f});
  EXPECT_TRUE(equal(binomial(n, p), tensor({0.0f, 0.0f, 7.0f})));
}

TEST(Samplers, AliasMultinomialMatchesProbabilities) {
  manual_seed(13);
  Tensor w = rand({1000}, kFloat64);
  w.narrow(0, 0, 100).zero_();  // zero-mass categories are never drawn
  Tensor draws = multinomial(w, 1000000, true);
  std::vector<double> count(1000, 0.0);
  for (int64_t i = 0; i < draws.numel(); ++i) count.at(static_cast<size_t>(draws.data_ptr<int64_t>()[i])) += 1;
  Tensor counts = tensor(count, kFloat64);
  EXPECT_EQ(counts.narrow(0, 0, 100).sum().item<double>(), 0.0);
  Tensor expected = w / w.sum() * 1e6;
  Tensor stat = ((counts - expected).pow(2) / expected).narrow(0, 100, 900).sum();
  EXPECT_GT(with_samples({stat.reshape({1})}, "r = [st.chi2.sf(xs[0][0], 899)]").at(0), 1e-3);
}

TEST(Samplers, FloatRandnIsStandardNormal) {
  manual_seed(14);
  Tensor z = randn({20000});
  EXPECT_GT(ks_pvalue(z, "st.norm"), 1e-3);
  Tensor big = randn({1 << 22}).to(kFloat64);
  EXPECT_NEAR(big.mean().item<double>(), 0, 5 / std::sqrt(double(1 << 22)));
  EXPECT_NEAR(kiln::var(big).item<double>(), 1, 5 * std::sqrt(2.0 / double(1 << 22)));
  EXPECT_LT(big.abs().max().item<double>(), 6.5);
}

TEST(Samplers, ExplicitGeneratorsAreIndependentOfTheDefault) {
  Generator g1(42), g2(42);
  manual_seed(1);
  Tensor a = _standard_gamma(full({100}, 2.0), &g1);
  Tensor b = _standard_gamma(full({100}, 2.0), &g2);
  EXPECT_TRUE(equal(a, b));
  EXPECT_EQ(default_generator().get_offset(), 0u);
  EXPECT_EQ(g1.get_offset(), 100u);
  EXPECT_TRUE(equal(poisson(full({50}, 3.0), &g1), poisson(full({50}, 3.0), &g2)));
  EXPECT_TRUE(equal(binomial(full({50}, 9.0), full({50}, 0.4), &g1), binomial(full({50}, 9.0), full({50}, 0.4), &g2)));
  EXPECT_TRUE(equal(multinomial(ones({7}), 20, true, &g1), multinomial(ones({7}), 20, true, &g2)));
  EXPECT_TRUE(equal(normal(zeros({9}), ones({9}), &g1), normal(zeros({9}), ones({9}), &g2)));
  EXPECT_TRUE(equal(_sample_dirichlet(ones({4, 3}), &g1), _sample_dirichlet(ones({4, 3}), &g2)));
}

TEST(Samplers, BadInputsNameTheOp) {
  using kiln_test::expect_error;
  expect_error([] { _standard_gamma(tensor({1.0, -0.5})); }, {"_standard_gamma", "-0.5"});
  expect_error([] { _standard_gamma(tensor({1, 2})); }, {"_standard_gamma", "floating"});
  expect_error([] { _sample_dirichlet(tensor({1.0, -2.0})); }, {"_standard_gamma"});
  expect_error([] { _sample_dirichlet(scalar_tensor(1.0)); }, {"_sample_dirichlet"});
  expect_error([] { poisson(tensor({-1.0})); }, {"poisson", "-1"});
  expect_error([] { binomial(tensor({-3.0}), tensor({0.5})); }, {"binomial", "count"});
  expect_error([] { binomial(tensor({3.0}), tensor({1.5})); }, {"binomial", "prob", "1.5"});
  expect_error([] { binomial(tensor({3.0, 4.0}), tensor({0.5, 0.5, 0.5})); }, {"binomial"});
  for (const Tensor& e : {_standard_gamma(empty({0})), poisson(empty({0, 2})), binomial(empty({0}), empty({0})),
                          _standard_gamma_grad(empty({0}), empty({0}))})
    EXPECT_EQ(e.numel(), 0);
}

}  // namespace
