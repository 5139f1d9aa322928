// The non-template half of kiln::autograd::Function<T>: the context's saved
// tensors, wiring the node into the graph, and running T::backward.
#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>

#include "autograd/derivative.h"
#include "autograd/engine.h"
#include "autograd/forward_grad.h"
#include "kiln/autograd_function.h"
#include "kiln/functions.h"

namespace kiln::autograd {

// ---- IValue
double IValue::toDouble() const {
  if (isInt()) return static_cast<double>(std::get<int64_t>(v_));
  KILN_CHECK(isDouble(), "IValue::toDouble: the saved value is not a number");
  return std::get<double>(v_);
}
int64_t IValue::toInt() const {
  KILN_CHECK(isInt(), "IValue::toInt: the saved value is not an integer");
  return std::get<int64_t>(v_);
}
bool IValue::toBool() const {
  KILN_CHECK(isBool(), "IValue::toBool: the saved value is not a bool");
  return std::get<bool>(v_);
}
const Tensor& IValue::toTensor() const {
  KILN_CHECK(isTensor(), "IValue::toTensor: the saved value is not a tensor");
  return std::get<Tensor>(v_);
}
const std::string& IValue::toStringRef() const {
  KILN_CHECK(isString(), "IValue::toStringRef: the saved value is not a string");
  return std::get<std::string>(v_);
}
const std::vector<int64_t>& IValue::toIntVector() const {
  KILN_CHECK(isIntList(), "IValue::toIntVector: the saved value is not a list of integers");
  return std::get<std::vector<int64_t>>(v_);
}

namespace detail {
struct SavedVariables {
  std::vector<SavedTensor> tensors;
  std::vector<uint32_t> output_nr;  // for saved outputs: which output
};

std::string demangle(const char* mangled) {
  int status = 0;
  char* name = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  if (status != 0 || !name) return mangled;
  std::string result(name);
  std::free(name);
  return result;
}
}  // namespace detail

// ---- AutogradContext
AutogradContext::AutogradContext() : saved_(std::make_unique<detail::SavedVariables>()) {}
AutogradContext::~AutogradContext() = default;

void AutogradContext::save_for_backward(variable_list to_save) { to_save_ = std::move(to_save); }

variable_list AutogradContext::get_saved_variables() const {
  KILN_CHECK(!saved_released_,
             "Trying to backward through the graph a second time (or directly access saved tensors after they "
             "have already been freed). Saved intermediate values of the graph are freed when you call "
             ".backward() or autograd.grad(). Specify retain_graph=true if you need to backward through the graph "
             "a second time.");
  std::shared_ptr<Node> node = node_.lock();
  variable_list out;
  out.reserve(saved_->tensors.size());
  for (size_t i = 0; i < saved_->tensors.size(); ++i) {
    const SavedTensor& s = saved_->tensors[i];
    out.push_back(s.defined() ? s.unpack(*node, saved_->output_nr[i]) : Tensor());
  }
  return out;
}

void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  for (const Tensor& t : outputs)
    if (t.defined()) non_differentiable_.push_back(t.unsafe_impl());
}

void AutogradContext::mark_dirty(const variable_list& inputs) {
  for (const Tensor& t : inputs)
    if (t.defined()) dirty_.push_back(t.unsafe_impl());
}

bool AutogradContext::needs_input_grad(size_t index) const {
  KILN_CHECK(index < needs_input_grad_.size(), "needs_input_grad: index ", index, " out of range for ",
             needs_input_grad_.size(), " tensor inputs");
  // In backward, the running pass decides (grad() may want only some inputs).
  if (auto node = node_.lock()) return task_should_compute_output(*node, index);
  return needs_input_grad_[index];
}
bool AutogradContext::needs_input_grad(std::initializer_list<IndexRange> ranges) const {
  for (const IndexRange& r : ranges)
    for (size_t i = r.first; i < r.second; ++i)
      if (needs_input_grad(i)) return true;
  return false;
}

