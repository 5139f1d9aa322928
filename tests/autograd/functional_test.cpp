// kiln::autograd::functional: jacobian, hessian, vjp, jvp, hvp, vhp.
#include <gtest/gtest.h>

#include <cmath>

#include "kiln/kiln.h"

using namespace kiln;
namespace F = kiln::autograd::functional;

namespace {
Tensor vec(std::vector<double> v) { return tensor(v, kFloat64); }
bool same(const Tensor& a, const Tensor& b) { return a.sizes() == b.sizes() && allclose(a, b, 1e-10, 1e-10); }
// f(x) = [x0 x1, sin x2, x0 + x2^2]
Tensor f3(const Tensor& x) { return stack({x[0] * x[1], x[2].sin(), x[0] + x[2] * x[2]}); }
// Element-wise products with the reversed vector.
Tensor g3(const Tensor& x) { return x * x.flip({0}) + x.sin(); }
Tensor rosen(const Tensor& x) {
  // 2-d Rosenbrock: (1 - x0)^2 + 100 (x1 - x0^2)^2
  return (1 - x[0]).pow(2) + 100 * (x[1] - x[0] * x[0]).pow(2);
}
}  // namespace

TEST(Functional, JacobianOfElementwise) {
  Tensor x = vec({0.5, -1.0, 2.0});
  Tensor j = F::jacobian([](const Tensor& t) { return t.exp() * 2; }, x);
  EXPECT_EQ(j.sizes(), IntArrayRef({3, 3}));
  Tensor want = zeros({3, 3}, kFloat64);
  for (int i = 0; i < 3; ++i) want[i][i] = 2 * std::exp(x[i].item<double>());
  EXPECT_TRUE(same(j, want));
  EXPECT_FALSE(j.requires_grad());
  EXPECT_FALSE(x.requires_grad());
}

TEST(Functional, JacobianShapes) {
  Tensor x = vec({1, 2, 3, 4, 5, 6}).reshape({2, 3});
  Tensor j = F::jacobian([](const Tensor& t) { return t.sum({1}); }, x);
  EXPECT_EQ(j.sizes(), IntArrayRef({2, 2, 3}));
  EXPECT_TRUE(same(j[0][0], ones({3}, kFloat64)));
  EXPECT_TRUE(same(j[0][1], zeros({3}, kFloat64)));
  Tensor s = F::jacobian([](const Tensor& t) { return (t * t).sum(); }, x);  // scalar out: shape of x
  EXPECT_EQ(s.sizes(), IntArrayRef({2, 3}));
  EXPECT_TRUE(same(s, 2 * x));
  Tensor z = F::jacobian([](const Tensor& t) { return t * 3; }, tensor(2.0, kFloat64));  // 0-d
  EXPECT_EQ(z.dim(), 0);
  EXPECT_DOUBLE_EQ(z.item<double>(), 3.0);
}

TEST(Functional, JacobianMatchesKnownMatrix) {
  Tensor x = vec({0.5, -1.0, 2.0});
  Tensor j = F::jacobian(g3, x);
  // d/dx_i [x_i x_{2-i} + sin x_i]
  Tensor want = vec({std::cos(0.5) + 2.0, 0, 0.5, 0, std::cos(-1.0) - 2.0, 0, 2.0, 0, std::cos(2.0) + 0.5});
  EXPECT_TRUE(same(j, want.reshape({3, 3})));
}

TEST(Functional, JacobianIndependentOutput) {
  Tensor x = vec({1, 2});
  Tensor j = F::jacobian([](const Tensor&) { return ones({3}, kFloat64); }, x);
  EXPECT_TRUE(same(j, zeros({3, 2}, kFloat64)));
  EXPECT_THROW(F::jacobian([](const Tensor&) { return ones({3}, kFloat64); }, x, false, /*strict=*/true), Error);
}

