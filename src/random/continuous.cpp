// Continuous sampling: rand (uniform on [0, 1)), randn and normal(mean, std).
// Float randn takes the vectorised Box-Muller blocks of random/normal_block.h.
#include "autograd/derivative.h"
#include "core/broadcast.h"
#include "core/promotion.h"
#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kiln/functions.h"
#include "random/normal_block.h"
#include "random/stream.h"

namespace kiln {

Tensor rand(IntArrayRef size, const TensorOptions& options) {
  ScalarType dtype = options.dtype();
  Tensor out = core::empty(size, dtype);
  core::dispatch_floating(dtype, "rand", [&](auto tag) {
    using T = typename decltype(tag)::type;
    random::StreamBlock block = random::claim(out.numel());
    random::fill(out.data_ptr<T>(), out.numel(), block, [](const auto& bits, int64_t) { return random::uniform<T>(bits); });
  });
  return random::apply_requires_grad(out, options);
}

Tensor randn(IntArrayRef size, const TensorOptions& options) {
  ScalarType dtype = options.dtype();
  Tensor out = core::empty(size, dtype);
  core::dispatch_floating(dtype, "randn", [&](auto tag) {
    using T = typename decltype(tag)::type;
    random::StreamBlock block = random::claim(out.numel());
    if constexpr (std::is_same_v<T, float>)
      random::fill_normal_float(out.data_ptr<float>(), out.numel(), block.seed, block.offset);
    else
      random::fill_normal(out.data_ptr<T>(), out.numel(), block, [](double z, int64_t) { return static_cast<T>(z); });
  });
  return random::apply_requires_grad(out, options);
}

// Broadcasts mean and std. Not reparameterised (torch.normal is not): the
// gradient to both is zero; distributions::Normal::rsample is the
// differentiable path.
Tensor normal(const Tensor& mean, const Tensor& std, Generator* generator) {
  Shape shape = core::broadcast_shape(mean.sizes(), std.sizes(), "normal");
  ScalarType dtype = core::result_type({&mean, &std});
  Tensor out = core::empty(shape, dtype);
  core::dispatch_floating(dtype, "normal", [&](auto tag) {
    using T = typename decltype(tag)::type;
    Tensor m, s;
    {
      NoGradGuard no_grad;
      m = mean.detach().to(dtype).expand(shape).contiguous();
      s = std.detach().to(dtype).expand(shape).contiguous();
    }
    const T* mp = m.data_ptr<T>();
    const T* sp = s.data_ptr<T>();
    for (int64_t i = 0; i < out.numel(); ++i) {
      KILN_CHECK(sp[i] >= 0, "normal: expected all elements of std >= 0.0, got ", sp[i]);
    }
    random::StreamBlock block = random::claim(out.numel(), random::generator_or_default(generator));
    random::fill_normal(out.data_ptr<T>(), out.numel(), block,
                        [&](double z, int64_t i) { return static_cast<T>(mp[i] + sp[i] * z); });
  });
  // A sample is not reparameterised: zero derivative in mean and std, as in torch.
  return autograd::differentiable(
      std::move(out), {"NormalBackward3", {mean, std}},
      [mean_shape = Shape(mean.sizes()), std_shape = Shape(std.sizes()), mean_dtype = mean.dtype(),
       std_dtype = std.dtype()](const autograd::BackwardArgs&) -> autograd::Grads {
        return {zeros(mean_shape, mean_dtype), zeros(std_shape, std_dtype)};
      },
      [](const autograd::ForwardArgs& f) { return zeros_like(f.result); });
}

}  // namespace kiln
