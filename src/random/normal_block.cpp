#include "random/normal_block.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

#include "kernels/parallel.h"
#include "random/fast_math.h"

namespace kiln::random {
namespace {

constexpr int W = kNormalBlockCounters;
}  // namespace

void normal_block_float(uint64_t seed, uint64_t first_counter, float* out) {
  uint32_t c[4][W];
  philox_lanes<W>(seed, first_counter, kNormalFloatDomain, 0, c);
  float radius[2][W], cosv[2][W], sinv[2][W];
  for (int pair = 0; pair < 2; ++pair) {
    for (int i = 0; i < W; ++i) {
      float u = (static_cast<float>(c[2 * pair][i] >> 8) + 0.5f) * 0x1.0p-24f;  // (0, 1)
      float t = static_cast<float>(c[2 * pair + 1][i] >> 8) * 0x1.0p-24f;       // [0, 1)
      radius[pair][i] = std::sqrt(-2 * log_positive(u));
      sincos_turns(t, cosv[pair][i], sinv[pair][i]);
    }
  }
  for (int i = 0; i < W; ++i) {
    out[4 * i + 0] = radius[0][i] * cosv[0][i];
    out[4 * i + 1] = radius[0][i] * sinv[0][i];
    out[4 * i + 2] = radius[1][i] * cosv[1][i];
    out[4 * i + 3] = radius[1][i] * sinv[1][i];
  }
}

void fill_normal_float(float* out, int64_t n, uint64_t seed, uint64_t offset) {
  if (n <= 0) return;
  // Blocks of 64 positions aligned to the stream (block b covers [64 b, 64 b + 64)).
  const uint64_t first_block = offset / kNormalBlockValues;
  const uint64_t last_block = (offset + static_cast<uint64_t>(n) - 1) / kNormalBlockValues;
  const auto blocks = static_cast<int64_t>(last_block - first_block + 1);
  kernels::parallel_for(blocks, 64, [&](int64_t begin, int64_t end) {
    alignas(64) float buf[kNormalBlockValues];
    for (int64_t b = begin; b < end; ++b) {
      uint64_t block_start = (first_block + static_cast<uint64_t>(b)) * kNormalBlockValues;
      uint64_t lo = std::max(block_start, offset), hi = std::min(block_start + kNormalBlockValues, offset + n);
      float* dst = out + (lo - offset);
      if (lo == block_start && hi == block_start + kNormalBlockValues) {
        normal_block_float(seed, block_start / 4, dst);  // a whole block: straight into the output
      } else {
        normal_block_float(seed, block_start / 4, buf);
        std::memcpy(dst, buf + (lo - block_start), (hi - lo) * sizeof(float));
      }
    }
  });
}

}  // namespace kiln::random
