// The backward engine: count each node's dependencies over the graph reachable
// from the roots, then run nodes in topological order (highest sequence
// number first among the ready ones), summing the gradients that meet at a
// node before it runs, so a shared subexpression is differentiated once.
#include <queue>
#include <unordered_map>

#include "autograd/accumulate_grad.h"
#include "autograd/record.h"
#include "core/broadcast.h"
#include "kiln/functions.h"

namespace kiln::autograd {
namespace {

thread_local bool anomaly_mode = false;

struct ByOrder {
  bool operator()(Node* a, Node* b) const { return a->sequence_nr() < b->sequence_nr(); }
};

// A gradient reshaped and cast to what the receiving tensor looks like.
Tensor conform(Tensor g, const Node::InputMeta& m, const Node& producer) {
  if (g.sizes() != IntArrayRef(m.shape)) {
    KILN_CHECK(core::is_expandable_to(m.shape, g.sizes()), "backward: function ", producer.name(),
               " returned a gradient of shape ", g.sizes(), " for an input of shape ", m.shape);
    g = core::sum_to(g, m.shape);
  }
  if (g.dtype() != m.dtype && is_floating_point(m.dtype)) g = g.to(m.dtype);
  return g;
}

struct GraphTask {
  bool keep_graph;
  // For grad(): the edges whose gradient is captured instead of accumulated.
  std::unordered_map<Node*, std::vector<std::pair<uint32_t, size_t>>> captures;
  std::unordered_map<Node*, bool> needed;  // nodes leading to a capture (grad() only)
  std::vector<Tensor> captured;
};

// True when `node` must run: every node for backward(), only nodes with a
// path to a captured edge for grad().
bool mark_needed(Node* node, GraphTask& task, std::unordered_map<Node*, int>& state) {
  // Iterative DFS would be safer for very deep graphs; depth is bounded by
  // the recursion limit of the stack, so walk with an explicit stack.
  struct Frame {
    Node* node;
    size_t next;
  };
  std::vector<Frame> stack{{node, 0}};
  state[node] = 1;
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next < f.node->next_edges_.size()) {
      Node* child = f.node->next_edges_[f.next++].function.get();
      if (child && !state.count(child)) {
        state[child] = 1;
        stack.push_back({child, 0});
      }
      continue;
    }
    bool need = task.captures.count(f.node) > 0;
    for (const Edge& e : f.node->next_edges_)
      if (e.function && task.needed[e.function.get()]) need = true;
    task.needed[f.node] = need;
    stack.pop_back();
  }
  return task.needed[node];
}

void execute(const std::vector<Edge>& roots, const variable_list& root_grads, GraphTask& task, bool for_grad) {
  // Dependencies: how many edges point at each node.
  std::unordered_map<Node*, int> deps;
  std::vector<Node*> stack;
  for (const Edge& e : roots)
    if (e.function && !deps.count(e.function.get())) {
      deps[e.function.get()] = 0;
      stack.push_back(e.function.get());
    }
  for (size_t i = 0; i < stack.size(); ++i)
    for (const Edge& e : stack[i]->next_edges_) {
      if (!e.function) continue;
      auto [it, inserted] = deps.try_emplace(e.function.get(), 0);
      ++it->second;
      if (inserted) stack.push_back(e.function.get());
    }
  if (for_grad) {
    std::unordered_map<Node*, int> state;
    for (const Edge& e : roots)
      if (e.function) mark_needed(e.function.get(), task, state);
  }

  std::unordered_map<Node*, variable_list> buffers;
  std::priority_queue<Node*, std::vector<Node*>, ByOrder> ready;
  // Keep every node alive while the engine runs, even if a hook drops it.
  std::vector<std::shared_ptr<Node>> alive;
  auto deliver = [&](const Edge& e, Tensor g) {
    variable_list& buf = buffers[e.function.get()];
    if (buf.empty()) buf.resize(e.function->num_inputs());
    Tensor& slot = buf[e.input_nr];
    slot = slot.defined() ? slot + g : std::move(g);
  };
  for (size_t i = 0; i < roots.size(); ++i) {
    if (!roots[i].function) continue;
    deliver(roots[i], root_grads[i]);
  }
  for (const Edge& e : roots)
    if (e.function && deps[e.function.get()] == 0) {
      deps[e.function.get()] = -1;  // queued
      ready.push(e.function.get());
      alive.push_back(e.function);
    }

  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    variable_list grads = std::move(buffers[node]);
    buffers.erase(node);
    if (grads.empty()) grads.resize(node->num_inputs());
    for (auto& [nr, hook] : node->pre_hooks_) {
      if (!grads[nr].defined()) continue;
      Tensor replaced = hook(grads[nr]);
      if (replaced.defined()) grads[nr] = std::move(replaced);
    }
    for (auto& [nr, slot] : node->retained_)
      if (grads[nr].defined()) *slot = slot->defined() ? *slot + grads[nr] : grads[nr].detach().clone();
    auto cap = task.captures.find(node);
    if (cap != task.captures.end())
      for (auto [nr, slot] : cap->second) task.captured[slot] = grads[nr];

    bool run = !for_grad || task.needed[node];
    if (run && for_grad && dynamic_cast<AccumulateGrad*>(node)) run = false;
    variable_list outputs;
    if (run) {
      outputs = node->apply(std::move(grads));
      if (!task.keep_graph) node->release_variables();
      if (anomaly_mode)
        for (const Tensor& o : outputs)
          KILN_CHECK(!o.defined() || !is_floating_point(o.dtype()) || !kiln::isnan(o).any().item<bool>(),
                     "Function '", node->name(), "' returned nan values in its output.");
    }
    for (size_t i = 0; i < node->next_edges_.size(); ++i) {
      const Edge& e = node->next_edges_[i];
      if (!e.function) continue;
      if (run && i < outputs.size() && outputs[i].defined())
        deliver(e, conform(std::move(outputs[i]), node->input_meta_[i], *node));
      int& d = deps[e.function.get()];
      if (--d == 0) {
        d = -1;
        ready.push(e.function.get());
        alive.push_back(e.function);
      }
    }
  }
}

