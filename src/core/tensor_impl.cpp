#include "core/tensor_impl.h"

#include <algorithm>

#include "core/allocator.h"

namespace kiln {

StorageImpl::~StorageImpl() {
  if (owned) core::deallocate(data, nbytes);
  if (deleter) deleter(data);
}

TensorImpl::TensorImpl() = default;
TensorImpl::~TensorImpl() = default;

void TensorImpl::refresh() {
  int64_t n = 1;
  for (int64_t s : sizes) KILN_CHECK(!__builtin_mul_overflow(n, s, &n), "numel: integer multiplication overflow");
  numel = n;
  bool c = true;  // an empty tensor is contiguous whatever its strides, as in PyTorch
  int64_t expected = 1;
  for (size_t i = sizes.size(); n != 0 && i-- > 0;) {
    if (sizes[i] == 1) continue;
    if (strides[i] != expected) {
      c = false;
      break;
    }
    expected *= sizes[i];
  }
  contiguous = c;
}

namespace core {

namespace {
void write_contiguous_strides(IntArrayRef sizes, Shape& strides) {
  strides.resize(sizes.size());
  int64_t s = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    strides[i] = s;
    // Unsigned: a shape too large to store wraps here and is refused by the size check, not UB.
    s = static_cast<int64_t>(static_cast<uint64_t>(s) * static_cast<uint64_t>(std::max<int64_t>(sizes[i], 1)));
  }
}
}  // namespace

Shape contiguous_strides(IntArrayRef sizes) {
  Shape strides;
  write_contiguous_strides(sizes, strides);
  return strides;
}

Tensor empty(IntArrayRef sizes, ScalarType dtype) {
  int64_t n = 1;
  bool overflow = false;
  for (int64_t s : sizes) {
    KILN_CHECK(s >= 0, "empty: negative dimension ", s, " in shape ", sizes);
    overflow |= __builtin_mul_overflow(n, s, &n);
  }
  KILN_CHECK(!overflow && static_cast<uint64_t>(n) <= static_cast<uint64_t>(INT64_MAX) / element_size(dtype),
             "Storage size calculation overflowed with sizes=", sizes);
  auto* storage = new StorageImpl();
  storage->nbytes = static_cast<size_t>(n) * element_size(dtype);
  if (storage->nbytes <= sizeof(storage->inline_data)) {
    storage->data = storage->inline_data;
    storage->owned = false;
  } else {
    storage->data = allocate(storage->nbytes);
  }
  auto* t = new TensorImpl();
  t->storage = Ref<StorageImpl>::adopt(storage);
  t->sizes.assign(sizes.data(), sizes.size());
  write_contiguous_strides(sizes, t->strides);
  t->numel = n;
  t->dtype = dtype;
  t->contiguous = true;
  return Tensor(t);
}

Tensor make_strided(Ref<StorageImpl> storage, IntArrayRef sizes, IntArrayRef strides, int64_t offset, ScalarType dtype) {
  Tensor made(new TensorImpl());  // owns the body before refresh() can refuse the geometry
  TensorImpl* t = impl(made);
  t->storage = std::move(storage);
  t->offset = offset;
  t->sizes.assign(sizes.data(), sizes.size());
  t->strides.assign(strides.data(), strides.size());
  t->dtype = dtype;
  t->refresh();
  return made;
}

Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  return make_strided(impl(base)->storage, sizes, strides, offset, impl(base)->dtype);
}

int64_t storage_extent(IntArrayRef sizes, IntArrayRef strides, const char* op) {
  for (int64_t size : sizes)
    if (size == 0) return 0;
  int64_t extent = 1;
  for (size_t d = 0; d < sizes.size(); ++d) {
    int64_t reach = 0;
    KILN_CHECK(strides[d] >= 0 && !__builtin_mul_overflow(sizes[d] - 1, strides[d], &reach) &&
                   !__builtin_add_overflow(extent, reach, &extent),
               op, ": strides ", strides, " for sizes ", sizes, " are negative or reach past int64");
  }
  return extent;
}

bool is_dense(const TensorImpl& t) {
  if (t.contiguous) return true;
  SmallVector<std::pair<int64_t, int64_t>, 8> dims;  // (stride, size) of the dims that move
  for (size_t d = 0; d < t.sizes.size(); ++d)
    if (t.sizes[d] != 1) dims.push_back({t.strides[d], t.sizes[d]});
  std::sort(dims.begin(), dims.end());
  int64_t expected = 1;
  for (auto [stride, size] : dims) {
    if (stride != expected) return false;
    expected *= size;
  }
  return true;
}

Tensor wrap_scalar(Scalar s) {
  Tensor t = empty({}, s.type());
  switch (s.type()) {
    case kFloat64: *reinterpret_cast<double*>(impl(t)->data()) = s.to_double(); break;
    case kInt64: *reinterpret_cast<int64_t*>(impl(t)->data()) = s.to_long(); break;
    default: *reinterpret_cast<bool*>(impl(t)->data()) = s.to<bool>(); break;
  }
  impl(t)->wrapped_number = true;
  return t;
}

}  // namespace core
}  // namespace kiln
