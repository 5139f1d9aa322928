// gradcheck and gradgradcheck themselves: they accept right derivatives and
// reject (naming input, element and both values) wrong ones.
#include <gtest/gtest.h>

#include "autograd/derivative.h"
#include "kiln/kiln.h"

using namespace kiln;

namespace {
// x^3 whose recorded derivative is deliberately 2x^2 instead of 3x^2.
Tensor wrong_cube(const Tensor& x) {
  Tensor r;
  {
    NoGradGuard g;
    r = x * x * x;
  }
  if (autograd::any_needs_grad(x))
    autograd::record({"WrongCubeBackward", {x}, {x}}, {r}, [](const autograd::BackwardArgs& a) -> autograd::Grads {
      return {a.grad() * 2 * a.saved[0] * a.saved[0]};
    });
  return r;
}
// x^3 with a right first derivative whose own derivative is wrong: the
// backward computes 3 * x.detach() * x (its derivative w.r.t. x is 3x, not 6x).
Tensor cube_bad_second(const Tensor& x) {
  Tensor r;
  {
    NoGradGuard g;
    r = x * x * x;
  }
  if (autograd::any_needs_grad(x))
    autograd::record({"BadSecondBackward", {x}, {x}}, {r}, [](const autograd::BackwardArgs& a) -> autograd::Grads {
      return {a.grad() * 3 * a.saved[0].detach() * a.saved[0]};
    });
  return r;
}
Tensor f64(std::vector<double> v) { return tensor(v, dtype(kFloat64).requires_grad(true)); }
}  // namespace

TEST(Gradcheck, AcceptsRightDerivatives) {
  Tensor x = f64({0.5, -1.25, 2.0});
  Tensor y = f64({1.5, 0.75, -0.5});
  EXPECT_TRUE(autograd::gradcheck([](const variable_list& v) { return v[0] * v[1].sin() + v[0].exp(); }, {x, y}));
  EXPECT_TRUE(autograd::gradgradcheck([](const variable_list& v) { return v[0] * v[1].sin() + v[0].exp(); }, {x, y}));
}

TEST(Gradcheck, MultipleOutputsAndNonDifferentiableInputs) {
  Tensor x = f64({0.5, -1.25, 2.0});
  Tensor c = tensor({1.0, 2.0, 3.0}, kFloat64);  // does not require grad: not perturbed
  auto f = [](const variable_list& v) { return variable_list{v[0] * v[1], (v[0] * v[0]).sum()}; };
  EXPECT_TRUE(autograd::gradcheck(f, {x, c}));
}

TEST(Gradcheck, RejectsWrongDerivativeNamingTheElement) {
  Tensor x = f64({0.5, -1.25, 2.0});
  auto f = [](const variable_list& v) { return wrong_cube(v[0]); };
  EXPECT_FALSE(autograd::gradcheck(f, {x}, 1e-6, 1e-5, 1e-3, false));
  try {
    autograd::gradcheck(f, {x});
    FAIL() << "expected a throw";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("input 0"), std::string::npos) << m;
    EXPECT_NE(m.find("input element [0]"), std::string::npos) << m;
    EXPECT_NE(m.find("numerical = 0.75"), std::string::npos) << m;  // 3 * 0.5^2
    EXPECT_NE(m.find("analytical = 0.5"), std::string::npos) << m;   // 2 * 0.5^2
  }
}

TEST(Gradcheck, GradgradcheckRejectsWrongSecondDerivative) {
  Tensor x = f64({0.5, -1.25, 2.0});
  auto f = [](const variable_list& v) { return cube_bad_second(v[0]); };
  EXPECT_TRUE(autograd::gradcheck(f, {x}));
  EXPECT_FALSE(autograd::gradgradcheck(f, {x}, 1e-6, 1e-5, 1e-3, false));
  EXPECT_THROW(autograd::gradgradcheck(f, {x}), Error);
}

TEST(Gradcheck, RequiresADifferentiableInput) {
  Tensor c = tensor({1.0, 2.0}, kFloat64);
  EXPECT_THROW(autograd::gradcheck([](const variable_list& v) { return v[0] * 2; }, {c}), Error);
}

TEST(Gradcheck, ZeroDimAndConstantOutputs) {
  Tensor x = tensor(0.3, dtype(kFloat64).requires_grad(true));
  EXPECT_TRUE(autograd::gradcheck([](const variable_list& v) { return v[0].tanh() * v[0]; }, {x}));
  // An output that does not depend on the input has a zero Jacobian.
  EXPECT_TRUE(autograd::gradcheck([](const variable_list&) { return ones({2}, kFloat64); }, {x}));
}
