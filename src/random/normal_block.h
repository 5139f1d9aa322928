// Standard normals in float, 64 at a time from 16 Philox counters, written
// as plain loops over lanes that the compiler vectorises (normal_block.cpp
// is built with -fno-math-errno so sqrt needs no error path). Position p of
// the stream is lane p % 4 of counter p / 4 in its own domain; each counter's
// 128 bits are two Box-Muller pairs (w0, w1) and (w2, w3):
//   r = sqrt(-2 log u(w_even)), theta = 2 pi u(w_odd), normals r cos theta, r sin theta.
// Every value goes through the same block code whatever slice a thread
// fills, so results do not depend on the thread count.
#pragma once
#include <cstdint>

namespace kiln::random {

constexpr uint32_t kNormalFloatDomain = 5;
constexpr int kNormalBlockCounters = 16, kNormalBlockValues = 4 * kNormalBlockCounters;

// out[k] = normal at position 4 * first_counter + k, k < 64.
void normal_block_float(uint64_t seed, uint64_t first_counter, float* out);

// out[i] = normal at position offset + i for i < n, in parallel.
void fill_normal_float(float* out, int64_t n, uint64_t seed, uint64_t offset);

}  // namespace kiln::random
