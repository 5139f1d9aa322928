#include "autograd/meta.h"

#include <atomic>
#include <mutex>

#include "autograd/accumulate_grad.h"
#include "autograd/anomaly.h"

namespace kiln::autograd {
namespace {
// Per thread, as in PyTorch: it orders ready nodes, correctness rests on the dependency counts.
thread_local uint64_t next_sequence_nr = 0;
thread_local bool grad_enabled = true;
}  // namespace

ViewRules view_rules;

Node::Node() : sequence_nr_(next_sequence_nr++) {
  if (anomaly::enabled.load(std::memory_order_relaxed)) anomaly_ = anomaly::record();
}
// Graph teardown without recursion: dropping the last reference to a node
// would otherwise destroy its inputs' nodes from inside its destructor, one
// stack frame per node, and overflow on a long chain. Nodes released while a
// teardown is under way are parked here and destroyed by the outermost one.
namespace {
thread_local std::vector<std::shared_ptr<Node>> parked;
thread_local bool draining = false;
}  // namespace

void release_later(std::shared_ptr<Node>&& node) {
  if (!node) return;
  parked.push_back(std::move(node));
  if (draining) return;
  draining = true;
  while (!parked.empty()) {
    std::shared_ptr<Node> next = std::move(parked.back());
    parked.pop_back();
  }  // `next` dies at the end of each iteration; its destructor parks its inputs
  draining = false;
}

Node::~Node() {
  for (Edge& e : next_edges_) release_later(std::move(e.function));
}

Node::GradList Node::run(GradList&& grads) {
  variable_list out = apply(variable_list(std::make_move_iterator(grads.begin()), std::make_move_iterator(grads.end())));
  GradList result;
  for (Tensor& g : out) result.push_back(std::move(g));
  return result;
}

Node::Hooks& Node::hooks() {
  if (!hooks_) hooks_ = std::make_unique<Hooks>();
  return *hooks_;
}

AutogradMeta::~AutogradMeta() { release_later(std::move(grad_fn)); }

bool GradMode::is_enabled() { return grad_enabled; }
void GradMode::set_enabled(bool enabled) { grad_enabled = enabled; }

AutogradMeta& meta(const Tensor& t) {
  auto& m = impl(t)->autograd;
  if (!m) m = std::make_unique<AutogradMeta>();
  return static_cast<AutogradMeta&>(*m);
}

Edge gradient_edge(const Tensor& t) {
  AutogradMeta* m = meta_if(t);
  if (!m) return {};
  refresh_if_stale(t, *m);
  if (m->grad_fn) return {m->grad_fn, m->output_nr};
  if (!m->requires_grad) return {};
  // Threads recording graphs over one shared leaf must agree on its single
  // accumulator: a few striped locks instead of a mutex in every meta.
  static std::mutex stripes[16];
  std::lock_guard<std::mutex> lock(stripes[(reinterpret_cast<uintptr_t>(m) >> 6) % 16]);
  std::shared_ptr<Node> acc = m->grad_accumulator.lock();
  if (!acc) {
    acc = std::allocate_shared<AccumulateGrad>(core::SmallObjectAllocator<AccumulateGrad>(), t);
    m->grad_accumulator = acc;
  }
  return {acc, 0};
}

void set_history(const Tensor& t, std::shared_ptr<Node> fn, uint32_t output_nr) {
  AutogradMeta& m = meta(t);
  // retain_grad() follows the tensor to its new history (an in-place op),
  // after the hooks the new node already has, as in libtorch 1.13.
  if (m.retained_grad && m.grad_fn && m.grad_fn != fn) {
    if (Node::Hooks* old = m.grad_fn->hooks_if())
      std::erase_if(old->pre, [&](const Node::Hooks::Hook& h) { return h.retained == m.retained_grad; });
    add_retain_slot(*fn, output_nr, m.retained_grad);
  }
  m.requires_grad = true;
  m.grad_fn = std::move(fn);
  m.output_nr = output_nr;
}

}  // namespace kiln::autograd