namespace detail {

void CustomNodeBase::begin(const variable_list& tensor_inputs, std::vector<bool> is_tensor_arg) {
  is_tensor_arg_ = std::move(is_tensor_arg);
  const bool grad_mode = GradMode::is_enabled();
  for (const Tensor& t : tensor_inputs) {
    ctx.needs_input_grad_.push_back(grad_mode && t.defined() && t.requires_grad());
    // As libtorch: a tangent cannot pass through a user's forward, so refuse it rather than drop it.
    KILN_CHECK(!forward::active() || !t.defined() || !forward::tangent(t).defined(), name(),
               ": jvp is not implemented for the c++ API of custom Function yet (an input carries a forward-mode "
               "tangent)");
  }
}

variable_list CustomNodeBase::finish(const variable_list& tensor_inputs, variable_list outputs) {
  auto is_dirty = [&](const Tensor& t) {
    return std::find(ctx.dirty_.begin(), ctx.dirty_.end(), static_cast<const void*>(t.unsafe_impl())) !=
           ctx.dirty_.end();
  };
  // A dirty input was changed in place: its version moves on, and a leaf
  // that requires grad may not be (as for any in-place op).
  for (const Tensor& in : tensor_inputs) {
    if (!in.defined() || !is_dirty(in)) continue;
    KILN_CHECK(!(in.is_leaf() && in.requires_grad() && GradMode::is_enabled()), name(),
               ": a leaf Variable that requires grad is being used in an in-place operation.");
    impl(in)->storage->version.fetch_add(1, std::memory_order_relaxed);
  }
  // An input returned as is becomes a new tensor (an alias), so the input
  // keeps its own history; a dirty one stays itself and takes this node's.
  {
    NoGradGuard no_grad;
    for (Tensor& out : outputs)
      for (const Tensor& in : tensor_inputs)
        if (out.defined() && out.is_same(in) && !is_dirty(in)) out = out.alias();
  }
  const bool record = std::any_of(ctx.needs_input_grad_.begin(), ctx.needs_input_grad_.end(), [](bool b) { return b; });
  if (!record) {
    ctx.to_save_.clear();
    return outputs;
  }
  std::shared_ptr<Node> self = shared_from_this();
  ctx.node_ = self;
  for (const Tensor& in : tensor_inputs) {
    next_edges_.push_back(in.defined() && in.requires_grad() ? gradient_edge(in) : Edge{});
    input_meta_.push_back({in.defined() ? Shape(in.sizes()) : Shape(), in.defined() ? in.dtype() : kFloat32});
  }
  num_inputs_ = static_cast<uint32_t>(outputs.size());
  for (uint32_t nr = 0; nr < outputs.size(); ++nr) {
    const Tensor& out = outputs[nr];
    output_meta_.push_back({out.defined() ? Shape(out.sizes()) : Shape(), out.defined() ? out.dtype() : kFloat32});
    if (!out.defined() || !is_floating_point(out.dtype())) continue;
    const bool non_diff = std::find(ctx.non_differentiable_.begin(), ctx.non_differentiable_.end(),
                                    static_cast<const void*>(out.unsafe_impl())) != ctx.non_differentiable_.end();
    if (!non_diff) set_history(out, self, nr);
  }
  // Saved outputs are kept detached (the node must not own itself) and get
  // their history back when unpacked under create_graph.
  for (const Tensor& t : ctx.to_save_) {
    uint32_t nr = 0;
    bool is_output = false;
    for (uint32_t k = 0; k < outputs.size() && t.defined(); ++k)
      if (outputs[k].is_same(t)) {
        is_output = true;
        nr = k;
      }
    ctx.saved_->tensors.push_back(t.defined() ? SavedTensor(t, is_output) : SavedTensor());
    ctx.saved_->output_nr.push_back(nr);
  }
  ctx.to_save_.clear();
  return outputs;
}

variable_list CustomNodeBase::apply(variable_list&& grads) {
  if (ctx.materialize_grads_)
    for (size_t i = 0; i < grads.size(); ++i)
      if (!grads[i].defined()) grads[i] = zeros(output_meta_[i].shape, output_meta_[i].dtype);
  variable_list result = call_backward(std::move(grads));
  const size_t n_args = is_tensor_arg_.size(), n_tensors = next_edges_.size();
  if (result.size() == n_args && n_args != n_tensors) {
    variable_list picked;
    for (size_t i = 0; i < n_args; ++i) {
      if (is_tensor_arg_[i]) {
        picked.push_back(result[i]);
      } else {
        KILN_CHECK(!result[i].defined(), "function ", name(), " returned a gradient different than None at position ",
                   i + 1, ", but the corresponding forward input was not a Variable");
      }
    }
    result = std::move(picked);
  }
  KILN_CHECK(result.size() == n_tensors, "function ", name(),
             " returned an incorrect number of gradients (expected ", n_args, ", got ", result.size(), ")");
  // A gradient for an input that does not need one is dropped.
  for (size_t i = 0; i < n_tensors; ++i)
    if (!next_edges_[i].is_valid()) result[i] = Tensor();
  return result;
}

void CustomNodeBase::release_variables() {
  if (ctx.saved_->tensors.empty()) return;
  ctx.saved_->tensors.clear();
  ctx.saved_->output_nr.clear();
  ctx.saved_released_ = true;
}

}  // namespace detail
}  // namespace kiln::autograd
