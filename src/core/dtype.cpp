#include "kiln/dtype.h"

#include "kiln/array_ref.h"
#include "kiln/error.h"

namespace kiln {

const char* type_name(ScalarType t) {
  switch (t) {
    case kBool: return "Bool";
    case kUInt8: return "Byte";
    case kInt8: return "Char";
    case kInt16: return "Short";
    case kInt32: return "Int";
    case kInt64: return "Long";
    case kFloat32: return "Float";
    case kFloat64: return "Double";
  }
  return "?";
}

const char* python_name(ScalarType t) {
  switch (t) {
    case kBool: return "bool";
    case kUInt8: return "uint8";
    case kInt8: return "int8";
    case kInt16: return "int16";
    case kInt32: return "int32";
    case kInt64: return "int64";
    case kFloat32: return "float32";
    case kFloat64: return "float64";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, ScalarType t) { return os << type_name(t); }

namespace {
ScalarType default_dtype = kFloat32;
}
ScalarType get_default_dtype() { return default_dtype; }
void set_default_dtype(ScalarType t) {
  KILN_CHECK(is_floating_point(t), "set_default_dtype: only floating-point types are supported, got ", t);
  default_dtype = t;
}

std::ostream& operator<<(std::ostream& os, IntArrayRef shape) {
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  return os << ']';
}

}  // namespace kiln
