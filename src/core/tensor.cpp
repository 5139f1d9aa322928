// Tensor's own members: lifetime, metadata, conversion and autograd state.
#include "autograd/forward_grad.h"
#include "autograd/record.h"
#include "core/dims.h"
#include "core/tensor_impl.h"
#include "kernels/dispatch.h"
#include "kernels/elementwise.h"
#include "kiln/functions.h"
#include "ops/ops.h"

namespace kiln {

Tensor::Tensor(TensorImpl* impl) : impl_(impl) {}
Tensor::Tensor(const Tensor& other) : impl_(other.impl_) {
  if (impl_) impl_->retain();
}
Tensor& Tensor::operator=(const Tensor& other) & {
  if (other.impl_) other.impl_->retain();
  reset();
  impl_ = other.impl_;
  return *this;
}
Tensor& Tensor::operator=(Tensor&& other) & noexcept {
  if (this != &other) {
    reset();
    impl_ = other.impl_;
    other.impl_ = nullptr;
  }
  return *this;
}
Tensor::~Tensor() { reset(); }
void Tensor::reset() {
  if (impl_ && impl_->release()) delete impl_;
  impl_ = nullptr;
}
Tensor& Tensor::operator=(const Tensor& other) && { return copy_(other); }
Tensor& Tensor::operator=(Scalar value) && { return fill_(value); }

namespace {
TensorImpl& body(const Tensor& t, const char* op) {
  KILN_CHECK(t.defined(), op, ": called on an undefined tensor");
  return *impl(t);
}
}  // namespace

IntArrayRef Tensor::sizes() const { return body(*this, "sizes").sizes; }
IntArrayRef Tensor::strides() const { return body(*this, "strides").strides; }
int64_t Tensor::size(int64_t d) const {
  KILN_CHECK(dim() > 0, "size: dimension specified as ", d, " but tensor has no dimensions");
  return impl_->sizes[core::wrap_dim(d, dim(), "size")];
}
int64_t Tensor::stride(int64_t d) const {
  KILN_CHECK(dim() > 0, "stride: dimension specified as ", d, " but tensor has no dimensions");
  return impl_->strides[core::wrap_dim(d, dim(), "stride")];
}
int64_t Tensor::dim() const { return static_cast<int64_t>(body(*this, "dim").sizes.size()); }
int64_t Tensor::numel() const { return body(*this, "numel").numel; }
ScalarType Tensor::dtype() const { return body(*this, "dtype").dtype; }
TensorOptions Tensor::options() const { return TensorOptions(dtype()); }
size_t Tensor::element_size() const { return kiln::element_size(dtype()); }
int64_t Tensor::storage_offset() const { return body(*this, "storage_offset").offset; }
bool Tensor::is_contiguous() const { return body(*this, "is_contiguous").contiguous; }
bool Tensor::is_floating_point() const { return kiln::is_floating_point(dtype()); }

Scalar Tensor::item() const {
  KILN_CHECK(numel() == 1, "item: a Tensor with ", numel(), " elements cannot be converted to Scalar (shape ",
             sizes(), ")");
  return kernels::dispatch(dtype(), [&](auto tag) -> Scalar {
    using T = typename decltype(tag)::type;
    return Scalar(*reinterpret_cast<const T*>(impl_->data()));
  });
}

void* Tensor::data_ptr() const { return body(*this, "data_ptr").data(); }
template <class T>
T* Tensor::data_ptr() const {
  KILN_CHECK(dtype() == scalar_type_of<T>, "data_ptr: expected scalar type ", scalar_type_of<T>, " but found ",
             dtype());
  return reinterpret_cast<T*>(impl_->data());
}
template bool* Tensor::data_ptr<bool>() const;
template int32_t* Tensor::data_ptr<int32_t>() const;
template int64_t* Tensor::data_ptr<int64_t>() const;
template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;

// ---- conversion and copies
Tensor Tensor::to(ScalarType t, bool, bool copy) const {
  if (t == dtype() && !copy) return *this;
  Tensor r = core::empty(sizes(), t);
  kernels::copy(r, *this);
  ScalarType from = dtype();
  if (autograd::any_needs_grad(*this) && kiln::is_floating_point(t))
    autograd::record({"ToCopyBackward0", {*this}}, r, [from](const autograd::BackwardArgs& a) -> variable_list {
      return {a.grad().to(from)};
    });
  if (autograd::forward::any_tangent(*this)) {
    Tensor tangent = autograd::forward::tangent(*this);
    autograd::forward::set_tangent(r, autograd::forward::unaliased(tangent.to(t), tangent));
  }
  return r;
}
Tensor Tensor::to(const TensorOptions& o, bool non_blocking, bool copy) const {
  Tensor r = to(o.dtype_or(dtype()), non_blocking, copy);
  if (o.requires_grad()) r.requires_grad_(true);
  return r;
}

Tensor Tensor::clone() const {
  Tensor r = core::empty(sizes(), dtype());
  kernels::copy(r, *this);
  if (autograd::any_needs_grad(*this))
    autograd::record({"CloneBackward0", {*this}}, r, [](const autograd::BackwardArgs& a) -> variable_list {
      return {a.grad()};
    });
  if (autograd::forward::any_tangent(*this)) autograd::forward::set_tangent(r, autograd::forward::tangent(*this).clone());
  return r;
}

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }

