// A C++ number passed to an op: double, int64 or bool, as libtorch's Scalar.
#pragma once
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kiln/dtype.h"
#include "kiln/error.h"

namespace kiln {

class Scalar {
 public:
  Scalar() : Scalar(int64_t{0}) {}
  // Only a real bool: a pointer or string literal must not become a Scalar.
  template <class T, std::enable_if_t<std::is_same_v<T, bool>, int> = 0>
  Scalar(T v) : tag_(kBool) { i_ = v; }
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Scalar(T v) : tag_(kInt64) { i_ = static_cast<int64_t>(v); }
  template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Scalar(T v) : tag_(kFloat64) { d_ = static_cast<double>(v); }

  // kFloat64 for C++ floating numbers, kInt64 for integers, kBool for bool.
  ScalarType type() const { return tag_; }
  bool is_floating_point() const { return tag_ == kFloat64; }
  bool is_integral(bool include_bool) const { return tag_ == kInt64 || (include_bool && tag_ == kBool); }
  bool is_boolean() const { return tag_ == kBool; }
  double to_double() const { return tag_ == kFloat64 ? d_ : static_cast<double>(i_); }
  int64_t to_long() const { return tag_ == kFloat64 ? static_cast<int64_t>(d_) : i_; }
  // libtorch's spellings.
  double toDouble() const { return to<double>(); }
  float toFloat() const { return to<float>(); }
  int64_t toLong() const { return to<int64_t>(); }
  int toInt() const { return to<int>(); }
  int16_t toShort() const { return to<int16_t>(); }
  int8_t toChar() const { return to<int8_t>(); }
  uint8_t toByte() const { return to<uint8_t>(); }
  bool toBool() const { return to<bool>(); }
  bool isFloatingPoint() const { return is_floating_point(); }
  bool isIntegral(bool include_bool) const { return is_integral(include_bool); }
  bool isBoolean() const { return is_boolean(); }
  // As libtorch's: a value outside T's range is a kiln::Error, not a wrapped
  // value (inf and NaN still convert to a floating type; a negative integer
  // still wraps into an unsigned type, as in c10).
  template <class T>
  T to() const {
    if constexpr (std::is_same_v<T, bool>) {
      return tag_ == kFloat64 ? d_ != 0 : i_ != 0;
    } else {
      KILN_CHECK(fits<T>(), "value cannot be converted to type ", type_name<T>(), " without overflow");
      if constexpr (std::is_floating_point_v<T>) return static_cast<T>(to_double());
      else return static_cast<T>(to_long());
    }
  }
  template <class T>
  bool fits() const {
    using L = std::numeric_limits<T>;
    if constexpr (std::is_floating_point_v<T>) {
      double d = to_double();
      return sizeof(T) >= sizeof(double) || d - d != 0 || (d >= L::lowest() && d <= L::max());  // d - d: inf, NaN
    } else if (tag_ == kFloat64) {
      // [min, max], and below 2^bits (max itself rounds up to it for 64 bits); false for NaN.
      const double below = 2.0 * static_cast<double>(L::max() / 2 + 1);
      return d_ >= static_cast<double>(L::min()) && d_ <= static_cast<double>(L::max()) && d_ < below;
    } else if constexpr (std::is_signed_v<T>) {
      return i_ >= static_cast<int64_t>(L::min()) && i_ <= static_cast<int64_t>(L::max());
    } else {
      // As c10's overflows(): a negative integer wraps modulo 2^bits (uint8 takes -255..255), so a - b works.
      const uint64_t magnitude = i_ < 0 ? 0 - static_cast<uint64_t>(i_) : static_cast<uint64_t>(i_);
      return magnitude <= static_cast<uint64_t>(L::max());
    }
  }

 private:
  template <class T>
  static constexpr const char* type_name() {
    if constexpr (std::is_same_v<T, float>) return "float";
    else if constexpr (std::is_floating_point_v<T>) return "double";
    else if constexpr (sizeof(T) == 1) return std::is_signed_v<T> ? "int8_t" : "uint8_t";
    else if constexpr (sizeof(T) == 2) return std::is_signed_v<T> ? "int16_t" : "uint16_t";
    else if constexpr (sizeof(T) == 4) return std::is_signed_v<T> ? "int" : "uint32_t";
    else return std::is_signed_v<T> ? "int64_t" : "uint64_t";
  }

  ScalarType tag_;
  union {
    double d_;
    int64_t i_;
  };
};

}  // namespace kiln
