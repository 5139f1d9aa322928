// kiln::distributions cases. libtorch has no distributions, so the other
// column is torch.distributions in Python, timed by
// bench/torch_distributions.py under the same case names (tools/bench.sh
// runs both and merges the results).
#include <kiln/kiln.h>

#include "registry.h"

namespace {

namespace D = kiln::distributions;
using kiln::Tensor;
constexpr int64_t kDim = 256, kPoints = 4096;

template <class F>
void warm(F&& f) {
  if (bench::needs_warmup())
    for (int i = 0; i < 3; ++i) f();
}

void normal_sample(benchmark::State& state) {
  D::Normal n(0.5, 2.0);
  kiln::Generator gen(1);
  warm([&] { n.sample({bench::kBig}, gen); });
  for (auto _ : state) benchmark::DoNotOptimize(n.sample({bench::kBig}, gen));
}

void normal_log_prob(benchmark::State& state) {
  D::Normal n(0.5, 2.0);
  Tensor x = kiln::randn({bench::kBig});
  warm([&] { n.log_prob(x); });
  for (auto _ : state) benchmark::DoNotOptimize(n.log_prob(x));
}

// The same SPD matrix as the Python side: A Aᵀ / n + I with A = sin(i) reshaped.
D::MultivariateNormal mvn() {
  Tensor a = kiln::sin(kiln::arange(kDim * kDim, kiln::kFloat64)).reshape({kDim, kDim});
  Tensor cov = a.matmul(a.mT()) / double(kDim) + kiln::eye(kDim, kiln::kFloat64);
  return D::MultivariateNormal(kiln::zeros({kDim}, kiln::kFloat64), cov);
}

void mvn_rsample(benchmark::State& state) {
  D::MultivariateNormal m = mvn();
  kiln::Generator gen(2);
  warm([&] { m.rsample({kPoints}, gen); });
  for (auto _ : state) benchmark::DoNotOptimize(m.rsample({kPoints}, gen));
}

void mvn_log_prob(benchmark::State& state) {
  D::MultivariateNormal m = mvn();
  Tensor x = kiln::randn({kPoints, kDim}, kiln::kFloat64);
  warm([&] { m.log_prob(x); });
  for (auto _ : state) benchmark::DoNotOptimize(m.log_prob(x));
}

}  // namespace

namespace bench {
void register_distribution_cases() {
  add_case({"dist_normal_sample_2^24", "kiln", normal_sample, kOneThread});
  add_case({"dist_normal_log_prob_2^24", "kiln", normal_log_prob, kOneThread});
  add_case({"dist_mvn256_rsample_4096", "kiln", mvn_rsample, kOneThread});
  add_case({"dist_mvn256_log_prob_4096", "kiln", mvn_log_prob, kOneThread});
}
}  // namespace bench
