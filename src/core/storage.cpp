#include "kiln/storage.h"

#include "core/tensor_impl.h"

namespace kiln {

Storage::Storage(StorageImpl* impl) : impl_(impl) {
  if (impl_) impl_->retain();
}
Storage::Storage(const Storage& other) : Storage(other.impl_) {}
Storage& Storage::operator=(const Storage& other) {
  if (other.impl_) other.impl_->retain();
  if (impl_ && impl_->release()) delete impl_;
  impl_ = other.impl_;
  return *this;
}
Storage::~Storage() {
  if (impl_ && impl_->release()) delete impl_;
}

size_t Storage::nbytes() const { return impl_ ? impl_->nbytes : 0; }
const void* Storage::data() const { return impl_ ? impl_->data : nullptr; }
void* Storage::mutable_data() const { return impl_ ? impl_->data : nullptr; }
DataPtr Storage::data_ptr() const {
  if (!impl_) return {nullptr, nullptr};
  return {impl_->data, impl_->deleter ? static_cast<void*>(&impl_->deleter) : nullptr};
}
size_t Storage::use_count() const { return impl_ ? static_cast<size_t>(impl_->refs.load()) : 0; }

Storage Tensor::storage() const { return Storage(core::body(*this, "storage").storage.get()); }
bool Tensor::is_alias_of(const Tensor& other) const {
  return defined() && other.defined() && impl_->storage.get() == other.impl_->storage.get();
}

}  // namespace kiln
