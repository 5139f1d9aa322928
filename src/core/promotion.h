// PyTorch's type promotion: the one place result dtypes are decided.
#pragma once
#include "kiln/tensor.h"

namespace kiln::core {

// result_type over operands, ranking dimensioned tensors over 0-d tensors over
// wrapped C++ numbers, where a lower rank can still raise the category
// (bool < integer < floating) but not the width.
ScalarType result_type(std::initializer_list<const Tensor*> operands);
// The same for a tensor and a C++ number (which ranks as a wrapped number).
ScalarType result_type(const Tensor& a, Scalar b);
// Floating-point result for ops like exp or true division on integer inputs.
inline ScalarType to_floating(ScalarType t) { return is_floating_point(t) ? t : get_default_dtype(); }

}  // namespace kiln::core
