// The free functions of kiln's tensor algebra, spelled as in libtorch.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "kiln/tensor.h"
#include "kiln/threads.h"
#include "kiln/op_lists.h"

namespace kiln {

class Generator;

// ---- creation
// A literal for tensor(): a number, a (nested) braced list or a std::vector.
class TensorData {
 public:
  TensorData(bool v);
  TensorData(int v);
  TensorData(int64_t v);
  TensorData(float v);
  TensorData(double v);
  TensorData(std::initializer_list<TensorData> list);
  TensorData(const std::vector<bool>& v);
  TensorData(const std::vector<int>& v);
  TensorData(const std::vector<int64_t>& v);
  TensorData(const std::vector<float>& v);
  TensorData(const std::vector<double>& v);
  TensorData(ArrayRef<bool> v);
  TensorData(ArrayRef<int> v);
  TensorData(ArrayRef<int64_t> v);
  TensorData(ArrayRef<float> v);
  TensorData(ArrayRef<double> v);
  // The values as a tensor of the literal's own type (int for C++ ints...).
  const Tensor& values() const { return values_; }

  // What the literal was, as libtorch's TensorDataContainer tells: a number,
  // a braced list, or a vector / ArrayRef (held as a tensor).
  bool is_scalar() const { return kind_ == Kind::Scalar; }
  bool is_init_list() const { return kind_ == Kind::InitList; }
  bool is_tensor() const { return kind_ == Kind::Tensor; }
  Scalar scalar() const;
  // The list's elements; valid while the braced list lives (the full expression).
  std::initializer_list<TensorData> init_list() const;
  const Tensor& tensor() const;
  IntArrayRef sizes() const { return values_.sizes(); }
  ScalarType scalar_type() const { return values_.scalar_type(); }

 private:
  enum class Kind { Scalar, InitList, Tensor };
  Kind kind_ = Kind::Tensor;
  std::initializer_list<TensorData> init_list_;
  Tensor values_;
};
// Written as the literal reads: 1.1, {1.1, 2.2}, {{1, 2}, {3, 4}}.
std::ostream& operator<<(std::ostream& os, const TensorData& data);
namespace detail {
using TensorDataContainer = TensorData;
}  // namespace detail

Tensor tensor(const TensorData& data, const TensorOptions& options = {});
Tensor scalar_tensor(Scalar value, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, const TensorOptions& options = {});
// The same, calling deleter(data) when the last tensor using the memory goes.
Tensor from_blob(void* data, IntArrayRef sizes, const Callable<void(void*)>& deleter,
                 const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, const Callable<void(void*)>& deleter,
                 const TensorOptions& options = {});
Tensor empty(IntArrayRef size, const TensorOptions& options = {});
Tensor empty_strided(IntArrayRef size, IntArrayRef stride, const TensorOptions& options = {});
Tensor zeros(IntArrayRef size, const TensorOptions& options = {});
Tensor ones(IntArrayRef size, const TensorOptions& options = {});
Tensor full(IntArrayRef size, Scalar value, const TensorOptions& options = {});
Tensor eye(int64_t n, const TensorOptions& options = {});
Tensor eye(int64_t n, int64_t m, const TensorOptions& options = {});
Tensor arange(Scalar end, const TensorOptions& options = {});
Tensor arange(Scalar start, Scalar end, const TensorOptions& options = {});
Tensor arange(Scalar start, Scalar end, Scalar step, const TensorOptions& options = {});
Tensor linspace(Scalar start, Scalar end, int64_t steps, const TensorOptions& options = {});
Tensor logspace(Scalar start, Scalar end, int64_t steps, double base = 10.0, const TensorOptions& options = {});
Tensor empty_like(const Tensor& t, const TensorOptions& options = {});
Tensor zeros_like(const Tensor& t, const TensorOptions& options = {});
Tensor ones_like(const Tensor& t, const TensorOptions& options = {});
Tensor full_like(const Tensor& t, Scalar value, const TensorOptions& options = {});
Tensor rand_like(const Tensor& t, const TensorOptions& options = {});
Tensor randn_like(const Tensor& t, const TensorOptions& options = {});

// ---- random (a counter-based Philox stream; see random.h)
void manual_seed(uint64_t seed);
Tensor rand(IntArrayRef size, const TensorOptions& options = {});
Tensor randn(IntArrayRef size, const TensorOptions& options = {});
Tensor randint(int64_t high, IntArrayRef size, const TensorOptions& options = {});
Tensor randint(int64_t low, int64_t high, IntArrayRef size, const TensorOptions& options = {});
Tensor randperm(int64_t n, const TensorOptions& options = {});
Tensor bernoulli(const Tensor& probs);
Tensor normal(const Tensor& mean, const Tensor& std, Generator* generator = nullptr);
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement = false, Generator* generator = nullptr);
// Samplers for kiln::distributions, each from `generator` (else the default
// one); an element's value depends on (seed, position) only, whatever the
// thread count. Gamma(alpha, 1) samples, differentiable in alpha by implicit
// reparameterisation (_standard_gamma_grad = d sample / d alpha at a fixed
// quantile); Dirichlet samples (normalised gammas, differentiable the same
// way); Poisson and binomial counts (not differentiable), in the input's dtype.
Tensor _standard_gamma(const Tensor& alpha, Generator* generator = nullptr);
Tensor _standard_gamma_grad(const Tensor& alpha, const Tensor& sample);
Tensor _sample_dirichlet(const Tensor& alpha, Generator* generator = nullptr);
Tensor poisson(const Tensor& rates, Generator* generator = nullptr);
Tensor binomial(const Tensor& count, const Tensor& prob, Generator* generator = nullptr);

