// A block of a Philox stream claimed from a Generator, and the parallel fill
// that gives element i the bits of stream position offset + i, whichever
// thread computes it.
#pragma once
#include <cstdint>

#include "kernels/parallel.h"
#include "kiln/random.h"
#include "random/philox.h"

namespace kiln::random {

// Positions [offset, offset + n) of the stream keyed by seed.
struct StreamBlock {
  uint64_t seed;
  uint64_t offset;
  PhiloxCounter bits(uint64_t i) const { return philox_bits(seed, offset + i); }
};

// Claims the next n values of `g` (the default generator unless given).
inline StreamBlock claim(uint64_t n, Generator& g = default_generator()) {
  uint64_t seed = g.current_seed();
  return {seed, g.reserve(n)};
}

// Philox costs ~10 multiplies per element: worth a thread at a smaller grain
// than the cheap element-wise kernels.
constexpr int64_t kRandomGrainSize = 4096;

// out[i] = f(block.bits(i), i) for i in [0, n), split across threads.
template <class T, class F>
void fill(T* out, int64_t n, const StreamBlock& block, F&& f) {
  kernels::parallel_for(n, kRandomGrainSize, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = f(block.bits(static_cast<uint64_t>(i)), i);
  });
}

// ---- per-element samples from one element's 128 bits
template <class T> T uniform(const PhiloxCounter& b);
template <> inline float uniform<float>(const PhiloxCounter& b) { return uniform_float(b[0]); }
template <> inline double uniform<double>(const PhiloxCounter& b) { return uniform_double(b[0], b[1]); }

// A standard normal by Box-Muller (the cosine branch), computed in double.
double standard_normal(const PhiloxCounter& b);

}  // namespace kiln::random
