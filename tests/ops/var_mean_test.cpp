// var_mean and std_mean: both results against torch, and a single integer
// read as a dim (not `unbiased`), as libtorch's std(0). The moments and sums
// take an optional dim list, as libtorch's OptionalIntArrayRef: nullopt
// reduces every dim, keepdim still applies.
#include "linalg/oracle.h"

namespace {
using kiln::Tensor;
using linalg_test::expect_close;

TEST(VarMean, MatchesTorch) {
  Tensor x = linalg_test::mk({4, 3});
  auto ref = linalg_test::torch_eval(
      "x = mk(4, 3)\nv, m = torch.var_mean(x, 0)\ns, n = torch.std_mean(x, (0, 1), unbiased=False, keepdim=True)\n"
      "a, b = torch.var_mean(x)\nout += [v, m, s, n, a, b]\n");
  auto [v, m] = kiln::var_mean(x, 0);
  expect_close(v, ref[0]);
  expect_close(m, ref[1]);
  auto [s, n] = kiln::std_mean(x, {0, 1}, false, true);
  expect_close(s, ref[2]);
  expect_close(n, ref[3]);
  auto [a, b] = kiln::var_mean(x);
  expect_close(a, ref[4]);
  expect_close(b, ref[5]);
  EXPECT_EQ(std::get<0>(kiln::std_mean(x, 1, true)).numel(), 4);
}

TEST(VarMean, AnIntegerIsADim) {
  Tensor x = kiln::randn({4, 3});
  EXPECT_EQ(x.var(0).numel(), 3);
  EXPECT_EQ(x.std(0, true).numel(), 3);
  EXPECT_EQ(kiln::var(x, 1).numel(), 4);
  EXPECT_EQ(kiln::std(x, 0, true).numel(), 3);
  EXPECT_EQ(x.var(false).numel(), 1);
  EXPECT_EQ(std::get<0>(kiln::var_mean(x, true)).numel(), 1);
}

TEST(VarMean, GradientsMatchGradcheck) {
  Tensor x = kiln::randn({3, 4}, kiln::kFloat64).requires_grad_();
  EXPECT_TRUE(kiln::autograd::gradcheck(
      [](const kiln::variable_list& v) {
        auto [var, mean] = kiln::var_mean(v[0], 1);
        return var + mean * 2;
      },
      {x}));
  kiln_test::expect_error([&] { kiln::var_mean(x, 2); }, {"dimension out of range"});
}

TEST(VarMean, NoDimListReducesEveryDim) {
  Tensor x = kiln::arange(12., kiln::TensorOptions(kiln::kFloat64)).reshape({3, 4});
  const std::vector<int64_t> kept{1, 1};
  EXPECT_EQ(x.sum(std::nullopt, true).sizes(), kept);
  EXPECT_EQ(x.sum(std::nullopt, true).item<double>(), 66.);
  EXPECT_EQ(kiln::mean(x, std::nullopt, true).item<double>(), 5.5);
  EXPECT_EQ(x.mean(std::nullopt, false).dim(), 0);
  EXPECT_DOUBLE_EQ(x.var(std::nullopt, true, true).item<double>(), 13.);
  EXPECT_EQ(x.var(std::nullopt, true, true).sizes(), kept);
  EXPECT_DOUBLE_EQ(kiln::std(x, std::nullopt, false).item<double>(), std::sqrt(143. / 12.));
  auto [v, m] = kiln::var_mean(x, std::nullopt, true, true);
  EXPECT_EQ(v.sizes(), kept);
  EXPECT_EQ(m.item<double>(), 5.5);
  // A list that is present but empty also reduces every dim, as torch's sum(dim=[]).
  EXPECT_EQ(x.sum(std::vector<int64_t>{}).item<double>(), 66.);
}

}  // namespace
