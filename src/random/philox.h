// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as
// easy as 1, 2, 3", SC 2011): a counter-based generator. Each call maps a
// 128-bit counter and a 64-bit key to 128 random bits with no state, so the
// n-th value of a stream is computed directly and any thread can compute any
// element: parallel and serial fills agree bit for bit.
#pragma once
#include <array>
#include <cstdint>

namespace kiln::random {

using PhiloxCounter = std::array<uint32_t, 4>;
using PhiloxKey = std::array<uint32_t, 2>;

namespace detail {
constexpr uint32_t kPhiloxM0 = 0xD2511F53, kPhiloxM1 = 0xCD9E8D57;  // round multipliers
constexpr uint32_t kPhiloxW0 = 0x9E3779B9, kPhiloxW1 = 0xBB67AE85;  // Weyl key increments

inline PhiloxCounter philox_round(const PhiloxCounter& c, const PhiloxKey& k) {
  uint64_t p0 = uint64_t{kPhiloxM0} * c[0];
  uint64_t p1 = uint64_t{kPhiloxM1} * c[2];
  auto hi = [](uint64_t p) { return static_cast<uint32_t>(p >> 32); };
  auto lo = [](uint64_t p) { return static_cast<uint32_t>(p); };
  return {hi(p1) ^ c[1] ^ k[0], lo(p1), hi(p0) ^ c[3] ^ k[1], lo(p0)};
}
}  // namespace detail

// Ten rounds; the key is bumped by the Weyl constants between rounds.
inline PhiloxCounter philox4x32_10(PhiloxCounter c, PhiloxKey k) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) k = {k[0] + detail::kPhiloxW0, k[1] + detail::kPhiloxW1};
    c = detail::philox_round(c, k);
  }
  return c;
}

// The 128 random bits of element `index` of the stream keyed by `seed`.
// `domain` (counter word 2) separates uses that index the stream differently
// (e.g. normals, two per counter), so they never reuse each other's bits.
// `attempt` (word 3) numbers the draws of a rejection sampler for one
// element, so an element's value depends on its index alone.
inline PhiloxCounter philox_bits(uint64_t seed, uint64_t index, uint32_t domain = 0, uint32_t attempt = 0) {
  return philox4x32_10({static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32), domain, attempt},
                       {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
}

// ---- turning bits into numbers
// Uniform on [0, 1): the top 24 (float) or 53 (double) bits, so every value is
// exactly representable and 1 is never reached.
inline float uniform_float(uint32_t a) { return static_cast<float>(a >> 8) * 0x1.0p-24f; }
inline double uniform_double(uint32_t a, uint32_t b) {
  return static_cast<double>(((uint64_t{a} << 32) | b) >> 11) * 0x1.0p-53;
}
inline uint64_t bits64(uint32_t a, uint32_t b) { return (uint64_t{a} << 32) | b; }
// Uniform on [0, range) by the multiply-shift method (Lemire 2019); the bias
// is below range / 2^64, far under any test's resolution, and there is no division.
inline uint64_t below(uint64_t bits, uint64_t range) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(bits) * range) >> 64);
}

}  // namespace kiln::random
