// Data-parallel training (DistributedDataParallel over a module, the Reducer
// under it) on the ranks equals one process on the full batch:
// an MLP trained for 20 steps with each rank on its share of the batch ends
// with the same float64 parameters (1e-12 relative) as full-batch training,
// with and without no_sync accumulation; models that differ across ranks raise.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "common/expect_error.h"
#include "kiln/kiln.h"

namespace kiln {
namespace {

namespace dist = kiln::distributed;

constexpr int64_t kIn = 6, kHidden = 16, kOut = 3, kBatch = 24, kSteps = 20;
constexpr double kLr = 0.1;

// A 6-16-16-3 tanh MLP as plain leaf tensors: w1, b1, w2, b2, w3, b3.
std::vector<Tensor> mlp_params(uint64_t seed, int64_t hidden = kHidden) {
  manual_seed(seed);
  std::vector<int64_t> dims = {kIn, hidden, hidden, kOut};
  std::vector<Tensor> params;
  for (size_t l = 0; l + 1 < dims.size(); ++l) {
    params.push_back((randn({dims[l + 1], dims[l]}, dtype(kFloat64)) * 0.5).requires_grad_());
    params.push_back((randn({dims[l + 1]}, dtype(kFloat64)) * 0.1).requires_grad_());
  }
  return params;
}

Tensor forward(const std::vector<Tensor>& p, const Tensor& x) {
  Tensor h = x;
  for (size_t l = 0; l < p.size(); l += 2) {
    h = matmul(h, p[l].t()) + p[l + 1];
    if (l + 2 < p.size()) h = tanh(h);
  }
  return h;
}

Tensor loss_of(const Tensor& out, const Tensor& y) { return (out - y).pow(2).mean(); }
Tensor loss_of(const std::vector<Tensor>& p, const Tensor& x, const Tensor& y) { return loss_of(forward(p, x), y); }

// The same MLP as a module: what DistributedDataParallel asks of one.
struct Mlp {
  std::vector<Tensor> params;
  std::vector<Tensor> buffers_;
  std::vector<Tensor> parameters() const { return params; }
  std::vector<Tensor> buffers() const { return buffers_; }
  Tensor forward(const Tensor& x) { return kiln::forward(params, x); }
};
std::shared_ptr<Mlp> mlp(uint64_t seed, int64_t hidden = kHidden) {
  auto m = std::make_shared<Mlp>();
  m->params = mlp_params(seed, hidden);
  return m;
}
using DDP = nn::parallel::DistributedDataParallel<std::shared_ptr<Mlp>>;
nn::parallel::DistributedDataParallelOptions cap_bytes(int64_t bytes) {
  return nn::parallel::DistributedDataParallelOptions().bucket_cap_mb(static_cast<double>(bytes) / (1 << 20));
}

void sgd_step(const std::vector<Tensor>& params) {
  NoGradGuard no_grad;
  for (Tensor p : params) {
    p.sub_(p.grad() * kLr);
    p.mutable_grad().zero_();
  }
}

struct Data {
  Tensor x, y;
};
Data full_batch() {
  manual_seed(99);
  Tensor x = randn({kBatch, kIn}, dtype(kFloat64));
  Tensor y = sin(x.narrow(1, 0, kOut)) + 0.1 * randn({kBatch, kOut}, dtype(kFloat64));
  return {x, y};
}
// Rank r's share of rows, optionally its `part`-th of `parts` micro-batches.
Tensor share(const Tensor& t, int64_t r, int64_t world, int64_t part = 0, int64_t parts = 1) {
  int64_t n = t.size(0) / world / parts;
  return t.narrow(0, (r * parts + part) * n, n);
}

double max_relative_difference(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double scale = b[i].abs().max().item<double>();
    worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>() / scale);
  }
  return worst;
}

// Full-batch training in this process alone; each micro-batch's mean loss
// summed over micro-batches and averaged over ranks, as the ranks see it.
std::vector<Tensor> reference(int64_t parts) {
  std::vector<Tensor> p = mlp_params(0);
  Data d = full_batch();
  int64_t world = dist::get_world_size();
  for (int step = 0; step < kSteps; ++step) {
    Tensor loss = zeros({}, dtype(kFloat64));
    for (int64_t r = 0; r < world; ++r)
      for (int64_t m = 0; m < parts; ++m)
        loss = loss + loss_of(p, share(d.x, r, world, m, parts), share(d.y, r, world, m, parts));
    (loss / world).backward();
    sgd_step(p);
  }
  return p;
}

