// Autograd's per-tensor state, allocated only for tensors that take part.
#pragma once
#include <climits>
#include <functional>
#include <memory>
#include <vector>

#include "core/tensor_impl.h"
#include "kiln/autograd.h"

namespace kiln::autograd {

using Hook = Callable<Tensor(const Tensor&)>;

// Drops a reference to a node without recursing through the graph (see meta.cpp).
void release_later(std::shared_ptr<Node>&& node);

// A retain_grad() slot among `node`'s hooks (after those already there): it
// keeps the gradient for output `output_nr` as it arrives there. No handle
// (UINT_MAX), so remove_hook never takes it.
inline void add_retain_slot(Node& node, uint32_t output_nr, std::shared_ptr<Tensor> slot) {
  node.hooks().pre.push_back({output_nr, UINT_MAX, {}, std::move(slot)});
}

struct AutogradMeta final : core::AutogradState, core::SmallObject {
  ~AutogradMeta();
  bool requires_grad = false;
  bool retains_grad = false;
  uint32_t output_nr = 0;
  Tensor grad;
  std::shared_ptr<Node> grad_fn;            // null for leaves
  std::weak_ptr<Node> grad_accumulator;     // leaves: the node that fills .grad
  std::vector<std::pair<unsigned, Hook>> hooks;  // leaves' tensor hooks
  unsigned hooks_registered = 0;                 // a hook's handle is its position, as in libtorch
  Tensor fw_grad;                           // forward-mode tangent
  std::shared_ptr<Tensor> retained_grad;    // non-leaves after retain_grad()
  // A view recorded from a tensor that requires grad: the tensor owning the
  // memory (never itself a view), whose history an in-place op through this
  // view rewrites (ops::inplace).
  Tensor view_base;
  uint32_t view_version = 0;  // the storage version this view's grad_fn was made at
};

// The meta of t, created on first use.
AutogradMeta& meta(const Tensor& t);
// The meta of t or nullptr.
inline AutogradMeta* meta_if(const Tensor& t) {
  return t.defined() ? static_cast<AutogradMeta*>(impl(t)->autograd.get()) : nullptr;
}

// A view requires grad when its base does, as in PyTorch (a view made
// before its base took part in a graph, through a write into another view).
inline bool base_requires_grad(const AutogradMeta& m) {
  if (!m.view_base.defined()) return false;
  const AutogradMeta* base = meta_if(m.view_base);  // a base is never itself a view
  return base && base->requires_grad;
}
inline bool requires_grad(const AutogradMeta& m) { return m.requires_grad || base_requires_grad(m); }

// What autograd needs to know about a view's geometry, registered by the ops
// layer (ops/inplace.cpp), which owns view geometry, when the library loads.
struct ViewRules {
  // Gives a view a new history from its base's current one.
  void (*refresh_history)(const Tensor& view);
  // A view without a tangent of its own: its base's seen through the same
  // view (as in PyTorch), or undefined.
  Tensor (*tangent)(const Tensor& view);
};
extern ViewRules view_rules;
inline bool register_view_rules(ViewRules rules) {
  view_rules = rules;
  return true;
}

// A view whose memory was written in place since its history was recorded
// (through its base or another view), or that has none while its base
// requires grad, gets a new history from its base, as in PyTorch; the
// readers of a view's history call this.
inline void refresh_if_stale(const Tensor& t, const AutogradMeta& m) {
  if (m.view_base.defined() &&
      (impl(t)->storage->version.load(std::memory_order_relaxed) != m.view_version || !m.grad_fn) &&
      base_requires_grad(m))
    view_rules.refresh_history(t);
}

// Where gradients for t go: its grad_fn, or its leaf accumulator.
Edge gradient_edge(const Tensor& t);
// Attaches history to an op's output.
void set_history(const Tensor& t, std::shared_ptr<Node> fn, uint32_t output_nr);

}  // namespace kiln::autograd
