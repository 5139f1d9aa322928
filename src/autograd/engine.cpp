// The backward engine: count each node's dependencies over the graph reachable
// from the roots, then run nodes in topological order (highest sequence
// number first among the ready ones), summing the gradients that meet at a
// node before it runs, so a shared subexpression is differentiated once.
#include <algorithm>
#include <bit>

#include "autograd/accumulate_grad.h"
#include "autograd/anomaly.h"
#include "autograd/derivative.h"
#include "autograd/engine.h"
#include "core/broadcast.h"
#include "kiln/functions.h"
#include "kiln/warning.h"

namespace kiln::autograd {
namespace {

// A gradient reshaped and cast to what the receiving tensor looks like.
Tensor conform(Tensor g, const Node::InputMeta& m, const Node& producer, size_t index) {
  if (g.sizes() != IntArrayRef(m.shape)) {
    KILN_CHECK(core::is_expandable_to(m.shape, g.sizes()), "backward: Function ", producer.name(),
               " returned an invalid gradient at index ", index, " - got ", g.sizes(),
               " but expected shape compatible with ", m.shape);
    g = sum_to(g, m.shape);
  }
  if (g.dtype() != m.dtype && is_floating_point(m.dtype)) g = g.to(m.dtype);
  return g;
}

constexpr uint32_t kNoNode = UINT32_MAX;

// The node the engine is running on this thread and which of its next edges
// the pass needs (bit i: edge i): what running_node() and needed_edges() tell.
thread_local const Node* running = nullptr;
thread_local uint64_t running_needs = 0;
struct RunningNode {
  RunningNode(const Node* node, uint64_t needs) : node_(running), needs_(running_needs) {
    running = node;
    running_needs = needs;
  }
  ~RunningNode() {
    running = node_;
    running_needs = needs_;
  }
  const Node* node_;
  uint64_t needs_;
};

// What the engine keeps per node of one backward pass: everything the run
// loop reads except the node's own edges and formula, so walking the graph
// touches each node's memory as little as possible.
struct NodeState {
  NodeState(Node* n, uint64_t sequence_nr) : node(n), order(sequence_nr) {}
  Node* node;
  uint64_t order;                  // the node's sequence number
  SmallVector<uint32_t, 2> next;   // state index behind each next edge, or kNoNode
  int dependencies = 0;            // edges from nodes that have not run yet
  bool needed = true;              // grad(): the node leads to a captured edge
  bool captured = false;           // grad(): some input's gradient is read here
  Node::GradList inputs;           // gradients received so far
};

// The nodes of one backward pass: Node* → dense index by open addressing, so
// the per-node state is a plain vector (a node-based hash map would allocate
// per node, and key and index side by side cost one cache miss per probe).
// Small graphs (a few ops between parameters and a loss) fit inline.
class GraphNodes {
 public:
  // The index of `node`, adding it if new.
  uint32_t insert(Node* node) {
    if ((states_.size() + 1) * 2 > slots_.size()) grow();
    Slot& slot = slots_[probe(node)];
    if (slot.node == node) return slot.index;
    slot = {node, static_cast<uint32_t>(states_.size())};
    states_.emplace_back(node, node->sequence_nr());
    return slot.index;
  }
  // The index of `node`, or kNoNode when the pass does not reach it.
  uint32_t find(Node* node) const {
    if (slots_.empty()) return kNoNode;
    const Slot& slot = slots_[probe(node)];
    return slot.node == node ? slot.index : kNoNode;
  }
  NodeState& operator[](size_t i) { return states_[i]; }
  NodeState& at(Node* node) { return states_[find(node)]; }
  size_t size() const { return states_.size(); }

 private:
  struct Slot {
    Node* node = nullptr;
    uint32_t index = 0;
  };
  size_t probe(Node* node) const {
    size_t mask = slots_.size() - 1;
    size_t i = reinterpret_cast<uintptr_t>(node) * 0x9E3779B97F4A7C15ull >> shift_;  // Fibonacci hashing
    while (slots_[i].node && slots_[i].node != node) i = (i + 1) & mask;
    return i;
  }
  void grow() {
    SmallVector<Slot, kInlineSlots> old = std::move(slots_);
    slots_.assign(std::max<size_t>(kInlineSlots, old.size() * 2), Slot{});
    shift_ = 64 - std::countr_zero(slots_.size());
    for (const Slot& s : old)
      if (s.node) slots_[probe(s.node)] = s;
  }
  static constexpr size_t kInlineSlots = 16;
  SmallVector<Slot, kInlineSlots> slots_;
  SmallVector<NodeState, kInlineSlots / 2> states_;
  int shift_ = 64;
};

// Pulls a node's first cache lines in while another node's formula runs: a
// long graph does not fit in cache, and the engine would otherwise wait on
// memory at every node it visits.
void prefetch(const Node* node) {
  const char* p = reinterpret_cast<const char*>(node);
  for (int line = 0; line < 8; ++line) __builtin_prefetch(p + 64 * line);
}

// The ready nodes, latest recorded first.
class ReadyQueue {
 public:
  void push(NodeState* s) {
    heap_.push_back(s);
    std::push_heap(heap_.begin(), heap_.end(), by_order);
  }
  NodeState* pop() {
    std::pop_heap(heap_.begin(), heap_.end(), by_order);
    NodeState* s = heap_.back();
    heap_.pop_back();
    return s;
  }
  bool empty() const { return heap_.empty(); }

