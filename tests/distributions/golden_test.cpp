// Every class's methods and every KL pair against torch.distributions, float64.
#include "common/expect_error.h"
#include <set>

#include "golden.h"

namespace {

using namespace dist_test;
namespace D = kiln::distributions;

Tensor call(const D::Distribution& d, const MethodCall& m) {
  const std::string& f = m.method;
  if (f == "log_prob") return d.log_prob(m.input);
  if (f == "cdf") return d.cdf(m.input);
  if (f == "icdf") return d.icdf(m.input);
  if (f == "entropy") return d.entropy();
  if (f == "mean") return d.mean();
  if (f == "mode") return d.mode();
  if (f == "variance") return d.variance();
  if (f == "stddev") return d.stddev();
  if (f == "enumerate_support") return d.enumerate_support();
  ADD_FAILURE() << "unknown method " << f;
  return {};
}

TEST(Golden, TheFileCoversEveryClass) {
  std::set<std::string> classes;
  for (const auto& [id, c] : goldens().cases) classes.insert(c.cls.substr(0, c.cls.find('.')));
  for (const char* cls : {"Normal", "LogNormal", "Uniform", "Exponential", "Laplace", "Cauchy", "HalfNormal",
                          "Gumbel", "StudentT", "Gamma", "Chi2", "Beta", "Dirichlet", "Bernoulli", "Binomial",
                          "Geometric", "Poisson", "Categorical", "OneHotCategorical", "Multinomial",
                          "MultivariateNormal", "LowRankMultivariateNormal", "Independent", "Mixture", "Transformed"})
    EXPECT_TRUE(classes.count(cls)) << cls;
  EXPECT_GT(goldens().methods.size(), 400u);
  EXPECT_GT(goldens().kls.size(), 1000u);
}

TEST(Golden, MethodsMatchTorch) {
  for (const MethodCall& m : goldens().methods) {
    const Case& c = goldens().cases.at(m.id);
    auto d = make(c);
    ASSERT_TRUE(d);
    std::string what = c.cls + "#" + std::to_string(c.id) + "." + m.method;
    if (!m.expected.defined()) {
      kiln_test::expect_error([&] { call(*d, m); }, {""});
      continue;
    }
    try {
      expect_matches(call(*d, m), m.expected, what);
    } catch (const kiln::Error& e) {
      ADD_FAILURE() << what << " raised: " << e.what();
    }
  }
}

TEST(Golden, KLDivergenceMatchesTorchForEveryPair) {
  std::map<int, std::shared_ptr<D::Distribution>> built;
  for (const KLCall& k : goldens().kls)
    for (int id : {k.p, k.q})
      if (!built.count(id)) built[id] = make(goldens().cases.at(id));
  int computed = 0;
  for (const KLCall& k : goldens().kls) {
    const D::Distribution &p = *built[k.p], &q = *built[k.q];
    std::string what = "KL(" + goldens().cases.at(k.p).cls + " #" + std::to_string(k.p) + " || " +
                       goldens().cases.at(k.q).cls + " #" + std::to_string(k.q) + ")";
    if (!k.expected.defined()) {
      kiln_test::expect_error([&] { D::kl_divergence(p, q); }, {"kl_divergence"});
      continue;
    }
    try {
      expect_matches(D::kl_divergence(p, q), k.expected, what, 1e-9);
      ++computed;
    } catch (const kiln::Error& e) {
      ADD_FAILURE() << what << " raised: " << e.what();
    }
  }
  EXPECT_GT(computed, 250);
}

}  // namespace
