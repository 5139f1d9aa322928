// set_num_threads is one budget for the process: a std::thread started
// before or after the call sees it too (OpenMP's own setting is per thread).
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <thread>

namespace {

struct RestoreThreads {
  int before = kiln::get_num_threads();
  ~RestoreThreads() { kiln::set_num_threads(before); }
};

TEST(ThreadBudget, AppliesToEveryThread) {
  RestoreThreads restore;
  kiln::set_num_threads(1);
  int seen = 0;
  std::thread([&] { seen = kiln::get_num_threads(); }).join();
  EXPECT_EQ(seen, 1);
  kiln::set_num_threads(3);
  std::thread([&] { seen = kiln::get_num_threads(); }).join();
  EXPECT_EQ(seen, 3);
}

TEST(ThreadBudget, SetInAThreadAppliesToTheOthers) {
  RestoreThreads restore;
  std::thread([] { kiln::set_num_threads(1); }).join();
  EXPECT_EQ(kiln::get_num_threads(), 1);
  // Work in a thread under the budget still computes the same result.
  double total = 0;
  std::thread([&] { total = kiln::ones({1 << 20}, kiln::kFloat64).sum().item<double>(); }).join();
  EXPECT_EQ(total, static_cast<double>(1 << 20));
}

TEST(ThreadBudget, RefusesNonPositive) {
  EXPECT_THROW(kiln::set_num_threads(0), kiln::Error);
}

}  // namespace
