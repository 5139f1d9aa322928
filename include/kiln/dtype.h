// Element types and PyTorch's promotion lattice over them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <ostream>

namespace kiln {

// Ordered so that promotion between any two is the larger one.
enum class ScalarType : int8_t { Bool = 0, Int32 = 1, Int64 = 2, Float32 = 3, Float64 = 4 };
using Dtype = ScalarType;

constexpr ScalarType kBool = ScalarType::Bool;
constexpr ScalarType kInt32 = ScalarType::Int32;
constexpr ScalarType kInt = ScalarType::Int32;
constexpr ScalarType kInt64 = ScalarType::Int64;
constexpr ScalarType kLong = ScalarType::Int64;
constexpr ScalarType kFloat32 = ScalarType::Float32;
constexpr ScalarType kFloat = ScalarType::Float32;
constexpr ScalarType kFloat64 = ScalarType::Float64;
constexpr ScalarType kDouble = ScalarType::Float64;

constexpr bool is_floating_point(ScalarType t) { return t >= ScalarType::Float32; }
constexpr bool is_integral(ScalarType t, bool include_bool) {
  return t == ScalarType::Int32 || t == ScalarType::Int64 || (include_bool && t == ScalarType::Bool);
}
constexpr ScalarType promote_types(ScalarType a, ScalarType b) { return a > b ? a : b; }
constexpr size_t element_size(ScalarType t) {
  switch (t) {
    case ScalarType::Bool: return 1;
    case ScalarType::Int32:
    case ScalarType::Float32: return 4;
    case ScalarType::Int64:
    case ScalarType::Float64: return 8;
  }
  return 0;
}
// "Float", "Double", "Long", "Int", "Bool": as libtorch prints a ScalarType.
const char* type_name(ScalarType t);
// "float32", "float64", "int64", "int32", "bool": as Python prints a dtype.
const char* python_name(ScalarType t);
std::ostream& operator<<(std::ostream& os, ScalarType t);

// The default floating dtype (float32 unless changed).
ScalarType get_default_dtype();
void set_default_dtype(ScalarType t);

template <class T> struct CppTypeToScalar;
template <> struct CppTypeToScalar<bool> { static constexpr ScalarType value = kBool; };
template <> struct CppTypeToScalar<int32_t> { static constexpr ScalarType value = kInt32; };
template <> struct CppTypeToScalar<int64_t> { static constexpr ScalarType value = kInt64; };
template <> struct CppTypeToScalar<float> { static constexpr ScalarType value = kFloat32; };
template <> struct CppTypeToScalar<double> { static constexpr ScalarType value = kFloat64; };
template <class T> constexpr ScalarType scalar_type_of = CppTypeToScalar<T>::value;

}  // namespace kiln
