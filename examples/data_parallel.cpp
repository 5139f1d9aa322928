// Data-parallel training on N processes: every rank draws its own shard of
// each epoch (DistributedRandomSampler, reshuffled per epoch from a common
// seed); DistributedDataParallel averages the gradients over the ranks during
// backward, so every rank takes the same optimiser step. Run with the launcher:
//   tools/mpirun.sh 2 build/examples/data_parallel
#include <kiln/kiln.h>
#include <kiln/data.h>
#include <kiln/nn.h>
#include <kiln/optim.h>

#include <cstdio>

int main() {
  namespace dist = kiln::distributed;
  dist::init_process_group("mpi");
  int64_t rank = dist::get_rank(), world = dist::get_world_size();

  // y = 3 x0 - 2 x1 + 1 + noise: the same data set on every rank.
  kiln::manual_seed(0);
  auto x = kiln::randn({1024, 2});
  auto y = (3 * x.select(1, 0) - 2 * x.select(1, 1) + 1 + 0.01 * kiln::randn({1024})).unsqueeze(1);

  // Every rank starts from its own random weights; DistributedDataParallel copies rank 0's.
  kiln::manual_seed(100 + rank);
  kiln::nn::parallel::DistributedDataParallel model(kiln::nn::Linear(2, 1));
  kiln::optim::SGD sgd(model->parameters(), kiln::optim::SGDOptions(0.1));
  kiln::data::samplers::DistributedRandomSampler sampler(1024, world, rank);

  for (size_t epoch = 0; epoch < 5; ++epoch) {
    sampler.set_epoch(epoch);
    sampler.reset();
    kiln::Tensor last_loss;
    while (auto indices = sampler.next(64)) {  // 64 per rank, 64 x world per step
      std::vector<int64_t> ids(indices->begin(), indices->end());
      auto index = kiln::tensor(ids);
      sgd.zero_grad();
      last_loss = kiln::nn::functional::mse_loss(model(x.index_select(0, index)), y.index_select(0, index));
      last_loss.backward();  // gradients arrive averaged over the ranks
      sgd.step();
    }
    auto loss = last_loss.detach().clone();
    dist::all_reduce(loss, dist::ReduceOp::AVG);
    auto w = model->weight;
    if (rank == 0)
      std::printf("epoch %zu  loss %.6f  w = [%.4f, %.4f]  b = %.4f\n", epoch, loss.item<double>(),
                  w[0][0].item<double>(), w[0][1].item<double>(), model->bias[0].item<double>());
  }
  dist::destroy_process_group();
  return 0;
}
