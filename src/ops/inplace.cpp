#include "autograd/forward_grad.h"
#include "autograd/record.h"
#include "ops/ops.h"

namespace kiln::ops {

void bump_version(const Tensor& t) { impl(t)->storage->version.fetch_add(1, std::memory_order_relaxed); }

Tensor& inplace(Tensor& self, const char* op, bool needs_history, const std::function<void()>& direct,
                const std::function<Tensor(const Tensor& value)>& out_of_place) {
  KILN_CHECK(self.defined(), op, ": called on an undefined tensor");
  if (!needs_history) {
    direct();
    bump_version(self);
    return self;
  }
  KILN_CHECK(!(self.is_leaf() && self.requires_grad() && GradMode::is_enabled()), op,
             ": a leaf Variable that requires grad is being used in an in-place operation.");
  Tensor result = out_of_place(self.clone());
  KILN_CHECK(result.sizes() == self.sizes(), op, ": output with shape ", self.sizes(),
             " doesn't match the broadcast shape ", result.sizes());
  kernels::copy(self, result);
  bump_version(self);
  if (autograd::AutogradMeta* m = autograd::meta_if(result); m && m->grad_fn) {
    autograd::set_history(self, m->grad_fn, m->output_nr);
  }
  if (Tensor t = autograd::forward::tangent(result); t.defined()) autograd::forward::set_tangent(self, t);
  return self;
}

}  // namespace kiln::ops
