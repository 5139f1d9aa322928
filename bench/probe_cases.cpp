// The STREAM-like probe: plain OpenMP loops over preallocated, first-touched
// buffers, measured exactly as the tensor ops are. It is the "bandwidth"
// the element-wise and reduction targets are stated against.
#include <omp.h>

#include <cstdlib>
#include <memory>

#include "registry.h"

namespace bench {
namespace {

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float[], FreeDeleter>;

Buffer make_buffer(int64_t n, float value) {
  Buffer b(static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>(n) * sizeof(float))));
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) b[i] = value;
  return b;
}

// c = a (copy): one read and one write stream.
void copy_probe(benchmark::State& state) {
  static Buffer a = make_buffer(kBig, 1.0f), c = make_buffer(kBig, 0.0f);
  float *pa = a.get(), *pc = c.get();
  auto pass = [&] {
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < kBig; ++i) pc[i] = pa[i];
    benchmark::ClobberMemory();
  };
  if (needs_warmup())
    for (int i = 0; i < kWarmPasses; ++i) pass();
  for (auto _ : state) pass();
}

// c = a + s * b (triad): two read streams and one write stream, the traffic of c = a + b.
void triad_probe(benchmark::State& state) {
  static Buffer a = make_buffer(kBig, 1.0f), b = make_buffer(kBig, 2.0f), c = make_buffer(kBig, 0.0f);
  float *pa = a.get(), *pb = b.get(), *pc = c.get();
  const float s = 0.5f;
  auto pass = [&] {
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < kBig; ++i) pc[i] = pa[i] + s * pb[i];
    benchmark::ClobberMemory();
  };
  if (needs_warmup())
    for (int i = 0; i < kWarmPasses; ++i) pass();
  for (auto _ : state) pass();
}

// sum of 4096 x 4096: one read stream.
void read_probe(benchmark::State& state) {
  static Buffer a = make_buffer(kSquare * kSquare, 1.0f);
  const float* pa = a.get();
  const int64_t n = kSquare * kSquare;
  // 16 independent lanes per thread, so the loop is bound by memory, not by
  // the latency of one serial add chain (plain float adds do not reassociate).
  auto pass = [&] {
    float total = 0;
#pragma omp parallel reduction(+ : total)
    {
      float lanes[16] = {};
#pragma omp for schedule(static)
      for (int64_t b = 0; b < n / 16; ++b)
        for (int j = 0; j < 16; ++j) lanes[j] += pa[b * 16 + j];
      for (float l : lanes) total += l;
    }
    benchmark::DoNotOptimize(total);
  };
  if (needs_warmup())
    for (int i = 0; i < kWarmPasses; ++i) pass();
  for (auto _ : state) pass();
}

}  // namespace

void register_probe_cases() {
  add_library({"probe", [](int n) { omp_set_num_threads(n); }});
  const double f = sizeof(float);
  add_case({"stream_copy", "probe", copy_probe, kOneAndTwo, 2 * f * kBig});
  add_case({"stream_triad", "probe", triad_probe, kOneAndTwo, 3 * f * kBig});
  add_case({"stream_read", "probe", read_probe, kOneAndTwo, f * kSquare * kSquare});
}

}  // namespace bench
