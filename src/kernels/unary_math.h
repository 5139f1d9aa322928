// The scalar function of each unary op in kiln/op_lists.h: a functor named
// after the op, whose call operator exists only for the element types the op
// computes in (floating ops never see integers; the dtype rules upstream
// reject the rest with a message). Functors that also map whole arrays
// (exp) get unit-stride rows in one call from the element-wise engine.
#pragma once
#include <cmath>
#include <concepts>
#include <type_traits>

#include "kernels/math.h"
#include "kernels/special_math.h"
#include "kernels/vector_math.h"

namespace kiln::kernels::unary_math {

template <class T>
concept Real = std::is_floating_point_v<T>;
template <class T>
concept Number = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

#define KILN_REAL_FUNCTOR(name, expr) \
  struct name {                       \
    template <Real T>                 \
    T operator()(T x) const {         \
      return expr;                    \
    }                                 \
  };
KILN_REAL_FUNCTOR(log, std::log(x))
KILN_REAL_FUNCTOR(log1p, std::log1p(x))
KILN_REAL_FUNCTOR(expm1, std::expm1(x))
KILN_REAL_FUNCTOR(log2, std::log2(x))
KILN_REAL_FUNCTOR(log10, std::log10(x))
KILN_REAL_FUNCTOR(sqrt, std::sqrt(x))
KILN_REAL_FUNCTOR(rsqrt, T(1) / std::sqrt(x))
KILN_REAL_FUNCTOR(sin, std::sin(x))
KILN_REAL_FUNCTOR(cos, std::cos(x))
KILN_REAL_FUNCTOR(tan, std::tan(x))
KILN_REAL_FUNCTOR(asin, std::asin(x))
KILN_REAL_FUNCTOR(acos, std::acos(x))
KILN_REAL_FUNCTOR(atan, std::atan(x))
KILN_REAL_FUNCTOR(sinh, std::sinh(x))
KILN_REAL_FUNCTOR(cosh, std::cosh(x))
KILN_REAL_FUNCTOR(tanh, std::tanh(x))
KILN_REAL_FUNCTOR(sigmoid, kernels::sigmoid(x))
KILN_REAL_FUNCTOR(erf, std::erf(x))
KILN_REAL_FUNCTOR(erfc, std::erfc(x))
KILN_REAL_FUNCTOR(lgamma, std::lgamma(x))
KILN_REAL_FUNCTOR(digamma, static_cast<T>(special::digamma(x)))
KILN_REAL_FUNCTOR(erfinv, static_cast<T>(special::erfinv(x)))
KILN_REAL_FUNCTOR(erfcx, static_cast<T>(special::erfcx(x)))
KILN_REAL_FUNCTOR(ndtr, static_cast<T>(special::ndtr(x)))
KILN_REAL_FUNCTOR(log_ndtr, static_cast<T>(special::log_ndtr(x)))
KILN_REAL_FUNCTOR(ndtri, static_cast<T>(special::ndtri(x)))
KILN_REAL_FUNCTOR(entr, static_cast<T>(special::entr(x)))
KILN_REAL_FUNCTOR(reciprocal, T(1) / x)
KILN_REAL_FUNCTOR(frac, x - std::trunc(x))
#undef KILN_REAL_FUNCTOR

struct exp : vector_math::Exp {};

// Rounding keeps integers as they are.
#define KILN_ROUNDING_FUNCTOR(name, expr) \
  struct name {                           \
    template <Number T>                   \
    T operator()(T x) const {             \
      if constexpr (std::is_integral_v<T>) \
        return x;                         \
      else                                \
        return expr;                      \
    }                                     \
  };
KILN_ROUNDING_FUNCTOR(floor, std::floor(x))
KILN_ROUNDING_FUNCTOR(ceil, std::ceil(x))
KILN_ROUNDING_FUNCTOR(round, std::nearbyint(x))  // half to even, as torch.round
KILN_ROUNDING_FUNCTOR(trunc, std::trunc(x))
#undef KILN_ROUNDING_FUNCTOR

struct abs {
  template <Number T>
  T operator()(T x) const { return x < 0 ? T(-x) : x; }
};
struct neg {
  template <Number T>
  T operator()(T x) const { return T(-x); }
};
struct square {
  template <Number T>
  T operator()(T x) const { return x * x; }
};
struct relu {
  template <Number T>
  T operator()(T x) const { return x < T(0) ? T(0) : x; }
};
struct sign {
  template <class T>
  T operator()(T x) const { return static_cast<T>((T(0) < x) - (x < T(0))); }
};

// Predicates: integers are never NaN or infinite.
struct isnan {
  template <class T>
  bool operator()(T x) const { return x != x; }
};
struct isinf {
  template <class T>
  bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::isinf(x);
    return false;
  }
};
struct isfinite {
  template <class T>
  bool operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::isfinite(x);
    return true;
  }
};
struct logical_not {
  template <class T>
  bool operator()(T x) const { return x == T(0); }
};

}  // namespace kiln::kernels::unary_math
