// clamp propagates NaN as libtorch 1.13 does: from the input, from tensor
// bounds, from clamp_min / clamp_max, and from either number bound when
// both are given. (libtorch's clamp with a single number bound ignores a NaN
// bound; kiln matches that too.) The gradient follows torch's clamp_backward:
// none where a NaN is compared, and to max where min > max; checked against torch.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>

#include "linalg/oracle.h"

namespace {
using kiln::Tensor;
const double kNaN = std::nan("");

Tensor x() { return kiln::tensor({-1.0, 0.5, 2.0}); }
int64_t nans(const Tensor& t) { return kiln::isnan(t).sum().item<int64_t>(); }

TEST(ClampNaN, NumberBounds) {
  EXPECT_EQ(nans(kiln::clamp(x(), NAN, 1.0)), 3);
  EXPECT_EQ(nans(kiln::clamp(x(), 0.0, NAN)), 3);
  EXPECT_EQ(nans(kiln::clamp_min(x(), NAN)), 3);
  EXPECT_EQ(nans(kiln::clamp_max(x(), NAN)), 3);
  EXPECT_EQ(nans(x().clamp_min(NAN)), 3);
  EXPECT_EQ(nans(x().clamp_max(NAN)), 3);
  Tensor a = x(), b = x();
  a.clamp_min_(NAN);
  b.clamp_(NAN, 1.0);
  EXPECT_EQ(nans(a), 3);
  EXPECT_EQ(nans(b), 3);
}

TEST(ClampNaN, ASingleNumberBoundThatIsNaNIsIgnoredAsInLibtorch) {
  EXPECT_TRUE(kiln::equal(kiln::clamp(x(), NAN), x()));
  EXPECT_TRUE(kiln::equal(kiln::clamp(x(), std::nullopt, NAN), x()));
  Tensor a = x();
  a.clamp_(NAN);
  EXPECT_TRUE(kiln::equal(a, x()));
  Tensor ints = kiln::clamp(kiln::tensor({1, 2}), NAN);  // promoted to float, values kept
  EXPECT_EQ(ints.dtype(), kiln::kFloat32);
  EXPECT_TRUE(kiln::equal(ints, kiln::tensor({1.0f, 2.0f})));
}

TEST(ClampNaN, TensorBounds) {
  Tensor lo = kiln::tensor({kNaN, 0.0, 0.0}), hi = kiln::tensor({5.0, kNaN, 5.0});
  Tensor r = kiln::clamp(x(), lo, hi);
  EXPECT_TRUE(std::isnan(r[0].item<float>()));
  EXPECT_TRUE(std::isnan(r[1].item<float>()));
  EXPECT_EQ(r[2].item<float>(), 2.0f);
  EXPECT_EQ(nans(kiln::clamp(x(), std::optional<Tensor>(lo))), 1);
  EXPECT_EQ(nans(kiln::clamp(x(), std::nullopt, std::optional<Tensor>(hi))), 1);
  EXPECT_EQ(nans(x().clamp(std::optional<Tensor>(lo))), 1);
}

TEST(ClampNaN, NaNInputStaysNaN) {
  Tensor r = kiln::clamp(kiln::tensor({kNaN, 3.0}), 0.0, 1.0);
  EXPECT_TRUE(std::isnan(r[0].item<float>()));
  EXPECT_EQ(r[1].item<float>(), 1.0f);
}

TEST(ClampNaN, GradientsMatchTorch) {
  auto ref = linalg_test::torch_eval(R"PY(
nan = float('nan')
def grads(f, *xs):
    xs = [torch.tensor(v, requires_grad=True) for v in xs]
    f(*xs).sum().backward()
    out.extend(x.grad for x in xs)
grads(lambda y, lo, hi: torch.clamp(y, lo, hi), [1., 2., 3., nan, 0.5, 2.], [nan, 0., 5., 0., 2., 1.], [2., nan, 6., 1., 1., 3.])
grads(lambda y, lo: torch.clamp(y, lo), [1., nan, 3., 4.], [nan, 0., 5., nan])
grads(lambda y, hi: torch.clamp(y, None, hi), [1., nan, 3., 4.], [nan, 0., 5., nan])
grads(lambda y: torch.clamp(y, nan), [1., nan, 3.])
grads(lambda y: torch.clamp(y, 2., 1.), [1., 1.5, 3.])
grads(lambda y: torch.clamp_max(y, nan), [1., 3.])
grads(lambda y: torch.clamp(y.clone().clamp_(None, nan), 0., 2.5), [1., 3.])
)PY");
  auto leaf = [](std::vector<double> v) {
    return kiln::tensor(v, kiln::TensorOptions(kiln::kFloat64).requires_grad(true));
  };
  auto expect_grads = [&](size_t first, std::vector<Tensor> inputs) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      SCOPED_TRACE("gradient " + std::to_string(first + i));
      ASSERT_TRUE(inputs[i].grad().defined());
      EXPECT_TRUE(kiln::equal(inputs[i].grad(), ref[first + i]));
    }
  };
  Tensor y = leaf({1, 2, 3, kNaN, 0.5, 2}), lo = leaf({kNaN, 0, 5, 0, 2, 1}), hi = leaf({2, kNaN, 6, 1, 1, 3});
  kiln::clamp(y, lo, hi).sum().backward();
  expect_grads(0, {y, lo, hi});
  Tensor y1 = leaf({1, kNaN, 3, 4}), lo1 = leaf({kNaN, 0, 5, kNaN});
  kiln::clamp(y1, lo1).sum().backward();
  expect_grads(3, {y1, lo1});
  Tensor y2 = leaf({1, kNaN, 3, 4}), hi2 = leaf({kNaN, 0, 5, kNaN});
  kiln::clamp(y2, std::nullopt, hi2).sum().backward();
  expect_grads(5, {y2, hi2});
  Tensor y3 = leaf({1, kNaN, 3});
  kiln::clamp(y3, kNaN).sum().backward();
  expect_grads(7, {y3});
  Tensor y4 = leaf({1, 1.5, 3});
  kiln::clamp(y4, 2.0, 1.0).sum().backward();
  expect_grads(8, {y4});
  Tensor y5 = leaf({1, 3});
  kiln::clamp_max(y5, kNaN).sum().backward();
  expect_grads(9, {y5});
  Tensor y6 = leaf({1, 3});
  kiln::clamp(y6.clone().clamp_(std::nullopt, kNaN), 0.0, 2.5).sum().backward();
  expect_grads(10, {y6});
}