void validate_root(const Tensor& t, const Tensor& g, const char* op) {
  KILN_CHECK(t.defined(), op, ": got an undefined tensor");
  KILN_CHECK(t.requires_grad(), op, ": element 0 of tensors does not require grad and does not have a grad_fn");
  if (!g.defined())
    KILN_CHECK(t.numel() == 1, op, ": grad can be implicitly created only for scalar outputs (got shape ", t.sizes(),
               ")");
  else
    KILN_CHECK(g.sizes() == t.sizes(), op, ": mismatch in shape: grad_output has a shape of ", g.sizes(),
               " and output has a shape of ", t.sizes());
}

std::pair<std::vector<Edge>, variable_list> roots_of(const variable_list& outputs, const variable_list& grad_outputs,
                                                     const char* op) {
  KILN_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), op, ": got ", grad_outputs.size(),
             " gradients for ", outputs.size(), " outputs");
  std::vector<Edge> roots;
  variable_list grads;
  for (size_t i = 0; i < outputs.size(); ++i) {
    Tensor g = grad_outputs.empty() ? Tensor() : grad_outputs[i];
    validate_root(outputs[i], g, op);
    roots.push_back(gradient_edge(outputs[i]));
    grads.push_back(g.defined() ? g : ones_like(outputs[i]));
  }
  return {roots, grads};
}

}  // namespace

DetectAnomalyGuard::DetectAnomalyGuard() : previous_(anomaly_mode) { anomaly_mode = true; }
DetectAnomalyGuard::~DetectAnomalyGuard() { anomaly_mode = previous_; }
bool DetectAnomalyGuard::is_enabled() { return anomaly_mode; }

void backward(const variable_list& tensors, const variable_list& grad_tensors, std::optional<bool> retain_graph,
              bool create_graph, const variable_list& inputs) {
  if (!inputs.empty()) {
    // Accumulate only into the given inputs.
    variable_list gs = grad(tensors, inputs, grad_tensors, retain_graph, create_graph, true);
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!gs[i].defined()) continue;
      AutogradMeta& m = meta(inputs[i]);
      m.grad = m.grad.defined() ? m.grad + gs[i] : gs[i];
    }
    return;
  }
  auto [roots, grads] = roots_of(tensors, grad_tensors, "backward");
  GraphTask task{retain_graph.value_or(create_graph), {}, {}, {}};
  AutoGradMode mode(create_graph);
  execute(roots, grads, task, false);
}

variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                   std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  auto [roots, grads] = roots_of(outputs, grad_outputs, "grad");
  GraphTask task{retain_graph.value_or(create_graph), {}, {}, {}};
  task.captured.resize(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    KILN_CHECK(inputs[i].requires_grad(), "grad: input ", i, " does not require grad");
    Edge e = gradient_edge(inputs[i]);
    task.captures[e.function.get()].push_back({e.input_nr, i});
  }
  {
    AutoGradMode mode(create_graph);
    execute(roots, grads, task, true);
  }
  for (size_t i = 0; i < inputs.size(); ++i)
    KILN_CHECK(allow_unused || task.captured[i].defined(), "grad: one of the differentiated tensors (input ", i,
               ") appears to not have been used in the graph. Set allow_unused=true if this is the desired "
               "behavior.");
  return task.captured;
}

}  // namespace kiln::autograd
