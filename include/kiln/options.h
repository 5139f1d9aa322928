// TensorOptions: dtype and requires_grad, chained as in libtorch.
#pragma once
#include <optional>

#include "kiln/dtype.h"

namespace kiln {

class TensorOptions {
 public:
  TensorOptions() = default;
  TensorOptions(ScalarType t) : dtype_(t) {}

  TensorOptions dtype(ScalarType t) const {
    TensorOptions o = *this;
    o.dtype_ = t;
    return o;
  }
  TensorOptions requires_grad(bool r) const {
    TensorOptions o = *this;
    o.requires_grad_ = r;
    return o;
  }
  bool has_dtype() const { return dtype_.has_value(); }
  ScalarType dtype() const { return dtype_.value_or(get_default_dtype()); }
  ScalarType dtype_or(ScalarType fallback) const { return dtype_.value_or(fallback); }
  bool requires_grad() const { return requires_grad_; }

 private:
  std::optional<ScalarType> dtype_;
  bool requires_grad_ = false;
};

inline TensorOptions dtype(ScalarType t) { return TensorOptions().dtype(t); }
inline TensorOptions requires_grad(bool r = true) { return TensorOptions().requires_grad(r); }

}  // namespace kiln
