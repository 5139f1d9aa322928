// kiln::Tensor: a handle to strided memory with an optional autograd history.
// Every method forwards to the free function of the same name (functions.h).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "kiln/array_ref.h"
#include "kiln/callable.h"
#include "kiln/device.h"
#include "kiln/storage.h"
#include "kiln/dtype.h"
#include "kiln/error.h"
#include "kiln/indexing.h"
#include "kiln/list.h"
#include "kiln/options.h"
#include "kiln/scalar.h"
#include "kiln/op_lists.h"

namespace kiln {

struct TensorImpl;
namespace autograd {
class Node;
}

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(TensorImpl* impl);  // takes ownership of one reference
  Tensor(const Tensor& other);
  Tensor(Tensor&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }
  Tensor& operator=(const Tensor& other) &;
  Tensor& operator=(Tensor&& other) & noexcept;
  ~Tensor();
  // `t[0] = 5` and `a.index(...) = b` write through the view, as in libtorch.
  Tensor& operator=(const Tensor& other) &&;
  Tensor& operator=(Scalar value) &&;

  bool defined() const { return impl_ != nullptr; }
  TensorImpl* unsafe_impl() const { return impl_; }
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }
  void reset();

  // ---- metadata
  IntArrayRef sizes() const;
  IntArrayRef strides() const;
  int64_t size(int64_t dim) const;
  int64_t stride(int64_t dim) const;
  int64_t dim() const;
  int64_t ndimension() const { return dim(); }
  int64_t numel() const;
  ScalarType dtype() const;
  ScalarType scalar_type() const { return dtype(); }
  TensorOptions options() const;
  size_t element_size() const;
  int64_t storage_offset() const;
  bool is_contiguous() const;
  bool is_floating_point() const;
  Scalar item() const;
  template <class T> T item() const { return item().to<T>(); }
  template <class T> T* data_ptr() const;
  void* data_ptr() const;
  std::string toString() const;

  // ---- conversion and copies
  Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false) const;
  Tensor to(const TensorOptions& options, bool non_blocking = false, bool copy = false) const;
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor detach() const;
  Tensor& detach_();
  // Swaps in new_data's memory, shape and dtype, keeping this tensor's
  // identity and autograd state (torch's set_data: Module::to, optimisers).
  void set_data(const Tensor& new_data);
  Tensor& copy_(const Tensor& src, bool non_blocking = false);

  // ---- autograd
  bool requires_grad() const;
  Tensor& requires_grad_(bool requires_grad = true);
  // As libtorch's: callable on a const tensor (the flag lives in the shared impl).
  const Tensor& requires_grad_(bool requires_grad = true) const;
  Tensor& set_requires_grad(bool requires_grad) { return requires_grad_(requires_grad); }
  const Tensor& grad() const;
  Tensor& mutable_grad() const;
  bool is_leaf() const;
  void retain_grad() const;
  bool retains_grad() const;
  std::shared_ptr<autograd::Node> grad_fn() const;
  void backward() const;
  void backward(const Tensor& gradient, std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false, OptionalArrayRef<Tensor> inputs = std::nullopt) const;
  // The hook sees the gradient; returning a defined tensor replaces it.
  unsigned register_hook(Callable<Tensor(const Tensor&)> hook) const;
  unsigned register_hook(Callable<void(const Tensor&)> hook) const;
  // A lambda picks its overload by its return type (both Callable overloads
  // would accept one returning a Tensor).
  template <class F>
    requires std::is_invocable_v<F&, const Tensor&>
  unsigned register_hook(F&& hook) const {
    if constexpr (std::is_void_v<std::invoke_result_t<F&, const Tensor&>>)
      return register_hook(Callable<void(const Tensor&)>(std::forward<F>(hook)));
    else
      return register_hook(Callable<Tensor(const Tensor&)>(std::forward<F>(hook)));
  }
  void remove_hook(unsigned handle) const;
  uint32_t _version() const;
  int64_t output_nr() const;

  // ---- element-wise
  Tensor add(const Tensor& other, Scalar alpha = 1) const;
  Tensor add(Scalar other, Scalar alpha = 1) const;
  Tensor sub(const Tensor& other, Scalar alpha = 1) const;
  Tensor sub(Scalar other, Scalar alpha = 1) const;
  Tensor mul(const Tensor& other) const;
  Tensor mul(Scalar other) const;
  Tensor div(const Tensor& other) const;
  Tensor div(Scalar other) const;
  Tensor pow(const Tensor& exponent) const;
  Tensor pow(Scalar exponent) const;
  Tensor polygamma(int64_t n) const;
  Tensor mvlgamma(int64_t p) const;
  Tensor xlogy(const Tensor& other) const;
  Tensor logit(std::optional<double> eps = std::nullopt) const;
  Tensor& add_(const Tensor& other, Scalar alpha = 1);
  Tensor& add_(Scalar other, Scalar alpha = 1);
  Tensor& sub_(const Tensor& other, Scalar alpha = 1);
  Tensor& sub_(Scalar other, Scalar alpha = 1);
  Tensor& mul_(const Tensor& other);
  Tensor& mul_(Scalar other);
  Tensor& div_(const Tensor& other);
  Tensor& div_(Scalar other);
  Tensor& pow_(Scalar exponent);
  Tensor& zero_();
  // On a const handle too, so `t.grad().zero_()` works as in libtorch (a
  // handle's constness does not protect the data it points to).
  const Tensor& zero_() const { return const_cast<Tensor*>(this)->zero_(); }
  Tensor& fill_(Scalar value);
  Tensor& fill_(const Tensor& value);
  Tensor& clamp_(std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt);
  Tensor& clamp_min_(Scalar min);
  Tensor& clamp_max_(Scalar max);

  // The unary ops of kiln/op_lists.h: t.exp() and t.exp_(), ..., t.isnan().
