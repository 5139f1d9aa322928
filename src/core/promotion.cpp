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

// The dtype a wrapped C++ number counts as: the default dtype for a floating
// number, int64 for an integer.
ScalarType wrapped_type(ScalarType t) { return is_floating_point(t) ? get_default_dtype() : t; }

}  // namespace

ScalarType result_type(const Tensor& a, Scalar b) {
  const TensorImpl* i = impl(a);
  ScalarType number = wrapped_type(b.type());
  if (i->wrapped_number) return promote_types(wrapped_type(i->dtype), number);
  return *combine(i->dtype, number);
}

ScalarType result_type(std::initializer_list<const Tensor*> operands) {
  // The common case first: tensors (not C++ numbers) of one dtype.
  if (operands.size() == 2) {
    const Tensor &a = **operands.begin(), &b = **(operands.begin() + 1);
    if (a.defined() && b.defined()) {
      const TensorImpl *ia = impl(a), *ib = impl(b);
      if (ia->dtype == ib->dtype && !ia->wrapped_number && !ib->wrapped_number) return ia->dtype;
    }
  }
  std::optional<ScalarType> dimensioned, zero_dim, wrapped;
  for (const Tensor* t : operands) {
    if (!t || !t->defined()) continue;
    TensorImpl* i = impl(*t);
    if (i->wrapped_number) {
      // A C++ floating number counts as the default dtype, an integer as int64.
      wrapped = promote(wrapped, wrapped_type(i->dtype));
    } else if (i->sizes.empty()) {
      zero_dim = promote(zero_dim, i->dtype);
    } else {
      dimensioned = promote(dimensioned, i->dtype);
    }
  }
  return combine(dimensioned, combine(zero_dim, wrapped)).value_or(get_default_dtype());
}

}  // namespace kiln::core
