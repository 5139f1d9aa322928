// A C++ number passed to an op: double, int64 or bool, as libtorch's Scalar.
#pragma once
#include <cstdint>
#include <type_traits>

#include "kiln/dtype.h"

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
  template <class T>
  T to() const {
    if constexpr (std::is_same_v<T, bool>) return tag_ == kFloat64 ? d_ != 0 : i_ != 0;
    else if constexpr (std::is_floating_point_v<T>) return static_cast<T>(to_double());
    else return static_cast<T>(to_long());
  }

 private:
  ScalarType tag_;
  union {
    double d_;
    int64_t i_;
  };
};

}  // namespace kiln
