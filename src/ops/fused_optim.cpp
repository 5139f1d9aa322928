// The fused optimiser updates: one pass per parameter, each element's whole
// update in registers, split across threads for large parameters.
#include "kiln/fused_optim.h"

#include <cmath>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "kernels/parallel.h"
#include "kiln/functions.h"

namespace kiln::fused {
namespace {
// The parameter itself is written in place: it must be a dense tensor.
void check_param(const char* op, const Tensor& param, const Tensor& grad) {
  KILN_CHECK(param.defined() && grad.defined(), op, ": parameter and gradient must be defined");
  KILN_CHECK(param.is_contiguous(), op, ": the parameter must be contiguous, got strides ", param.strides());
  KILN_CHECK(param.sizes() == grad.sizes(), op, ": gradient of shape ", grad.sizes(), " does not match parameter ",
             param.sizes());
  KILN_CHECK(param.is_floating_point(), op, ": expected a floating-point parameter, got ", param.dtype());
}
// A state tensor: created as zeros on first use, else checked.
void state(const char* op, Tensor& s, const Tensor& param, const char* name) {
  if (!s.defined()) {
    s = zeros(param.sizes(), param.dtype());
    return;
  }
  KILN_CHECK(s.is_contiguous() && s.sizes() == param.sizes() && s.dtype() == param.dtype(), op, ": state '", name,
             "' of shape ", s.sizes(), " and dtype ", s.dtype(), " does not match the parameter (", param.sizes(),
             ", ", param.dtype(), ")");
}
// A gradient in the parameter's dtype, laid out densely.
Tensor dense(const Tensor& grad, const Tensor& param) {
  Tensor g = grad.dtype() == param.dtype() ? grad : grad.to(param.dtype());
  return g.is_contiguous() ? g : g.contiguous();
}
template <class T>
T* ptr(const Tensor& t) {
  return t.defined() ? reinterpret_cast<T*>(impl(t)->data()) : nullptr;
}
template <class F>
void over(int64_t n, F&& f) {
  kernels::parallel_for(n, kernels::kGrainSize, f);
}
}  // namespace

void sgd_(Tensor& param, const Tensor& grad_, Tensor& buf, double lr, double momentum, double dampening,
          double weight_decay, bool nesterov, bool first_step) {
  check_param("sgd", param, grad_);
  Tensor grad = dense(grad_, param);
  if (momentum != 0) state("sgd", buf, param, "momentum_buffer");
  core::dispatch_floating(param.dtype(), "sgd", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = ptr<T>(param);
    const T* g = ptr<T>(grad);
    T* b = momentum != 0 ? ptr<T>(buf) : nullptr;
    const T wd = static_cast<T>(weight_decay), mom = static_cast<T>(momentum), damp = static_cast<T>(1 - dampening),
            step = static_cast<T>(lr);
    over(param.numel(), [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        T d = wd != 0 ? g[i] + wd * p[i] : g[i];
        if (b) {
          T m = first_step ? d : mom * b[i] + damp * d;
          b[i] = m;
          d = nesterov ? d + mom * m : m;
        }
        p[i] -= step * d;
      }
    });
  });
}

void adam_(Tensor& param, const Tensor& grad_, Tensor& exp_avg, Tensor& exp_avg_sq, Tensor& max_sq,
           const AdamHyper& h) {
  const char* op = h.decoupled_weight_decay ? "adamw" : "adam";
  check_param(op, param, grad_);
  KILN_CHECK(h.step >= 1, op, ": step must be at least 1, got ", h.step);
  Tensor grad = dense(grad_, param);
  state(op, exp_avg, param, "exp_avg");
  state(op, exp_avg_sq, param, "exp_avg_sq");
  if (h.amsgrad) state(op, max_sq, param, "max_exp_avg_sq");
  double bc1 = 1 - std::pow(h.beta1, static_cast<double>(h.step));
  double bc2_sqrt = std::sqrt(1 - std::pow(h.beta2, static_cast<double>(h.step)));
  core::dispatch_floating(param.dtype(), op, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = ptr<T>(param);
    const T* g = ptr<T>(grad);
    T *m = ptr<T>(exp_avg), *v = ptr<T>(exp_avg_sq), *vmax = h.amsgrad ? ptr<T>(max_sq) : nullptr;
    const T b1 = static_cast<T>(h.beta1), b2 = static_cast<T>(h.beta2), one_b1 = static_cast<T>(1 - h.beta1),
            one_b2 = static_cast<T>(1 - h.beta2), eps = static_cast<T>(h.eps), wd = static_cast<T>(h.weight_decay),
            decay = static_cast<T>(1 - h.lr * h.weight_decay), step_size = static_cast<T>(h.lr / bc1),
            bc2s = static_cast<T>(bc2_sqrt);
    const bool coupled = !h.decoupled_weight_decay && h.weight_decay != 0;
    const bool decoupled = h.decoupled_weight_decay && h.weight_decay != 0;
    over(param.numel(), [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        T pi = p[i];
        if (decoupled) pi *= decay;
        T gi = coupled ? g[i] + wd * pi : g[i];
        T mi = m[i] * b1 + one_b1 * gi;
        T vi = v[i] * b2 + one_b2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        if (vmax) {
          vi = vmax[i] > vi ? vmax[i] : vi;
          vmax[i] = vi;
        }
        p[i] = pi - step_size * (mi / (std::sqrt(vi) / bc2s + eps));
      }
    });
  });
}

void rmsprop_(Tensor& param, const Tensor& grad_, Tensor& square_avg, Tensor& grad_avg, Tensor& buf,
              const RMSpropHyper& h) {
  check_param("rmsprop", param, grad_);
  Tensor grad = dense(grad_, param);
  state("rmsprop", square_avg, param, "square_avg");
  if (h.centered) state("rmsprop", grad_avg, param, "grad_avg");
  if (h.momentum > 0) state("rmsprop", buf, param, "momentum_buffer");
  core::dispatch_floating(param.dtype(), "rmsprop", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = ptr<T>(param);
    const T* g = ptr<T>(grad);
    T *sq = ptr<T>(square_avg), *ga = h.centered ? ptr<T>(grad_avg) : nullptr, *b = h.momentum > 0 ? ptr<T>(buf) : nullptr;
    const T alpha = static_cast<T>(h.alpha), one_alpha = static_cast<T>(1 - h.alpha), eps = static_cast<T>(h.eps),
            wd = static_cast<T>(h.weight_decay), mom = static_cast<T>(h.momentum), lr = static_cast<T>(h.lr);
    over(param.numel(), [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        T gi = wd != 0 ? g[i] + wd * p[i] : g[i];
        T s = sq[i] * alpha + one_alpha * gi * gi;
        sq[i] = s;
        T avg;
        if (ga) {
          T a = ga[i] * alpha + one_alpha * gi;
          ga[i] = a;
          avg = std::sqrt(s - a * a) + eps;
        } else {
          avg = std::sqrt(s) + eps;
        }
        if (b) {
          T bi = b[i] * mom + gi / avg;
          b[i] = bi;
          p[i] -= lr * bi;
        } else {
          p[i] -= lr * (gi / avg);
        }
      }
    });
  });
}

}  // namespace kiln::fused
