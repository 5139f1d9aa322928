// randperm of a size too large to store is a kiln::Error with torch's message
// (not std::length_error from a scratch vector).
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <algorithm>
#include <vector>

#include "common/expect_error.h"

namespace {

TEST(RandpermSize, TooLargeIsAKilnError) {
  kiln_test::expect_error([] { kiln::randperm(int64_t{1} << 62); },
                          {"Storage size calculation overflowed with sizes=[4611686018427387904]"});
  kiln_test::expect_error([] { kiln::randperm(int64_t{1} << 60, kiln::kInt32); }, {"randperm", "too large"});
}

TEST(RandpermSize, SmallDtypesStillPermute) {
  kiln::manual_seed(3);
  kiln::Tensor p = kiln::randperm(50, kiln::kInt32);
  EXPECT_EQ(p.dtype(), kiln::kInt32);
  std::vector<int32_t> v(p.data_ptr<int32_t>(), p.data_ptr<int32_t>() + 50);
  std::sort(v.begin(), v.end());
  for (int32_t i = 0; i < 50; ++i) EXPECT_EQ(v[i], i);
}

}  // namespace
