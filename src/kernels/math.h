// Scalar math shared by the kernels: functions the C library lacks and
// NaN-propagating min/max, written once for float and double.
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace kiln::kernels {

template <class T>
inline T sigmoid(T x) {
  // Two branches so that exp never overflows.
  if (x >= 0) return T(1) / (T(1) + std::exp(-x));
  T e = std::exp(x);
  return e / (T(1) + e);
}

template <class T>
inline T nan_max(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (a != a) return a;
    if (b != b) return b;
  }
  return a > b ? a : b;
}

template <class T>
inline T nan_min(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (a != a) return a;
    if (b != b) return b;
  }
  return a < b ? a : b;
}

// Integer power by squaring (the exponent is checked non-negative upstream).
template <class T>
inline T int_pow(T base, T exp) {
  T result = 1;
  while (exp > 0) {
    if (exp & 1) result *= base;
    base *= base;
    exp >>= 1;
  }
  return result;
}

// static_cast that stays defined for NaN and out-of-range floats (x86's
// "integer indefinite" value, which is also what PyTorch produces there).
template <class To, class From>
inline To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To> && sizeof(To) < 4) {
    // Through int32 and truncated, as the compiled cast does for uint8, int8, int16.
    return static_cast<To>(convert<int32_t>(v));
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    constexpr double lo = static_cast<double>(std::numeric_limits<To>::min());
    constexpr double hi = -lo;
    double d = static_cast<double>(v);
    return (d >= lo && d < hi) ? static_cast<To>(v) : std::numeric_limits<To>::min();
  } else {
    return static_cast<To>(v);
  }
}

}  // namespace kiln::kernels