Tensor Tensor::detach() const {
  body(*this, "detach");
  return core::make_view(*this, sizes(), strides(), storage_offset());
}

Tensor& Tensor::detach_() {
  KILN_CHECK(!(impl_ && impl_->autograd && impl_->autograd->view_base.defined()),
             "detach_: Can't detach views in-place. Use detach() instead.");
  if (impl_->autograd) {
    impl_->autograd->grad_fn.reset();
    impl_->autograd->requires_grad = false;
  }
  return *this;
}

Tensor& Tensor::copy_(const Tensor& src, bool) {
  namespace fw = autograd::forward;
  // The new value: src broadcast and cast to self. The old value (input 0,
  // as every in-place op's) stays in the graph with a zero gradient.
  auto copied = [&](const Tensor& value) {
    Tensor r = empty_like(value);
    kernels::copy(r, src);
    // (src's gradient is cast before the engine sums it to src's shape, as torch does.)
    if (autograd::any_needs_grad(value, src))
      autograd::record({"torch::autograd::CopyBackwards", {value, src}}, r,
                       [from = src.dtype()](const autograd::BackwardArgs& g) -> variable_list {
                         return {g.needs_grad(0) ? zeros_like(g.grad()) : Tensor(),
                                 g.needs_grad(1) ? g.grad().to(from) : Tensor()};
                       });
    if (fw::any_tangent(value, src)) fw::set_tangent(r, fw::tangent_or_zeros(src).to(dtype()).expand(sizes()).clone());
    return r;
  };
  return ops::inplace(*this, "copy_", autograd::any_needs_grad(*this, src) || fw::any_tangent(*this, src),
                      [&] { kernels::copy(*this, src); }, copied);
}

// ---- autograd state
bool Tensor::requires_grad() const {
  auto* m = autograd::meta_if(*this);
  return m && autograd::requires_grad(*m);
}

Tensor& Tensor::requires_grad_(bool r) {
  body(*this, "requires_grad_");
  KILN_CHECK(!r || kiln::is_floating_point(dtype()),
             "requires_grad_: only Tensors of floating point dtype can require gradients (got ", dtype(), ")");
  KILN_CHECK(is_leaf() || r, "requires_grad_: you can only change requires_grad flags of leaf variables.");
  if (!r && !impl_->autograd) return *this;
  autograd::meta(*this).requires_grad = r;
  return *this;
}

const Tensor& Tensor::grad() const {
  static const Tensor undefined;
  auto* m = autograd::meta_if(*this);
  if (!m) return undefined;
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
  m.grad_fn->hooks().retained.push_back({m.output_nr, m.retained_grad});
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
                      std::optional<std::vector<Tensor>> inputs) const {
  autograd::backward({*this}, gradient.defined() ? variable_list{gradient} : variable_list{}, retain_graph,
                     create_graph, inputs.value_or(variable_list{}));
}

unsigned Tensor::register_hook(std::function<Tensor(const Tensor&)> hook) const {
  KILN_CHECK(requires_grad(), "register_hook: cannot register a hook on a tensor that doesn't require gradient");
  unsigned id = autograd::next_hook_id();
  auto& m = autograd::meta(*this);
  if (m.grad_fn) {
    m.grad_fn->hooks().pre.push_back({m.output_nr, id, std::move(hook)});
  } else {
    m.hooks.push_back({id, std::move(hook)});
  }
  return id;
}

unsigned Tensor::register_hook(std::function<void(const Tensor&)> hook) const {
  return register_hook(std::function<Tensor(const Tensor&)>([hook = std::move(hook)](const Tensor& g) {
    hook(g);
    return Tensor();
  }));
}

void Tensor::remove_hook(unsigned handle) const {
  auto& m = autograd::meta(*this);
  std::erase_if(m.hooks, [&](auto& h) { return h.first == handle; });
  if (autograd::Node::Hooks* hooks = m.grad_fn ? m.grad_fn->hooks_if() : nullptr)
    std::erase_if(hooks->pre, [&](auto& h) { return h.id == handle; });
}

uint32_t Tensor::_version() const { return body(*this, "_version").storage->version.load(); }
int64_t Tensor::output_nr() const {
  auto* m = autograd::meta_if(*this);
  return m ? m->output_nr : 0;
}

std::string Tensor::toString() const {
  std::ostringstream os;
  os << *this;
  return os.str();
}

}  // namespace kiln
