// Agreement with scikit-learn's GaussianProcessRegressor (the oracle, run
// here through tools/golden/gen_gp.py: the test fails when it or scikit-learn
// is missing). Datasets are made in code on both sides; kernels are
// Constant * RBF + White (1-D) and Constant * Matern 2.5 with ARD + White
// (3-D), n = 50 and 200; in kiln the constant is Scale's outputscale and the
// white noise is the GP's noise.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {
using kiln::Tensor;
namespace gp = kiln::gp;
using Golden = std::map<std::string, std::vector<double>>;

const Golden& golden() {
  static Golden table = [] {
    // One file per process: ctest runs each case as its own process, in parallel.
    std::string out = std::string(KILN_BINARY_DIR) + "/gp_sklearn_golden." + std::to_string(::getpid()) + ".txt";
    std::string cmd = "/usr/bin/python3 " + std::string(KILN_SOURCE_DIR) + "/tools/golden/gen_gp.py " + out + " 2>/dev/null";
    Golden t;
    if (std::system(cmd.c_str()) != 0) return t;
    {
      std::ifstream in(out);
      std::string line;
      while (std::getline(in, line)) {
        std::istringstream s(line);
        std::string key;
        s >> key;
        double v;
        while (s >> v) t[key].push_back(v);
      }
    }
    std::remove(out.c_str());
    return t;
  }();
  return table;
}

const std::vector<double>& golden_of(const std::string& key) {
  static const std::vector<double> none;
  auto it = golden().find(key);
  EXPECT_NE(it, golden().end()) << "no " << key << ": is scikit-learn installed for /usr/bin/python3?";
  return it == golden().end() ? none : it->second;
}

Tensor ref_tensor(const std::string& key) { return kiln::tensor(golden_of(key), kiln::kFloat64); }

double frac(double v) { return v - std::floor(v); }
const double kPhi[3] = {0.6180339887498949, 0.7548776662466927, 0.5698402909980532};

// The datasets of gen_gp.py, made here.
std::pair<Tensor, Tensor> dataset(int64_t d, int64_t n) {
  std::vector<double> X, y;
  for (int64_t i = 0; i < n; ++i) {
    if (d == 1) {
      double x = frac(i * kPhi[0]) * 5.0;
      X.push_back(x);
      y.push_back(std::sin(2.0 * x) + 0.1 * std::sin(37.0 * i + 1.0));
    } else {
      double x[3];
      for (int k = 0; k < 3; ++k) X.push_back(x[k] = frac(i * kPhi[k]) * 4.0 - 2.0);
      y.push_back(std::sin(x[0]) + 0.5 * std::cos(2.0 * x[1]) + 0.3 * x[2] * x[2] + 0.2 * std::sin(101.3 * i));
    }
  }
  return {kiln::tensor(X, kiln::kFloat64).reshape({n, d}), kiln::tensor(y, kiln::kFloat64)};
}

Tensor test_points(int64_t d) {
  if (d == 1) return kiln::linspace(-0.5, 5.5, 7, kiln::kFloat64).unsqueeze(1);
  std::vector<double> X;
  for (int i = 0; i < 7; ++i)
    for (int k = 0; k < 3; ++k) X.push_back(frac(i * 0.37 + 0.1 * (k + 1)) * 4.0 - 2.0);
  return kiln::tensor(X, kiln::kFloat64).reshape({7, 3});
}

struct Case {
  std::string name;
  int64_t d, n;
  bool rbf;
  double c;
  std::vector<double> l;
  double w;
};

gp::ExactGP model(const Case& k, const Tensor& X, const Tensor& y) {
  Tensor l = kiln::tensor(k.l, kiln::kFloat64);
  gp::Kernel base = k.rbf ? gp::Kernel(gp::RBF(l)) : gp::Kernel(gp::Matern(2.5, l));
  return gp::ExactGP(X, y, gp::Scale(base, k.c), k.w);
}

bool near_rel(double a, double b, double rtol) { return std::abs(a - b) <= rtol * std::abs(b); }

