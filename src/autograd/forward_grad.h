// Forward-mode state: tangents live on tensors while a dual level is open.
#pragma once
#include <type_traits>

#include "autograd/meta.h"

namespace kiln::autograd::forward {

namespace detail {
extern thread_local int depth;  // open dual levels on this thread
}
// True while a forward_ad::dual_level is open on this thread.
inline bool active() { return detail::depth > 0; }
// t's tangent at the current level, or an undefined tensor.
inline Tensor tangent(const Tensor& t) {
  AutogradMeta* m = meta_if(t);
  if (!m) return Tensor();
  return m->fw_grad.defined() || !m->view_base.defined() ? m->fw_grad : view_rules.tangent(t);
}
template <class... Ts>
inline bool any_tangent(const Ts&... ts) {
  return active() && (tangent(ts).defined() || ...);
}
// Over a list of tensors or references to them (autograd::TensorRefs).
template <class List>
inline bool any_tangent_in(const List& ts) {
  for (const auto& t : ts) {
    if constexpr (std::is_same_v<std::decay_t<decltype(t)>, Tensor>) {
      if (tangent(t).defined()) return true;
    } else if (tangent(*t).defined()) {
      return true;
    }
  }
  return false;
}
void set_tangent(const Tensor& t, const Tensor& tangent);
// t without its tangent (a detached view when it has one): forward rules
// evaluate their partials on primals, or an op applied to a dual tensor
// inside a rule would start another tangent computation (and sin's rule,
// cos(x), would recurse forever). Tangents of tangents are not supported.
inline Tensor primal(const Tensor& t) { return tangent(t).defined() ? t.detach() : t; }
// The tangent of t, or zeros shaped like t when it has none.
Tensor tangent_or_zeros(const Tensor& t);

}  // namespace kiln::autograd::forward
