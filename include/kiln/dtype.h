// Element types and PyTorch's promotion lattice over them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <ostream>

namespace kiln {

// Ordered so that promotion between any two is the larger one, except
// uint8 with int8, which promote to int16 (promote_types).
enum class ScalarType : int8_t { Bool = 0, UInt8, Int8, Int16, Int32, Int64, Float32, Float64 };
using Dtype = ScalarType;

constexpr ScalarType kBool = ScalarType::Bool;
constexpr ScalarType kUInt8 = ScalarType::UInt8;
constexpr ScalarType kByte = ScalarType::UInt8;
constexpr ScalarType kInt8 = ScalarType::Int8;
constexpr ScalarType kChar = ScalarType::Int8;
constexpr ScalarType kInt16 = ScalarType::Int16;
constexpr ScalarType kShort = ScalarType::Int16;
constexpr ScalarType kInt32 = ScalarType::Int32;
constexpr ScalarType kInt = ScalarType::Int32;
constexpr ScalarType kInt64 = ScalarType::Int64;
constexpr ScalarType kLong = ScalarType::Int64;
constexpr ScalarType kFloat32 = ScalarType::Float32;
constexpr ScalarType kFloat = ScalarType::Float32;
constexpr ScalarType kFloat64 = ScalarType::Float64;
constexpr ScalarType kDouble = ScalarType::Float64;
// How many dtypes there are: the size of a table indexed by ScalarType.
constexpr size_t kNumScalarTypes = static_cast<size_t>(ScalarType::Float64) + 1;

constexpr bool is_floating_point(ScalarType t) { return t >= ScalarType::Float32; }
constexpr bool is_integral(ScalarType t, bool include_bool) {
  return (t >= ScalarType::UInt8 && t <= ScalarType::Int64) || (include_bool && t == ScalarType::Bool);
}
constexpr bool is_signed(ScalarType t) { return t >= ScalarType::Int8; }
constexpr ScalarType promote_types(ScalarType a, ScalarType b) {
  // Neither uint8 nor int8 holds the other's values.
  if ((a == ScalarType::UInt8 && b == ScalarType::Int8) || (a == ScalarType::Int8 && b == ScalarType::UInt8))
    return ScalarType::Int16;
  return a > b ? a : b;
}
constexpr size_t element_size(ScalarType t) {
  switch (t) {
    case ScalarType::Bool:
    case ScalarType::UInt8:
    case ScalarType::Int8: return 1;
    case ScalarType::Int16: return 2;
    case ScalarType::Int32:
    case ScalarType::Float32: return 4;
    case ScalarType::Int64:
    case ScalarType::Float64: return 8;
  }
  return 0;
}
// "Float", "Double", "Long", "Int", "Short", "Char", "Byte", "Bool": as libtorch prints a ScalarType.
const char* type_name(ScalarType t);
// "float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool": as Python prints a dtype.
const char* python_name(ScalarType t);
std::ostream& operator<<(std::ostream& os, ScalarType t);

// The default floating dtype (float32 unless changed).
ScalarType get_default_dtype();
void set_default_dtype(ScalarType t);

template <class T> struct CppTypeToScalar;
template <> struct CppTypeToScalar<bool> { static constexpr ScalarType value = kBool; };
template <> struct CppTypeToScalar<uint8_t> { static constexpr ScalarType value = kUInt8; };
template <> struct CppTypeToScalar<int8_t> { static constexpr ScalarType value = kInt8; };
template <> struct CppTypeToScalar<int16_t> { static constexpr ScalarType value = kInt16; };
template <> struct CppTypeToScalar<int32_t> { static constexpr ScalarType value = kInt32; };
template <> struct CppTypeToScalar<int64_t> { static constexpr ScalarType value = kInt64; };
template <> struct CppTypeToScalar<float> { static constexpr ScalarType value = kFloat32; };
template <> struct CppTypeToScalar<double> { static constexpr ScalarType value = kFloat64; };
template <class T> constexpr ScalarType scalar_type_of = CppTypeToScalar<T>::value;

}  // namespace kiln
