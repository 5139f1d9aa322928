// kiln::GradientTape and stop_gradient (TensorFlow 2 style).
#include <gtest/gtest.h>

#include "kiln/kiln.h"

using namespace kiln;

namespace {
Tensor vec(std::vector<double> v, bool grad = false) { return tensor(v, dtype(kFloat64).requires_grad(grad)); }
bool same(const Tensor& a, const Tensor& b) {
  return a.defined() && a.sizes() == b.sizes() && allclose(a, b, 1e-10, 1e-10);
}
}  // namespace

TEST(GradientTape, NonPersistentTapeUsedTwiceFails) {
  Tensor x = vec({1, 2}, true);
  GradientTape tape;
  Tensor y = x * x;
  EXPECT_TRUE(same(tape.gradient(y, x), vec({2, 4})));
  try {
    tape.gradient(y, x);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("non-persistent"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(tape.persistent());
}

TEST(GradientTape, SeveralSourcesAndUnconnected) {
  Tensor x = vec({1, 2}, true), w = vec({3, 4}, true), other = vec({5, 6}, true);
  GradientTape tape;
  Tensor y = (x * w).sum();
  auto g = tape.gradient(y, {x, w, other});
  ASSERT_EQ(g.size(), 3u);
  EXPECT_TRUE(same(g[0], vec({3, 4})));
  EXPECT_TRUE(same(g[1], vec({1, 2})));
  EXPECT_FALSE(g[2].defined());  // TF's None
}

TEST(GradientTape, UnwatchedConstantGivesNone) {
  Tensor c = vec({1, 2});
  Tensor x = vec({1, 1}, true);
  GradientTape tape;
  Tensor y = (c * x).sum();
  EXPECT_FALSE(tape.gradient(y, c).defined());
}

TEST(GradientTape, WatchConstantsAndWatchedVariables) {
  Tensor a = vec({1, 2}), b = vec({3, 4});
  {
    GradientTape tape(true);
    tape.watch({a, b});
    EXPECT_EQ(tape.watched_variables().size(), 2u);
    Tensor y = (a * b).sum();
    EXPECT_TRUE(same(tape.gradient(y, a), vec({3, 4})));
    EXPECT_TRUE(same(tape.gradient(y, b), vec({1, 2})));
  }
  EXPECT_FALSE(a.requires_grad());
  EXPECT_FALSE(b.requires_grad());
  EXPECT_THROW(GradientTape().watch(arange(3)), Error);  // integers cannot be watched
}

TEST(GradientTape, OutputGradientsWeightTheTarget) {
  Tensor x = vec({1, 2}, true);
  GradientTape tape;
  Tensor y = x * x;
  EXPECT_TRUE(same(tape.gradient(y, x, vec({10, 100})), vec({20, 400})));
}

TEST(GradientTape, Jacobian) {
  Tensor x = vec({1, 2, 3}, true);
  GradientTape tape;
  Tensor y = x * x;
  Tensor j = tape.jacobian(y, x);
  EXPECT_EQ(j.sizes(), IntArrayRef({3, 3}));
  Tensor want = zeros({3, 3}, kFloat64);
  for (int i = 0; i < 3; ++i) want[i][i] = 2.0 * (i + 1);
  EXPECT_TRUE(same(j, want));
  EXPECT_THROW(tape.jacobian(y, x), Error);  // non-persistent
}

TEST(GradientTape, NestedTapesGiveSecondDerivatives) {
  Tensor x = vec({2.0}, true);
  GradientTape outer;
  Tensor dy;
  {
    GradientTape inner;
    Tensor y = x * x * x;
    dy = inner.gradient(y, x);  // 3x^2 = 12, recorded for the outer tape
  }
  EXPECT_NEAR(dy.item<double>(), 12.0, 1e-12);
  Tensor d2y = outer.gradient(dy, x);  // 6x
  EXPECT_NEAR(d2y.item<double>(), 12.0, 1e-12);
}

TEST(GradientTape, StopGradient) {
  Tensor x = vec({1, 2}, true);
  Tensor s = stop_gradient(x * 3);
  EXPECT_FALSE(s.requires_grad());
  EXPECT_TRUE(same(s, vec({3, 6})));
  GradientTape tape;
  Tensor y = (stop_gradient(x) * x).sum();  // d/dx = x (the stopped factor is a constant)
  EXPECT_TRUE(same(tape.gradient(y, x), vec({1, 2})));
}
