// README's Gaussian-process example, as printed there, runs and learns.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <sstream>

namespace {

TEST(GpReadme, FitAndPredict) {
  std::ostringstream out;
  auto& cout = out;
  kiln::manual_seed(0);
  // ---- as in README.md
  namespace gp = kiln::gp;
  auto X = kiln::rand({50, 2}, kiln::kFloat64) * 4;
  auto y = kiln::sin(X.sum(1)) + 0.1 * kiln::randn({50}, kiln::kFloat64);
  gp::ExactGP model(X, y, gp::Scale(gp::Matern(2.5, kiln::ones({2}, kiln::kFloat64))), 0.1);  // ARD
  gp::FitReport fit = model.fit();  // L-BFGS on the log marginal likelihood (gradient: one fused node)
  auto post = model.posterior(kiln::rand({5, 2}, kiln::kFloat64) * 4);  // a MultivariateNormal
  cout << post.mean() << post.stddev() << fit.log_marginal_likelihood << "\n";
  cout << model.kernel().hyperparameter("base_kernel.lengthscale") << model.noise() << "\n";
  // ----
  EXPECT_TRUE(std::isfinite(fit.log_marginal_likelihood));
  EXPECT_EQ(post.mean().sizes(), (std::vector<int64_t>{5}));
  // The noise learned is near the 0.01 variance the data were made with.
  EXPECT_NEAR(model.noise().item<double>(), 0.01, 0.01);
  EXPECT_NE(out.str().find("tensor("), std::string::npos);
}

}  // namespace
