// Forward-mode state: tangents live on tensors while a dual level is open.
#pragma once
#include "autograd/meta.h"

namespace kiln::autograd::forward {

// True while a forward_ad::dual_level is open on this thread.
bool active();
// A view without a tangent of its own has its base's, seen through the same
// view (as in PyTorch), or none. Defined by the ops layer (ops/inplace.cpp).
Tensor view_tangent(const Tensor& view);
// t's tangent at the current level, or an undefined tensor.
inline Tensor tangent(const Tensor& t) {
  AutogradMeta* m = meta_if(t);
  if (!m) return Tensor();
  return m->fw_grad.defined() || !m->view_base.defined() ? m->fw_grad : view_tangent(t);
}
template <class... Ts>
inline bool any_tangent(const Ts&... ts) {
  return active() && (tangent(ts).defined() || ...);
}
void set_tangent(const Tensor& t, const Tensor& tangent);
// t without its tangent (a detached view when it has one): forward rules
// evaluate their partials on primals, or an op applied to a dual tensor
// inside a rule would start another tangent computation (and sin's rule,
// cos(x), would recurse forever). Tangents of tangents are not supported.
inline Tensor primal(const Tensor& t) { return tangent(t).defined() ? t.detach() : t; }
// A new (non-view) result's tangent must not be an input's tangent itself
// (add's partial is the identity): an in-place op writes into its result's
// tangent and must not change the input's. Views share on purpose.
inline Tensor unaliased(const Tensor& t, const Tensor& a, const Tensor& b = Tensor()) {
  return t.defined() && (t.is_same(a) || t.is_same(b)) ? t.clone() : t;
}
// The tangent of t, or zeros shaped like t when it has none.
Tensor tangent_or_zeros(const Tensor& t);

}  // namespace kiln::autograd::forward
