// The samples have the right distribution: moments within a few standard
// errors, and chi-square goodness of fit for the discrete samplers. Seeds
// are fixed, so each check is deterministic; bounds are ~5 standard errors
// (or the 1e-4 chi-square quantile), so a correct sampler passes for any seed.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace {

using namespace kiln;

std::vector<double> values(const Tensor& t) {
  Tensor c = t.to(kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

struct Moments {
  double mean = 0, var = 0, skew = 0, kurt = 0;
};

Moments moments(const std::vector<double>& x) {
  Moments m;
  double n = static_cast<double>(x.size());
  for (double v : x) m.mean += v / n;
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : x) {
    double d = v - m.mean;
    m2 += d * d / n;
    m3 += d * d * d / n;
    m4 += d * d * d * d / n;
  }
  m.var = m2;
  m.skew = m3 / std::pow(m2, 1.5);
  m.kurt = m4 / (m2 * m2);
  return m;
}

// Pearson's statistic of integer-valued samples in [0, k) against `p`.
double chi_square(const std::vector<double>& samples, const std::vector<double>& p) {
  std::vector<double> count(p.size(), 0.0);
  for (double s : samples) count.at(static_cast<size_t>(s)) += 1;
  double n = static_cast<double>(samples.size()), stat = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == 0) {
      EXPECT_EQ(count[i], 0) << "category " << i << " has probability 0";
      continue;
    }
    double e = n * p[i];
    stat += (count[i] - e) * (count[i] - e) / e;
  }
  return stat;
}

// Upper 1e-4 quantile of chi-square with `df` degrees of freedom
// (Wilson-Hilferty, z = 3.719).
double chi_square_bound(int df) {
  double k = df, z = 3.719;
  return k * std::pow(1 - 2 / (9 * k) + z * std::sqrt(2 / (9 * k)), 3);
}

constexpr int64_t kN = 1000000;

TEST(RandomStatistics, RandIsUniformOnUnitInterval) {
  for (ScalarType t : {kFloat32, kFloat64}) {
    manual_seed(1);
    Tensor r = rand({kN}, t);
    EXPECT_EQ(r.dtype(), t);
    std::vector<double> x = values(r);
    Moments m = moments(x);
    EXPECT_NEAR(m.mean, 0.5, 5 * std::sqrt(1.0 / 12 / kN));
    EXPECT_NEAR(m.var, 1.0 / 12, 5 * std::sqrt(1.0 / 180 / kN));
    EXPECT_GE(*std::min_element(x.begin(), x.end()), 0.0);
    EXPECT_LT(*std::max_element(x.begin(), x.end()), 1.0);
    std::vector<double> bins;  // 20 equal bins
    for (double v : x) bins.push_back(std::floor(v * 20));
    EXPECT_LT(chi_square(bins, std::vector<double>(20, 0.05)), chi_square_bound(19));
  }
}

TEST(RandomStatistics, RandnIsStandardNormal) {
  for (ScalarType t : {kFloat32, kFloat64}) {
    manual_seed(2);
    Tensor r = randn({kN}, t);
    EXPECT_EQ(r.dtype(), t);
    std::vector<double> x = values(r);
    Moments m = moments(x);
    EXPECT_NEAR(m.mean, 0.0, 5 / std::sqrt(double(kN)));
    EXPECT_NEAR(m.var, 1.0, 5 * std::sqrt(2.0 / kN));
    EXPECT_NEAR(m.skew, 0.0, 5 * std::sqrt(6.0 / kN));
    EXPECT_NEAR(m.kurt, 3.0, 5 * std::sqrt(24.0 / kN));
    double within_one = 0;
    for (double v : x) within_one += std::abs(v) < 1;
    EXPECT_NEAR(within_one / kN, 0.682689, 5 * std::sqrt(0.6827 * 0.3173 / kN));
  }
}

// Neighbouring values (a Box-Muller pair, or consecutive uniforms) are
// uncorrelated, and so are their squares.
TEST(RandomStatistics, NeighboursAreUncorrelated) {
  manual_seed(12);
  for (const Tensor& t : {randn({kN}, kFloat64), rand({kN}, kFloat64) - 0.5}) {
    std::vector<double> x = values(t);
    double xy = 0, sq = 0, x2 = 0, x4 = 0;
    for (int64_t i = 0; i + 1 < kN; i += 2) {
      xy += x[i] * x[i + 1];
      sq += x[i] * x[i] * x[i + 1] * x[i + 1];
      x2 += x[i] * x[i];
      x4 += x[i] * x[i] * x[i] * x[i];
    }
    double pairs = kN / 2.0, var = x2 / pairs, var_sq = x4 / pairs - var * var;
    EXPECT_NEAR(xy / pairs / var, 0.0, 5 / std::sqrt(pairs));
    EXPECT_NEAR((sq / pairs - var * var) / var_sq, 0.0, 5 / std::sqrt(pairs));
  }
}

