// Float math for the samplers' vectorised blocks: Philox over lanes, log and
// sin/cos written branch-free, so that loops over lanes vectorise. Only for
// files built with -fno-math-errno (normal_block.cpp, gamma_block.cpp).
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "random/philox.h"

namespace kiln::random {

// Philox4x32-10 on W consecutive counters at once (structure of arrays):
// c[k][i] = word k of philox_bits(seed, first + i, domain, attempt).
template <int W>
inline void philox_lanes(uint64_t seed, uint64_t first, uint32_t domain, uint32_t attempt, uint32_t (&c)[4][W]) {
  for (int i = 0; i < W; ++i) {
    uint64_t index = first + static_cast<uint64_t>(i);
    c[0][i] = static_cast<uint32_t>(index);
    c[1][i] = static_cast<uint32_t>(index >> 32);
    c[2][i] = domain;
    c[3][i] = attempt;
  }
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < W; ++i) {
      uint64_t p0 = uint64_t{detail::kPhiloxM0} * c[0][i];
      uint64_t p1 = uint64_t{detail::kPhiloxM1} * c[2][i];
      uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c[1][i] ^ k0;
      uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c[3][i] ^ k1;
      c[1][i] = static_cast<uint32_t>(p1);
      c[3][i] = static_cast<uint32_t>(p0);
      c[0][i] = n0;
      c[2][i] = n2;
    }
    k0 += detail::kPhiloxW0;
    k1 += detail::kPhiloxW1;
  }
}

// log(u) for a positive normal float u: u = m 2^e with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s),
// s = (m - 1) / (m + 1), |s| < 0.172, by its odd series to s^9 (error < 3e-9).
inline float log_positive(float u) {
  int32_t bits = std::bit_cast<int32_t>(u);
  int32_t e = ((bits >> 23) & 0xff) - 127;
  float m = std::bit_cast<float>((bits & 0x7fffff) | 0x3f800000);  // [1, 2)
  bool high = m > 1.41421356f;
  m = high ? 0.5f * m : m;
  e = high ? e + 1 : e;
  float s = (m - 1) / (m + 1), s2 = s * s;
  float series = 1 + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9))));
  return static_cast<float>(e) * 0.693147181f + 2 * s * series;
}

// cos and sin of 2 pi t, t in [0, 1): reduce to a = 2 pi (t - q/4), |a| <= pi/4,
// Taylor polynomials there (error < 3e-8), then rotate by the quadrant q.
inline void sincos_turns(float t, float& cos_out, float& sin_out) {
  float q = std::nearbyint(4 * t);
  float a = 2 * std::numbers::pi_v<float> * (t - 0.25f * q), a2 = a * a;
  float s = a * (1 + a2 * (-1.0f / 6 + a2 * (1.0f / 120 + a2 * (-1.0f / 5040 + a2 * (1.0f / 362880)))));
  float c = 1 + a2 * (-0.5f + a2 * (1.0f / 24 + a2 * (-1.0f / 720 + a2 * (1.0f / 40320))));
  int quadrant = static_cast<int>(q) & 3;
  float cq = (quadrant & 1) ? s : c, sq = (quadrant & 1) ? c : s;
  cos_out = (quadrant == 1 || quadrant == 2) ? -cq : cq;
  sin_out = (quadrant >= 2) ? -sq : sq;
}


}  // namespace kiln::random