#define KILN_INPLACE_METHOD_Floating(name) Tensor& name##_();
#define KILN_INPLACE_METHOD_Same(name) Tensor& name##_();
#define KILN_INPLACE_METHOD_Predicate(name)
#define KILN_DECLARE_UNARY_METHOD(name, kind) \
  Tensor name() const;                         \
  KILN_INPLACE_METHOD_##kind(name)
  KILN_UNARY_OPS(KILN_DECLARE_UNARY_METHOD)
#undef KILN_DECLARE_UNARY_METHOD
#undef KILN_INPLACE_METHOD_Floating
#undef KILN_INPLACE_METHOD_Same
#undef KILN_INPLACE_METHOD_Predicate
  Tensor clamp(std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt) const;
  // (Two overloads, not a default argument: a default optional<Tensor> in
  // Tensor's own body makes clang see Tensor as not default-constructible.)
  Tensor clamp(const std::optional<Tensor>& min, const std::optional<Tensor>& max) const;
  Tensor clamp(const std::optional<Tensor>& min) const;
  Tensor clamp_min(Scalar min) const;
  Tensor clamp_max(Scalar max) const;
  Tensor clamp_min(const Tensor& min) const;
  Tensor clamp_max(const Tensor& max) const;
  Tensor maximum(const Tensor& other) const;
  Tensor minimum(const Tensor& other) const;
  Tensor atan2(const Tensor& other) const;
  Tensor fmod(Scalar other) const;
  Tensor remainder(Scalar other) const;
  Tensor where(const Tensor& condition, const Tensor& other) const;
#define KILN_DECLARE_COMPARISON_METHOD(name, op) \
  Tensor name(const Tensor& other) const;         \
  Tensor name(Scalar other) const;
  KILN_COMPARISON_OPS(KILN_DECLARE_COMPARISON_METHOD)
