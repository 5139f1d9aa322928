#include <gtest/gtest.h>
#include <kiln/kiln.h>

TEST(Smoke, Arithmetic) {
  auto x = kiln::arange(4.0);
  auto y = x * 2 + 1;
  EXPECT_EQ(y.sizes(), std::vector<int64_t>({4}));
  EXPECT_DOUBLE_EQ(y.sum().item<double>(), 16.0);
}
