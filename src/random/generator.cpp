// The default generator and the functions that use nothing but it.
#include <cmath>
#include <numbers>

#include "kiln/functions.h"
#include "random/stream.h"

namespace kiln {

Generator& default_generator() {
  static Generator g;
  return g;
}

void manual_seed(uint64_t seed) { default_generator().set_current_seed(seed); }

namespace random {

NormalPair normal_pair(uint64_t seed, uint64_t pair) {
  PhiloxCounter b = philox_bits(seed, pair, kNormalDomain);
  double u1 = 1.0 - uniform_double(b[0], b[1]);  // (0, 1]: log never sees 0
  double theta = 2.0 * std::numbers::pi * uniform_double(b[2], b[3]);
  double r = std::sqrt(-2.0 * std::log(u1));
  return {r * std::cos(theta), r * std::sin(theta)};
}

}  // namespace random
}  // namespace kiln
