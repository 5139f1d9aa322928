// A block of a Philox stream claimed from a Generator, and the parallel fill
// that gives element i the bits of stream position offset + i, whichever
// thread computes it.
#pragma once
#include <cstdint>

#include "kernels/parallel.h"
#include "kiln/tensor.h"
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

// The generator a sampler draws from: the one given, else the default.
inline Generator& generator_or_default(Generator* g) { return g ? *g : default_generator(); }

// Counter domains (Philox word 2) of the samplers whose elements take a
// variable number of draws: element i's attempt j reads the bits of
// (offset + i, domain, j), so its value is fixed by (seed, position) alone.
constexpr uint32_t kGammaDomain = 2, kPoissonDomain = 3, kBinomialDomain = 4;
class ElementDraws {
 public:
  ElementDraws(const StreamBlock& block, uint64_t i, uint32_t domain, uint32_t first_attempt = 0)
      : seed_(block.seed), index_(block.offset + i), domain_(domain), attempt_(first_attempt) {}
  PhiloxCounter next() { return philox_bits(seed_, index_, domain_, attempt_++); }

 private:
  uint64_t seed_, index_;
  uint32_t domain_, attempt_;
};

// A uniform on (0, 1) from 32 bits (never 0, so logs are finite).
inline double open_uniform(uint32_t a) { return (static_cast<double>(a) + 0.5) * 0x1.0p-32; }

// A factory's result, made to require grad if the options ask.
inline Tensor apply_requires_grad(Tensor t, const TensorOptions& options) {
  ::kiln::detail::check_cpu(options.device(), "random factory");
  if (options.requires_grad()) t.requires_grad_(true);
  return t;
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

// out[i] = f(i) for i in [0, n), split across threads: for samplers that
// draw their own bits (ElementDraws).
template <class T, class F>
void fill_each(T* out, int64_t n, F&& f) {
  kernels::parallel_for(n, kRandomGrainSize, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = f(i);
  });
}

// ---- per-element samples from one element's 128 bits
template <class T> T uniform(const PhiloxCounter& b);
template <> inline float uniform<float>(const PhiloxCounter& b) { return uniform_float(b[0]); }
template <> inline double uniform<double>(const PhiloxCounter& b) { return uniform_double(b[0], b[1]); }

// ---- standard normals
// Box-Muller gives two independent normals per pair of uniforms; stream
// positions 2k and 2k+1 are the cosine and sine outputs for pair counter k
// (in their own counter domain). A fill computes both at once when it holds
// both positions, yet each value is still fixed by (seed, position) alone.
constexpr uint32_t kNormalDomain = 1;
struct NormalPair {
  double cos_branch, sin_branch;
};
NormalPair normal_pair(uint64_t seed, uint64_t pair);
inline double standard_normal(uint64_t seed, uint64_t position) {
  NormalPair z = normal_pair(seed, position >> 1);
  return position & 1 ? z.sin_branch : z.cos_branch;
}

// out[i] = f(z_i, i), z_i the standard normal at stream position offset + i.
template <class T, class F>
void fill_normal(T* out, int64_t n, const StreamBlock& block, F&& f) {
  kernels::parallel_for(n, kRandomGrainSize, [&](int64_t begin, int64_t end) {
    int64_t i = begin;
    for (; i < end; ++i) {
      uint64_t pos = block.offset + static_cast<uint64_t>(i);
      if (pos % 2 == 0 && i + 1 < end) {
        NormalPair z = normal_pair(block.seed, pos >> 1);
        out[i] = f(z.cos_branch, i);
        out[i + 1] = f(z.sin_branch, i + 1);
        ++i;
      } else {
        out[i] = f(standard_normal(block.seed, pos), i);
      }
    }
  });
}

}  // namespace kiln::random
