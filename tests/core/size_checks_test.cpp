// Every size and byte count is checked, with torch's errors: a shape whose
// element or byte count overflows int64 is a kiln::Error (never a segfault,
// a 0-byte storage or a wrapped numel).
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include "common/expect_error.h"

namespace {
using kiln_test::expect_error;
constexpr int64_t k62 = int64_t{1} << 62;

TEST(SizeChecks, FactoriesRefuseShapesTooLargeToStore) {
  const char* msg = "Storage size calculation overflowed with sizes=[4611686018427387904]";
  expect_error([] { kiln::zeros({k62}); }, {msg});
  expect_error([] { kiln::ones({k62}); }, {msg});
  expect_error([] { kiln::full({k62}, 2.0); }, {msg});
  expect_error([] { kiln::empty({k62}); }, {msg});
  expect_error([] { kiln::empty({k62}, kiln::kFloat64); }, {msg});
  expect_error([] { kiln::linspace(0, 1, k62); }, {msg});
  expect_error([] { kiln::arange(int64_t{0}, k62); }, {msg});
  expect_error([] { kiln::eye(int64_t{1} << 31); },
               {"Storage size calculation overflowed with sizes=[2147483648, 2147483648]"});
}

TEST(SizeChecks, ElementCountOverflowIsTheSameError) {
  int64_t big = int64_t{1} << 40;
  expect_error([&] { kiln::empty({big, big}); },
               {"Storage size calculation overflowed with sizes=[1099511627776, 1099511627776]"});
  expect_error([] { kiln::empty({k62, 4, 0}); }, {"Storage size calculation overflowed"});
  // A zero first keeps the count at 0, as in torch.
  EXPECT_EQ(kiln::empty({0, k62, 4}).numel(), 0);
}

TEST(SizeChecks, ViewsWhoseElementCountOverflows) {
  int64_t big = int64_t{1} << 32;
  expect_error([&] { kiln::ones({1}).expand({big, big}); }, {"numel: integer multiplication overflow"});
  expect_error([&] { kiln::ones({1, 0}).expand({k62, 4, 0}); }, {"numel: integer multiplication overflow"});
  EXPECT_EQ(kiln::ones({1}).expand({big}).numel(), big);
  float blob = 0;
  expect_error([&] { kiln::from_blob(&blob, {big, big}, {0, 0}); }, {"numel: integer multiplication overflow"});
  expect_error([&] { kiln::from_blob(&blob, {-1, -1}); }, {"from_blob", "negative dimension -1", "[-1, -1]"});
  expect_error([&] { kiln::from_blob(&blob, {2, 2}, {INT64_MAX, 1}); }, {"from_blob", "reach past int64"});
}

TEST(SizeChecks, ArangeWithTooManySteps) {
  expect_error([] { kiln::arange(0.0, 1e30, 1.0); }, {"arange", "invalid size, possible overflow?"});
  expect_error([] { kiln::arange(0.0, 1e30, 1.0, kiln::kFloat64); }, {"invalid size, possible overflow?"});
  EXPECT_EQ(kiln::arange(0.0, 1e6, 1.0).numel(), 1000000);
}

}  // namespace
