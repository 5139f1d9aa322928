// DistributedDataParallel over a kiln::nn model with a kiln::optim optimiser:
// 20 SGD-with-momentum steps of a float64 MLP on 2 ranks, each on half of the
// batch, end with the parameters of one process trained on the full batch
// (1e-12 relative); so does gradient accumulation under no_sync.
#include <gtest/gtest.h>

#include "common/expect_error.h"
#include "kiln/kiln.h"
#include "kiln/nn.h"
#include "kiln/optim.h"

namespace kiln {
namespace {

namespace dist = kiln::distributed;

constexpr int64_t kBatch = 32, kSteps = 20;

nn::Sequential make_mlp(uint64_t seed, int64_t hidden = 16) {
  manual_seed(seed);
  nn::Sequential m(nn::Linear(6, hidden), nn::Tanh(), nn::Linear(hidden, hidden), nn::Tanh(), nn::Linear(hidden, 3));
  m->to(kFloat64);
  return m;
}

struct Batch {
  Tensor x, y;
};
Batch batch() {
  manual_seed(7);
  Tensor x = randn({kBatch, 6}, dtype(kFloat64));
  return {x, cos(x.narrow(1, 0, 3)) + 0.1 * randn({kBatch, 3}, dtype(kFloat64))};
}

// Rows of micro-batch `m` of `parts` on rank r.
Tensor rows(const Tensor& t, int64_t r, int64_t m, int64_t parts) {
  int64_t n = kBatch / dist::get_world_size() / parts;
  return t.narrow(0, (r * parts + m) * n, n);
}

optim::SGD make_sgd(const nn::Sequential& m) { return optim::SGD(m->parameters(), optim::SGDOptions(0.05).momentum(0.9)); }

// One process, the whole batch: the loss the ranks' average stands for.
std::vector<Tensor> full_batch_training(int64_t parts) {
  nn::Sequential m = make_mlp(0);
  optim::SGD sgd = make_sgd(m);
  Batch b = batch();
  int64_t world = dist::get_world_size();
  for (int step = 0; step < kSteps; ++step) {
    sgd.zero_grad();
    Tensor loss = zeros({}, dtype(kFloat64));
    for (int64_t r = 0; r < world; ++r)
      for (int64_t mb = 0; mb < parts; ++mb)
        loss = loss + nn::functional::mse_loss(m(rows(b.x, r, mb, parts)), rows(b.y, r, mb, parts));
    (loss / world).backward();
    sgd.step();
  }
  return m->parameters();
}

std::vector<Tensor> data_parallel_training(int64_t parts) {
  // Each rank starts from its own values; rank 0's (those of the reference) are copied to all.
  nn::parallel::DistributedDataParallel ddp(make_mlp(dist::get_rank()));
  optim::SGD sgd = make_sgd(ddp.module());
  Batch b = batch();
  int64_t r = dist::get_rank();
  for (int step = 0; step < kSteps; ++step) {
    sgd.zero_grad();
    {
      auto guard = ddp.no_sync();
      for (int64_t mb = 0; mb + 1 < parts; ++mb)
        nn::functional::mse_loss(ddp(rows(b.x, r, mb, parts)), rows(b.y, r, mb, parts)).backward();
    }
    nn::functional::mse_loss(ddp(rows(b.x, r, parts - 1, parts)), rows(b.y, r, parts - 1, parts)).backward();
    sgd.step();
  }
  return ddp->parameters();
}

void expect_same(const std::vector<Tensor>& got, const std::vector<Tensor>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    double scale = want[i].abs().max().item<double>();
    EXPECT_LE((got[i] - want[i]).abs().max().item<double>(), 1e-12 * scale) << "parameter " << i;
  }
}

TEST(NnDistributedDataParallel, TwentyStepsEqualFullBatchTraining) {
  expect_same(data_parallel_training(1), full_batch_training(1));
}

TEST(NnDistributedDataParallel, NoSyncAccumulationEqualsFullBatch) {
  expect_same(data_parallel_training(2), full_batch_training(2));
}

TEST(NnDistributedDataParallel, ShapesThatDifferAcrossRanksRaise) {
  kiln_test::expect_error(
      [] { nn::parallel::DistributedDataParallel ddp(make_mlp(0, dist::get_rank() == 0 ? 16 : 8)); },
      {"DistributedDataParallel", "differ", "parameters[0]", "[16, 6]", "[8, 6]"});
}

}  // namespace
}  // namespace kiln
