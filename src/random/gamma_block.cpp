#include "random/gamma_block.h"

#include "random/fast_math.h"
#include "random/stream.h"

namespace kiln::random {

void gamma_block_float(uint64_t seed, uint64_t first_index, const float* alpha, float* out, bool* accepted) {
  constexpr int W = kGammaBlockLanes;
  uint32_t c[4][W];
  philox_lanes<W>(seed, first_index, kGammaDomain, kGammaFirstProposal, c);
  for (int i = 0; i < W; ++i) {
    // The same bits as the scalar sampler's proposal: u1 from words 0-1, the
    // angle from word 2, the acceptance uniform from word 3.
    float u1 = (static_cast<float>(c[0][i] >> 8) + 0.5f) * 0x1.0p-24f;
    float t = static_cast<float>(c[2][i] >> 8) * 0x1.0p-24f;
    float cosv, sinv;
    sincos_turns(t, cosv, sinv);
    float z = std::sqrt(-2 * log_positive(u1)) * cosv;
    float d = alpha[i] - 1.0f / 3, cc = 1 / std::sqrt(9 * d);
    float v = 1 + cc * z;
    float v3 = v * v * v, z2 = z * z;
    float u = (static_cast<float>(c[3][i] >> 8) + 0.5f) * 0x1.0p-24f;
    bool ok = alpha[i] >= 1 && v > 0 &&
              (u < 1 - 0.0331f * z2 * z2 || log_positive(u) < 0.5f * z2 + d * (1 - v3 + log_positive(v3 > 0 ? v3 : 1)));
    accepted[i] = ok;
    out[i] = d * v3;
  }
}

}  // namespace kiln::random
