// Tensor's autograd state: requires_grad, .grad(), history, hooks, backward.
#include "autograd/meta.h"
#include "kiln/autograd.h"
#include "kiln/warning.h"

namespace kiln {

bool Tensor::requires_grad() const {
  auto* m = autograd::meta_if(*this);
  return m && autograd::requires_grad(*m);
}

Tensor& Tensor::requires_grad_(bool r) {
  static_cast<const Tensor&>(*this).requires_grad_(r);
  return *this;
}
const Tensor& Tensor::requires_grad_(bool r) const {
  core::body(*this, "requires_grad_");
  KILN_CHECK(!r || kiln::is_floating_point(dtype()),
             "requires_grad_: Only Tensors of floating point and complex dtype can require gradients (got ", dtype(), ")");
  KILN_CHECK(is_leaf() || r, "requires_grad_: you can only change requires_grad flags of leaf variables.");
  if (!r && !impl_->autograd) return *this;
  autograd::meta(*this).requires_grad = r;
  return *this;
}

const Tensor& Tensor::grad() const {
  static const Tensor undefined;
  auto* m = autograd::meta_if(*this);
  if (!m) return undefined;
  if (!m->retained_grad && m->grad_fn)
    KILN_WARN("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute ",
              "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated ",
              "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor ",
              "by mistake, make sure you access the leaf Tensor instead.");
  return m->retained_grad ? *m->retained_grad : m->grad;
}
Tensor& Tensor::mutable_grad() const {
  auto& m = autograd::meta(*this);
  return m.retained_grad ? *m.retained_grad : m.grad;
}

bool Tensor::is_leaf() const {
  auto* m = autograd::meta_if(*this);
  if (m) autograd::refresh_if_stale(*this, *m);
  return !m || !m->grad_fn;
}

void Tensor::retain_grad() const {
  KILN_CHECK(requires_grad(), "retain_grad: can't retain_grad on Tensor that has requires_grad=False");
  if (is_leaf()) return;  // leaves keep their gradient anyway
  auto& m = autograd::meta(*this);
  if (m.retained_grad) return;
  // The node fills a slot the tensor shares: no reference back to the tensor.
  m.retained_grad = std::make_shared<Tensor>();
  autograd::add_retain_slot(*m.grad_fn, m.output_nr, m.retained_grad);
}

bool Tensor::retains_grad() const {
  auto* m = autograd::meta_if(*this);
  return m && m->retained_grad;
}

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  auto* m = autograd::meta_if(*this);
  if (m) autograd::refresh_if_stale(*this, *m);
  return m ? m->grad_fn : nullptr;
}

void Tensor::backward() const { backward(Tensor()); }

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph,
                      OptionalArrayRef<Tensor> inputs) const {
  KILN_CHECK(!inputs || !inputs->empty(), "backward: 'inputs' argument to backward cannot be empty");
  autograd::backward({*this}, gradient.defined() ? variable_list{gradient} : variable_list{}, retain_graph,
                     create_graph, inputs ? inputs->vec() : variable_list{});
}

unsigned Tensor::register_hook(Callable<Tensor(const Tensor&)> hook) const {
  KILN_CHECK(requires_grad(), "register_hook: cannot register a hook on a tensor that doesn't require gradient");
  auto& m = autograd::meta(*this);
  unsigned id = m.hooks_registered++;
  if (m.grad_fn) {
    m.grad_fn->hooks().pre.push_back({m.output_nr, id, std::move(hook), nullptr});
  } else {
    m.hooks.push_back({id, std::move(hook)});
  }
  return id;
}

unsigned Tensor::register_hook(Callable<void(const Tensor&)> hook) const {
  return register_hook(Callable<Tensor(const Tensor&)>([hook = std::move(hook)](const Tensor& g) {
    hook(g);
    return Tensor();
  }));
}

void Tensor::remove_hook(unsigned handle) const {
  auto* m = autograd::meta_if(*this);
  KILN_CHECK(m && handle < m->hooks_registered, "remove_hook: Invalid index, no hook at position ", handle);
  std::erase_if(m->hooks, [&](auto& h) { return h.first == handle; });
  if (autograd::Node::Hooks* hooks = m->grad_fn ? m->grad_fn->hooks_if() : nullptr)
    std::erase_if(hooks->pre, [&](auto& h) { return h.id == handle && h.output_nr == m->output_nr; });
}

int64_t Tensor::output_nr() const {
  auto* m = autograd::meta_if(*this);
  return m ? m->output_nr : 0;
}

Tensor& Tensor::detach_() {
  autograd::AutogradMeta* m = autograd::meta_if(*this);
  KILN_CHECK(!(m && m->view_base.defined()),
             "detach_: Can't detach views in-place. Use detach() instead.");
  if (m) {
    m->grad_fn.reset();
    m->requires_grad = false;
  }
  return *this;
}

void Tensor::set_data(const Tensor& new_data) {
  TensorImpl& self = core::body(*this, "set_data");
  const TensorImpl& other = core::body(new_data, "set_data");
  autograd::AutogradMeta* m = autograd::meta_if(*this);
  KILN_CHECK(!m || !m->requires_grad || kiln::is_floating_point(other.dtype),
             "set_data: a tensor requiring grad cannot take data of dtype ", other.dtype);
  self.storage = other.storage;
  self.offset = other.offset;
  self.sizes = other.sizes;
  self.strides = other.strides;
  self.dtype = other.dtype;
  self.refresh();
}

}  // namespace kiln
