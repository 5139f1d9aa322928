// Creation: literals, ranges, constant fills and external memory.
#include <cmath>
#include <ostream>

#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kernels/elementwise.h"
#include "kiln/functions.h"

namespace kiln {
namespace {

Tensor finish(Tensor t, const TensorOptions& o) {
  detail::check_cpu(o.device(), "tensor factory");
  if (o.requires_grad()) t.requires_grad_(true);
  return t;
}

template <class Values>
Tensor from_vector(const Values& v) {
  using T = typename Values::value_type;
  Tensor t = core::empty({static_cast<int64_t>(v.size())}, scalar_type_of<T>);
  std::copy(v.begin(), v.end(), t.data_ptr<T>());
  return t;
}

// C++ ints and floats map to int64 and the default dtype, as in libtorch.
ScalarType literal_dtype(ScalarType t) {
  if (t == kInt32 || t == kInt64) return kInt64;
  if (is_floating_point(t)) return get_default_dtype();
  return t;
}

}  // namespace

TensorData::TensorData(bool v) : kind_(Kind::Scalar), values_(scalar_tensor(v, kBool)) {}
TensorData::TensorData(int v) : kind_(Kind::Scalar), values_(scalar_tensor(v, kInt32)) {}
TensorData::TensorData(int64_t v) : kind_(Kind::Scalar), values_(scalar_tensor(v, kInt64)) {}
TensorData::TensorData(float v) : kind_(Kind::Scalar), values_(scalar_tensor(v, kFloat32)) {}
TensorData::TensorData(double v) : kind_(Kind::Scalar), values_(scalar_tensor(v, kFloat64)) {}
TensorData::TensorData(const std::vector<bool>& v) {
  values_ = core::empty({static_cast<int64_t>(v.size())}, kBool);
  std::copy(v.begin(), v.end(), values_.data_ptr<bool>());
}
TensorData::TensorData(const std::vector<int>& v) : values_(from_vector(v)) {}
TensorData::TensorData(const std::vector<int64_t>& v) : values_(from_vector(v)) {}
TensorData::TensorData(const std::vector<float>& v) : values_(from_vector(v)) {}
TensorData::TensorData(const std::vector<double>& v) : values_(from_vector(v)) {}
TensorData::TensorData(ArrayRef<bool> v) : values_(from_vector(v)) {}
TensorData::TensorData(ArrayRef<int> v) : values_(from_vector(v)) {}
TensorData::TensorData(ArrayRef<int64_t> v) : values_(from_vector(v.vec())) {}
TensorData::TensorData(ArrayRef<float> v) : values_(from_vector(v)) {}
TensorData::TensorData(ArrayRef<double> v) : values_(from_vector(v)) {}
namespace {
// A sub-list as libtorch's message writes it: sizes "2, 3", values "{{1, 2, 3}, {4, 5, 6}}".
std::string sizes_text(const Tensor& t) {
  std::string out;
  for (int64_t s : t.sizes()) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}
std::string braced(const Tensor& t) {
  if (t.dim() == 0) {
    if (t.dtype() == kBool) return t.item<bool>() ? "1" : "0";  // as libtorch streams a bool
    return is_floating_point(t.dtype()) ? kiln::detail::concat(t.item<double>()) : std::to_string(t.item<int64_t>());
  }
  std::string out = "{";
  for (int64_t i = 0; i < t.size(0); ++i) out += (i ? ", " : "") + braced(t.select(0, i));
  return out + "}";
}
}  // namespace

TensorData::TensorData(std::initializer_list<TensorData> list) : kind_(Kind::InitList), init_list_(list) {
  if (list.size() == 0) {
    values_ = core::empty({0}, kFloat32);
    return;
  }
  const TensorData& first = *list.begin();
  const ScalarType t = first.values_.dtype();
  for (const TensorData& d : list) {
    KILN_CHECK(d.values_.sizes() == first.values_.sizes(), "tensor: Expected all sub-lists to have sizes: ",
               sizes_text(first.values_), " (e.g. ", braced(first.values_), "), but got sub-list ", braced(d.values_),
               " with sizes: ", sizes_text(d.values_));
    // As libtorch: one C++ type per list ({1, 2.0} is refused, not promoted).
    KILN_CHECK(d.values_.dtype() == t, "tensor: Expected all elements of the tensor to have the same scalar type: ", t,
               ", but got element of scalar type: ", d.values_.dtype());
  }
  Shape shape{static_cast<int64_t>(list.size())};
  for (int64_t s : first.values_.sizes()) shape.push_back(s);
  values_ = core::empty(shape, t);
  int64_t i = 0;
  for (const TensorData& d : list) kernels::copy(values_.select(0, i++), d.values_);
}

Scalar TensorData::scalar() const {
  KILN_CHECK(is_scalar(), "Can only call `scalar()` on a TensorDataContainer that has `is_scalar() == true`");
  return values_.item();
}
std::initializer_list<TensorData> TensorData::init_list() const {
  KILN_CHECK(is_init_list(),
             "Can only call `init_list()` on a TensorDataContainer that has `is_init_list() == true`");
  return init_list_;
}
const Tensor& TensorData::tensor() const {
  KILN_CHECK(is_tensor(), "Can only call `tensor()` on a TensorDataContainer that has `is_tensor() == true`");
  return values_;
}
std::ostream& operator<<(std::ostream& os, const TensorData& data) { return os << braced(data.values()); }

Tensor tensor(const TensorData& data, const TensorOptions& options) {
  const Tensor& v = data.values();
  ScalarType t = options.dtype_or(literal_dtype(v.dtype()));
  Tensor r = core::empty(v.sizes(), t);
  kernels::copy(r, v);
  return finish(r, options);
}

Tensor scalar_tensor(Scalar value, const TensorOptions& options) {
  Tensor t = core::empty({}, options.dtype());
  kernels::fill(t, value);
  return finish(t, options);
}

Tensor from_blob(void* data, IntArrayRef sizes, const TensorOptions& options) {
  return from_blob(data, sizes, core::contiguous_strides(sizes), options);
}

Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, const TensorOptions& options) {
  KILN_CHECK(sizes.size() == strides.size(), "from_blob: sizes ", sizes, " and strides ", strides,
             " have different lengths");
  for (int64_t size : sizes)
    KILN_CHECK(size >= 0, "from_blob: Trying to create tensor with negative dimension ", size, ": ", sizes);
  auto storage = core::Ref<StorageImpl>::adopt(new StorageImpl());
  storage->data = data;
  storage->owned = false;
  Tensor t = core::make_strided(storage, sizes, strides, 0, options.dtype());
  // The bytes the geometry reaches: what as_strided may address.
  const int64_t extent = core::storage_extent(sizes, strides, "from_blob");
  KILN_CHECK(!__builtin_mul_overflow(static_cast<size_t>(extent), element_size(options.dtype()), &storage->nbytes),
             "from_blob: sizes ", sizes, " and strides ", strides, " reach more bytes than size_t holds");
  return finish(std::move(t), options);
}

