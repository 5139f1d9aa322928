// The tests' main: every rank joins the process group, runs the same tests in
// the same order (so their collectives meet), and only rank 0 prints progress.
#include <gtest/gtest.h>

#include <cstdio>

#include "kiln/distributed.h"

namespace {

// Prints this rank's failures, prefixed by the rank.
class RankFailures : public testing::EmptyTestEventListener {
  void OnTestPartResult(const testing::TestPartResult& r) override {
    if (r.failed())
      std::fprintf(stderr, "[rank %lld] %s:%d: %s\n", static_cast<long long>(kiln::distributed::get_rank()),
                   r.file_name() ? r.file_name() : "?", r.line_number(), r.summary());
  }
};

}  // namespace

int main(int argc, char** argv) {
  kiln::distributed::init_process_group("mpi");
  testing::InitGoogleTest(&argc, argv);
  if (kiln::distributed::get_rank() != 0) {
    // Other ranks report failures only (their own), not every test's progress.
    auto& listeners = testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new RankFailures);
  }
  int failed = RUN_ALL_TESTS();
  kiln::distributed::destroy_process_group();
  return failed;
}
