#include "autograd/derivative.h"

#include <algorithm>

#include "autograd/engine.h"

#include "kiln/functions.h"

namespace kiln::autograd {

SavedTensor::SavedTensor(const Tensor& t, bool is_output, const Edge* edge) : is_output_(is_output) {
  if (!t.defined()) return;
  version_ = t._version();
  AutogradMeta* m = meta_if(t);
  if (!m && !is_output) {
    data_ = t;  // no autograd state to drop (an output gets its history right after)
    return;
  }
  data_ = t.detach();
  if (!is_output && m->requires_grad) input_edge_ = edge ? *edge : gradient_edge(t);
}

Tensor SavedTensor::unpack(Node& node, uint32_t output_nr) const {
  if (!data_.defined()) return data_;  // an optional input that was not given
  KILN_CHECK(data_._version() == version_,
             "one of the variables needed for gradient computation has been modified by an inplace operation: [",
             type_name(data_.dtype()), "Tensor ", data_.sizes(), "]", is_output_ ? ", which is output " : "",
             is_output_ ? std::to_string(output_nr) + " of " + node.name() : std::string(), ", is at version ",
             data_._version(), "; expected version ", version_, " instead.");
  if (!GradMode::is_enabled() || !(is_output_ || input_edge_.is_valid())) return data_;
  Tensor alias = data_.detach();
  if (is_output_)
    set_history(alias, node.shared_from_this(), output_nr);
  else
    set_history(alias, input_edge_.function, input_edge_.input_nr);
  return alias;
}

variable_list FunctionNode::apply(variable_list&& grads) {
  Grads in;
  for (Tensor& g : grads) in.push_back(std::move(g));
  Grads out = run(std::move(in));
  return variable_list(std::make_move_iterator(out.begin()), std::make_move_iterator(out.end()));
}

Grads FunctionNode::run(Grads&& grads) {
  KILN_CHECK(!released_,
             "Trying to backward through the graph a second time (or directly access saved tensors after they "
             "have already been freed). Saved intermediate values of the graph are freed when you call "
             ".backward() or autograd.grad(). Specify retain_graph=true if you need to backward through the graph "
             "a second time. (node ", name_, ")");
  // No gradient at all gives none, as in torch; otherwise outputs nobody used
  // get zeros, so every formula sees a defined gradient.
  if (std::none_of(grads.begin(), grads.end(), [](const Tensor& g) { return g.defined(); }))
    return Grads(next_edges_.size());
  for (size_t i = 0; i < grads.size(); ++i)
    if (!grads[i].defined()) grads[i] = zeros(output_meta_[i].shape, output_meta_[i].dtype);
  TensorList saved, results;
  for (const SavedTensor& s : saved_) saved.push_back(s.unpack(*this, 0));
  for (uint32_t i = 0; i < results_.size(); ++i) results.push_back(results_[i].unpack(*this, i));
  return fn_(BackwardArgs{grads, saved, results, needed_edges(*this)});
}

void FunctionNode::release_variables() {
  if (runs_) runs_->release_variables();
  // Only a node that saved tensors refuses a second backward, as in PyTorch.
  if (saved_.empty() && results_.empty()) return;
  saved_.clear();
  results_.clear();
  released_ = true;
}

namespace {
template <class Inputs, class Outputs>
void record_impl(const char* name, const Inputs& inputs, TensorRefs saved, bool save_results, const Outputs& outputs,
                 BackwardFn backward) {
  auto node = std::allocate_shared<FunctionNode>(core::SmallObjectAllocator<FunctionNode>(), name, std::move(backward));
  for (const auto& ref : inputs) {
    const Tensor& in = *ref;
    node->next_edges_.push_back(in.defined() ? gradient_edge(in) : Edge{});
    node->input_meta_.push_back({in.defined() ? Shape(in.sizes()) : Shape(), in.defined() ? in.dtype() : kFloat32});
  }
  // A saved input's edge is its input edge: found once (a leaf's takes a lock).
  for (TensorRef s : saved) {
    const Edge* edge = nullptr;
    size_t i = 0;
    for (const auto& ref : inputs) {
      if (s->defined() && s->is_same(*ref)) edge = &node->next_edges_[i];
      ++i;
    }
    node->saved_.emplace_back(*s, false, edge);
  }
  node->num_inputs_ = static_cast<uint32_t>(outputs.size());
  uint32_t nr = 0;
  for (TensorRef ref : outputs) {
    const Tensor& out = *ref;
    if (save_results) node->results_.emplace_back(out, true);
    node->output_meta_.push_back({Shape(out.sizes()), out.dtype()});
    if (is_floating_point(out.dtype())) set_history(out, node, nr);
    ++nr;
  }
}
}  // namespace

void record(const Derivative& d, std::initializer_list<TensorRef> outputs, BackwardFn backward) {
  record_impl(d.name, d.inputs, d.saved, d.save_results, outputs, std::move(backward));
}
void record(const char* name, const std::vector<Tensor>& inputs, const Tensor& output, BackwardFn backward) {
  std::vector<TensorRef> refs(inputs.begin(), inputs.end());
  record_impl(name, refs, {}, false, std::initializer_list<TensorRef>{output}, std::move(backward));
}

Tensor ForwardArgs::tangent_or_zeros(size_t i) const {
  return tangents[i].defined() ? tangents[i] : zeros_like(primals[i]);
}

namespace detail {
ForwardArgs forward_args(TensorRefs inputs, const Tensor& result) {
  ForwardArgs args{{}, {}, result};
  for (TensorRef in : inputs) {
    args.tangents.push_back(in->defined() ? forward::tangent(*in) : Tensor());
    args.primals.push_back(in->defined() ? forward::primal(*in) : Tensor());
  }
  return args;
}

Tensor unaliased(Tensor tangent, const ForwardArgs& args) {
  for (const Tensor& t : args.tangents)
    if (tangent.defined() && tangent.is_same(t)) return tangent.clone();
  return tangent;
}
}  // namespace detail

Tensor sum_to(const Tensor& t, IntArrayRef shape) {
  if (t.sizes() == shape) return t;
  size_t lead = t.dim() - shape.size();
  std::vector<int64_t> dims;
  for (size_t i = 0; i < lead; ++i) dims.push_back(static_cast<int64_t>(i));
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == 1 && t.size(lead + i) != 1) dims.push_back(static_cast<int64_t>(lead + i));
  Tensor r = dims.empty() ? t : t.sum(dims, /*keepdim=*/true);
  return lead ? r.reshape(shape) : (r.sizes() == shape ? r : r.reshape(shape));
}

}  // namespace kiln::autograd
