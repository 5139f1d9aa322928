#include "autograd/meta.h"

#include <atomic>

#include "autograd/accumulate_grad.h"

namespace kiln::autograd {
namespace {
std::atomic<uint64_t> next_sequence_nr{0};
thread_local bool grad_enabled = true;
std::atomic<unsigned> hook_counter{0};
}  // namespace

Node::Node() : sequence_nr_(next_sequence_nr++) {}
Node::~Node() = default;

bool GradMode::is_enabled() { return grad_enabled; }
void GradMode::set_enabled(bool enabled) { grad_enabled = enabled; }

unsigned next_hook_id() { return ++hook_counter; }

AutogradMeta& meta(const Tensor& t) {
  auto& m = impl(t)->autograd;
  if (!m) m = std::make_unique<AutogradMeta>();
  return *m;
}

Edge gradient_edge(const Tensor& t) {
  AutogradMeta* m = meta_if(t);
  if (!m) return {};
  if (m->grad_fn) return {m->grad_fn, m->output_nr};
  if (!m->requires_grad) return {};
  std::shared_ptr<Node> acc = m->grad_accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(t);
    m->grad_accumulator = acc;
  }
  return {acc, 0};
}

void set_history(const Tensor& t, std::shared_ptr<Node> fn, uint32_t output_nr) {
  AutogradMeta& m = meta(t);
  m.requires_grad = true;
  m.grad_fn = std::move(fn);
  m.output_nr = output_nr;
}

}  // namespace kiln::autograd
