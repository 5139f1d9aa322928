// The body of a Tensor: a window (offset, sizes, strides, dtype) onto a
// shared, reference-counted Storage. Views share the storage, and with it the
// version counter that autograd uses to detect in-place changes.
#pragma once
#include <atomic>
#include <memory>

#include "core/allocator.h"
#include "core/ref.h"
#include "kiln/tensor.h"

namespace kiln {
namespace core {
// Autograd's per-tensor state (autograd::AutogradMeta) is defined a layer
// up; a tensor body owns it through this base.
struct AutogradState {
  virtual ~AutogradState() = default;
};
}  // namespace core

struct StorageImpl : core::RefCounted, core::SmallObject {
  void* data = nullptr;
  size_t nbytes = 0;
  bool owned = true;  // false for from_blob memory and for data held inline
  std::atomic<uint32_t> version{0};
  // A few elements (scalars, losses, a C++ number) live here: one allocation
  // fewer per small tensor.
  alignas(16) unsigned char inline_data[16];
  // from_blob's deleter, called with `data` when the last tensor goes.
  Callable<void(void*)> deleter;
  ~StorageImpl();
};

struct TensorImpl : core::RefCounted, core::SmallObject {
  core::Ref<StorageImpl> storage;
  int64_t offset = 0;  // in elements
  Shape sizes;
  Shape strides;
  int64_t numel = 1;
  ScalarType dtype = kFloat32;
  bool contiguous = true;
  bool wrapped_number = false;  // a C++ number turned into a 0-d tensor
  std::unique_ptr<core::AutogradState> autograd;  // null until the tensor takes part in autograd

  TensorImpl();
  ~TensorImpl();
  char* data() const { return static_cast<char*>(storage->data) + offset * element_size(dtype); }
  // Call after changing sizes/strides.
  void refresh();
};

inline TensorImpl* impl(const Tensor& t) { return t.unsafe_impl(); }

namespace core {
// The body of a defined tensor, or a kiln::Error naming `op`.
inline TensorImpl& body(const Tensor& t, const char* op) {
  KILN_CHECK(t.defined(), op, ": called on an undefined tensor");
  return *impl(t);
}
// A new contiguous tensor (uninitialised memory).
Tensor empty(IntArrayRef sizes, ScalarType dtype);
// A tensor over existing storage with the given geometry; refuses a geometry
// whose element count overflows.
Tensor make_strided(Ref<StorageImpl> storage, IntArrayRef sizes, IntArrayRef strides, int64_t offset, ScalarType dtype);
// A view of `base`'s storage with the given geometry (no autograd history).
Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset);
Shape contiguous_strides(IntArrayRef sizes);
// How many elements a geometry reaches from its first one (0 when it has
// none): 1 + sum (size - 1) * stride, for non-negative sizes. A kiln::Error
// naming `op` when a stride is negative or the reach passes int64.
int64_t storage_extent(IntArrayRef sizes, IntArrayRef strides, const char* op);
// Whether the elements fill numel consecutive slots from data() in some order
// of the dims (contiguous, a transpose of it, ...): then equal geometries copy
// as flat memory.
bool is_dense(const TensorImpl& t);
// A 0-d tensor holding a C++ number, marked as a wrapped number for promotion.
Tensor wrap_scalar(Scalar s);
}  // namespace core

}  // namespace kiln
