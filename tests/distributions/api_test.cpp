// The surface every class shares: shapes, expand, numbers as parameters,
// composites holding copies, float32, the KL registry.
#include <algorithm>
#include <cmath>

#include "common/expect_error.h"
#include "golden.h"

namespace {

using kiln::Tensor;
namespace D = kiln::distributions;
using Shape = std::vector<int64_t>;

// A user's own family: the base class and Family are all it needs.
class Point : public D::Family<Point> {
 public:
  Point() : Family({}, {}) {}
  std::string name() const override { return "Point"; }
  D::Constraint support() const override { return {"Real()", [](const Tensor& x) { return x.eq(x); }}; }
  Tensor log_prob(const Tensor& v) const override { return kiln::zeros_like(v); }
};

Tensor t64(std::vector<double> v) { return kiln::tensor(v, kiln::dtype(kiln::kFloat64)); }

TEST(Api, NumbersAndTensorsAsParametersBroadcast) {
  D::Normal a(0.0, 1.0);
  EXPECT_EQ(a.batch_shape(), Shape{});
  EXPECT_EQ(a.loc().dtype(), kiln::kFloat32);  // numbers alone: the default dtype
  D::Normal b(t64({0, 1, 2}), 2);
  EXPECT_EQ(b.batch_shape(), Shape{3});
  EXPECT_EQ(b.scale().dtype(), kiln::kFloat64);  // a number takes the tensor's dtype
  D::Gamma g(t64({1, 2}).reshape({2, 1}), t64({1, 2, 3}));
  EXPECT_EQ(g.batch_shape(), (Shape{2, 3}));
  EXPECT_EQ(D::Laplace(t64({1, 2}).reshape({2, 1}), t64({1, 2, 3})).sample({4}).sizes().vec(), (Shape{4, 2, 3}));
  D::StudentT t(3.0);
  EXPECT_EQ(t.loc().item<double>(), 0.0);
  EXPECT_EQ(t.scale().item<double>(), 1.0);
  kiln_test::expect_error([] { D::Normal(t64({0, 1}), t64({1, 1, 1})); }, {"Normal", "[2]", "[3]", "broadcast"});
}

TEST(Api, ExpandMatchesBroadcastParameters) {
  D::Normal n(t64({0.5}), t64({2.0}));
  D::Normal e = n.expand({3, 1});
  EXPECT_EQ(e.batch_shape(), (Shape{3, 1}));
  Tensor x = t64({0.1, 0.2, 0.3}).reshape({3, 1});
  EXPECT_TRUE(kiln::allclose(e.log_prob(x), D::Normal(0.5, 2.0).log_prob(x).to(kiln::kFloat64)));
  D::MultivariateNormal m(kiln::zeros({2}, kiln::kFloat64), kiln::eye(2, kiln::kFloat64));
  D::MultivariateNormal me = m.expand({4});
  EXPECT_EQ(me.batch_shape(), Shape{4});
  EXPECT_EQ(me.event_shape(), Shape{2});
  EXPECT_EQ(me.covariance_matrix().sizes().vec(), (Shape{4, 2, 2}));
  EXPECT_EQ(me.entropy().sizes().vec(), Shape{4});
  D::Categorical c(t64({1, 2, 3}));
  EXPECT_EQ(c.expand({5}).sample({2}).sizes().vec(), (Shape{2, 5}));
  D::Independent ind(D::Normal(kiln::zeros({2, 3}, kiln::kFloat64), 1.0), 1);
  EXPECT_EQ(ind.expand({4, 2}).batch_shape(), (Shape{4, 2}));
  EXPECT_EQ(ind.expand({4, 2}).log_prob(kiln::zeros({3}, kiln::kFloat64)).sizes().vec(), (Shape{4, 2}));
  std::shared_ptr<D::Distribution> any = D::Beta(2.0, 3.0).expand_shared({2, 2});
  EXPECT_EQ(any->batch_shape(), (Shape{2, 2}));
  EXPECT_EQ(any->name(), "Beta");
  kiln_test::expect_error([&] { n.expand({3, 2}).expand({4}); }, {"Normal", "expand"});
}

TEST(Api, EventShapesAndSupportEnumeration) {
  D::Bernoulli b(t64({0.2, 0.7}));
  EXPECT_EQ(b.enumerate_support().sizes().vec(), (Shape{2, 2}));
  EXPECT_EQ(b.enumerate_support(false).sizes().vec(), (Shape{2, 1}));
  D::OneHotCategorical oh(kiln::ones({3, 4}));
  EXPECT_EQ(oh.event_shape(), Shape{4});
  EXPECT_EQ(oh.enumerate_support().sizes().vec(), (Shape{4, 3, 4}));
  D::Binomial bin(4.0, t64({0.2, 0.7}));
  Tensor support = bin.enumerate_support();
  EXPECT_NEAR(bin.log_prob(support).exp().sum({0}).sum().item<double>(), 2.0, 1e-12);  // each column sums to 1
  D::Dirichlet dir(kiln::ones({2, 3}, kiln::kFloat64));
  EXPECT_EQ(dir.batch_shape(), Shape{2});
  EXPECT_EQ(dir.event_shape(), Shape{3});
  EXPECT_FALSE(D::Normal(0.0, 1.0).has_enumerate_support());
  EXPECT_TRUE(D::Normal(0.0, 1.0).has_rsample());
  EXPECT_FALSE(D::Poisson(1.0).has_rsample());
  EXPECT_NEAR(D::Normal(0.0, 1.0).perplexity().item<double>(), std::exp(0.5 + 0.5 * std::log(2 * M_PI)), 1e-5);
}

TEST(Api, CompositesKeepTheirOwnCopies) {
  D::Normal base(t64({0, 1}), t64({1, 2}));
  D::Independent ind(base, 1);
  D::TransformedDistribution td(base, {D::ExpTransform()});
  base = D::Normal(t64({5, 5}), t64({1, 1}));  // the composites are unaffected
  EXPECT_NEAR(ind.log_prob(t64({0, 1})).item<double>(),
              D::Normal(t64({0, 1}), t64({1, 2})).log_prob(t64({0, 1})).sum().item<double>(), 1e-12);
  EXPECT_EQ(td.base_dist().mean().sum().item<double>(), 1.0);
  std::shared_ptr<D::Distribution> copy = ind.clone();
  EXPECT_EQ(copy->event_shape(), Shape{2});
  EXPECT_EQ(copy->repr(), ind.repr());
  D::LogNormal ln(0.0, 1.0);
  EXPECT_EQ(ln.lineage(), (std::vector<std::string>{"LogNormal", "TransformedDistribution"}));
  EXPECT_EQ(D::Chi2(3.0).lineage(), (std::vector<std::string>{"Chi2", "Gamma"}));
}

TEST(Api, Float32MatchesFloat64) {
  auto near = [](const Tensor& a, const Tensor& b) {
    return kiln::allclose(a.to(kiln::kFloat64), b.to(kiln::kFloat64), 1e-5, 1e-5);
  };
  Tensor x32 = kiln::tensor({0.2, 0.5, 0.9}), x64 = x32.to(kiln::kFloat64);
  EXPECT_EQ(D::Normal(x32, 1.0).log_prob(x32).dtype(), kiln::kFloat32);
  EXPECT_TRUE(near(D::Normal(x32, 1.0).log_prob(x32 * 2), D::Normal(x64, 1.0).log_prob(x64 * 2)));
  EXPECT_TRUE(near(D::Gamma(x32 + 1, 2.0).log_prob(x32), D::Gamma(x64 + 1, 2.0).log_prob(x64)));
  EXPECT_TRUE(near(D::Beta(x32 + 1, 2.0).entropy(), D::Beta(x64 + 1, 2.0).entropy()));
  EXPECT_TRUE(near(D::Bernoulli(x32).entropy(), D::Bernoulli(x64).entropy()));
  EXPECT_TRUE(near(D::kl_divergence(D::Gamma(x32 + 1, 1.0), D::Exponential(x32)),
                   D::kl_divergence(D::Gamma(x64 + 1, 1.0), D::Exponential(x64))));
  Tensor cov32 = kiln::tensor({{2.0, 0.3}, {0.3, 1.0}});
  D::MultivariateNormal m32(kiln::zeros({2}), cov32), m64(kiln::zeros({2}, kiln::kFloat64), cov32.to(kiln::kFloat64));
  EXPECT_EQ(m32.rsample({3}).dtype(), kiln::kFloat32);
  EXPECT_TRUE(near(m32.log_prob(kiln::ones({2})), m64.log_prob(kiln::ones({2}, kiln::kFloat64))));
}

TEST(Api, TheKLRegistryHoldsTorchsPairs) {
  auto pairs = D::registered_kl_pairs();
  EXPECT_EQ(pairs.size(), 60u);
  auto has = [&](const char* p, const char* q) {
    return std::find(pairs.begin(), pairs.end(), std::make_pair(std::string(p), std::string(q))) != pairs.end();
  };
  EXPECT_TRUE(has("Normal", "Normal"));
  EXPECT_TRUE(has("MultivariateNormal", "LowRankMultivariateNormal"));
  EXPECT_TRUE(has("Poisson", "Binomial"));
  EXPECT_FALSE(has("StudentT", "StudentT"));
  // Chi2 finds Gamma's rule; a user rule can be added.
  EXPECT_NEAR(D::kl_divergence(D::Chi2(2.0), D::Gamma(1.0, 0.5)).item<double>(), 0.0, 1e-6);
  kiln_test::expect_error([] { D::kl_divergence(Point(), Point()); }, {"Point"});
  D::register_kl("Point", "Point", [](const D::Distribution&, const D::Distribution&) { return kiln::zeros({}); });
  EXPECT_EQ(D::kl_divergence(Point(), Point()).item<double>(), 0.0);
}

}  // namespace
