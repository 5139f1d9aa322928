// clamp propagates NaN as libtorch 1.13 does: from the input, from tensor
// bounds, from clamp_min / clamp_max, and from either number bound when
// both are given. (libtorch's clamp with a single number bound ignores a NaN
// bound; kiln matches that too.)
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>

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

}  // namespace
