// Runs a generic lambda with the C++ type of a dtype: f(Type<T>{}).
#pragma once
#include <cstdint>

#include "kiln/dtype.h"
#include "kiln/error.h"

namespace kiln::core {

template <class T>
struct Type {
  using type = T;
};

template <class F>
decltype(auto) dispatch(ScalarType t, F&& f) {
  switch (t) {
    case kBool: return f(Type<bool>{});
    case kUInt8: return f(Type<uint8_t>{});
    case kInt8: return f(Type<int8_t>{});
    case kInt16: return f(Type<int16_t>{});
    case kInt32: return f(Type<int32_t>{});
    case kInt64: return f(Type<int64_t>{});
    case kFloat32: return f(Type<float>{});
    case kFloat64: break;
  }
  return f(Type<double>{});
}

template <class F>
decltype(auto) dispatch_floating(ScalarType t, const char* op, F&& f) {
  KILN_CHECK(is_floating_point(t), op, ": expected a floating-point tensor, got ", t);
  if (t == kFloat32) return f(Type<float>{});
  return f(Type<double>{});
}

}  // namespace kiln::kernels
