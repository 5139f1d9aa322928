// How an op records itself for autograd: the one helper every derivative in
// src/ops/ goes through. An op computes its result with a kernel, then, if
// any input requires grad, calls record() with its backward formula written
// in differentiable kiln ops (so higher-order gradients come free).
#pragma once
#include <initializer_list>
#include <optional>
#include <utility>

#include "autograd/meta.h"
#include "kiln/autograd.h"

namespace kiln::autograd {

// A tensor kept for backward, with the version it had when saved: a later
// in-place change is reported when backward unpacks it. The data is kept
// without its autograd state, and an input's history as it was when saved:
// otherwise a node could own, through a saved tensor, the very tensor whose
// history later comes to own the node (an in-place op, a write through a
// view), and the graph would never be freed.
class SavedTensor {
 public:
  SavedTensor() = default;
  explicit SavedTensor(const Tensor& t, bool is_output);
  // With grad mode on (create_graph), the result carries the saved history:
  // an input's, or for an output `node`'s own (output `output_nr`).
  Tensor unpack(Node& node, uint32_t output_nr) const;
  void reset() { data_.reset(); }
  bool defined() const { return data_.defined(); }

 private:
  Tensor data_;
  Edge input_edge_;  // inputs that required grad: where their gradient went when saved
  uint32_t version_ = 0;
  bool is_output_ = false;
};

// What a backward formula sees.
// (Inline lists: unpacking a node's saved tensors allocates nothing.)
using SavedList = SmallVector<Tensor, 2>;
struct BackwardArgs {
  const variable_list& grads;  // w.r.t. each forward output (zeros if unused)
  const SavedList& saved;      // the saved inputs, in the order given to record()
  const SavedList& results;    // the forward outputs, if saved
  uint64_t needs;                // bit i: forward input i needs a gradient
  const Tensor& grad(size_t i = 0) const { return grads[i]; }
  bool needs_grad(size_t i) const { return needs >> i & 1; }
};

using BackwardFn = std::function<variable_list(const BackwardArgs&)>;

// The node every recorded op creates.
class FunctionNode final : public Node {
 public:
  FunctionNode(const char* name, BackwardFn fn) : name_(name), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grads) override;
  void release_variables() override;

  SmallVector<SavedTensor, 2> saved_;
  SmallVector<SavedTensor, 1> results_;
  SmallVector<InputMeta, 1> output_meta_;  // to give unused outputs a zero gradient
  // A node this one's formula runs itself (CopySlices runs the in-place op's
  // node): owned here, and its saved tensors are freed with this node's.
  std::shared_ptr<Node> runs_;

 private:
  const char* name_;
  BackwardFn fn_;
  bool released_ = false;
};

// True when an op on these inputs must be recorded.
inline bool needs_grad(const Tensor& t) {
  AutogradMeta* m = meta_if(t);
  return m && requires_grad(*m);
}
template <class... Ts>
inline bool any_needs_grad(const Ts&... ts) {
  return GradMode::is_enabled() && (needs_grad(ts) || ...);
}

struct Record {
  const char* name;
  std::initializer_list<Tensor> inputs;  // the differentiable inputs, in order
  std::initializer_list<Tensor> saved = {};
  bool save_results = false;
};

// Records `outputs` as the results of op `r`. Call only if any_needs_grad.
void record(const Record& r, std::initializer_list<Tensor> outputs, BackwardFn backward);
inline void record(const Record& r, const Tensor& output, BackwardFn backward) {
  record(r, {output}, std::move(backward));
}
void record(const Record& r, const std::vector<Tensor>& outputs, BackwardFn backward);
// For ops over a list of tensors (cat): one input per list entry, nothing saved.
void record_variadic(const char* name, const std::vector<Tensor>& inputs, const Tensor& output, BackwardFn backward);
// As any_needs_grad, over a list.
inline bool any_needs_grad_in(const std::vector<Tensor>& ts) {
  if (!GradMode::is_enabled()) return false;
  for (const Tensor& t : ts)
    if (needs_grad(t)) return true;
  return false;
}

}  // namespace kiln::autograd
