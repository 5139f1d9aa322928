// The exact GP: the likelihood against the textbook formula, the fused
// node's gradient against the generic graph (to 1e-10), gradcheck in every
// hyperparameter, Hessians through create_graph, the posterior, jitter
// escalation and bad input.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>
#include <string>

#include "common/expect_error.h"

namespace {
using kiln::Tensor;
using kiln::autograd::variable_list;
namespace gp = kiln::gp;

struct Data {
  Tensor X, y;
};
Data data(int64_t n, int64_t d, uint64_t seed) {
  kiln::manual_seed(seed);
  Tensor X = kiln::rand({n, d}, kiln::kFloat64) * 4;
  Tensor y = kiln::sin(X.sum({1})) + 0.1 * kiln::randn({n}, kiln::kFloat64);
  return {X, y};
}

// log N(y | m, K + noise I) through the generic ops (cholesky, cholesky_solve, log of the diagonal).
Tensor generic_lml(const gp::ExactGP& model, const Tensor& X, const Tensor& y) {
  int64_t n = y.size(0);
  Tensor K = model.kernel()(X) + model.noise() * kiln::eye(n, kiln::kFloat64);
  Tensor L = kiln::linalg::cholesky(K);
  Tensor r = y - model.mean()(X);
  Tensor alpha = kiln::cholesky_solve(r.unsqueeze(1), L).squeeze(1);
  return -0.5 * kiln::dot(r, alpha) - L.diagonal().log().sum() - 0.5 * n * std::log(2 * std::numbers::pi);
}

// The likelihood as a function of the raw parameters (a functional call, for gradcheck).
std::function<Tensor(const variable_list&)> lml_of(const gp::ExactGP& model) {
  return [&model](const variable_list& raws) {
    gp::ParameterOverride use(model.parameters(), raws);
    return model.log_marginal_likelihood();
  };
}

gp::Kernel test_kernel() {
  return gp::Scale(gp::RBF(kiln::tensor({0.9, 1.4}, kiln::kFloat64)) + gp::Periodic(1.1, 2.0), 1.3) + gp::Linear(0.2);
}

TEST(GpExact, LikelihoodMatchesTheTextbookFormula) {
  auto [X, y] = data(30, 2, 1);
  gp::ExactGP model(X, y, test_kernel(), 0.05, gp::ConstantMean(0.3));
  EXPECT_NEAR(model.log_marginal_likelihood().item<double>(), generic_lml(model, X, y).item<double>(), 1e-10);
  EXPECT_EQ(model.jitter(), 0.0);
}

TEST(GpExact, FusedGradientEqualsGenericGraph) {
  auto [X, y] = data(40, 2, 2);
  gp::ExactGP model(X, y, test_kernel(), 0.05, gp::LinearMean(2));
  variable_list params = model.parameters();
  variable_list fused = kiln::autograd::grad({model.log_marginal_likelihood()}, params);
  variable_list generic = kiln::autograd::grad({generic_lml(model, X, y)}, params);
  ASSERT_EQ(fused.size(), generic.size());
  for (size_t i = 0; i < fused.size(); ++i)
    EXPECT_TRUE(kiln::allclose(fused[i], generic[i], 1e-10, 1e-10))
        << model.named_parameters()[i].first << ": " << fused[i] << " vs " << generic[i];
}

TEST(GpExact, GradcheckInEveryHyperparameter) {
  auto [X, y] = data(15, 2, 3);
  gp::ExactGP model(X, y, test_kernel(), 0.1, gp::ConstantMean(0.1));
  EXPECT_EQ(model.parameters().size(), 7u);  // outputscale, lengthscales, periodic pair, variance, mean, noise
  EXPECT_TRUE(kiln::autograd::gradcheck(lml_of(model), model.parameters()));
}

TEST(GpExact, HessianThroughCreateGraph) {
  auto [X, y] = data(12, 1, 4);
  gp::ExactGP model(X, y, gp::Scale(gp::Matern(2.5, 0.8), 1.2), 0.1);
  variable_list params = model.parameters();
  // Second derivatives of the fused node (which falls back to recorded ops) and of the generic graph.
  auto hessian = [&](const std::function<Tensor()>& f) {
    variable_list g = kiln::autograd::grad({f()}, params, {}, true, true);
    std::vector<Tensor> rows;
    for (const Tensor& gi : g)
      for (int64_t k = 0; k < gi.numel(); ++k) {
        variable_list h = kiln::autograd::grad({gi.reshape({-1})[k]}, params, {}, true, false, true);
        std::vector<Tensor> parts;
        for (size_t j = 0; j < h.size(); ++j) parts.push_back(h[j].defined() ? h[j].reshape({-1}) : kiln::zeros({params[j].numel()}, kiln::kFloat64));
        rows.push_back(kiln::cat(parts));
      }
    return kiln::stack(rows);
  };
  Tensor H = hessian([&] { return model.log_marginal_likelihood(); });
  Tensor Hg = hessian([&] { return generic_lml(model, X, y); });
  EXPECT_TRUE(kiln::allclose(H, Hg, 1e-9, 1e-9)) << H << Hg;
  EXPECT_TRUE(kiln::autograd::gradgradcheck(lml_of(model), params));
}

TEST(GpExact, PosteriorIsTheConditionalGaussian) {
  auto [X, y] = data(20, 1, 5);
  gp::Kernel k = gp::Scale(gp::RBF(0.7), 1.5);
  gp::ExactGP model(X, y, k, 0.02);
  Tensor Xs = kiln::linspace(-0.5, 4.5, 9, kiln::kFloat64).unsqueeze(1);
  kiln::NoGradGuard no_grad;
  Tensor K = k(X) + 0.02 * kiln::eye(20, kiln::kFloat64), Ks = k(Xs, X);
  Tensor mean = Ks.matmul(kiln::linalg::solve(K, y));
  Tensor cov = k(Xs) - Ks.matmul(kiln::linalg::solve(K, Ks.t()));
  gp::Gaussian post = model.posterior(Xs);
  EXPECT_TRUE(kiln::allclose(post.mean, mean, 1e-9, 1e-9));
  EXPECT_TRUE(kiln::allclose(post.covariance, cov, 1e-9, 1e-9));
  gp::Gaussian noisy = model.posterior(Xs, true);
  EXPECT_TRUE(kiln::allclose(noisy.covariance, cov + 0.02 * kiln::eye(9, kiln::kFloat64), 1e-9, 1e-9));
  // A changed hyperparameter is seen (the cached factor is refreshed).
  model.kernel().parameters()[0].add_(0.5);
  Tensor K2 = k(X) + 0.02 * kiln::eye(20, kiln::kFloat64);
  EXPECT_TRUE(kiln::allclose(model.posterior(Xs).mean, k(Xs, X).matmul(kiln::linalg::solve(K2, y)), 1e-9, 1e-9));
}

TEST(GpExact, NormalizeY) {
  auto [X, y] = data(25, 1, 6);
  Tensor Y = 100 + 20 * y;
  gp::ExactGP a(X, y, gp::RBF(0.8), 0.01), b(X, Y, gp::RBF(0.8), 0.01, gp::ZeroMean(), true);
  Tensor Xs = kiln::linspace(0, 4, 5, kiln::kFloat64);
  double m = Y.mean().item<double>(), s = Y.std().item<double>();
  gp::ExactGP c(X, (Y - m) / s, gp::RBF(0.8), 0.01);
  EXPECT_NEAR(b.log_marginal_likelihood().item<double>(), c.log_marginal_likelihood().item<double>(), 1e-10);
  EXPECT_TRUE(kiln::allclose(b.posterior(Xs).mean, c.posterior(Xs).mean * s + m, 1e-9, 1e-9));
  EXPECT_TRUE(kiln::allclose(b.posterior(Xs).stddev(), c.posterior(Xs).stddev() * s, 1e-9, 1e-9));
}

TEST(GpExact, JitterEscalation) {
  // Duplicated inputs and no noise: K is singular, jitter is added and reported.
  Tensor X = kiln::tensor({0.0, 1.0, 1.0, 2.0, 2.0}, kiln::kFloat64);
  Tensor y = kiln::tensor({0.0, 1.0, 1.0, 0.5, 0.5}, kiln::kFloat64);
  gp::ExactGP model(X, y, gp::RBF(1.0), 0.0);
  EXPECT_TRUE(std::isfinite(model.log_marginal_likelihood().item<double>()));
  EXPECT_GE(model.jitter(), 1e-8);
  EXPECT_LE(model.jitter(), 1e-2);
  double jitter = -1;
  kiln::gp::safe_cholesky(kiln::eye(3, kiln::kFloat64), &jitter);
  EXPECT_EQ(jitter, 0.0);
}

TEST(GpExact, JitterGivesUpWithAClearError) {
  Tensor K = -kiln::eye(3, kiln::kFloat64);
  kiln_test::expect_error([&] { gp::safe_cholesky(K, nullptr, 3); },
                          {"gp::safe_cholesky", "not positive-definite", "1e-08", "1e-07", "1e-06"});
}

TEST(GpExact, BadInput) {
  using kiln_test::expect_error;
  auto [X, y] = data(10, 2, 7);
  expect_error([&] { gp::ExactGP(X, y.narrow(0, 0, 9), gp::RBF(1.0)); }, {"gp::ExactGP", "10 rows", "9 values"});
  expect_error([&] { gp::ExactGP(X, y, gp::RBF(1.0), -0.1); }, {"gp::ExactGP", "noise", "-0.1"});
  expect_error([&] { gp::ExactGP(X, y.unsqueeze(1), gp::RBF(1.0)); }, {"gp::ExactGP", "y must be [n]"});
  expect_error([&] { gp::ExactGP(X, y, gp::RBF(kiln::ones({3}, kiln::kFloat64))); }, {"gp::RBF", "3 lengthscale", "2 features"});
  gp::ExactGP model(X, y, gp::RBF(1.0));
  expect_error([&] { model.posterior(kiln::zeros({4, 3}, kiln::kFloat64)); },
               {"gp::ExactGP.posterior", "3 features", "trained on 2"});
}

TEST(GpExact, SaveAndLoad) {
  auto [X, y] = data(12, 2, 8);
  gp::ExactGP model(X, y, gp::Scale(gp::RBF(0.7), 1.3), 0.05, gp::ConstantMean(0.2), true);
  std::string path = std::string(KILN_BINARY_DIR) + "/gp_model.safetensors";
  model.save(path);
  gp::ExactGP other(X.narrow(0, 0, 3), y.narrow(0, 0, 3), gp::Scale(gp::RBF(1.0), 1.0), 0.3, gp::ConstantMean(0.0));
  other.load(path);
  Tensor Xs = kiln::linspace(0, 4, 6, kiln::kFloat64).unsqueeze(1).expand({6, 2});
  EXPECT_TRUE(kiln::allclose(other.posterior(Xs).mean, model.posterior(Xs).mean, 1e-12, 1e-12));
  EXPECT_NEAR(other.log_marginal_likelihood().item<double>(), model.log_marginal_likelihood().item<double>(), 1e-12);
  gp::ExactGP wrong(X, y, gp::Matern(2.5, 1.0));
  kiln_test::expect_error([&] { wrong.load(path); }, {"gp::ExactGP.load", "raw_lengthscale"});
  std::remove(path.c_str());
}

}  // namespace
