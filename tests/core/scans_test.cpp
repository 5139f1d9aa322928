// Scans: cumsum and cumprod along any dim (negative too), their dtypes
// (integers and bool accumulate in int64), 0-d and empty inputs, NaN.
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;

TEST(Scans, CumsumCumprodValues) {
  Tensor x = make({2, 3}, {1, 2, 3, 4, 5, 6}, kiln::kFloat32);
  EXPECT_TRUE(matches(x.cumsum(-1), kiln::kFloat32, {2, 3}, {1, 3, 6, 4, 9, 15}));
  EXPECT_TRUE(matches(x.cumsum(1), kiln::kFloat32, {2, 3}, {1, 3, 6, 4, 9, 15}));
  EXPECT_TRUE(matches(x.cumsum(0), kiln::kFloat32, {2, 3}, {1, 2, 3, 5, 7, 9}));
  EXPECT_TRUE(matches(x.cumprod(0), kiln::kFloat32, {2, 3}, {1, 2, 3, 4, 10, 18}));
  EXPECT_TRUE(matches(x.cumprod(-1), kiln::kFloat32, {2, 3}, {1, 2, 6, 4, 20, 120}));
  EXPECT_TRUE(matches(kiln::cumsum(x, -2), kiln::kFloat32, {2, 3}, {1, 2, 3, 5, 7, 9}));
  EXPECT_TRUE(matches(kiln::cumprod(x, 1), kiln::kFloat32, {2, 3}, {1, 2, 6, 4, 20, 120}));
}

TEST(Scans, Dtypes) {
  EXPECT_TRUE(matches(kiln::tensor({1, 2, 3}).cumsum(0), kiln::kInt64, {3}, {1, 3, 6}));
  EXPECT_TRUE(matches(kiln::tensor({1, 2, 3}, kiln::kInt32).cumsum(0), kiln::kInt64, {3}, {1, 3, 6}));
  EXPECT_TRUE(matches(kiln::tensor({1, 2, 3}, kiln::kInt32).cumprod(0), kiln::kInt64, {3}, {1, 2, 6}));
  EXPECT_TRUE(matches(kiln::tensor({true, true, false}).cumsum(0), kiln::kInt64, {3}, {1, 2, 2}));
  EXPECT_TRUE(matches(make({2}, {1, 2}, kiln::kFloat32).cumsum(0, kiln::kFloat64), kiln::kFloat64, {2}, {1, 3}));
  EXPECT_TRUE(matches(kiln::tensor({1, 2}).cumprod(0, kiln::kFloat32), kiln::kFloat32, {2}, {1, 2}));
}

TEST(Scans, NonContiguousZeroDimEmptyNan) {
  Tensor x = kiln::arange(6, kiln::kFloat64).reshape({2, 3}).t();  // [3, 2]: [[0, 3], [1, 4], [2, 5]]
  EXPECT_TRUE(matches(x.cumsum(0), kiln::kFloat64, {3, 2}, {0, 3, 1, 7, 3, 12}));
  EXPECT_TRUE(matches(x.cumsum(1), kiln::kFloat64, {3, 2}, {0, 3, 1, 5, 2, 7}));
  EXPECT_TRUE(matches(kiln::tensor(3.0).cumsum(-1), kiln::kFloat32, {}, {3}));
  EXPECT_TRUE(matches(kiln::tensor(3.0).cumprod(0), kiln::kFloat32, {}, {3}));
  EXPECT_TRUE(matches(kiln::zeros({0, 2}).cumsum(0), kiln::kFloat32, {0, 2}, {}));
  EXPECT_TRUE(matches(kiln::zeros({2, 0}).cumprod(1), kiln::kFloat32, {2, 0}, {}));
  EXPECT_TRUE(matches(make({3}, {1, NAN, 2}).cumsum(0), kiln::kFloat64, {3}, {1, NAN, NAN}));
  // Long scans run in parallel over lines.
  Tensor big = kiln::ones({1000, 300}, kiln::kFloat64);
  Tensor c = big.cumsum(0);
  EXPECT_EQ(c[999][17].item<double>(), 1000.0);
  EXPECT_EQ(big.cumsum(1)[5][299].item<double>(), 300.0);
}

TEST(Scans, DimOutOfRange) {
  Tensor x = kiln::ones({2, 3});
  EXPECT_TRUE(throws_error([&] { x.cumsum(2); }, {"cumsum", "out of range", "[-2, 1]", "2"}));
  EXPECT_TRUE(throws_error([&] { x.cumprod(-3); }, {"cumprod", "out of range", "-3"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor(1.0).cumsum(1); }, {"cumsum", "out of range"}));
}

}  // namespace
