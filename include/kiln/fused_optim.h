// The optimisers' updates as single fused passes over each parameter
// (kiln::optim builds on these): every element's whole update runs in one
// loop iteration, with no temporary tensors and no autograd recording. The
// formulas are PyTorch 1.13's, term for term. All tensors of one call share
// the parameter's shape and floating dtype; state tensors must be contiguous.
#pragma once
#include "kiln/tensor.h"

namespace kiln::fused {

// buf = momentum * buf + (1 - dampening) * d (buf = d on the first step),
// with d = grad + weight_decay * param; param -= lr * (nesterov ? d + momentum * buf : buf).
// momentum == 0: param -= lr * d, and `momentum_buffer` is not touched (may be undefined).
void sgd_(Tensor& param, const Tensor& grad, Tensor& momentum_buffer, double lr, double momentum, double dampening,
          double weight_decay, bool nesterov, bool first_step);

struct AdamHyper {
  double lr, beta1, beta2, eps, weight_decay;
  bool amsgrad;
  bool decoupled_weight_decay;  // AdamW: param *= 1 - lr * weight_decay first
  int64_t step;                 // the step being taken (1 on the first)
};
// max_exp_avg_sq is read and written only when amsgrad.
void adam_(Tensor& param, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq, Tensor& max_exp_avg_sq,
           const AdamHyper& h);

struct RMSpropHyper {
  double lr, alpha, eps, weight_decay, momentum;
  bool centered;
};
// grad_avg is used when centered, momentum_buffer when momentum > 0.
void rmsprop_(Tensor& param, const Tensor& grad, Tensor& square_avg, Tensor& grad_avg, Tensor& momentum_buffer,
              const RMSpropHyper& h);

}  // namespace kiln::fused
