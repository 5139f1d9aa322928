// Scalar::to<T>() and Tensor::item<T>(), as libtorch's: a value outside T's
// range is an error ("value cannot be converted to type int without
// overflow"), never a wrapped or undefined value.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <limits>

#include "common/expect_error.h"

namespace {
using kiln_test::expect_error;

TEST(ScalarConversion, ItemOverflowIsAnError) {
  kiln::Tensor huge = kiln::tensor({1e30}, kiln::kFloat64);
  expect_error([&] { (void)huge.item<int>(); }, {"value cannot be converted to type int without overflow"});
  expect_error([&] { (void)huge.item<int64_t>(); }, {"value cannot be converted to type int64_t without overflow"});
  expect_error([&] { (void)kiln::tensor({1e300}, kiln::kFloat64).item<float>(); },
               {"value cannot be converted to type float without overflow"});
  expect_error([] { (void)kiln::tensor({int64_t{1} << 40}).item<int>(); }, {"type int without overflow"});
  expect_error([] { (void)kiln::tensor({300}).item<uint8_t>(); }, {"type uint8_t without overflow"});
  expect_error([] { (void)kiln::tensor({-256}).item<uint8_t>(); }, {"type uint8_t without overflow"});
  EXPECT_EQ(kiln::tensor({-1}).item<uint8_t>(), 255);  // libtorch 1.13 wraps a negative integer (checked)
  expect_error([] { (void)kiln::tensor({NAN}).item<int>(); }, {"type int without overflow"});
  expect_error([] { (void)kiln::tensor({INFINITY}).item<int64_t>(); }, {"type int64_t without overflow"});
  expect_error([] { (void)kiln::Scalar(0x1p63).to<int64_t>(); }, {"type int64_t without overflow"});
}

TEST(ScalarConversion, ValuesInRangeConvert) {
  EXPECT_EQ(kiln::tensor({2147483647.0}, kiln::kFloat64).item<int>(), 2147483647);
  EXPECT_EQ(kiln::tensor({-2147483648.0}, kiln::kFloat64).item<int>(), std::numeric_limits<int>::min());
  EXPECT_EQ(kiln::tensor({2.75}, kiln::kFloat64).item<int>(), 2);  // a fraction truncates
  EXPECT_EQ(kiln::tensor({255}).item<uint8_t>(), 255);
  EXPECT_EQ(kiln::Scalar(-0x1p63).to<int64_t>(), std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(std::isinf(kiln::tensor({INFINITY}).item<float>()));  // inf and NaN fit a floating type
  EXPECT_TRUE(std::isnan(kiln::tensor({NAN}, kiln::kFloat64).item<float>()));
  EXPECT_TRUE(kiln::tensor({2.5}).item<bool>());
  EXPECT_EQ(kiln::tensor({1e300}, kiln::kFloat64).item<double>(), 1e300);
}

TEST(ScalarConversion, FillingADtypeTooSmallIsTheSameError) {
  expect_error([] { kiln::zeros({2}, kiln::kInt32).fill_(1e10); }, {"type int without overflow"});
  expect_error([] { kiln::full({2}, NAN, kiln::kInt64); }, {"type int64_t without overflow"});
  expect_error([] { kiln::full({2}, 1e39, kiln::kFloat32); }, {"type float without overflow"});
}

}  // namespace