TEST(ClampNaN, AnInfiniteGradientWhereTheBoundBitDoesNotLeak) {
  // d sqrt at 0 is inf; where clamp_min bit, x gets 0 (not inf * 0), as in torch.
  Tensor x = kiln::tensor({-1.0, 4.0}, kiln::TensorOptions(kiln::kFloat64).requires_grad(true));
  kiln::clamp_min(x, 0).sqrt().sum().backward();
  EXPECT_EQ(x.grad()[0].item<double>(), 0.0);
  EXPECT_EQ(x.grad()[1].item<double>(), 0.25);
  Tensor y = kiln::tensor({-1.0, 4.0}, kiln::TensorOptions(kiln::kFloat64).requires_grad(true));
  kiln::clamp(y, 0.0, 10.0).log().sum().backward();
  EXPECT_EQ(y.grad()[0].item<double>(), 0.0);
}

TEST(ClampNaN, GradientsMatchFiniteDifferences) {
  auto opts = kiln::TensorOptions(kiln::kFloat64).requires_grad(true);
  Tensor y = kiln::tensor({-1.5, 0.25, 0.7, 2.5}, opts);
  Tensor lo = kiln::tensor({-1.0, 0.0, 1.0, 0.0}, opts), hi = kiln::tensor({1.0, 0.5, 0.8, 3.0}, opts);
  EXPECT_TRUE(kiln::autograd::gradcheck([](const kiln::variable_list& v) { return kiln::clamp(v[0], v[1], v[2]); },
                                        {y, lo, hi}));
  EXPECT_TRUE(kiln::autograd::gradgradcheck(
      [](const kiln::variable_list& v) { return kiln::clamp(v[0], v[1], v[2]) * v[0]; }, {y, lo, hi}));
}

}  // namespace