TEST(RandomStatistics, NormalBroadcastsMeanAndStd) {
  manual_seed(3);
  Tensor mean = tensor({-2.0, 0.0, 10.0}, kFloat64);
  Tensor std = full({200000, 1}, 3.0, kFloat64);
  Tensor r = normal(mean, std);
  EXPECT_EQ(r.sizes(), std::vector<int64_t>({200000, 3}));
  EXPECT_EQ(r.dtype(), kFloat64);
  for (int64_t col = 0; col < 3; ++col) {
    Moments m = moments(values(r.select(1, col)));
    EXPECT_NEAR(m.mean, mean[col].item<double>(), 5 * 3 / std::sqrt(200000.0));
    EXPECT_NEAR(m.var, 9.0, 5 * 9 * std::sqrt(2.0 / 200000));
  }
  // float32 with float64 promotes; std 0 gives the mean exactly.
  Tensor exact = normal(full({4}, 1.5), zeros({4}, kFloat64));
  EXPECT_EQ(exact.dtype(), kFloat64);
  for (double v : values(exact)) EXPECT_EQ(v, 1.5);
}

TEST(RandomStatistics, NormalIsNotReparameterised) {
  Tensor mean = zeros({3}, dtype(kFloat64).requires_grad(true));
  Tensor std = ones({3}, dtype(kFloat64).requires_grad(true));
  Tensor r = normal(mean, std);
  ASSERT_TRUE(r.grad_fn());
  EXPECT_EQ(r.grad_fn()->name(), "NormalBackward3");
  r.sum().backward();
  for (double g : values(mean.grad())) EXPECT_EQ(g, 0.0);
  for (double g : values(std.grad())) EXPECT_EQ(g, 0.0);
}

TEST(RandomStatistics, RandintIsUniformOverItsRange) {
  manual_seed(4);
  Tensor r = randint(-3, 7, {kN});
  EXPECT_EQ(r.dtype(), kInt64);
  std::vector<double> x = values(r);
  for (double& v : x) {
    ASSERT_GE(v, -3);
    ASSERT_LT(v, 7);
    v += 3;
  }
  EXPECT_LT(chi_square(x, std::vector<double>(10, 0.1)), chi_square_bound(9));
  // randint(high, size) starts at 0; options choose the dtype.
  Tensor h = randint(5, {1000}, kInt32);
  EXPECT_EQ(h.dtype(), kInt32);
  std::vector<double> hv = values(h);
  EXPECT_EQ(*std::min_element(hv.begin(), hv.end()), 0);
  EXPECT_EQ(*std::max_element(hv.begin(), hv.end()), 4);
  EXPECT_EQ(randint(0, 3, {5}, kFloat32).dtype(), kFloat32);
}

TEST(RandomStatistics, RandintCoversHugeRanges) {
  manual_seed(5);
  int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  Tensor r = randint(lo, hi, {10000});
  const int64_t* p = r.data_ptr<int64_t>();
  int64_t negatives = 0;
  for (int64_t i = 0; i < r.numel(); ++i) negatives += p[i] < 0;
  EXPECT_NEAR(negatives / 10000.0, 0.5, 0.025);
}

TEST(RandomStatistics, RandpermIsAUniformPermutation) {
  manual_seed(6);
  std::vector<double> first_of;  // where element 0 lands, over many permutations
  for (int rep = 0; rep < 20000; ++rep) {
    std::vector<double> p = values(randperm(8));
    std::vector<double> sorted = p;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 8; ++i) ASSERT_EQ(sorted[i], i);
    first_of.push_back(static_cast<double>(std::find(p.begin(), p.end(), 0.0) - p.begin()));
  }
  EXPECT_LT(chi_square(first_of, std::vector<double>(8, 1.0 / 8)), chi_square_bound(7));
  Tensor big = randperm(100000);
  EXPECT_EQ(big.dtype(), kInt64);
  std::vector<double> b = values(big);
  std::sort(b.begin(), b.end());
  for (int64_t i = 0; i < 100000; ++i) ASSERT_EQ(b[i], double(i));
  EXPECT_EQ(randperm(0).numel(), 0);
  EXPECT_EQ(randperm(6, kFloat32).dtype(), kFloat32);
}

