// Autograd's per-tensor state, allocated only for tensors that take part.
#pragma once
#include <functional>
#include <memory>
#include <vector>

#include "core/tensor_impl.h"
#include "kiln/autograd.h"

namespace kiln::autograd {

using Hook = std::function<Tensor(const Tensor&)>;

// Drops a reference to a node without recursing through the graph (see meta.cpp).
void release_later(std::shared_ptr<Node>&& node);

struct AutogradMeta : core::SmallObject {
  ~AutogradMeta();
  bool requires_grad = false;
  bool retains_grad = false;
  uint32_t output_nr = 0;
  Tensor grad;
  std::shared_ptr<Node> grad_fn;            // null for leaves
  std::weak_ptr<Node> grad_accumulator;     // leaves: the node that fills .grad
  std::vector<std::pair<unsigned, Hook>> hooks;  // leaves' tensor hooks
  Tensor fw_grad;                           // forward-mode tangent
  std::shared_ptr<Tensor> retained_grad;    // non-leaves after retain_grad()
  // A view recorded from a tensor that requires grad: the tensor owning the
  // memory (never itself a view), whose history an in-place op through this
  // view rewrites (ops::inplace).
  Tensor view_base;
};

// The meta of t, created on first use.
AutogradMeta& meta(const Tensor& t);
// The meta of t or nullptr.
inline AutogradMeta* meta_if(const Tensor& t) { return t.defined() ? impl(t)->autograd.get() : nullptr; }

// Where gradients for t go: its grad_fn, or its leaf accumulator.
Edge gradient_edge(const Tensor& t);
// Attaches history to an op's output.
void set_history(const Tensor& t, std::shared_ptr<Node> fn, uint32_t output_nr);
unsigned next_hook_id();

}  // namespace kiln::autograd
