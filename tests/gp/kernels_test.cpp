// Every kernel against its closed form (GPyTorch's definitions), evaluated
// here element by element in plain double arithmetic; ARD, float32, diag,
// sums, products and scales; gradcheck in the hyperparameters and inputs.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <functional>
#include <numbers>

#include "common/expect_error.h"

namespace {
using kiln::Tensor;
namespace gp = kiln::gp;
using Pair = std::function<double(const double*, const double*, int64_t)>;

Tensor inputs(int64_t n, int64_t d, uint64_t seed, kiln::ScalarType dtype = kiln::kFloat64) {
  kiln::manual_seed(seed);
  return (kiln::rand({n, d}, kiln::kFloat64) * 4 - 2).to(dtype);
}

// The closed form f(x1_i, x2_j) for every pair, in double.
Tensor expected(const Tensor& X1, const Tensor& X2, const Pair& f) {
  Tensor A = X1.to(kiln::kFloat64).contiguous(), B = X2.to(kiln::kFloat64).contiguous();
  int64_t n1 = A.size(0), n2 = B.size(0), d = A.size(1);
  Tensor out = kiln::empty({n1, n2}, kiln::kFloat64);
  for (int64_t i = 0; i < n1; ++i)
    for (int64_t j = 0; j < n2; ++j)
      out.data_ptr<double>()[i * n2 + j] = f(A.data_ptr<double>() + i * d, B.data_ptr<double>() + j * d, d);
  return out;
}

double scaled_sq(const double* a, const double* b, int64_t d, const std::vector<double>& l) {
  double s = 0;
  for (int64_t k = 0; k < d; ++k) {
    double t = (a[k] - b[k]) / l[l.size() == 1 ? 0 : k];
    s += t * t;
  }
  return s;
}

void expect_kernel(const gp::Kernel& k, const Pair& f, int64_t d, double tol = 1e-12) {
  Tensor X1 = inputs(7, d, 1), X2 = inputs(5, d, 2);
  EXPECT_TRUE(kiln::allclose(k(X1, X2), expected(X1, X2, f), tol, tol));
  EXPECT_TRUE(kiln::allclose(k(X1), expected(X1, X1, f), tol, tol));
  EXPECT_TRUE(kiln::allclose(k.diag(X1), k(X1).diagonal(), tol, tol));
  // float32 inputs compute in float32.
  Tensor F = k(X1.to(kiln::kFloat32), X2.to(kiln::kFloat32));
  EXPECT_EQ(F.dtype(), kiln::kFloat32);
  EXPECT_TRUE(kiln::allclose(F.to(kiln::kFloat64), expected(X1, X2, f), 1e-4, 1e-5));
}

TEST(GpKernels, RBF) {
  expect_kernel(gp::RBF(0.7), [](auto a, auto b, int64_t d) { return std::exp(-0.5 * scaled_sq(a, b, d, {0.7})); }, 1);
  std::vector<double> l{0.5, 1.5, 2.5};
  expect_kernel(gp::RBF(kiln::tensor(l, kiln::kFloat64)),
                [&](auto a, auto b, int64_t d) { return std::exp(-0.5 * scaled_sq(a, b, d, l)); }, 3);
}

TEST(GpKernels, Matern) {
  for (double nu : {0.5, 1.5, 2.5}) {
    std::vector<double> l{0.8, 1.3};
    expect_kernel(gp::Matern(nu, kiln::tensor(l, kiln::kFloat64)), [&](auto a, auto b, int64_t d) {
      double r = std::sqrt(scaled_sq(a, b, d, l));
      if (nu == 0.5) return std::exp(-r);
      if (nu == 1.5) return (1 + std::sqrt(3.0) * r) * std::exp(-std::sqrt(3.0) * r);
      return (1 + std::sqrt(5.0) * r + 5.0 / 3.0 * r * r) * std::exp(-std::sqrt(5.0) * r);
    }, 2);
  }
}

TEST(GpKernels, RationalQuadratic) {
  expect_kernel(gp::RationalQuadratic(0.9, 2.5), [](auto a, auto b, int64_t d) {
    return std::pow(1 + scaled_sq(a, b, d, {0.9}) / (2 * 2.5), -2.5);
  }, 2);
}

TEST(GpKernels, Periodic) {
  std::vector<double> l{0.6, 1.1}, p{1.7, 0.9};
  expect_kernel(gp::Periodic(kiln::tensor(l, kiln::kFloat64), kiln::tensor(p, kiln::kFloat64)),
                [&](auto a, auto b, int64_t d) {
                  double s = 0;
                  for (int64_t k = 0; k < d; ++k) s += std::pow(std::sin(std::numbers::pi * (a[k] - b[k]) / p[k]), 2) / l[k];
                  return std::exp(-2 * s);
                }, 2);
}

double dot(const double* a, const double* b, int64_t d) {
  double s = 0;
  for (int64_t k = 0; k < d; ++k) s += a[k] * b[k];
  return s;
}

TEST(GpKernels, DotProductKernels) {
  expect_kernel(gp::Linear(1.7), [](auto a, auto b, int64_t d) { return 1.7 * dot(a, b, d); }, 3);
  expect_kernel(gp::Polynomial(3, 0.5), [](auto a, auto b, int64_t d) { return std::pow(dot(a, b, d) + 0.5, 3); }, 2);
  // Sigma = diag(s0^2, s^2, ...) over x~ = (1, x).
  std::vector<double> s{0.5, 1.2, 0.8};
  expect_kernel(gp::ArcSine(kiln::tensor(s, kiln::kFloat64)), [&](auto a, auto b, int64_t d) {
    auto q = [&](const double* u, const double* v) {
      double t = s[0] * s[0];
      for (int64_t k = 0; k < d; ++k) t += s[k + 1] * s[k + 1] * u[k] * v[k];
      return t;
    };
    return 2 / std::numbers::pi * std::asin(2 * q(a, b) / std::sqrt((1 + 2 * q(a, a)) * (1 + 2 * q(b, b))));
  }, 2);
}

TEST(GpKernels, ConstantWhiteAndCombinations) {
  Tensor X1 = inputs(6, 2, 3), X2 = inputs(4, 2, 4);
  EXPECT_TRUE(kiln::allclose(gp::Constant(2.5)(X1, X2), kiln::full({6, 4}, 2.5, kiln::kFloat64)));
  // White: noise on k(X)'s diagonal, nothing between two sets (even equal ones).
  EXPECT_TRUE(kiln::allclose(gp::White(0.3)(X1), 0.3 * kiln::eye(6, kiln::kFloat64)));
  EXPECT_TRUE(kiln::allclose(gp::White(0.3)(X1, X1), kiln::zeros({6, 6}, kiln::kFloat64)));
  EXPECT_TRUE(kiln::allclose(gp::White(0.3).diag(X1), kiln::full({6}, 0.3, kiln::kFloat64)));
  gp::Kernel a = gp::RBF(0.8), b = gp::Matern(1.5, 1.2);
  EXPECT_TRUE(kiln::allclose((a + b)(X1, X2), a(X1, X2) + b(X1, X2)));
  EXPECT_TRUE(kiln::allclose((a * b)(X1, X2), a(X1, X2) * b(X1, X2)));
  EXPECT_TRUE(kiln::allclose((4.0 * a)(X1, X2), 4 * a(X1, X2)));
  EXPECT_TRUE(kiln::allclose(gp::Scale(a, 2.2)(X1, X2), 2.2 * a(X1, X2)));
  EXPECT_TRUE(kiln::allclose((a + b).diag(X1), (a + b)(X1).diagonal()));
  // Parts share their hyperparameters: (a + b) has a's and b's, named by position.
  auto named = gp::Scale(a + b, 2.0).named_parameters();
  ASSERT_EQ(named.size(), 3u);
  EXPECT_EQ(named[0].first, "raw_outputscale");
  EXPECT_EQ(named[1].first, "base_kernel.kernels.0.raw_lengthscale");
  EXPECT_EQ(named[2].first, "base_kernel.kernels.1.raw_lengthscale");
  EXPECT_TRUE(named[1].second.is_same(a.parameters()[0]));
  EXPECT_NEAR(gp::Scale(a + b, 2.0).hyperparameter("base_kernel.kernels.1.lengthscale").item<double>(), 1.2, 1e-12);
}

TEST(GpKernels, OneDimensionalInputs) {
  Tensor x = kiln::linspace(0, 1, 5, kiln::kFloat64);
  EXPECT_TRUE(kiln::allclose(gp::RBF(0.5)(x), gp::RBF(0.5)(x.unsqueeze(1))));
  EXPECT_EQ(gp::RBF(0.5)(x, x.narrow(0, 0, 3)).sizes(), (std::vector<int64_t>{5, 3}));
}

TEST(GpKernels, RawParametersAreSoftplusInverse) {
  gp::RBF k(2.0);
  Tensor raw = k.parameters()[0];
  EXPECT_TRUE(raw.requires_grad());
  EXPECT_NEAR(raw.item<double>(), std::log(std::expm1(2.0)), 1e-12);
  EXPECT_NEAR(k.hyperparameter("lengthscale").item<double>(), 2.0, 1e-12);
}

// Gradcheck in every raw hyperparameter and in the inputs, float64.
void gradcheck_kernel(const gp::Kernel& k, int64_t d) {
  Tensor X1 = inputs(5, d, 5).requires_grad_(), X2 = inputs(4, d, 6).requires_grad_();
  std::vector<Tensor> params = k.parameters();
  size_t p = params.size();
  kiln::autograd::variable_list in = params;
  in.push_back(X1);
  in.push_back(X2);
  // The parameters as arguments: a functional call.
  auto call = [&](const kiln::autograd::variable_list& a, bool pair) {
    gp::ParameterOverride use(params, {a.begin(), a.begin() + p});
    return pair ? k(a[p], a[p + 1]) : k(a[p]);
  };
  EXPECT_TRUE(kiln::autograd::gradcheck([&](const kiln::autograd::variable_list& a) { return call(a, true); }, in));
  EXPECT_TRUE(kiln::autograd::gradgradcheck([&](const kiln::autograd::variable_list& a) { return call(a, true); }, in));
  // k(X): the diagonal's zero distances give finite gradients.
  Tensor g = kiln::autograd::grad({k(X1).sum()}, {X1})[0];
  EXPECT_TRUE(kiln::isfinite(g).all().item<bool>());
  in.pop_back();
  EXPECT_TRUE(kiln::autograd::gradcheck([&](const kiln::autograd::variable_list& a) { return call(a, false); }, in));
}

TEST(GpKernels, Gradcheck) {
  Tensor l3 = kiln::tensor({0.7, 1.3, 0.9}, kiln::kFloat64);
  gradcheck_kernel(gp::RBF(l3), 3);
  for (double nu : {0.5, 1.5, 2.5}) gradcheck_kernel(gp::Matern(nu, l3), 3);
  gradcheck_kernel(gp::RationalQuadratic(0.8, 1.5), 2);
  gradcheck_kernel(gp::Periodic(0.8, 1.7), 2);
  gradcheck_kernel(gp::Linear(0.9), 2);
  gradcheck_kernel(gp::Polynomial(2, 0.7), 2);
  gradcheck_kernel(gp::ArcSine(0.9), 2);
  gradcheck_kernel(gp::Scale(gp::RBF(0.9) * gp::Linear(0.5) + gp::Constant(0.3) + gp::White(0.2), 1.4), 2);
}

// RBF and Matern (and a Scale around them) are one fused node whose backward recomputes the pairs;
// under create_graph it runs recorded ops. Both give the same gradients, for any layout of the
// incoming gradient (K^-1 from LAPACK arrives column-major), in float64 and float32.
TEST(GpKernels, FusedBackwardMatchesRecordedBackward) {
  Tensor l2 = kiln::tensor({0.7, 1.3}, kiln::kFloat64);
  for (const gp::Kernel& k :
       {gp::Kernel(gp::RBF(0.9)), gp::Kernel(gp::RBF(l2)), gp::Kernel(gp::Matern(0.5, l2)), gp::Kernel(gp::Matern(1.5, 0.6)),
        gp::Kernel(gp::Matern(2.5, l2)), gp::Kernel(gp::Scale(gp::RBF(l2), 1.4)), gp::Kernel(gp::Scale(gp::Matern(2.5, 0.8), 0.6))}) {
    Tensor X1 = inputs(6, 2, 7).requires_grad_(), X2 = inputs(5, 2, 8).requires_grad_();
    kiln::manual_seed(9);
    Tensor G = kiln::randn({5, 6}, kiln::kFloat64).t();
    kiln::autograd::variable_list in = k.parameters();
    in.push_back(X1);
    in.push_back(X2);
    auto fast = kiln::autograd::grad({k(X1, X2)}, in, {G});
    auto recorded = kiln::autograd::grad({k(X1, X2)}, in, {G}, true, true);
    for (size_t q = 0; q < in.size(); ++q) {
      EXPECT_EQ(fast[q].dtype(), in[q].dtype());
      EXPECT_TRUE(kiln::allclose(fast[q], recorded[q], 1e-12, 1e-13)) << q << fast[q] << recorded[q];
    }
    Tensor F1 = X1.detach().to(kiln::kFloat32).requires_grad_(), F2 = X2.detach().to(kiln::kFloat32);
    Tensor gF = kiln::autograd::grad({k(F1, F2)}, {F1}, {G.to(kiln::kFloat32)})[0];
    EXPECT_EQ(gF.dtype(), kiln::kFloat32);
    EXPECT_TRUE(kiln::allclose(gF.to(kiln::kFloat64), fast[fast.size() - 2], 1e-4, 1e-4));
  }
}

// float32 inputs: the node's sums run in double, as kiln's sum does. With a long lengthscale every
// entry is ~1 and the scale's gradient is ~n^2 = 2.5e7, past float's 2^24 where a float sum stalls.
TEST(GpKernels, Float32GradientsAccumulateInDouble) {
  kiln::manual_seed(11);
  Tensor X = kiln::randn({5000, 1}, kiln::kFloat64);
  auto scale_grad = [&](kiln::ScalarType dtype) {
    gp::Scale k(gp::RBF(1e3), 1.0);
    Tensor g = kiln::autograd::grad({k(X.to(dtype)).sum()}, {k.parameters()[0]})[0];
    return g.item<double>();
  };
  double g64 = scale_grad(kiln::kFloat64), g32 = scale_grad(kiln::kFloat32);
  EXPECT_NEAR(g32 / g64, 1.0, 1e-5) << g32 << " vs " << g64;
}

// Forward mode: custom nodes do not carry tangents, so a dual input takes recorded ops; the JVP
// matches the reverse-mode directional derivative <grad_X <G, K>, V> = <G, dK[V]>.
TEST(GpKernels, ForwardModeTangentsMatchReverseMode) {
  namespace fwd = kiln::autograd::forward_ad;
  for (const gp::Kernel& k : {gp::Kernel(gp::RBF(0.9)), gp::Kernel(gp::Matern(2.5, 0.7)),
                              gp::Kernel(gp::Scale(gp::Matern(0.5, 1.1), 1.3)), gp::Kernel(gp::RationalQuadratic(0.8, 1.5))}) {
    Tensor X1 = inputs(5, 2, 21), X2 = inputs(4, 2, 22);
    kiln::manual_seed(23);
    Tensor V = kiln::randn({5, 2}, kiln::kFloat64), G = kiln::randn({5, 4}, kiln::kFloat64);
    Tensor jvp;
    {
      fwd::dual_level level;
      jvp = std::get<1>(fwd::unpack_dual(k(fwd::make_dual(X1, V), X2)));
    }
    ASSERT_TRUE(jvp.defined());
    Tensor X = X1.clone().requires_grad_();
    Tensor gX = kiln::autograd::grad({(k(X, X2) * G).sum()}, {X})[0];
    EXPECT_NEAR((jvp * G).sum().item<double>(), (gX * V).sum().item<double>(), 1e-12);
  }
}

TEST(GpKernels, ZeroDistanceGradient) {
  // Two equal points: the gradient of exp(-|x - x'|) and of the RBF in x is 0 there, not NaN.
  Tensor x = kiln::tensor({0.5, 0.5}, kiln::kFloat64).requires_grad_();
  for (const gp::Kernel& k : {gp::Kernel(gp::Matern(0.5, 1.0)), gp::Kernel(gp::RBF(1.0)), gp::Kernel(gp::Matern(2.5, 1.0))}) {
    Tensor K = k(x.narrow(0, 0, 1), x.narrow(0, 1, 1));
    Tensor g = kiln::autograd::grad({K.sum()}, {x})[0];
    EXPECT_TRUE(kiln::equal(g, kiln::zeros({2}, kiln::kFloat64))) << g;
    Tensor gl = kiln::autograd::grad({k(x).sum()}, {k.parameters()[0]})[0];
    EXPECT_EQ(gl.item<double>(), 0.0);
  }
}

TEST(GpKernels, BadInput) {
  using kiln_test::expect_error;
  gp::RBF ard(kiln::tensor({1.0, 2.0}, kiln::kFloat64));
  expect_error([&] { ard(inputs(3, 3, 1)); }, {"gp::RBF", "2 lengthscale", "3 features"});
  expect_error([&] { gp::RBF(1.0)(inputs(3, 2, 1), inputs(3, 3, 1)); }, {"gp::Kernel", "2 and 3 features"});
  expect_error([&] { gp::RBF(-1.0); }, {"gp::RBF", "lengthscale", "positive"});
  expect_error([&] { gp::Matern(1.0); }, {"gp::Matern", "nu"});
  expect_error([&] { gp::RBF(1.0)(kiln::zeros({2, 2, 2})); }, {"gp::Kernel", "[2, 2, 2]"});
  expect_error([&] { gp::RBF(1.0)(kiln::arange(3)); }, {"gp::Kernel", "float"});
  expect_error([&] { gp::RBF(1.0).hyperparameter("period"); }, {"no hyperparameter", "lengthscale"});
}

}  // namespace
