// kiln's vectorised exp against the C library's, in units in the last place
// of the correctly rounded result (std::exp in a wider type, then rounded).
#include "kernels/vector_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace kiln::kernels::vector_math {
namespace {

// Distance in representable values between a and b (same sign side assumed
// for finite values; both zero or equal infinities give 0).
template <class T>
int64_t ulp_distance(T a, T b) {
  if (a == b) return 0;
  if (std::isnan(a) || std::isnan(b) || std::isinf(a) || std::isinf(b)) return std::numeric_limits<int64_t>::max();
  using Bits = std::conditional_t<sizeof(T) == 4, int32_t, int64_t>;
  auto key = [](T v) {
    Bits i = std::bit_cast<Bits>(v);
    return i < 0 ? std::numeric_limits<Bits>::min() - i : i;  // monotone integer key
  };
  int64_t d = static_cast<int64_t>(key(a)) - static_cast<int64_t>(key(b));
  return d < 0 ? -d : d;
}

float reference(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }
double reference(double x) { return static_cast<double>(std::exp(static_cast<long double>(x))); }

template <class T>
std::vector<T> inputs(T lo, T hi, size_t random_count) {
  std::vector<T> v;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(lo, hi);
  for (size_t i = 0; i < random_count; ++i) v.push_back(static_cast<T>(u(rng)));
  // A dense sweep near zero, where the result's ulp is smallest relative to x.
  for (int i = -20000; i <= 20000; ++i) v.push_back(static_cast<T>(i * 1e-5));
  return v;
}

template <class T>
int64_t max_ulp_error(const std::vector<T>& xs, bool through_array) {
  std::vector<T> out(xs.size());
  if (through_array) exp_array(out.data(), xs.data(), static_cast<int64_t>(xs.size()));
  int64_t worst = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    T got = through_array ? out[i] : vector_math::exp(xs[i]);
    int64_t d = ulp_distance(got, reference(xs[i]));
    EXPECT_LE(d, 1) << "exp(" << xs[i] << ") = " << got << ", expected " << reference(xs[i]);
    if (d > 1) return d;
    worst = std::max(worst, d);
  }
  return worst;
}

TEST(VectorExp, FloatWithinOneUlpOverTheWholeRange) {
  auto xs = inputs<float>(-103.0f, 88.7f, 2'000'000);
  EXPECT_LE(max_ulp_error(xs, true), 1);
  EXPECT_LE(max_ulp_error(xs, false), 1);
}

TEST(VectorExp, DoubleWithinOneUlpOverTheWholeRange) {
  auto xs = inputs<double>(-745.0, 709.7, 2'000'000);
  EXPECT_LE(max_ulp_error(xs, true), 1);
  EXPECT_LE(max_ulp_error(xs, false), 1);
}

TEST(VectorExp, SubnormalResultsAreClose) {
  // e^x below the smallest normal: the absolute error stays within a subnormal ulp or two.
  for (float x = -103.9f; x < -87.4f; x += 0.01f) EXPECT_LE(ulp_distance(vector_math::exp(x), reference(x)), 2) << x;
  for (double x = -745.0; x < -708.5; x += 0.01) EXPECT_LE(ulp_distance(vector_math::exp(x), reference(x)), 2) << x;
}

TEST(VectorExp, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> in = {0.0f, -0.0f, inf, -inf, std::nanf(""), 88.8f, 89.0f, 1000.0f, -104.0f, -1000.0f, 1.0f};
  std::vector<float> out(in.size());
  exp_array(out.data(), in.data(), static_cast<int64_t>(in.size()));
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 1.0f);
  EXPECT_EQ(out[2], inf);
  EXPECT_EQ(out[3], 0.0f);
  EXPECT_TRUE(std::isnan(out[4]));
  EXPECT_EQ(out[5], inf);
  EXPECT_EQ(out[6], inf);
  EXPECT_EQ(out[7], inf);
  EXPECT_EQ(out[8], 0.0f);
  EXPECT_EQ(out[9], 0.0f);
  EXPECT_LE(ulp_distance(out[10], reference(1.0f)), 1);
  const double dinf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(vector_math::exp(710.0), dinf);
  EXPECT_EQ(vector_math::exp(dinf), dinf);
  EXPECT_EQ(vector_math::exp(-dinf), 0.0);
  EXPECT_TRUE(std::isnan(vector_math::exp(std::nan(""))));
  EXPECT_EQ(vector_math::exp(-800.0), 0.0);
}

TEST(VectorExp, InPlaceAndOddLengths) {
  for (int64_t n : {0, 1, 7, 15, 17, 33, 1001}) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = 0.01 * static_cast<double>(i) - 3;
    std::vector<double> expect = v;
    for (double& e : expect) e = reference(e);
    exp_array(v.data(), v.data(), n);
    for (int64_t i = 0; i < n; ++i) EXPECT_LE(ulp_distance(v[static_cast<size_t>(i)], expect[static_cast<size_t>(i)]), 1);
  }
}

}  // namespace
}  // namespace kiln::kernels::vector_math
