// Run on 2 ranks by expect_abort.cmake: a data-parallel training loop in
// which rank 1 throws at step 3 while rank 0 goes on to its next backward,
// whose gradient all-reduce waits for rank 1.
// The job must end (not hang) with rank 1's message.
#include <cstdio>

#include "kiln/kiln.h"

int main() {
  namespace dist = kiln::distributed;
  dist::init_process_group("mpi");
  kiln::manual_seed(1);
  auto w = kiln::zeros({8}, kiln::dtype(kiln::kFloat64)).requires_grad_();
  auto x = kiln::randn({64, 8}, kiln::dtype(kiln::kFloat64));
  auto y = x.sum({1});
  dist::Reducer reducer({w});
  for (int step = 0; step < 1000; ++step) {
    if (dist::get_rank() == 1 && step == 3) throw kiln::Error("rank 1 hit a bad batch at step 3");
    auto loss = (kiln::matmul(x, w) - y).pow(2).mean();
    loss.backward();  // rank 0 waits here for rank 1's gradients
    {
      kiln::NoGradGuard no_grad;
      w.sub_(w.grad() * 0.1);
    }
    w.mutable_grad().zero_();
  }
  std::printf("rank %lld finished all steps\n", static_cast<long long>(dist::get_rank()));
  dist::destroy_process_group();
  return 0;
}