TEST(Functional, HessianOfRosenbrock) {
  Tensor x = vec({1.0, 2.0});
  Tensor h = F::hessian(rosen, x);
  // [[2 - 400 (x1 - 3 x0^2), -400 x0], [-400 x0, 200]]
  EXPECT_TRUE(same(h, vec({2 - 400 * (2.0 - 3.0), -400, -400, 200}).reshape({2, 2})));
  EXPECT_THROW(F::hessian([](const Tensor& t) { return t * 2; }, x), Error);  // not a scalar function
}

TEST(Functional, HessianOfLinearIsZero) {
  Tensor x = vec({1.0, 2.0});
  EXPECT_TRUE(same(F::hessian([](const Tensor& t) { return t.sum() * 3; }, x), zeros({2, 2}, kFloat64)));
}

TEST(Functional, VjpJvpAgreeWithJacobian) {
  Tensor x = vec({0.5, -1.0, 2.0});
  Tensor v = vec({1.0, -2.0, 0.5});
  Tensor j = F::jacobian(g3, x);
  auto [out1, vj] = F::vjp(g3, x, v);
  auto [out2, jv] = F::jvp(g3, x, v);
  EXPECT_TRUE(same(out1, g3(x)));
  EXPECT_TRUE(same(out2, g3(x)));
  EXPECT_TRUE(same(vj, (v.unsqueeze(1) * j).sum({0})));
  EXPECT_TRUE(same(jv, (j * v.unsqueeze(0)).sum({1})));
}

TEST(Functional, VectorMayBeOmittedOnlyForSingleElements) {
  Tensor x = vec({0.5, -1.0});
  auto [o, g] = F::vjp([](const Tensor& t) { return (t * t).sum(); }, x);
  EXPECT_TRUE(same(g, 2 * x));
  EXPECT_THROW(F::vjp([](const Tensor& t) { return t * t; }, x), Error);
  Tensor s = tensor(0.3, kFloat64);
  auto [o2, t2] = F::jvp([](const Tensor& t) { return t.sin(); }, s);
  EXPECT_NEAR(t2.item<double>(), std::cos(0.3), 1e-12);
  EXPECT_THROW(F::jvp([](const Tensor& t) { return t.sin(); }, x), Error);
  EXPECT_THROW(F::vjp([](const Tensor& t) { return t * t; }, x, vec({1, 2, 3})), Error);  // wrong shape
}

TEST(Functional, HvpAndVhpMatchHessian) {
  Tensor x = vec({-0.5, 1.5});
  Tensor v = vec({2.0, -1.0});
  Tensor h = F::hessian(rosen, x);
  auto [o, hv] = F::hvp(rosen, x, v);
  auto [o2, vh] = F::vhp(rosen, x, v);
  EXPECT_NEAR(o.item<double>(), rosen(x).item<double>(), 1e-12);
  EXPECT_TRUE(same(hv, (h * v.unsqueeze(0)).sum({1})));
  EXPECT_TRUE(same(vh, hv));
}

TEST(Functional, CreateGraphKeepsResultsDifferentiable) {
  Tensor x = vec({0.5, 2.0}).requires_grad_();
  Tensor j = F::jacobian([](const Tensor& t) { return t * t * t; }, x, /*create_graph=*/true);
  EXPECT_TRUE(j.requires_grad());
  // trace(J) = sum 3 x^2; its gradient is 6x.
  Tensor tr = j[0][0] + j[1][1];
  Tensor g = autograd::grad({tr}, {x})[0];
  EXPECT_TRUE(same(g, 6 * x.detach()));
}

TEST(Functional, JacobianOfStackedOutputs) {
  Tensor x = vec({0.5, -1.0, 2.0});
  Tensor j = F::jacobian(f3, x);
  Tensor want = vec({-1.0, 0.5, 0, 0, 0, std::cos(2.0), 1, 0, 4.0}).reshape({3, 3});
  EXPECT_TRUE(same(j, want));
}
