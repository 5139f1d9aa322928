// Philox4x32-10 against the Random123 known-answer vectors (tests/kat_vectors
// of the Random123 distribution), and the uniform conversions' ranges.
#include <gtest/gtest.h>

#include "random/philox.h"

namespace {

using kiln::random::philox4x32_10;
using kiln::random::PhiloxCounter;

TEST(Philox, KnownAnswerZeros) {
  PhiloxCounter r = philox4x32_10({0, 0, 0, 0}, {0, 0});
  EXPECT_EQ(r, (PhiloxCounter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
}

TEST(Philox, KnownAnswerOnes) {
  PhiloxCounter r = philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff});
  EXPECT_EQ(r, (PhiloxCounter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
}

TEST(Philox, KnownAnswerPi) {
  PhiloxCounter r = philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0});
  EXPECT_EQ(r, (PhiloxCounter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Philox, UniformsStayInHalfOpenUnitInterval) {
  using namespace kiln::random;
  EXPECT_EQ(uniform_float(0), 0.0f);
  EXPECT_LT(uniform_float(0xffffffff), 1.0f);
  EXPECT_EQ(uniform_double(0, 0), 0.0);
  EXPECT_LT(uniform_double(0xffffffff, 0xffffffff), 1.0);
  EXPECT_EQ(below(~uint64_t{0}, 10), 9u);
  EXPECT_EQ(below(0, 10), 0u);
}

}  // namespace