TEST(RandomStatistics, BernoulliMatchesProbabilities) {
  manual_seed(7);
  Tensor p = tensor({0.0, 0.1, 0.5, 0.9, 1.0}, kFloat64).expand({200000, 5});
  Tensor r = bernoulli(p);
  EXPECT_EQ(r.dtype(), kFloat64);
  EXPECT_EQ(r.sizes(), p.sizes());
  for (int64_t col = 0; col < 5; ++col) {
    std::vector<double> x = values(r.select(1, col));
    double pc = p[0][col].item<double>();
    double mean = moments(x).mean;
    EXPECT_NEAR(mean, pc, 5 * std::sqrt(pc * (1 - pc) / 200000) + 1e-9);
    for (double v : x) ASSERT_TRUE(v == 0 || v == 1);
  }
  EXPECT_EQ(bernoulli(full({3}, 0.5)).dtype(), kFloat32);
}

TEST(RandomStatistics, MultinomialWithReplacementMatchesProbabilities) {
  manual_seed(8);
  std::vector<double> w = {1, 0, 3, 2, 4};  // unnormalised, with a zero
  Tensor probs = tensor(w, kFloat64);
  Tensor r = multinomial(probs, 200000, true);
  EXPECT_EQ(r.dtype(), kInt64);
  EXPECT_EQ(r.sizes(), std::vector<int64_t>({200000}));
  std::vector<double> p;
  for (double v : w) p.push_back(v / 10);
  EXPECT_LT(chi_square(values(r), p), chi_square_bound(3));
}

TEST(RandomStatistics, MultinomialRowsAreIndependentDistributions) {
  manual_seed(9);
  Tensor probs = tensor({{0.7f, 0.2f, 0.1f}, {0.0f, 0.0f, 1.0f}});
  Tensor r = multinomial(probs, 30000, true);
  EXPECT_EQ(r.sizes(), std::vector<int64_t>({2, 30000}));
  EXPECT_LT(chi_square(values(r[0]), {0.7, 0.2, 0.1}), chi_square_bound(2));
  for (double v : values(r[1])) ASSERT_EQ(v, 2);
}

TEST(RandomStatistics, MultinomialWithoutReplacement) {
  manual_seed(10);
  // The first draw follows the probabilities; later draws never repeat.
  std::vector<double> w = {5, 1, 2, 2};
  Tensor probs = tensor(w, kFloat64).expand({50000, 4});
  Tensor r = multinomial(probs, 3, false);
  EXPECT_EQ(r.sizes(), std::vector<int64_t>({50000, 3}));
  EXPECT_LT(chi_square(values(r.select(1, 0)), {0.5, 0.1, 0.2, 0.2}), chi_square_bound(3));
  // Second draw given the first was category 0: proportional to {1, 2, 2}.
  std::vector<double> second;
  std::vector<double> all = values(r);
  for (size_t row = 0; row < 50000; ++row) {
    double a = all[3 * row], b = all[3 * row + 1], c = all[3 * row + 2];
    ASSERT_TRUE(a != b && b != c && a != c);
    if (a == 0) second.push_back(b - 1);
  }
  EXPECT_LT(chi_square(second, {0.2, 0.4, 0.4}), chi_square_bound(2));
  // Zero-probability categories come only after all positive ones.
  std::vector<double> z = values(multinomial(tensor({0.0, 1.0, 0.0, 1.0}), 4, false));
  std::sort(z.begin(), z.begin() + 2);
  EXPECT_EQ(z[0], 1);
  EXPECT_EQ(z[1], 3);
  EXPECT_EQ(z[2], 0);  // then the zero ones, in index order
  EXPECT_EQ(z[3], 2);
}

}  // namespace

namespace {

TEST(RandomOptions, FactoriesHonourDtypeAndRequiresGrad) {
  using namespace kiln;
  Tensor r = rand({2, 3}, dtype(kFloat64).requires_grad(true));
  EXPECT_EQ(r.dtype(), kFloat64);
  EXPECT_TRUE(r.requires_grad());
  EXPECT_TRUE(r.is_leaf());
  EXPECT_TRUE(randn({2}, requires_grad()).requires_grad());
  EXPECT_EQ(randn({2}).dtype(), kFloat32);
  EXPECT_EQ(rand({}).dim(), 0);
  EXPECT_EQ(randn({0, 4}).numel(), 0);
  EXPECT_EQ(randint(0, 4, {2}).dtype(), kInt64);
  EXPECT_EQ(randperm(4).dtype(), kInt64);
  Tensor p = full({3}, 0.5, dtype(kFloat64).requires_grad(true));
  Tensor b = bernoulli(p);
  ASSERT_TRUE(b.grad_fn());
  EXPECT_EQ(b.grad_fn()->name(), "BernoulliBackward0");
}

}  // namespace
