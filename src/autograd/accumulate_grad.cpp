#include "autograd/accumulate_grad.h"

#include "kiln/functions.h"

namespace kiln::autograd {

variable_list AccumulateGrad::apply(variable_list&& grads) {
  accumulate(std::move(grads[0]));
  return {};
}

Node::GradList AccumulateGrad::run(GradList&& grads) {
  accumulate(std::move(grads[0]));
  return {};
}

void AccumulateGrad::accumulate(Tensor g) {
  if (!g.defined()) return;  // no gradient reached the leaf (a custom backward returned none): .grad() stays undefined
  AutogradMeta& m = meta(variable_);
  for (auto& [id, hook] : m.hooks) {
    Tensor replaced = hook(g);
    if (replaced.defined()) g = std::move(replaced);
  }
  if (!m.grad.defined() && GradMode::is_enabled()) {
    // create_graph: our own copy, through a recorded copy (CopyBackwards, as torch).
    m.grad = empty_like(g);
    m.grad.copy_(g);
  } else if (!m.grad.defined()) {
    // Keep our own contiguous copy unless nobody else can see this tensor.
    bool unique = impl(g)->refs.load() == 1 && impl(g)->storage->refs.load() == 1 && g.is_contiguous();
    if (unique && !impl(g)->autograd)
      m.grad = std::move(g);
    else
      m.grad = unique ? g.detach() : g.clone();
  } else if (GradMode::is_enabled()) {
    m.grad = m.grad + g;  // create_graph: the sum is itself differentiable
  } else {
    m.grad.add_(g);
  }
}

}  // namespace kiln::autograd
