// An op's derivative, declared once beside its forward: every op in ops/,
// linalg/ and random/ computes its result with a kernel, then calls
// differentiable() with
//   - the node's name and its differentiable inputs (what the backward keeps),
//   - the backward formula: gradients w.r.t. the inputs from the gradient
//     w.r.t. the result, written in differentiable kiln ops (so higher-order
//     gradients come free),
//   - the forward-mode rule: the result's tangent from the inputs' tangents.
// differentiable() is inline and costs two flag tests when nothing needs a
// derivative (grad mode off or no input requiring grad, no dual level open).
#pragma once
#include <initializer_list>
#include <utility>

#include "autograd/forward_grad.h"
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
  // `edge`, when given, is t's gradient edge (already found for an input).
  SavedTensor(const Tensor& t, bool is_output, const Edge* edge = nullptr);
  // With grad mode on (create_graph), the result carries the saved history:
  // an input's, or for an output `node`'s own (output `output_nr`).
  Tensor unpack(Node& node, uint32_t output_nr) const;
  bool defined() const { return data_.defined(); }

 private:
  Tensor data_;
  Edge input_edge_;  // inputs that required grad: where their gradient went when saved
  uint32_t version_ = 0;
  bool is_output_ = false;
};

// Inline lists: one or two tensors per op cost no allocation.
using TensorList = SmallVector<Tensor, 2>;
// What a backward formula returns: one gradient per input, undefined where
// the input needs none.
using Grads = Node::GradList;

// What a backward formula sees.
struct BackwardArgs {
  const Grads& grads;          // w.r.t. each forward output (zeros if unused)
  const TensorList& saved;     // the saved inputs, in the order declared
  const TensorList& results;   // the forward outputs, if saved
  uint64_t needs;              // bit i: forward input i needs a gradient
  const Tensor& grad(size_t i = 0) const { return grads[i]; }
  bool needs_grad(size_t i) const { return needs >> i & 1; }
};

// What a forward-mode rule sees: each input's tangent (undefined where it
// has none) and primal (the input without its tangent), and the result(s).
struct ForwardArgs {
  TensorList tangents, primals;
  const Tensor& result;
  const Tensor& tangent(size_t i = 0) const { return tangents[i]; }
  const Tensor& primal(size_t i = 0) const { return primals[i]; }
  // The tangent of input i, or zeros shaped like it.
  Tensor tangent_or_zeros(size_t i) const;
};

using BackwardFn = std::function<Grads(const BackwardArgs&)>;

// A reference to a tensor in a derivative's lists: building the lists costs
// no reference counting on the hot path.
class TensorRef {
 public:
  TensorRef(const Tensor& t) : t_(&t) {}  // NOLINT: implicit, as the lists are braced
  const Tensor& operator*() const { return *t_; }
  const Tensor* operator->() const { return t_; }

 private:
  const Tensor* t_;
};
using TensorRefs = std::initializer_list<TensorRef>;

// An op's identity for autograd.
struct Derivative {
  const char* name;     // the node's name, as PyTorch's ("MulBackward0")
  TensorRefs inputs;    // the differentiable inputs, in order (undefined: an absent optional)
  TensorRefs saved{};   // the inputs the backward formula reads (BackwardArgs::saved)
  bool save_results = false;  // the formula reads the op's outputs (BackwardArgs::results)
};

// The node every recorded op creates.
class FunctionNode final : public Node {
 public:
  FunctionNode(const char* name, BackwardFn fn) : name_(name), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  Grads run(Grads&& grads) override;
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

// True when an op on t must be recorded.
inline bool needs_grad(const Tensor& t) {
  AutogradMeta* m = meta_if(t);
  return m && requires_grad(*m);
}
template <class... Ts>
inline bool any_needs_grad(const Ts&... ts) {
  return GradMode::is_enabled() && (needs_grad(ts) || ...);
}
template <class List>
inline bool any_needs_grad_in(const List& ts) {
  if (!GradMode::is_enabled()) return false;
  for (const auto& t : ts)
    if (needs_grad(*&t)) return true;
  return false;
}
inline bool any_needs_grad_in(TensorRefs ts) {
  if (!GradMode::is_enabled()) return false;
  for (TensorRef t : ts)
    if (needs_grad(*t)) return true;
  return false;
}

// Records `outputs` as the results of `d` with its backward formula. Call
// only when an input needs grad. (differentiable() is the usual entry; ops
// over a runtime number of inputs, cat, call this with their list.)
void record(const Derivative& d, std::initializer_list<TensorRef> outputs, BackwardFn backward);
void record(const char* name, const std::vector<Tensor>& inputs, const Tensor& output, BackwardFn backward);

namespace detail {
ForwardArgs forward_args(TensorRefs inputs, const Tensor& result);
// A new (non-view) result's tangent must not be an input's tangent itself
// (add's partial is the identity): an in-place op writes into its result's
// tangent and must not change the input's. Views share on purpose.
Tensor unaliased(Tensor tangent, const ForwardArgs& args);
}  // namespace detail

// Attaches op `d`'s derivative to its (floating) result: `backward`
// (BackwardArgs -> Grads) when an input requires grad, and `forward`
// (ForwardArgs -> the result's tangent) when an input has a tangent.
template <class Backward, class Forward>
inline Tensor differentiable(Tensor result, const Derivative& d, Backward&& backward, Forward&& forward) {
  if (!is_floating_point(result.dtype())) return result;
  if (any_needs_grad_in(d.inputs)) record(d, {result}, BackwardFn(std::forward<Backward>(backward)));
  if (forward::active() && forward::any_tangent_in(d.inputs)) {
    ForwardArgs args = detail::forward_args(d.inputs, result);
    forward::set_tangent(result, detail::unaliased(forward(args), args));
  }
  return result;
}

// The same for an op with several outputs: `forward` returns one tangent per
// output (undefined where none).
template <class Backward, class Forward>
inline void differentiable(std::initializer_list<TensorRef> results, const Derivative& d, Backward&& backward,
                           Forward&& forward) {
  if (!is_floating_point(results.begin()->operator*().dtype())) return;
  if (any_needs_grad_in(d.inputs)) record(d, results, BackwardFn(std::forward<Backward>(backward)));
  if (forward::active() && forward::any_tangent_in(d.inputs)) {
    ForwardArgs args = detail::forward_args(d.inputs, **results.begin());
    TensorList tangents = forward(args);
    size_t i = 0;
    for (TensorRef r : results) forward::set_tangent(*r, detail::unaliased(tangents[i++], args));
  }
}

// Sums `t` down to `shape`: the adjoint of broadcasting, which the engine
// and formulas apply to a gradient that met a broadcast input.
Tensor sum_to(const Tensor& t, IntArrayRef shape);

}  // namespace kiln::autograd
