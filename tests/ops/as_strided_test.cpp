// as_strided and _reshape_alias: views of the same memory, values against
// torch, gradients (overlapping windows accumulate), and bad geometry.
#include "linalg/oracle.h"

namespace {
using kiln::Tensor;
using linalg_test::expect_close;
using linalg_test::torch_eval;

TEST(AsStrided, MatchesTorchAndSharesMemory) {
  Tensor x = kiln::arange(12.).to(kiln::kFloat64);
  Tensor v = kiln::as_strided(x, {3, 2}, {3, 1}, 1);
  auto ref = torch_eval(
      "x = torch.arange(12.)\nout += [torch.as_strided(x, (3, 2), (3, 1), 1), x.view(3, 4)[1:].as_strided((2, 2), "
      "(1, 4)), torch.as_strided(x, (2, 3), (0, 2))]\n");
  expect_close(v, ref[0]);
  EXPECT_TRUE(v.is_alias_of(x));
  // Without an offset the view starts where the input does.
  expect_close(x.view({3, 4}).slice(0, 1).as_strided({2, 2}, {1, 4}), ref[1]);
  expect_close(kiln::as_strided(x, {2, 3}, {0, 2}), ref[2]);
  v.fill_(-1);
  EXPECT_EQ(x[1].item<double>(), -1);
  Tensor y = kiln::randn({3, 3});
  EXPECT_TRUE(kiln::equal(kiln::_reshape_alias(y, {9}, {1}), y.view({-1})));
  EXPECT_TRUE(kiln::equal(kiln::_reshape_alias(y, {2, 2}, {1, 2}), kiln::as_strided(y, {2, 2}, {1, 2})));
}

TEST(AsStrided, GradientAccumulatesOverlaps) {
  Tensor x = kiln::randn({3, 4}, kiln::kFloat64).requires_grad_();
  using kiln::variable_list;
  // Overlapping windows: element i is read by several outputs.
  auto windows = [](const variable_list& v) { return v[0].as_strided({3, 3}, {2, 1}, 1); };
  EXPECT_TRUE(kiln::autograd::gradcheck(windows, {x}));
  EXPECT_TRUE(kiln::autograd::gradgradcheck(windows, {x}));
  auto of_view = [](const variable_list& v) { return v[0].t().as_strided({2, 2}, {4, 1}); };
  EXPECT_TRUE(kiln::autograd::gradcheck(of_view, {x}));
  auto ref = torch_eval(
      "x = torch.arange(12., requires_grad=True)\n"
      "torch.as_strided(x, (3, 3), (2, 1), 1).pow(2).sum().backward()\nout += [x.grad]\n");
  Tensor a = kiln::arange(12.).to(kiln::kFloat64).requires_grad_();
  kiln::as_strided(a, {3, 3}, {2, 1}, 1).pow(2).sum().backward();
  expect_close(a.grad(), ref[0]);
}

TEST(AsStrided, BadGeometryIsAnError) {
  Tensor x = kiln::zeros({2, 3});
  kiln_test::expect_error([&] { x.as_strided({2, 3}, {3}); }, {"as_strided", "mismatch in length"});
  kiln_test::expect_error([&] { x.as_strided({2}, {-1}); }, {"as_strided", "Negative strides"});
  kiln_test::expect_error([&] { x.as_strided({3, 3}, {3, 1}); }, {"as_strided", "out of bounds"});
  kiln_test::expect_error([&] { x.as_strided({2}, {1}, -1); }, {"as_strided", "storage offset"});
  // A reach past int64 is an error, not an overflow.
  kiln_test::expect_error([&] { x.as_strided({3, 2}, {INT64_MAX / 2, 1}); }, {"as_strided", "reach past int64"});
  EXPECT_EQ(x.as_strided({0, 5}, {100, 100}, 6).numel(), 0);
}

}  // namespace