// ---- element-wise
Tensor add(const Tensor& a, const Tensor& b, Scalar alpha = 1);
Tensor add(const Tensor& a, Scalar b, Scalar alpha = 1);
Tensor sub(const Tensor& a, const Tensor& b, Scalar alpha = 1);
Tensor sub(const Tensor& a, Scalar b, Scalar alpha = 1);
Tensor rsub(const Tensor& a, Scalar b, Scalar alpha = 1);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, Scalar b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, Scalar b);
Tensor true_divide(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, const Tensor& exponent);
Tensor pow(const Tensor& a, Scalar exponent);
Tensor pow(Scalar a, const Tensor& exponent);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor atan2(const Tensor& a, const Tensor& b);
Tensor fmod(const Tensor& a, Scalar b);
Tensor remainder(const Tensor& a, Scalar b);
Tensor clamp(const Tensor& t, std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt);
Tensor clamp(const Tensor& t, const std::optional<Tensor>& min, const std::optional<Tensor>& max = std::nullopt);
Tensor clamp_min(const Tensor& t, Scalar min);
Tensor clamp_max(const Tensor& t, Scalar max);
Tensor clamp_min(const Tensor& t, const Tensor& min);
Tensor clamp_max(const Tensor& t, const Tensor& max);
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);
Tensor where(const Tensor& condition, const Tensor& a, Scalar b);
Tensor where(const Tensor& condition, Scalar a, const Tensor& b);
Tensor where(const Tensor& condition, Scalar a, Scalar b);
// grad_output where self > threshold, else 0: the backward of relu/threshold.
Tensor threshold_backward(const Tensor& grad_output, const Tensor& self, Scalar threshold);
Tensor lerp(const Tensor& start, const Tensor& end, Scalar weight);
Tensor xlogy(const Tensor& x, const Tensor& y);
// Special functions (the rest is in special.h): derivatives polygamma(n + 1, x)
// and those of lgamma; 0 * log(0) = 0 in xlogy and xlog1py, as torch.
Tensor polygamma(int64_t n, const Tensor& x);
Tensor mvlgamma(const Tensor& x, int64_t p);
Tensor xlog1py(const Tensor& x, const Tensor& y);
Tensor logit(const Tensor& x, std::optional<double> eps = std::nullopt);

// The unary ops of kiln/op_lists.h: exp(t), log(t), ..., isnan(t).
#define KILN_DECLARE_UNARY(name, kind) Tensor name(const Tensor& t);
KILN_UNARY_OPS(KILN_DECLARE_UNARY)
#undef KILN_DECLARE_UNARY
// log(1 + exp(beta x)) / beta, linear above threshold (as torch::softplus).
Tensor softplus(const Tensor& t, Scalar beta = 1, Scalar threshold = 20);

#define KILN_DECLARE_COMPARISON(name, op) \
  Tensor name(const Tensor& a, const Tensor& b); \
  Tensor name(const Tensor& a, Scalar b);
KILN_COMPARISON_OPS(KILN_DECLARE_COMPARISON)
#undef KILN_DECLARE_COMPARISON
Tensor logical_and(const Tensor& a, const Tensor& b);
Tensor logical_or(const Tensor& a, const Tensor& b);
Tensor logical_xor(const Tensor& a, const Tensor& b);
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false);
Tensor isclose(const Tensor& a, const Tensor& b, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false);
bool equal(const Tensor& a, const Tensor& b);
ScalarType result_type(const Tensor& a, const Tensor& b);
ScalarType result_type(const Tensor& a, Scalar b);

