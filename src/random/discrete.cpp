// Discrete sampling: randint (uniform integers), randperm and bernoulli.
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "autograd/derivative.h"
#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kiln/functions.h"
#include "random/stream.h"

namespace kiln {
namespace {

// The integers a dtype holds exactly: [lowest, highest].
template <class T>
std::pair<int64_t, int64_t> exact_integer_range() {
  if constexpr (std::is_same_v<T, bool>) return {0, 1};
  else if constexpr (std::is_floating_point_v<T>) {
    constexpr int64_t m = int64_t{1} << std::numeric_limits<T>::digits;
    return {-m, m};
  } else {
    return {std::numeric_limits<T>::lowest(), std::numeric_limits<T>::max()};
  }
}

}  // namespace

Tensor randint(int64_t high, IntArrayRef size, const TensorOptions& options) {
  return randint(0, high, size, options);
}

// libtorch's randint defaults to int64, not the default floating dtype.
Tensor randint(int64_t low, int64_t high, IntArrayRef size, const TensorOptions& options) {
  KILN_CHECK(low < high, "randint: expected low < high, but got low=", low, " >= high=", high);
  ScalarType dtype = options.dtype_or(kInt64);
  Tensor out = core::empty(size, dtype);
  core::dispatch(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    auto [lowest, highest] = exact_integer_range<T>();
    KILN_CHECK(low >= lowest && high - 1 <= highest, "randint: the range [", low, ", ", high,
               ") is out of bounds for ", dtype);
    uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
    random::StreamBlock block = random::claim(out.numel());
    random::fill(out.data_ptr<T>(), out.numel(), block, [&](const auto& b, int64_t) {
      uint64_t k = random::below(random::bits64(b[0], b[1]), range);
      return static_cast<T>(static_cast<int64_t>(static_cast<uint64_t>(low) + k));
    });
  });
  return random::apply_requires_grad(out, options);
}

// Fisher-Yates, where step i swaps position i with a uniform j in [0, i]
// drawn from stream position i: serial, but every value is still fixed by
// (seed, offset) alone.
Tensor randperm(int64_t n, const TensorOptions& options) {
  KILN_CHECK(n >= 0, "randperm: n must be non-negative, got ", n);
  ScalarType dtype = options.dtype_or(kInt64);
  KILN_CHECK(dtype != kBool, "randperm: not implemented for ", dtype);
  core::dispatch(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    KILN_CHECK(n == 0 || n - 1 <= exact_integer_range<T>().second, "randperm: n = ", n,
               " is too large for dtype ", dtype);
  });
  // Shuffled in a tensor (not a std::vector): a size too large is a kiln::Error.
  Tensor perm = core::empty({n}, kInt64);
  int64_t* p = perm.data_ptr<int64_t>();
  std::iota(p, p + n, int64_t{0});
  random::StreamBlock block = random::claim(static_cast<uint64_t>(n));
  for (int64_t i = n - 1; i > 0; --i) {
    auto b = block.bits(static_cast<uint64_t>(i));
    auto j = static_cast<int64_t>(random::below(random::bits64(b[0], b[1]), static_cast<uint64_t>(i) + 1));
    std::swap(p[i], p[j]);
  }
  return random::apply_requires_grad(dtype == kInt64 ? perm : perm.to(dtype), options);
}

// 1 with probability p, else 0, in probs' dtype. Not differentiable: a
// gradient reaching probs is zero, as in torch.
Tensor bernoulli(const Tensor& probs) {
  Tensor out = core::empty(probs.sizes(), probs.dtype());
  core::dispatch_floating(probs.dtype(), "bernoulli", [&](auto tag) {
    using T = typename decltype(tag)::type;
    Tensor p = probs.detach().contiguous();
    const T* pp = p.data_ptr<T>();
    for (int64_t i = 0; i < p.numel(); ++i) {
      KILN_CHECK(pp[i] >= 0 && pp[i] <= 1, "bernoulli: expected all probabilities in [0, 1], got ", pp[i]);
    }
    random::StreamBlock block = random::claim(out.numel());
    random::fill(out.data_ptr<T>(), out.numel(), block, [&](const auto& b, int64_t i) {
      return static_cast<T>(random::uniform_double(b[0], b[1]) < pp[i] ? 1 : 0);
    });
  });
  // A sample is not reparameterised: zero derivative in probs, as in torch.
  return autograd::differentiable(
      std::move(out), {"BernoulliBackward0", {probs}},
      [shape = Shape(probs.sizes()), dtype = probs.dtype()](const autograd::BackwardArgs&) -> autograd::Grads {
        return {zeros(shape, dtype)};
      },
      [](const autograd::ForwardArgs& f) { return zeros_like(f.result); });
}

}  // namespace kiln
