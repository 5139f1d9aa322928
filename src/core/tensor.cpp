// Tensor's own members: lifetime and metadata. (Its autograd state is in
// autograd/tensor_state.cpp, its ops in ops/tensor_methods.cpp.)
#include "core/dims.h"
#include "core/dispatch.h"
#include "core/tensor_impl.h"

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

IntArrayRef Tensor::sizes() const { return core::body(*this, "sizes").sizes; }
IntArrayRef Tensor::strides() const { return core::body(*this, "strides").strides; }
int64_t Tensor::size(int64_t d) const {
  KILN_CHECK(dim() > 0, "size: dimension specified as ", d, " but tensor has no dimensions");
  return impl_->sizes[core::wrap_dim(d, dim(), "size")];
}
int64_t Tensor::stride(int64_t d) const {
  KILN_CHECK(dim() > 0, "stride: dimension specified as ", d, " but tensor has no dimensions");
  return impl_->strides[core::wrap_dim(d, dim(), "stride")];
}
int64_t Tensor::dim() const { return static_cast<int64_t>(core::body(*this, "dim").sizes.size()); }
int64_t Tensor::numel() const { return core::body(*this, "numel").numel; }
ScalarType Tensor::dtype() const { return core::body(*this, "dtype").dtype; }
TensorOptions Tensor::options() const { return TensorOptions(dtype()); }
size_t Tensor::element_size() const { return kiln::element_size(dtype()); }
int64_t Tensor::storage_offset() const { return core::body(*this, "storage_offset").offset; }
bool Tensor::is_contiguous() const { return core::body(*this, "is_contiguous").contiguous; }
bool Tensor::is_floating_point() const { return kiln::is_floating_point(dtype()); }

Scalar Tensor::item() const {
  KILN_CHECK(numel() == 1, "item: a Tensor with ", numel(), " elements cannot be converted to Scalar (shape ",
             sizes(), ")");
  return core::dispatch(dtype(), [&](auto tag) -> Scalar {
    using T = typename decltype(tag)::type;
    return Scalar(*reinterpret_cast<const T*>(impl_->data()));
  });
}

void* Tensor::data_ptr() const { return core::body(*this, "data_ptr").data(); }
template <class T>
T* Tensor::data_ptr() const {
  KILN_CHECK(dtype() == scalar_type_of<T>, "data_ptr: expected scalar type ", scalar_type_of<T>, " but found ",
             dtype());
  return reinterpret_cast<T*>(impl_->data());
}
template bool* Tensor::data_ptr<bool>() const;
template uint8_t* Tensor::data_ptr<uint8_t>() const;
template int8_t* Tensor::data_ptr<int8_t>() const;
template int16_t* Tensor::data_ptr<int16_t>() const;
template int32_t* Tensor::data_ptr<int32_t>() const;
template int64_t* Tensor::data_ptr<int64_t>() const;
template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;

Tensor Tensor::detach() const {
  core::body(*this, "detach");
  return core::make_view(*this, sizes(), strides(), storage_offset());
}

uint32_t Tensor::_version() const { return core::body(*this, "_version").storage->version.load(); }

}  // namespace kiln