// scikit-learn's theta order: log constant, log lengthscale(s), log noise; kiln's gradient is
// w.r.t. raw = softplus^-1(value), so d/dlog v = v d/dv = v / sigmoid(raw) d/draw.
Tensor log_space_gradient(const gp::ExactGP& m) {
  std::vector<Tensor> raws = m.parameters();
  std::vector<Tensor> grads = kiln::autograd::grad({m.log_marginal_likelihood()}, raws);
  std::vector<Tensor> parts;
  for (size_t i = 0; i < raws.size(); ++i)
    parts.push_back((grads[i] * kiln::softplus(raws[i]) / kiln::sigmoid(raws[i])).detach().reshape({-1}));
  return kiln::cat(parts);
}

class GpSklearn : public ::testing::TestWithParam<Case> {};

TEST_P(GpSklearn, AtGivenHyperparameters) {
  const Case& k = GetParam();
  auto [X, y] = dataset(k.d, k.n);
  ASSERT_TRUE(kiln::allclose(X.reshape({-1}), ref_tensor(k.name + ".X"), 1e-14, 1e-14));
  ASSERT_TRUE(kiln::allclose(y, ref_tensor(k.name + ".y"), 1e-14, 1e-14));
  gp::ExactGP m = model(k, X, y);
  EXPECT_TRUE(near_rel(m.log_marginal_likelihood().item<double>(), golden_of(k.name + ".given.lml")[0], 1e-8))
      << m.log_marginal_likelihood().item<double>() << " vs " << golden_of(k.name + ".given.lml")[0];
  EXPECT_TRUE(kiln::allclose(log_space_gradient(m), ref_tensor(k.name + ".given.grad"), 1e-7, 1e-7))
      << log_space_gradient(m) << ref_tensor(k.name + ".given.grad");
  kiln::NoGradGuard no_grad;
  Tensor block = m.kernel()(X.narrow(0, 0, 5), X.narrow(0, 5, 4));
  EXPECT_TRUE(kiln::allclose(block.reshape({-1}), ref_tensor(k.name + ".given.K"), 1e-12, 1e-14));
  // scikit-learn's predictive std includes the white noise.
  auto post = m.posterior(test_points(k.d), true);
  EXPECT_TRUE(kiln::allclose(post.mean(), ref_tensor(k.name + ".given.mean"), 1e-8, 1e-10));
  EXPECT_TRUE(kiln::allclose(post.stddev(), ref_tensor(k.name + ".given.std"), 1e-8, 1e-10));
}

TEST_P(GpSklearn, Fitted) {
  const Case& k = GetParam();
  auto [X, y] = dataset(k.d, k.n);
  Case init = k;
  init.c = 1.0;
  init.l.assign(k.l.size(), 1.0);
  init.w = 0.1;
  gp::ExactGP m = model(init, X, y);
  auto start = std::chrono::steady_clock::now();
  gp::FitReport report = m.fit();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double sk = golden_of(k.name + ".fit.lml")[0];
  std::cout << k.name << ": kiln lml " << report.log_marginal_likelihood << " in " << seconds << " s ("
            << report.evaluations << " evaluations), scikit-learn " << sk << " in " << golden_of(k.name + ".fit.seconds")[0]
            << " s\n";
  EXPECT_NEAR(report.log_marginal_likelihood, m.log_marginal_likelihood().item<double>(), 1e-9);
  EXPECT_GE(report.log_marginal_likelihood, sk - 1e-3 * std::abs(sk));
  // At (nearly) the same optimum the predictions agree.
  kiln::NoGradGuard no_grad;
  auto post = m.posterior(test_points(k.d), true);
  EXPECT_TRUE(kiln::allclose(post.mean(), ref_tensor(k.name + ".fit.mean"), 1e-2, 1e-2))
      << post.mean() << ref_tensor(k.name + ".fit.mean");
  EXPECT_TRUE(kiln::allclose(post.stddev(), ref_tensor(k.name + ".fit.std"), 2e-2, 2e-3))
      << post.stddev() << ref_tensor(k.name + ".fit.std");
}

INSTANTIATE_TEST_SUITE_P(Cases, GpSklearn,
                         ::testing::Values(Case{"rbf1d", 1, 50, true, 1.3, {0.7}, 0.05},
                                           Case{"rbf1d200", 1, 200, true, 0.8, {1.2}, 0.02},
                                           Case{"matern3d", 3, 50, false, 1.1, {0.8, 1.5, 2.0}, 0.03},
                                           Case{"matern3d200", 3, 200, false, 0.9, {1.2, 0.6, 1.8}, 0.01}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
