// Data-parallel training on N processes: each rank trains on its own shard of
// the batch; the reducer averages the gradients over the ranks during
// backward, so every rank takes the same step. Run with the launcher:
//   tools/mpirun.sh 2 build/examples/data_parallel
#include <kiln/kiln.h>

#include <cstdio>

int main() {
  namespace dist = kiln::distributed;
  dist::init_process_group("mpi");
  int64_t rank = dist::get_rank(), world = dist::get_world_size();

  // y = 3 x0 - 2 x1 + 1, sharded by rank: rank r owns rows r, r + world, ...
  kiln::manual_seed(0);
  auto x = kiln::randn({1024, 2});
  auto y = 3 * x.select(1, 0) - 2 * x.select(1, 1) + 1;
  auto index = kiln::arange(rank, 1024, world);
  auto xs = x.index_select(0, index), ys = y.index_select(0, index);

  // Every rank starts from its own random weights; the reducer copies rank 0's.
  kiln::manual_seed(100 + rank);
  auto w = kiln::randn({2}).requires_grad_();
  auto b = kiln::zeros({1}).requires_grad_();
  dist::Reducer reducer({w, b});

  for (int step = 0; step <= 200; ++step) {
    auto loss = (kiln::mv(xs, w) + b - ys).pow(2).mean();
    loss.backward();  // gradients arrive averaged over the ranks
    {
      kiln::NoGradGuard no_grad;
      w.sub_(w.grad() * 0.1);
      b.sub_(b.grad() * 0.1);
    }
    w.mutable_grad().zero_();
    b.mutable_grad().zero_();
    if (step % 50 == 0) {
      auto mean_loss = loss.detach().clone();
      dist::all_reduce(mean_loss, dist::ReduceOp::AVG);
      if (rank == 0)
        std::printf("step %3d  loss %.6f  w = [%.4f, %.4f]  b = %.4f\n", step, mean_loss.item<double>(),
                    w[0].item<double>(), w[1].item<double>(), b[0].item<double>());
    }
  }
  dist::destroy_process_group();
  return 0;
}
