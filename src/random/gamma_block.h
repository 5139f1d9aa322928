// The first Marsaglia-Tsang attempt of 16 float Gamma(alpha, 1) samples at
// once, vectorised (gamma_block.cpp is built with -fno-math-errno). Lanes
// with alpha < 1, or whose proposal is rejected (about 2% at alpha = 2.5),
// are left to the scalar sampler, which continues with their next attempt.
#pragma once
#include <cstdint>

namespace kiln::random {

constexpr int kGammaBlockLanes = 16;
// The attempt (Philox word 3) a block's proposal reads; the scalar sampler's
// boost uniform is attempt 0 and its later proposals follow this one.
constexpr uint32_t kGammaFirstProposal = 1;

// For lanes i < 16: element first_index + i of the stream `seed` with
// concentration alpha[i]; accepted[i] says whether out[i] holds its sample.
void gamma_block_float(uint64_t seed, uint64_t first_index, const float* alpha, float* out, bool* accepted);

}  // namespace kiln::random
