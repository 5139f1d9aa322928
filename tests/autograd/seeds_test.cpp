// The autograd examples of SEEDS.md sections 2 (PyTorch style) and 3
// (TensorFlow 2 style), with the numbers the notes show.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "kiln/kiln.h"

using namespace kiln;

namespace {
void expect_values(const Tensor& t, std::vector<double> want, double tol = 1e-6) {
  ASSERT_TRUE(t.defined());
  Tensor c = t.detach().to(kFloat64).contiguous().reshape({-1});
  ASSERT_EQ(c.numel(), static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(c.data_ptr<double>()[i], want[i], tol) << "element " << i;
}
}  // namespace

// ---- section 2: PyTorch style
TEST(SeedsPyTorch, ScalarPolynomial) {
  Tensor x = tensor(2.0, requires_grad());
  Tensor y = 2 * x * x + 3 * x + 1;
  y.backward();
  EXPECT_DOUBLE_EQ(x.grad().item<double>(), 11.0);
}

TEST(SeedsPyTorch, MatrixSumOfQuadratic) {
  Tensor x = tensor({{1.0, 2.0}, {3.0, 4.0}}, requires_grad());
  Tensor y = (x * x + 2 * x + 1).sum();
  EXPECT_DOUBLE_EQ(y.item<double>(), 54.0);
  y.backward();
  expect_values(x.grad(), {4, 6, 8, 10});
}

TEST(SeedsPyTorch, DotThenZeroThenSum) {
  Tensor x = arange(4.0).requires_grad_();
  Tensor y = 2 * dot(x, x);
  EXPECT_DOUBLE_EQ(y.item<double>(), 28.0);
  y.backward();
  expect_values(x.grad(), {0, 4, 8, 12});
  EXPECT_TRUE((x.grad() == 4 * x).all().item<bool>());
  x.grad().zero_();
  x.sum().backward();
  expect_values(x.grad(), {1, 1, 1, 1});
}

TEST(SeedsPyTorch, NonScalarOutput) {
  Tensor x = arange(4.0).requires_grad_();
  (x * x).sum().backward();
  expect_values(x.grad(), {0, 2, 4, 6});
  x.grad().zero_();
  (x * x).backward(ones({4}));
  expect_values(x.grad(), {0, 2, 4, 6});
}

TEST(SeedsPyTorch, Detach) {
  Tensor x = arange(4.0).requires_grad_();
  Tensor y = x * x;
  Tensor u = y.detach();
  Tensor z = u * x;
  z.sum().backward();
  EXPECT_TRUE((x.grad() == u).all().item<bool>());
  EXPECT_FALSE(u.requires_grad());
  x.grad().zero_();
  y.sum().backward();
  expect_values(x.grad(), {0, 2, 4, 6});
}

namespace {
Tensor control_flow(const Tensor& a) {
  Tensor b = a * 2;
  while (b.norm().item<double>() < 1000) b = b * 2;
  Tensor c = b.sum().item<double>() > 0 ? b : 100 * b;
  return c;
}
}  // namespace

TEST(SeedsPyTorch, ControlFlow) {
  manual_seed(0);
  for (int trial = 0; trial < 3; ++trial) {
    Tensor a = randn({}).requires_grad_();
    Tensor d = control_flow(a);
    d.backward();
    EXPECT_NEAR(a.grad().item<double>(), (d / a).item<double>(), 1e-3 * std::abs((d / a).item<double>()));
  }
  // A vector input: the gradient is still d / a element-wise (f is linear in a).
  Tensor a = randn({3}).requires_grad_();
  Tensor d = control_flow(a);
  d.sum().backward();
  EXPECT_TRUE(allclose(a.grad(), (d / a).detach(), 1e-5, 1e-5));
}

TEST(SeedsPyTorch, SineGradient) {
  Tensor a = linspace(0, 2 * std::numbers::pi, 25).requires_grad_();
  Tensor b = sin(a);
  Tensor c = 2 * b;
  Tensor d = c + 1;
  Tensor out = d.sum();
  out.backward();
  EXPECT_TRUE(allclose(a.grad(), 2 * cos(a.detach()), 1e-5, 1e-6));
}

TEST(SeedsPyTorch, GradientDescentLearnsLine) {
  Tensor xs = tensor({1.0, 2.0}), ys = tensor({5.0, 7.0});
  Tensor k = zeros({}, requires_grad()), b = zeros({}, requires_grad());
  for (int step = 0; step < 3000; ++step) {
    Tensor loss = ((k * xs + b - ys) * (k * xs + b - ys)).mean();
    loss.backward();
    NoGradGuard no_grad;
    k -= 0.1 * k.grad();
    b -= 0.1 * b.grad();
    k.mutable_grad().zero_();
    b.mutable_grad().zero_();
  }
  EXPECT_NEAR(k.item<double>(), 2.0, 1e-3);
  EXPECT_NEAR(b.item<double>(), 3.0, 1e-3);
  EXPECT_NEAR((k * 3 + b).item<double>(), 9.0, 1e-3);
}

TEST(SeedsPyTorch, ForwardAndReverseAccumulationAgree) {
  // The same derivative of a chain by both modes.
  Tensor x = tensor({0.3, 1.2, -0.7}, kFloat64);
  auto f = [](const Tensor& t) { return (t.sin() * t.exp() + t * t).tanh(); };
  Tensor xr = x.clone().requires_grad_();
  f(xr).sum().backward();
  Tensor tangent;
  {
    autograd::forward_ad::dual_level level;
    auto [p, t] = autograd::forward_ad::unpack_dual(f(autograd::forward_ad::make_dual(x, ones_like(x))));
    tangent = t;
  }
  // f is element-wise, so J·1 equals 1ᵀ·J.
  EXPECT_TRUE(allclose(tangent, xr.grad(), 1e-12, 1e-12));
}

// ---- section 3: TensorFlow 2 style
TEST(SeedsTensorFlow, TensordotGradient) {
  Tensor x = arange(4.0).requires_grad_();  // tf.Variable
  GradientTape tape;
  Tensor y = 2 * tensordot(x, x, {0}, {0});
  EXPECT_DOUBLE_EQ(y.item<double>(), 28.0);
  expect_values(tape.gradient(y, x), {0, 4, 8, 12});
  EXPECT_FALSE(x.grad().defined());  // the tape does not touch .grad()
}

TEST(SeedsTensorFlow, NonScalarTargetIsSummed) {
  Tensor x = arange(4.0).requires_grad_();
  GradientTape tape;
  Tensor y = x * x;
  expect_values(tape.gradient(y, x), {0, 2, 4, 6});
}

TEST(SeedsTensorFlow, PersistentTapeWithStopGradient) {
  Tensor x = arange(4.0).requires_grad_();
  GradientTape tape(/*persistent=*/true);
  Tensor y = x * x;
  Tensor u = stop_gradient(y);
  Tensor z = u * x;
  Tensor gz = tape.gradient(z, x);
  expect_values(gz, {0, 1, 4, 9});
  EXPECT_TRUE((gz == u).all().item<bool>());
  expect_values(tape.gradient(y, x), {0, 2, 4, 6});
}

TEST(SeedsTensorFlow, ControlFlowThroughTheTape) {
  manual_seed(1);
  Tensor a = randn({}).requires_grad_();
  GradientTape tape;
  Tensor d = control_flow(a);
  Tensor g = tape.gradient(d, a);
  EXPECT_NEAR(g.item<double>(), (d / a).item<double>(), 1e-3 * std::abs((d / a).item<double>()));
}

TEST(SeedsTensorFlow, WatchingAConstant) {
  Tensor x = arange(4.0);  // a tf.constant: no requires_grad
  {
    GradientTape tape;
    tape.watch(x);
    Tensor y = x * x;
    expect_values(tape.gradient(y, x), {0, 2, 4, 6});
  }
  EXPECT_FALSE(x.requires_grad());  // the tape's watch ends with it
}