// ---- shape and indexing
Tensor reshape(const Tensor& t, IntArrayRef shape);
Tensor flatten(const Tensor& t, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor transpose(const Tensor& t, int64_t dim0, int64_t dim1);
Tensor t(const Tensor& t);
Tensor permute(const Tensor& t, IntArrayRef dims);
Tensor movedim(const Tensor& t, int64_t source, int64_t destination);
Tensor unsqueeze(const Tensor& t, int64_t dim);
Tensor squeeze(const Tensor& t);
Tensor squeeze(const Tensor& t, int64_t dim);
Tensor narrow(const Tensor& t, int64_t dim, int64_t start, int64_t length);
Tensor select(const Tensor& t, int64_t dim, int64_t index);
Tensor index_select(const Tensor& t, int64_t dim, const Tensor& index);
Tensor gather(const Tensor& t, int64_t dim, const Tensor& index);
Tensor masked_select(const Tensor& t, const Tensor& mask);
Tensor masked_fill(const Tensor& t, const Tensor& mask, Scalar value);
Tensor flip(const Tensor& t, IntArrayRef dims);
Tensor roll(const Tensor& t, IntArrayRef shifts, IntArrayRef dims = {});
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor hstack(const std::vector<Tensor>& tensors);
Tensor vstack(const std::vector<Tensor>& tensors);
std::vector<Tensor> chunk(const Tensor& t, int64_t chunks, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& t, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& t, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> unbind(const Tensor& t, int64_t dim = 0);
std::vector<Tensor> meshgrid(const std::vector<Tensor>& tensors, const std::string& indexing = "ij");
std::vector<Tensor> broadcast_tensors(const std::vector<Tensor>& tensors);
Shape broadcast_shapes(IntArrayRef a, IntArrayRef b);
Tensor nonzero(const Tensor& t);
Tensor index(const Tensor& t, const List<std::optional<Tensor>>& indices);
Tensor& index_put_(Tensor& t, const List<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate = false);
Tensor index_put(const Tensor& t, const List<std::optional<Tensor>>& indices, const Tensor& values,
                 bool accumulate = false);

// ---- reductions and scans
Tensor sum(const Tensor& t, std::optional<ScalarType> dtype = std::nullopt);
Tensor sum(const Tensor& t, OptionalIntArrayRef dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor mean(const Tensor& t, std::optional<ScalarType> dtype = std::nullopt);
Tensor mean(const Tensor& t, OptionalIntArrayRef dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor prod(const Tensor& t, std::optional<ScalarType> dtype = std::nullopt);
Tensor prod(const Tensor& t, int64_t dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor max(const Tensor& t);
Tensor min(const Tensor& t);
std::tuple<Tensor, Tensor> max(const Tensor& t, int64_t dim, bool keepdim = false);
std::tuple<Tensor, Tensor> min(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor amax(const Tensor& t, IntArrayRef dim = {}, bool keepdim = false);
Tensor amin(const Tensor& t, IntArrayRef dim = {}, bool keepdim = false);
Tensor argmax(const Tensor& t, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& t, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor var(const Tensor& t, bool unbiased = true);
Tensor var(const Tensor& t, OptionalIntArrayRef dim, bool unbiased = true, bool keepdim = false);
Tensor std(const Tensor& t, bool unbiased = true);
Tensor std(const Tensor& t, OptionalIntArrayRef dim, bool unbiased = true, bool keepdim = false);
inline Tensor var(const Tensor& t, std::initializer_list<int64_t> dim, bool unbiased = true, bool keepdim = false) {
  return var(t, IntArrayRef(dim), unbiased, keepdim);
}
inline Tensor std(const Tensor& t, std::initializer_list<int64_t> dim, bool unbiased = true, bool keepdim = false) {
  return std(t, IntArrayRef(dim), unbiased, keepdim);
}
Tensor logsumexp(const Tensor& t, IntArrayRef dim, bool keepdim = false);
Tensor cumsum(const Tensor& t, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
Tensor cumprod(const Tensor& t, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
Tensor all(const Tensor& t);
Tensor all(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& t);
Tensor any(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor norm(const Tensor& t, Scalar p = 2);
Tensor norm(const Tensor& t, std::optional<Scalar> p, IntArrayRef dim, bool keepdim = false);
Tensor count_nonzero(const Tensor& t);
Tensor softmax(const Tensor& t, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& t, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);

// ---- linear algebra (the rest is in linalg.h)
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& a, const Tensor& v);
Tensor dot(const Tensor& a, const Tensor& b);
Tensor vdot(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor outer(const Tensor& a, const Tensor& b);
Tensor ger(const Tensor& a, const Tensor& b);
Tensor addmm(const Tensor& bias, const Tensor& a, const Tensor& b, Scalar beta = 1, Scalar alpha = 1);
Tensor tensordot(const Tensor& a, const Tensor& b, IntArrayRef dims_a, IntArrayRef dims_b);
Tensor trace(const Tensor& t);
Tensor diag(const Tensor& t, int64_t diagonal = 0);
Tensor diag_embed(const Tensor& t, int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1);
Tensor diagonal(const Tensor& t, int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1);
Tensor tril(const Tensor& t, int64_t diagonal = 0);
Tensor triu(const Tensor& t, int64_t diagonal = 0);
Tensor cholesky_solve(const Tensor& b, const Tensor& L, bool upper = false);
Tensor cdist(const Tensor& x1, const Tensor& x2, double p = 2.0);
Tensor inverse(const Tensor& t);
Tensor det(const Tensor& t);

// ---- neural-network primitives: fused, each with its derivative (nn::functional builds on them)
Tensor gelu(const Tensor& t, const std::string& approximate = "none");
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight = {},
                  const Tensor& bias = {}, double eps = 1e-5, bool cudnn_enable = true);

// ---- libtorch's frontend: sorting, var_mean/std_mean, as_strided, fmod and
// remainder with tensors (src/ops/sort.cpp, composites.cpp, views.cpp, binary.cpp)
std::tuple<Tensor, Tensor> sort(const Tensor& t, int64_t dim = -1, bool descending = false);
// Sorting is always stable in kiln (equal elements keep their order).
std::tuple<Tensor, Tensor> sort(const Tensor& t, std::optional<bool> stable, int64_t dim = -1,
                                bool descending = false);
Tensor argsort(const Tensor& t, int64_t dim = -1, bool descending = false);
Tensor argsort(const Tensor& t, bool stable, int64_t dim = -1, bool descending = false);
// An integer literal is the dim (not `stable`).
template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
Tensor argsort(const Tensor& t, I dim, bool descending = false) {
  return argsort(t, static_cast<int64_t>(dim), descending);
}
std::tuple<Tensor, Tensor> topk(const Tensor& t, int64_t k, int64_t dim = -1, bool largest = true, bool sorted = true);
std::tuple<Tensor, Tensor> var_mean(const Tensor& t, bool unbiased = true);
std::tuple<Tensor, Tensor> var_mean(const Tensor& t, OptionalIntArrayRef dim, bool unbiased = true, bool keepdim = false);
std::tuple<Tensor, Tensor> std_mean(const Tensor& t, bool unbiased = true);
std::tuple<Tensor, Tensor> std_mean(const Tensor& t, OptionalIntArrayRef dim, bool unbiased = true, bool keepdim = false);
inline std::tuple<Tensor, Tensor> var_mean(const Tensor& t, std::initializer_list<int64_t> dim, bool unbiased = true,
                                           bool keepdim = false) {
  return var_mean(t, IntArrayRef(dim), unbiased, keepdim);
}
inline std::tuple<Tensor, Tensor> std_mean(const Tensor& t, std::initializer_list<int64_t> dim, bool unbiased = true,
                                           bool keepdim = false) {
  return std_mean(t, IntArrayRef(dim), unbiased, keepdim);
}
// A single integer is a dim, not `unbiased` (as libtorch's var(x, 0)).
template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
Tensor var(const Tensor& t, I dim, bool unbiased = true, bool keepdim = false) {
  const int64_t d = dim;
  return var(t, IntArrayRef(d), unbiased, keepdim);
}
template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
Tensor std(const Tensor& t, I dim, bool unbiased = true, bool keepdim = false) {
  const int64_t d = dim;
  return std(t, IntArrayRef(d), unbiased, keepdim);
}
template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
std::tuple<Tensor, Tensor> var_mean(const Tensor& t, I dim, bool unbiased = true, bool keepdim = false) {
  const int64_t d = dim;
  return var_mean(t, IntArrayRef(d), unbiased, keepdim);
}
template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
std::tuple<Tensor, Tensor> std_mean(const Tensor& t, I dim, bool unbiased = true, bool keepdim = false) {
  const int64_t d = dim;
  return std_mean(t, IntArrayRef(d), unbiased, keepdim);
}
// A view of t's memory with the given geometry (offset in elements from the
// start of its storage; t's own offset if absent).
Tensor as_strided(const Tensor& t, IntArrayRef size, IntArrayRef stride,
                  std::optional<int64_t> storage_offset = std::nullopt);
Tensor _reshape_alias(const Tensor& t, IntArrayRef size, IntArrayRef stride);
Tensor fmod(const Tensor& a, const Tensor& b);
Tensor remainder(const Tensor& a, const Tensor& b);
Tensor remainder(Scalar a, const Tensor& b);
Tensor operator%(const Tensor& a, const Tensor& b);
Tensor operator%(const Tensor& a, Scalar b);
Tensor operator%(Scalar a, const Tensor& b);

}  // namespace kiln