 private:
  static bool by_order(const NodeState* a, const NodeState* b) { return a->order < b->order; }
  SmallVector<NodeState*, 8> heap_;
};

// For grad(): gradients read at an edge instead of flowing on.
struct Capture {
  std::shared_ptr<Node> node;  // owned: a new node must not reuse the address during the pass
  uint32_t input_nr;
  size_t output;  // index into the result
};

struct GraphTask {
  bool keep_graph;
  bool for_grad;
  std::vector<Capture> captures;
  variable_list captured;
};

// grad(): marks the nodes with a path to a captured edge; the others need not run.
void mark_needed(GraphNodes& graph, const GraphTask& task) {
  // Kahn's order over the reachable graph, then needs flow from children to parents.
  std::vector<int> remaining(graph.size());
  std::vector<uint32_t> order;
  for (size_t i = 0; i < graph.size(); ++i)
    if ((remaining[i] = graph[i].dependencies) == 0) order.push_back(static_cast<uint32_t>(i));
  for (size_t k = 0; k < order.size(); ++k)
    for (uint32_t j : graph[order[k]].next)
      if (j != kNoNode && --remaining[j] == 0) order.push_back(j);
  for (const Capture& c : task.captures)
    if (uint32_t j = graph.find(c.node.get()); j != kNoNode) graph[j].captured = true;
  for (size_t k = order.size(); k-- > 0;) {
    NodeState& s = graph[order[k]];
    s.needed = s.captured;
    for (uint32_t j : s.next)
      if (j != kNoNode && graph[j].needed) s.needed = true;
  }
}

// The roots of a backward pass and the gradients they start with.
using RootEdges = SmallVector<Edge, 1>;
using RootGrads = Node::GradList;

void execute(const RootEdges& roots, const RootGrads& root_grads, GraphTask& task) {
  GraphNodes graph;
  for (const Edge& e : roots)
    if (e.function) graph.insert(e.function.get());
  for (size_t i = 0; i < graph.size(); ++i) {  // visits nodes as they are added
    Node* node = graph[i].node;
    for (const Edge& e : node->next_edges_) {
      uint32_t j = e.function ? graph.insert(e.function.get()) : kNoNode;
      if (j != kNoNode) ++graph[j].dependencies;
      graph[i].next.push_back(j);
    }
  }
  if (task.for_grad) mark_needed(graph, task);

  // Nodes stay alive through the roots and the edges between them, which a
  // backward pass never changes.
  ReadyQueue ready;
  auto deliver = [](NodeState& s, uint32_t input_nr, Tensor g) {
    if (s.inputs.empty()) s.inputs.resize(s.node->num_inputs());
    Tensor& slot = s.inputs[input_nr];
    slot = slot.defined() ? slot + g : std::move(g);
  };
  auto enqueue = [&](NodeState& s) {
    s.dependencies = -1;
    ready.push(&s);
  };
  for (size_t i = 0; i < roots.size(); ++i)
    if (roots[i].function) deliver(graph.at(roots[i].function.get()), roots[i].input_nr, root_grads[i]);
  for (const Edge& e : roots)
    if (e.function && graph.at(e.function.get()).dependencies == 0) enqueue(graph.at(e.function.get()));

  while (!ready.empty()) {
    NodeState& s = *ready.pop();
    Node* node = s.node;
    for (uint32_t j : s.next)
      if (j != kNoNode) prefetch(graph[j].node);
    Node::GradList grads = std::move(s.inputs);
    if (grads.empty()) grads.resize(node->num_inputs());
    if (Node::Hooks* hooks = node->hooks_if()) {
      // A snapshot: a hook may register hooks, or move a retain_grad slot, on this node.
      const std::vector<Node::Hooks::Hook> pre = hooks->pre;
      for (const auto& hook : pre) {
        Tensor& g = grads[hook.output_nr];
        if (!g.defined()) continue;
        if (Tensor* slot = hook.retained.get()) {
          *slot = slot->defined() ? *slot + g : g.detach().clone();
        } else if (Tensor replaced = hook.fn(g); replaced.defined()) {
          g = std::move(replaced);
        }
      }
    }
    if (s.captured)
      for (const Capture& c : task.captures)
        if (c.node.get() == node) task.captured[c.output] = grads[c.input_nr];

    bool run = s.needed && !(task.for_grad && dynamic_cast<AccumulateGrad*>(node));
    Node::GradList outputs;
    if (run) {
      uint64_t needs = 0;
      for (size_t i = 0; i < s.next.size() && i < 64; ++i)
        if (s.next[i] != kNoNode && graph[s.next[i]].needed) needs |= uint64_t{1} << i;
      RunningNode running(node, needs);
      outputs = anomaly::enabled.load(std::memory_order_relaxed) ? anomaly::run_checked(*node, std::move(grads)) : node->run(std::move(grads));
      if (!task.keep_graph) node->release_variables();
    }
    for (size_t i = 0; i < s.next.size(); ++i) {
      if (s.next[i] == kNoNode) continue;
      NodeState& next = graph[s.next[i]];
      if (i < outputs.size() && outputs[i].defined())
        deliver(next, node->next_edges_[i].input_nr, conform(std::move(outputs[i]), node->input_meta_[i], *node, i));
      if (--next.dependencies == 0) enqueue(next);
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

std::pair<RootEdges, RootGrads> roots_of(const variable_list& outputs, const variable_list& grad_outputs,
                                                     const char* op) {
  KILN_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), op, ": got ", grad_outputs.size(),
             " gradients for ", outputs.size(), " outputs");
  RootEdges roots;
  RootGrads grads;
  for (size_t i = 0; i < outputs.size(); ++i) {
    Tensor g = grad_outputs.empty() ? Tensor() : grad_outputs[i];
    validate_root(outputs[i], g, op);
    roots.push_back(gradient_edge(outputs[i]));
    grads.push_back(g.defined() ? g : ones_like(outputs[i]));
  }
  return {roots, grads};
}

}  // namespace

const Node* running_node() { return running; }
uint64_t needed_edges(const Node& node) {
  if (&node == running) return running_needs;
  uint64_t valid = 0;
  for (size_t i = 0; i < node.next_edges_.size() && i < 64; ++i)
    if (node.next_edges_[i].is_valid()) valid |= uint64_t{1} << i;
  return valid;
}
bool task_should_compute_output(const Node& node, size_t edge) {
  if (edge >= node.next_edges_.size()) return false;
  return edge < 64 ? (needed_edges(node) >> edge & 1) : node.next_edges_[edge].is_valid();
}
void backward(const variable_list& tensors, const variable_list& grad_tensors, std::optional<bool> retain_graph,
              bool create_graph, const variable_list& inputs) {
  if (create_graph)
    KILN_WARN_ONCE("Using backward() with create_graph=True will create a reference cycle between the parameter and ",
                   "its gradient which can cause a memory leak. We recommend using autograd.grad when creating the ",
                   "graph to avoid this. If you have to use this function, make sure to reset the .grad fields of ",
                   "your parameters to None after use to break the cycle and avoid the leak.");
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
  GraphTask task{retain_graph.value_or(create_graph), false, {}, {}};
  AutoGradMode mode(create_graph);
  execute(roots, grads, task);
}

variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                   std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  KILN_CHECK(!inputs.empty(), "grad: grad requires non-empty inputs.");
  auto [roots, grads] = roots_of(outputs, grad_outputs, "grad");
  GraphTask task{retain_graph.value_or(create_graph), true, {}, {}};
  task.captured.resize(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    KILN_CHECK(inputs[i].requires_grad(), "grad: input ", i, " does not require grad");
    Edge e = gradient_edge(inputs[i]);
    task.captures.push_back({std::move(e.function), e.input_nr, i});
  }
  {
    AutoGradMode mode(create_graph);
    execute(roots, grads, task);
  }
  for (size_t i = 0; i < inputs.size(); ++i)
    KILN_CHECK(allow_unused || task.captured[i].defined(), "grad: One of the differentiated Tensors (input ", i,
               ") appears to not have been used in the graph. Set allow_unused=True if this is the desired "
               "behavior.");
  return task.captured;
}

}  // namespace kiln::autograd