Tensor from_blob(void* data, IntArrayRef sizes, const Callable<void(void*)>& deleter, const TensorOptions& options) {
  return from_blob(data, sizes, core::contiguous_strides(sizes), deleter, options);
}
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, const Callable<void(void*)>& deleter,
                 const TensorOptions& options) {
  Tensor t = from_blob(data, sizes, strides, options);
  impl(t)->storage->deleter = deleter;
  return t;
}

Tensor empty(IntArrayRef size, const TensorOptions& options) { return finish(core::empty(size, options.dtype()), options); }

Tensor empty_strided(IntArrayRef size, IntArrayRef stride, const TensorOptions& options) {
  int64_t extent = 1;
  for (size_t i = 0; i < size.size(); ++i) {
    KILN_CHECK(stride[i] >= 0, "empty_strided: negative stride ", stride[i]);
    if (size[i] == 0) extent = 0;
  }
  if (extent)
    for (size_t i = 0; i < size.size(); ++i) extent += (size[i] - 1) * stride[i];
  Tensor base = core::empty({extent}, options.dtype());
  return finish(core::make_view(base, size, stride, 0), options);
}

Tensor full(IntArrayRef size, Scalar value, const TensorOptions& options) {
  // Without a dtype, full() follows the value: bool, int64 or the default float.
  ScalarType t = options.dtype_or(value.is_boolean() ? kBool : value.is_floating_point() ? get_default_dtype() : kInt64);
  Tensor r = core::empty(size, t);
  kernels::fill(r, value);
  return finish(r, options);
}

Tensor zeros(IntArrayRef size, const TensorOptions& options) { return full(size, 0, options.dtype(options.dtype())); }
Tensor ones(IntArrayRef size, const TensorOptions& options) { return full(size, 1, options.dtype(options.dtype())); }

