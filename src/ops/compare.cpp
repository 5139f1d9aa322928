// Whole-tensor comparisons: equal, isclose, allclose. Not differentiable
// (they read detached values), so they never record history.
#include "kiln/functions.h"

namespace kiln {

bool equal(const Tensor& a, const Tensor& b) {
  KILN_CHECK(a.defined() && b.defined(), "equal: called with an undefined tensor");
  if (a.sizes() != b.sizes()) return false;
  return (a.detach() == b.detach()).all().item<bool>();
}

// |a - b| <= atol + rtol * |b|, as torch.isclose. kiln also accepts operands
// of different dtypes (compared in their promoted dtype), where libtorch
// raises; equal infinities are close, NaN only with equal_nan.
Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  KILN_CHECK(rtol >= 0, "isclose: rtol must be greater than or equal to zero, but got ", rtol);
  KILN_CHECK(atol >= 0, "isclose: atol must be greater than or equal to zero, but got ", atol);
  Tensor x = a.detach(), y = b.detach();
  Tensor close = x == y;
  ScalarType t = result_type(x, y);
  if (t == kBool) return close;
  // Integers are compared in float64 so that a - b cannot overflow.
  if (!is_floating_point(t)) t = kFloat64;
  Tensor xf = x.to(t), yf = y.to(t);
  Tensor within = abs(xf - yf) <= abs(yf) * rtol + atol;
  close = logical_or(close, logical_and(within, logical_and(isfinite(xf), isfinite(yf))));
  if (equal_nan) close = logical_or(close, logical_and(isnan(xf), isnan(yf)));
  return close;
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  return isclose(a, b, rtol, atol, equal_nan).all().item<bool>();
}

bool Tensor::equal(const Tensor& other) const { return kiln::equal(*this, other); }
bool Tensor::allclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return kiln::allclose(*this, other, rtol, atol, equal_nan);
}

}  // namespace kiln