std::vector<Tensor> data_parallel(int64_t parts, int64_t bucket_cap) {
  // Each rank starts from its own random values: DistributedDataParallel copies rank 0's.
  DDP model(mlp(dist::get_rank()), cap_bytes(bucket_cap));
  Data d = full_batch();
  int64_t r = dist::get_rank(), world = dist::get_world_size();
  for (int step = 0; step < kSteps; ++step) {
    {
      auto guard = model.no_sync();
      for (int64_t m = 0; m + 1 < parts; ++m)
        loss_of(model(share(d.x, r, world, m, parts)), share(d.y, r, world, m, parts)).backward();
    }
    loss_of(model(share(d.x, r, world, parts - 1, parts)), share(d.y, r, world, parts - 1, parts)).backward();
    sgd_step(model->params);
  }
  return model->params;
}

TEST(DistributedDataParallel, TwentyStepsEqualFullBatchTraining) {
  std::vector<Tensor> want = reference(1);
  // One bucket (the default cap), and one bucket per parameter or two.
  for (int64_t cap : {int64_t{25} << 20, int64_t{64}, int64_t{1024}}) {
    SCOPED_TRACE("bucket cap " + std::to_string(cap));
    std::vector<Tensor> got = data_parallel(1, cap);
    EXPECT_LE(max_relative_difference(got, want), 1e-12);
  }
}

TEST(DistributedDataParallel, NoSyncAccumulatesThenAverages) {
  std::vector<Tensor> want = reference(2);
  std::vector<Tensor> got = data_parallel(2, 1024);
  EXPECT_LE(max_relative_difference(got, want), 1e-12);
  // Without the final synchronised backward, ranks keep their own gradients.
  DDP model(mlp(0));
  Tensor w = model->params[0];
  {
    auto guard = model.no_sync();
    (w.sum() * (dist::get_rank() + 1)).backward();
  }
  EXPECT_TRUE(allclose(w.grad(), full_like(w, static_cast<double>(dist::get_rank() + 1))));
}

TEST(Reducer, BucketsInReverseRegistrationOrder) {
  std::vector<Tensor> p = mlp_params(0);
  // A bucket closes once it holds the cap or more: with 256 bytes, after each
  // weight (the last layer's 3x16 float64 weight is 384 bytes).
  dist::Reducer reducer(p, {}, 256, 256);
  std::vector<std::vector<int64_t>> want = {{5, 4}, {3, 2}, {1, 0}};
  EXPECT_EQ(reducer.buckets(), want);
  dist::Reducer one(p);
  EXPECT_EQ(one.buckets(), (std::vector<std::vector<int64_t>>{{5, 4, 3, 2, 1, 0}}));
}

TEST(DistributedDataParallel, BuffersComeFromRankZero) {
  auto m = mlp(0);
  Tensor running = full({4}, static_cast<double>(dist::get_rank() + 5), dtype(kFloat64));
  m->buffers_ = {running};
  DDP model(m);
  EXPECT_TRUE(equal(running, full({4}, 5.0, dtype(kFloat64))));
  // ... and again before each forward.
  running.fill_(static_cast<double>(dist::get_rank() + 7));
  model(zeros({1, kIn}, dtype(kFloat64)));
  EXPECT_TRUE(equal(running, full({4}, 7.0, dtype(kFloat64))));
}

TEST(DistributedDataParallel, ModelsThatDifferAcrossRanksRaise) {
  auto m = mlp(0, dist::get_rank() == 0 ? kHidden : kHidden + 1);
  kiln_test::expect_error([&] { DDP model(m); },
                          {"DistributedDataParallel", "differ", "parameters[0]", "[16, 6]", "[17, 6]"});
  auto fewer = mlp(0);
  if (dist::get_rank() == 1) fewer->params.pop_back();
  kiln_test::expect_error([&] { DDP model(fewer); },
                          {"DistributedDataParallel", "differ", "has 5", "has 6"});
}

TEST(Reducer, UnusedParameterIsReported) {
  std::vector<Tensor> p = mlp_params(0);
  dist::Reducer reducer(p);
  // The first backward leaves the last layer without a gradient; the next one reports it.
  Data d = full_batch();
  auto partial = [&] { return tanh(matmul(tanh(matmul(d.x, p[0].t()) + p[1]), p[2].t()) + p[3]).sum(); };
  partial().backward();
  kiln_test::expect_error([&] { partial().backward(); }, {"DistributedDataParallel", "second gradient"});
}

}  // namespace
}  // namespace kiln
