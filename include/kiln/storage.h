// A tensor's memory as libtorch exposes it: Tensor::storage() returns a
// handle to the block every view of it shares.
#pragma once
#include <cstddef>

namespace kiln {

struct StorageImpl;

// The block's address and the context of its deleter (null unless the
// memory came from from_blob with a deleter), as c10::DataPtr.
class DataPtr {
 public:
  DataPtr(void* data, void* context) : data_(data), context_(context) {}
  void* get() const { return data_; }
  void* get_context() const { return context_; }
  explicit operator bool() const { return data_ != nullptr; }

 private:
  void* data_;
  void* context_;
};

class Storage {
 public:
  Storage() = default;
  explicit Storage(StorageImpl* impl);  // shares one more reference
  Storage(const Storage& other);
  Storage& operator=(const Storage& other);
  ~Storage();

  bool defined() const { return impl_ != nullptr; }
  size_t nbytes() const;
  const void* data() const;
  void* mutable_data() const;
  DataPtr data_ptr() const;
  // True when both handles refer to the same block.
  bool is_alias_of(const Storage& other) const { return impl_ == other.impl_; }
  size_t use_count() const;
  StorageImpl* unsafeGetStorageImpl() const { return impl_; }

 private:
  StorageImpl* impl_ = nullptr;
};

}  // namespace kiln
