// What libtorch's autograd refuses, kiln refuses with the same message, and
// a custom backward that returns no gradient leaves .grad() undefined (no
// crash, no zeros).
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>

#include "common/expect_error.h"

namespace {
using kiln::Tensor;
using kiln::autograd::AutogradContext;
using kiln::autograd::variable_list;
using kiln_test::expect_error;

Tensor leaf() { return kiln::ones({2}, kiln::TensorOptions().dtype(kiln::kFloat64).requires_grad(true)); }

struct NoGradient : kiln::autograd::Function<NoGradient> {
  static Tensor forward(AutogradContext*, Tensor x) { return x * 2; }
  static variable_list backward(AutogradContext*, variable_list) { return {Tensor()}; }
};

TEST(UndefinedGradient, LeafGradStaysUndefined) {
  Tensor x = leaf();
  bool hook_ran = false;
  x.register_hook([&](const Tensor&) { hook_ran = true; });
  NoGradient::apply(x).sum().backward();
  EXPECT_FALSE(x.grad().defined());
  EXPECT_FALSE(hook_ran);  // hooks see only defined gradients, as in torch
}

TEST(UndefinedGradient, ThroughOtherOpsToo) {
  Tensor x = leaf();
  NoGradient::apply(x.exp() * 3).sum().backward();
  EXPECT_FALSE(x.grad().defined());
  // Another path still brings its gradient.
  Tensor y = leaf();
  (NoGradient::apply(y.exp()) + y).sum().backward();
  ASSERT_TRUE(y.grad().defined());
  EXPECT_TRUE(kiln::allclose(y.grad(), kiln::ones({2}, kiln::kFloat64)));
  // A node with several outputs fills the ones nobody used with zeros.
  Tensor z = leaf();
  auto parts = z.exp().unbind(0);
  (NoGradient::apply(parts[0]) + parts[1]).backward();
  ASSERT_TRUE(z.grad().defined());
  EXPECT_EQ(z.grad()[0].item<double>(), 0.0);
  EXPECT_NEAR(z.grad()[1].item<double>(), std::exp(1.0), 1e-12);
}

TEST(AutogradRefusals, GradWithNoInputs) {
  Tensor x = leaf();
  expect_error([&] { kiln::autograd::grad({x.sum()}, {}); }, {"grad requires non-empty inputs."});
}

TEST(AutogradRefusals, BackwardWithEmptyInputs) {
  Tensor x = leaf();
  expect_error([&] { x.sum().backward({}, std::nullopt, false, std::vector<Tensor>{}); },
               {"'inputs' argument to backward cannot be empty"});
  EXPECT_FALSE(x.grad().defined());
  x.sum().backward({}, std::nullopt, false, std::nullopt);  // no list: every leaf
  EXPECT_TRUE(x.grad().defined());
}

TEST(AutogradRefusals, RemoveHookWithABadHandle) {
  Tensor x = leaf();
  expect_error([&] { x.remove_hook(3); }, {"Invalid index, no hook at position 3"});
  expect_error([] { kiln::ones({2}).remove_hook(0); }, {"Invalid index, no hook at position 0"});
  int calls = 0;
  unsigned first = x.register_hook([&](const Tensor&) { ++calls; });
  unsigned second = x.register_hook([&](const Tensor&) { calls += 10; });
  EXPECT_EQ(first, 0u);  // handles are positions in the tensor's list, as in libtorch
  EXPECT_EQ(second, 1u);
  x.remove_hook(second);
  x.remove_hook(second);  // removing twice is allowed, as in libtorch
  expect_error([&] { x.remove_hook(2); }, {"no hook at position 2"});
  (x * 2).sum().backward();
  EXPECT_EQ(calls, 1);
}

TEST(AutogradRefusals, HooksOnTwoOutputsOfOneNode) {
  Tensor x = leaf();
  auto parts = (x * 1).unbind(0);
  int a = 0, b = 0;
  unsigned ha = parts[0].register_hook([&](const Tensor&) { ++a; });
  parts[1].register_hook([&](const Tensor&) { ++b; });
  parts[0].remove_hook(ha);  // leaves the other output's hook (same position) alone
  (parts[0] + parts[1]).backward();
  EXPECT_EQ(a, 0);
  EXPECT_EQ(b, 1);
}

}  // namespace