Tensor eye(int64_t n, const TensorOptions& options) { return eye(n, n, options); }
Tensor eye(int64_t n, int64_t m, const TensorOptions& options) {
  KILN_CHECK(n >= 0 && m >= 0, "eye: n and m must be non-negative, got ", n, " and ", m);
  Tensor r = zeros({n, m}, options.dtype(options.dtype()));
  kernels::fill(r.diagonal(), 1);
  return finish(r, options);
}

Tensor arange(Scalar end, const TensorOptions& options) { return arange(0, end, 1, options); }
Tensor arange(Scalar start, Scalar end, const TensorOptions& options) { return arange(start, end, 1, options); }
Tensor arange(Scalar start, Scalar end, Scalar step, const TensorOptions& options) {
  bool floating = start.is_floating_point() || end.is_floating_point() || step.is_floating_point();
  ScalarType t = options.dtype_or(floating ? get_default_dtype() : kInt64);
  KILN_CHECK(t != kBool, "arange: not implemented for 'Bool'");
  double s = start.to_double(), e = end.to_double(), st = step.to_double();
  KILN_CHECK(std::isfinite(s) && std::isfinite(e), "arange: unsupported range: ", s, " -> ", e);
  // An integer dtype takes start and step as integers first (libtorch's
  // accumulate type), so arange(0.5, 3, dtype=int64) is [0, 1, 2].
  bool integral = !is_floating_point(t);
  int64_t istart = start.to_long(), istep = step.to_long();
  KILN_CHECK(integral ? istep != 0 : st != 0, "arange: step must be nonzero");
  KILN_CHECK((st > 0 && e >= s) || (st < 0 && e <= s), "arange: upper bound and larger bound inconsistent with step sign");
  double size = std::ceil((e - s) / st);
  KILN_CHECK(size >= 0 && size < 0x1p63, "arange: invalid size, possible overflow?");
  int64_t n;
  if (t == kInt64) {
    int64_t iend = end.to_long(), sign = istep > 0 ? 1 : -1;
    n = (iend - istart + istep - sign) / istep;
  } else {
    n = static_cast<int64_t>(size);
  }
  n = std::max<int64_t>(n, 0);
  Tensor r = core::empty({n}, t);
  core::dispatch(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = r.data_ptr<T>();
    if (integral)
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(istart + istep * i);
    else
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(s + st * static_cast<double>(i));
  });
  return finish(r, options);
}

Tensor linspace(Scalar start, Scalar end, int64_t steps, const TensorOptions& options) {
  KILN_CHECK(steps >= 0, "linspace: number of steps must be non-negative, got ", steps);
  ScalarType t = options.dtype();
  Tensor r = core::empty({steps}, t);
  core::dispatch(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    // Computed in the output type, symmetric from both ends, as PyTorch does.
    using C = std::conditional_t<std::is_floating_point_v<T>, T, double>;
    C a = start.to<C>(), b = end.to<C>();
    C step = steps > 1 ? (b - a) / static_cast<C>(steps - 1) : C(0);
    T* p = r.data_ptr<T>();
    int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; ++i)
      p[i] = static_cast<T>(i < half ? a + step * static_cast<C>(i) : b - step * static_cast<C>(steps - 1 - i));
    if (steps == 1) p[0] = static_cast<T>(a);  // one step is the start, not the end
  });
  return finish(r, options);
}

Tensor logspace(Scalar start, Scalar end, int64_t steps, double base, const TensorOptions& options) {
  Tensor exps = linspace(start, end, steps, kFloat64);
  return pow(base, exps).to(options.dtype()).requires_grad_(options.requires_grad());
}

Tensor empty_like(const Tensor& t, const TensorOptions& o) { return empty(t.sizes(), o.dtype(o.dtype_or(t.dtype()))); }
Tensor zeros_like(const Tensor& t, const TensorOptions& o) { return zeros(t.sizes(), o.dtype(o.dtype_or(t.dtype()))); }
Tensor ones_like(const Tensor& t, const TensorOptions& o) { return ones(t.sizes(), o.dtype(o.dtype_or(t.dtype()))); }
Tensor full_like(const Tensor& t, Scalar v, const TensorOptions& o) {
  return full(t.sizes(), v, o.dtype(o.dtype_or(t.dtype())));
}
Tensor rand_like(const Tensor& t, const TensorOptions& o) { return rand(t.sizes(), o.dtype(o.dtype_or(t.dtype()))); }
Tensor randn_like(const Tensor& t, const TensorOptions& o) { return randn(t.sizes(), o.dtype(o.dtype_or(t.dtype()))); }

}  // namespace kiln
