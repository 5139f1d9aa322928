// Goodness-of-fit checks for the sampling tests: Kolmogorov–Smirnov against
// a cdf and chi-square against a pmf, both at the 0.001 level.
#pragma once
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace dist_test {

// The KS statistic sup |F_n(x) - F(x)| of `samples` (1-D) given F at the sorted samples.
inline double ks_statistic(const kiln::Tensor& samples, const kiln::Callable<kiln::Tensor(const kiln::Tensor&)>& cdf) {
  kiln::Tensor x = samples.detach().to(kiln::kFloat64).contiguous();
  std::vector<double> v(x.data_ptr<double>(), x.data_ptr<double>() + x.numel());
  std::sort(v.begin(), v.end());
  kiln::Tensor F = cdf(kiln::tensor(v, kiln::dtype(kiln::kFloat64))).to(kiln::kFloat64).contiguous();
  const double* f = F.data_ptr<double>();
  double n = static_cast<double>(v.size()), d = 0;
  for (size_t i = 0; i < v.size(); ++i)
    d = std::max({d, std::abs(f[i] - static_cast<double>(i) / n), std::abs(f[i] - static_cast<double>(i + 1) / n)});
  return d;
}

// Passes the KS test at the 0.001 level (critical value 1.949 / sqrt(n)).
inline void expect_ks(const kiln::Tensor& samples, const kiln::Callable<kiln::Tensor(const kiln::Tensor&)>& cdf,
                      const std::string& what) {
  double d = ks_statistic(samples, cdf);
  double critical = 1.9495 / std::sqrt(static_cast<double>(samples.numel()));
  EXPECT_LT(d, critical) << what << ": KS statistic " << d << " over " << samples.numel() << " samples";
}

// The 0.999 quantile of chi-square with k degrees of freedom (Wilson–Hilferty).
inline double chi2_critical(double k) {
  double z = 3.0902, a = 2.0 / (9.0 * k);
  return k * std::pow(1 - a + z * std::sqrt(a), 3);
}

// Chi-square of integer `samples` (1-D) against pmf(k) for k = 0..max_k; the
// tail beyond max_k is one more cell; cells expecting fewer than 5 are pooled.
inline void expect_chi2(const kiln::Tensor& samples, const std::vector<double>& pmf, const std::string& what) {
  kiln::Tensor s = samples.detach().to(kiln::kFloat64).contiguous();
  const double* v = s.data_ptr<double>();
  double n = static_cast<double>(s.numel());
  std::vector<double> observed(pmf.size() + 1, 0.0), expected(pmf.size() + 1, 0.0);
  double tail = 1;
  for (size_t k = 0; k < pmf.size(); ++k) expected[k] = pmf[k] * n, tail -= pmf[k];
  expected.back() = std::max(tail, 0.0) * n;
  for (int64_t i = 0; i < s.numel(); ++i) {
    auto k = static_cast<size_t>(v[i]);
    ASSERT_GE(v[i], 0) << what;
    observed[std::min(k, pmf.size())] += 1;
  }
  double stat = 0, cells = 0, eo = 0, ee = 0;
  for (size_t k = 0; k < expected.size(); ++k) {
    eo += observed[k];
    ee += expected[k];
    if (ee >= 5 || k + 1 == expected.size()) {
      if (ee > 0) stat += (eo - ee) * (eo - ee) / ee, cells += 1;
      else EXPECT_EQ(eo, 0) << what << ": draws where the pmf has no mass";
      eo = ee = 0;
    }
  }
  ASSERT_GT(cells, 1) << what;
  EXPECT_LT(stat, chi2_critical(cells - 1)) << what << ": chi-square " << stat << " over " << cells << " cells";
}

}  // namespace dist_test
