#include "core/promotion.h"

#include <optional>

#include "core/tensor_impl.h"

namespace kiln::core {
namespace {

std::optional<ScalarType> promote(std::optional<ScalarType> a, ScalarType b) {
  return a ? promote_types(*a, b) : b;
}

// The category of `lower` may raise `higher`: float beats integer beats bool.
std::optional<ScalarType> combine(std::optional<ScalarType> higher, std::optional<ScalarType> lower) {
  if (!higher) return lower;
  if (!lower) return higher;
  if (is_floating_point(*higher)) return higher;
  if (*higher == kBool || is_floating_point(*lower)) return promote_types(*higher, *lower);
  return higher;
}

}  // namespace

ScalarType result_type(std::initializer_list<const Tensor*> operands) {
  std::optional<ScalarType> dimensioned, zero_dim, wrapped;
  for (const Tensor* t : operands) {
    if (!t || !t->defined()) continue;
    TensorImpl* i = impl(*t);
    if (i->wrapped_number) {
      // A C++ floating number counts as the default dtype, an integer as int64.
      wrapped = promote(wrapped, is_floating_point(i->dtype) ? get_default_dtype() : i->dtype);
    } else if (i->sizes.empty()) {
      zero_dim = promote(zero_dim, i->dtype);
    } else {
      dimensioned = promote(dimensioned, i->dtype);
    }
  }
  return combine(dimensioned, combine(zero_dim, wrapped)).value_or(get_default_dtype());
}

}  // namespace kiln::core
