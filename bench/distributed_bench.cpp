// The distributed benchmarks of issue 13, run by tools/bench_distributed.sh:
//   all_reduce: kiln::distributed::all_reduce beside a plain MPI_Allreduce on
//     the same float32 buffers, 1 to 256 MiB (kiln should add no copies);
//   mlp: the 784-512-512-10 MLP training step (batch 256 over all ranks) with
//     the gradient reducer; on 1 rank, the same step without one.
// Prints medians; the script turns them into BENCHMARKS.md rows.
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "kiln/kiln.h"

namespace dist = kiln::distributed;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Times f on every rank, the ranks started together; the slowest rank counts.
template <class F>
double timed(F&& f) {
  MPI_Barrier(MPI_COMM_WORLD);
  auto start = Clock::now();
  f();
  double local = std::chrono::duration<double>(Clock::now() - start).count(), slowest = 0;
  MPI_Allreduce(&local, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return slowest;
}

void all_reduce_bandwidth(int reps) {
  int world = static_cast<int>(dist::get_world_size());
  for (int64_t mib : {1, 4, 16, 64, 256}) {
    int64_t n = mib * (1 << 20) / 4;
    kiln::Tensor t = kiln::ones({n}, kiln::dtype(kiln::kFloat32));
    std::vector<double> kiln_s, mpi_s;
    for (int r = 0; r < reps; ++r) {  // interleaved, so drifts in machine load hit both alike
      kiln_s.push_back(timed([&] { dist::all_reduce(t); }));
      mpi_s.push_back(timed([&] {
        MPI_Allreduce(MPI_IN_PLACE, t.data_ptr(), static_cast<int>(n), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
      }));
    }
    // Bus bandwidth as nccl-tests define it: 2 (p - 1) / p bytes cross per byte reduced.
    double bus = 2.0 * (world - 1) / world * static_cast<double>(n * 4) / (1 << 30);
    double k = median(kiln_s), m = median(mpi_s);
    if (dist::get_rank() == 0)
      std::printf("all_reduce %4lld MiB: kiln %.3f ms (%.2f GiB/s)  MPI_Allreduce %.3f ms (%.2f GiB/s)  ratio %.3f\n",
                  static_cast<long long>(mib), k * 1e3, bus / k, m * 1e3, bus / m, m / k);
  }
}

struct Mlp {
  std::vector<kiln::Tensor> params;
  Mlp() {
    kiln::manual_seed(0);
    std::vector<int64_t> dims = {784, 512, 512, 10};
    for (size_t l = 0; l + 1 < dims.size(); ++l) {
      double bound = 1.0 / std::sqrt(static_cast<double>(dims[l]));
      params.push_back(((kiln::rand({dims[l + 1], dims[l]}) * 2 - 1) * bound).requires_grad_());
      params.push_back(((kiln::rand({dims[l + 1]}) * 2 - 1) * bound).requires_grad_());
    }
  }
  kiln::Tensor loss(const kiln::Tensor& x, const kiln::Tensor& y) const {
    kiln::Tensor h = x;
    for (size_t l = 0; l < params.size(); l += 2) {
      h = kiln::addmm(params[l + 1], h, params[l].t());
      if (l + 2 < params.size()) h = kiln::relu(h);
    }
    return (h - y).pow(2).mean();
  }
  void step(const kiln::Tensor& x, const kiln::Tensor& y) {
    loss(x, y).backward();
    kiln::NoGradGuard no_grad;
    for (kiln::Tensor& p : params) {
      p.sub_(p.grad() * 0.01);
      p.mutable_grad().zero_();
    }
  }
};

void mlp_step(int reps) {
  int world = static_cast<int>(dist::get_world_size());
  int64_t batch = 256 / world;
  kiln::manual_seed(1 + dist::get_rank());
  kiln::Tensor x = kiln::randn({batch, 784}), y = kiln::randn({batch, 10});
  Mlp model;
  std::unique_ptr<dist::Reducer> reducer;
  if (world > 1) reducer = std::make_unique<dist::Reducer>(model.params);
  for (int w = 0; w < 3; ++w) model.step(x, y);
  std::vector<double> step_s, exposed_s;
  for (int r = 0; r < reps; ++r) {
    step_s.push_back(timed([&] { model.step(x, y); }));
    if (reducer) exposed_s.push_back(reducer->last_exposed_wait_seconds());
  }
  double step = median(step_s);
  if (!reducer) {
    if (dist::get_rank() == 0) std::printf("mlp step, 1 rank, batch 256: %.3f ms\n", step * 1e3);
    return;
  }
  // The same buckets all-reduced on their own, nothing to hide behind.
  std::vector<kiln::Tensor> grads;
  for (const auto& b : reducer->buckets()) {
    int64_t n = 0;
    for (int64_t i : b) n += model.params[i].numel();
    grads.push_back(kiln::zeros({n}));
  }
  std::vector<double> comm_s;
  for (int r = 0; r < reps; ++r)
    comm_s.push_back(timed([&] {
      for (auto& g : grads) dist::all_reduce(g, dist::ReduceOp::AVG);
    }));
  double exposed = median(exposed_s), comm = median(comm_s);
  if (dist::get_rank() == 0)
    std::printf("mlp step, %d ranks x batch %lld: %.3f ms; all-reduce alone %.3f ms, exposed after backward "
                "%.3f ms, hidden %.0f%%; buckets %zu\n",
                world, static_cast<long long>(batch), step * 1e3, comm * 1e3, exposed * 1e3,
                100.0 * std::max(0.0, 1.0 - exposed / comm), grads.size());
}

}  // namespace

int main(int argc, char** argv) {
  dist::init_process_group("mpi");
  int reps = 11;
  bool bandwidth = true, mlp = true;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--only-mlp")) bandwidth = false;
    if (!std::strcmp(argv[i], "--only-bandwidth")) mlp = false;
  }
  if (bandwidth && dist::get_world_size() > 1) all_reduce_bandwidth(reps);
  if (mlp) mlp_step(reps);
  dist::destroy_process_group();
  return 0;
}
