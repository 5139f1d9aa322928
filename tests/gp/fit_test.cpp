// Learning hyperparameters: L-BFGS and Adam agree, restarts never do worse,
// priors move the optimum (MAP), the progress line, bad options.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <string>

#include "common/expect_error.h"

namespace {
using kiln::Tensor;
namespace gp = kiln::gp;

gp::ExactGP problem() {
  Tensor x = kiln::linspace(0, 6, 30, kiln::kFloat64);
  Tensor y = kiln::sin(x) + 0.1 * kiln::cos(7 * x);
  return gp::ExactGP(x, y, gp::Scale(gp::RBF(1.0), 1.0), 0.1);
}

TEST(GpFit, LbfgsAndAdamReachTheSameOptimum) {
  gp::ExactGP a = problem(), b = problem();
  double before = a.log_marginal_likelihood().item<double>();
  gp::FitReport ra = a.fit();
  gp::FitReport rb = b.fit(gp::FitOptions().optimizer("adam").lr(0.05).max_iter(1500).tolerance(1e-12));
  EXPECT_GT(ra.log_marginal_likelihood, before);
  EXPECT_NEAR(ra.log_marginal_likelihood, rb.log_marginal_likelihood, 1e-3 * std::abs(ra.log_marginal_likelihood));
  EXPECT_NEAR(ra.log_marginal_likelihood, a.log_marginal_likelihood().item<double>(), 1e-10);
  EXPECT_EQ(ra.objective, ra.log_marginal_likelihood);  // no priors
  EXPECT_GT(ra.iterations, 0);
  EXPECT_EQ(ra.best_start, 0);
}

TEST(GpFit, RestartsKeepTheBestAndLeaveTheRandomStream) {
  gp::ExactGP a = problem(), b = problem();
  double single = a.fit().log_marginal_likelihood;
  kiln::manual_seed(11);
  gp::FitReport r = b.fit(gp::FitOptions().restarts(3).seed(5));
  Tensor after_fit = kiln::randn({3});
  kiln::manual_seed(11);
  EXPECT_TRUE(kiln::equal(after_fit, kiln::randn({3})));
  EXPECT_GE(r.log_marginal_likelihood, single - 1e-9);
  EXPECT_GE(r.evaluations, 4);
}

TEST(GpFit, PriorsMoveTheOptimum) {
  gp::ExactGP a = problem();
  // A sharp prior at lengthscale 3 (log density of N(3, 0.01^2) up to a constant).
  auto log_prior = [](const Tensor& v) { return -(v - 3).square().sum() / (2 * 1e-4); };
  gp::FitReport r = a.fit(gp::FitOptions().prior("kernel.base_kernel.lengthscale", log_prior));
  double l = a.kernel().hyperparameter("base_kernel.lengthscale").item<double>();
  EXPECT_NEAR(l, 3.0, 0.05);
  double prior = log_prior(a.kernel().hyperparameter("base_kernel.lengthscale")).item<double>();
  EXPECT_NEAR(r.objective, r.log_marginal_likelihood + prior, 1e-8);
}

TEST(GpFit, ProgressLine) {
  gp::ExactGP a = problem();
  testing::internal::CaptureStderr();
  a.fit(gp::FitOptions().verbose(true).max_iter(5));
  std::string out = testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find("gp.fit: start 0/0, step"), std::string::npos) << out;
  EXPECT_NE(out.find("objective"), std::string::npos) << out;
}

TEST(GpFit, BadOptions) {
  using kiln_test::expect_error;
  gp::ExactGP a = problem();
  expect_error([&] { a.fit(gp::FitOptions().optimizer("sgd")); }, {"gp::ExactGP.fit", "\"sgd\""});
  expect_error([&] { a.fit(gp::FitOptions().prior("kernel.period", [](const Tensor& v) { return v.sum(); })); },
               {"gp::ExactGP.fit", "kernel.period", "kernel.base_kernel.lengthscale", "noise"});
  expect_error([&] { a.fit(gp::FitOptions().max_iter(0)); }, {"gp::ExactGP.fit", "max_iter"});
}

}  // namespace