#undef KILN_DECLARE_COMPARISON_METHOD
  Tensor logical_and(const Tensor& other) const;
  Tensor logical_or(const Tensor& other) const;
  Tensor logical_xor(const Tensor& other) const;

  // ---- shape and indexing (views share storage)
  Tensor reshape(IntArrayRef shape) const;
  Tensor view(IntArrayRef shape) const;
  Tensor view_as(const Tensor& other) const;
  Tensor reshape_as(const Tensor& other) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor unflatten(int64_t dim, IntArrayRef sizes) const;
  Tensor t() const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor mT() const;
  Tensor alias() const;  // a view of the whole tensor
  Tensor permute(IntArrayRef dims) const;
  Tensor movedim(int64_t source, int64_t destination) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor expand(IntArrayRef size, bool implicit = false) const;
  Tensor expand_as(const Tensor& other) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor slice(int64_t dim = 0, std::optional<int64_t> start = std::nullopt,
               std::optional<int64_t> end = std::nullopt, int64_t step = 1) const;
  Tensor index_select(int64_t dim, const Tensor& index) const;
  Tensor gather(int64_t dim, const Tensor& index) const;
  Tensor masked_select(const Tensor& mask) const;
  Tensor masked_fill(const Tensor& mask, Scalar value) const;
  Tensor& masked_fill_(const Tensor& mask, Scalar value);
  Tensor repeat(IntArrayRef repeats) const;
  Tensor flip(IntArrayRef dims) const;
  Tensor roll(IntArrayRef shifts, IntArrayRef dims = {}) const;
  Tensor operator[](int64_t index) const;
  Tensor operator[](const Tensor& index) const;
  Tensor index(std::initializer_list<indexing::TensorIndex> indices) const;
  Tensor index(const std::vector<indexing::TensorIndex>& indices) const;
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value);
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, Scalar value);
  Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, const Tensor& value);
  Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, Scalar value);
  // libtorch's operator form: one optional index tensor per leading dim;
  // accumulate adds the values in (repeated indices add up) instead of writing.
  Tensor index(const List<std::optional<Tensor>>& indices) const;
  Tensor& index_put_(const List<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate = false);
  Tensor index_put(const List<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate = false) const;
  std::vector<Tensor> chunk(int64_t chunks, int64_t dim = 0) const;
  std::vector<Tensor> split(int64_t split_size, int64_t dim = 0) const;
  std::vector<Tensor> split(IntArrayRef split_sizes, int64_t dim = 0) const;
  std::vector<Tensor> unbind(int64_t dim = 0) const;

  // ---- reductions and scans
  Tensor sum(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor sum(OptionalIntArrayRef dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean(OptionalIntArrayRef dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor prod(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor prod(int64_t dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor max() const;
  Tensor min() const;
  std::tuple<Tensor, Tensor> max(int64_t dim, bool keepdim = false) const;
  std::tuple<Tensor, Tensor> min(int64_t dim, bool keepdim = false) const;
  Tensor amax(IntArrayRef dim = {}, bool keepdim = false) const;
  Tensor amin(IntArrayRef dim = {}, bool keepdim = false) const;
  Tensor argmax(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
  Tensor argmin(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
  Tensor var(bool unbiased = true) const;
  Tensor var(OptionalIntArrayRef dim, bool unbiased = true, bool keepdim = false) const;
  Tensor std(bool unbiased = true) const;
  Tensor std(OptionalIntArrayRef dim, bool unbiased = true, bool keepdim = false) const;
  // Braced dims must select the dim overloads, not var(bool) (as in libtorch).
  Tensor var(std::initializer_list<int64_t> dim, bool unbiased = true, bool keepdim = false) const {
    return var(IntArrayRef(dim), unbiased, keepdim);
  }
  Tensor std(std::initializer_list<int64_t> dim, bool unbiased = true, bool keepdim = false) const {
    return std(IntArrayRef(dim), unbiased, keepdim);
  }
  Tensor logsumexp(IntArrayRef dim, bool keepdim = false) const;
  Tensor cumsum(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor cumprod(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor all() const;
  Tensor all(int64_t dim, bool keepdim = false) const;
  Tensor any() const;
  Tensor any(int64_t dim, bool keepdim = false) const;
  Tensor norm(Scalar p = 2) const;
  Tensor norm(std::optional<Scalar> p, IntArrayRef dim, bool keepdim = false) const;
  Tensor count_nonzero() const;

  // ---- linear algebra
  Tensor matmul(const Tensor& other) const;
  Tensor mm(const Tensor& other) const;
  Tensor mv(const Tensor& vec) const;
  Tensor dot(const Tensor& other) const;
  Tensor bmm(const Tensor& other) const;
  Tensor outer(const Tensor& other) const;
  Tensor trace() const;
  Tensor diag(int64_t diagonal = 0) const;
  Tensor diagonal(int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1) const;
  Tensor tril(int64_t diagonal = 0) const;
  Tensor triu(int64_t diagonal = 0) const;
  Tensor cholesky(bool upper = false) const;
  Tensor inverse() const;
  Tensor det() const;

 // ---- libtorch's frontend: device, layout, variable data
  // kiln tensors are strided and live on the CPU (kiln/device.h).
  Device device() const;
  Layout layout() const { return kStrided; }
  bool is_cpu() const { return true; }
  bool is_cuda() const { return false; }
  bool is_sparse() const { return false; }
  // Every kiln tensor can take part in autograd (libtorch's Variable).
  bool is_variable() const noexcept { return true; }
  Tensor cpu() const;
  Tensor to(Device device, ScalarType dtype, bool non_blocking = false, bool copy = false) const;
  // The dtype (and device) of `other`.
  Tensor to(const Tensor& other, bool non_blocking = false, bool copy = false) const;
  // The same memory without history: a leaf that does not require grad.
  Tensor data() const;
  Tensor tensor_data() const;
  // The memory block this tensor (and its views) use.
  Storage storage() const;
  bool is_alias_of(const Tensor& other) const;
  bool equal(const Tensor& other) const;
  bool allclose(const Tensor& other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) const;
  std::tuple<Tensor, Tensor> sort(int64_t dim = -1, bool descending = false) const;
  std::tuple<Tensor, Tensor> sort(std::optional<bool> stable, int64_t dim = -1, bool descending = false) const;
  Tensor argsort(int64_t dim = -1, bool descending = false) const;
  Tensor argsort(bool stable, int64_t dim = -1, bool descending = false) const;
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
  Tensor argsort(I dim, bool descending = false) const {
    return argsort(static_cast<int64_t>(dim), descending);
  }
  std::tuple<Tensor, Tensor> topk(int64_t k, int64_t dim = -1, bool largest = true, bool sorted = true) const;
  Tensor as_strided(IntArrayRef size, IntArrayRef stride, std::optional<int64_t> storage_offset = std::nullopt) const;
  Tensor fmod(const Tensor& other) const;
  Tensor remainder(const Tensor& other) const;
  Tensor& fmod_(Scalar other);
  Tensor& fmod_(const Tensor& other);
  Tensor& remainder_(Scalar other);
  Tensor& remainder_(const Tensor& other);
  // A single integer is a dim, not `unbiased` (as libtorch's x.var(0)).
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
  Tensor var(I dim, bool unbiased = true, bool keepdim = false) const {
    const int64_t d = dim;
    return var(IntArrayRef(d), unbiased, keepdim);
  }
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
  Tensor std(I dim, bool unbiased = true, bool keepdim = false) const {
    const int64_t d = dim;
    return std(IntArrayRef(d), unbiased, keepdim);
  }

 private:
  TensorImpl* impl_ = nullptr;
};

// libtorch's base of Tensor; kiln has one tensor type.
using TensorBase = Tensor;

// ---- operators (tensor-tensor, tensor-scalar and scalar-tensor)
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, Scalar b);
Tensor operator+(Scalar a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, Scalar b);
Tensor operator-(Scalar a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, Scalar b);
Tensor operator*(Scalar a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, Scalar b);
Tensor operator/(Scalar a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor& operator+=(Tensor& a, const Tensor& b);
Tensor& operator+=(Tensor& a, Scalar b);
Tensor& operator-=(Tensor& a, const Tensor& b);
Tensor& operator-=(Tensor& a, Scalar b);
Tensor& operator*=(Tensor& a, const Tensor& b);
Tensor& operator*=(Tensor& a, Scalar b);
Tensor& operator/=(Tensor& a, const Tensor& b);
Tensor& operator/=(Tensor& a, Scalar b);
#define KILN_DECLARE_COMPARISON_OPERATOR(name, op) \
  Tensor operator op(const Tensor& a, const Tensor& b); \
  Tensor operator op(const Tensor& a, Scalar b);
KILN_COMPARISON_OPS(KILN_DECLARE_COMPARISON_OPERATOR)
#undef KILN_DECLARE_COMPARISON_OPERATOR
Tensor operator&&(const Tensor& a, const Tensor& b);
Tensor operator||(const Tensor& a, const Tensor& b);
Tensor operator!(const Tensor& a);
Tensor operator~(const Tensor& a);

std::ostream& operator<<(std::ostream& os, const Tensor& t);

using TensorList = std::vector<Tensor>;

}  // namespace kiln
