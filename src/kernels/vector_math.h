// kiln's own exp for float and double: Cody-Waite range reduction and a
// Taylor polynomial, written branch-free so that loops over it vectorise.
//   x = n ln2 + r, |r| <= ln2/2 (ln2 split in a high part with trailing zero
//   bits, so n * ln2_hi is exact, and a low correction);
//   exp(x) = 2^n * p(r), with 2^n applied as two factors 2^(n/2) 2^(n - n/2)
//   so that results near overflow and in the subnormal range stay right.
// Max error ~1 ulp against the correctly rounded value (tests/kernels/vector_math_test.cpp).
// exp_array is compiled for AVX-512, AVX2 and baseline x86-64 and the
// loader picks the best the CPU supports (GCC target_clones).
#pragma once
#include <bit>
#include <cstdint>
#include <type_traits>

namespace kiln::kernels::vector_math {

namespace detail {
template <class T> struct ExpConstants;
template <> struct ExpConstants<float> {
  using Bits = int32_t;
  static constexpr float lo = -104.0f, hi = 89.0f;  // beyond: 0 and inf
  static constexpr float log2e = 1.44269504088896341f;
  static constexpr float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
  static constexpr float round = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  static constexpr int mantissa = 23, bias = 127;
  static constexpr int degree = 7;
};
template <> struct ExpConstants<double> {
  using Bits = int64_t;
  static constexpr double lo = -746.0, hi = 710.0;
  static constexpr double log2e = 1.4426950408889634074;
  static constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  static constexpr double round = 6755399441055744.0;  // 1.5 * 2^52
  static constexpr int mantissa = 52, bias = 1023;
  static constexpr int degree = 13;
};

// 1/i! for i <= degree, each rounded once from an exact factorial.
template <class T>
constexpr T inverse_factorial(int i) {
  double f = 1;
  for (int j = 2; j <= i; ++j) f *= j;
  return static_cast<T>(1.0 / f);
}

// 2^k for k in the normal exponent range, built from its bits.
template <class T>
inline T pow2(typename ExpConstants<T>::Bits k) {
  using C = ExpConstants<T>;
  return std::bit_cast<T>(static_cast<typename C::Bits>((k + C::bias)) << C::mantissa);
}
}  // namespace detail

template <class T>
inline T exp(T x) {
  using C = detail::ExpConstants<T>;
  using Bits = typename C::Bits;
  T xc = x < C::lo ? C::lo : (x > C::hi ? C::hi : x);
  // n = round(x / ln2), read off the low bits of the shifted sum.
  T shifted = xc * C::log2e + C::round;
  T n = shifted - C::round;
  Bits k = std::bit_cast<Bits>(shifted) - std::bit_cast<Bits>(C::round);
  T r = (xc - n * C::ln2_hi) - n * C::ln2_lo;
  // Taylor series of e^r by Horner: sum r^i / i!.
  T p = detail::inverse_factorial<T>(C::degree);
#pragma GCC unroll 16
  for (int i = C::degree - 1; i >= 0; --i) p = p * r + detail::inverse_factorial<T>(i);
  Bits k1 = k >> 1, k2 = k - k1;
  T y = p * detail::pow2<T>(k1) * detail::pow2<T>(k2);
  return x != x ? x : y;  // NaN passes through
}

// out[i] = exp(in[i]) for i < n (in and out may be the same array).
void exp_array(float* out, const float* in, int64_t n);
void exp_array(double* out, const double* in, int64_t n);

// The element function and the whole-row kernel in one functor, for the
// element-wise engine (kernels/loops.h runs unit-stride rows through the latter).
struct Exp {
  template <class T>
    requires std::is_floating_point_v<T>
  T operator()(T x) const { return vector_math::exp(x); }
  void operator()(float* out, const float* in, int64_t n) const { exp_array(out, in, n); }
  void operator()(double* out, const double* in, int64_t n) const { exp_array(out, in, n); }
};

}  // namespace kiln::kernels::vector_math
