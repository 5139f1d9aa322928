// Forward-mode AD, as torch.autograd.forward_ad: dual tensors carry a
// tangent through every op with a forward rule; a JVP costs one pass.
#pragma once
#include <tuple>

#include "kiln/tensor.h"

namespace kiln::autograd::forward_ad {

// While alive, tensors may carry tangents; on exit every tangent is dropped.
class dual_level {
 public:
  dual_level();
  ~dual_level();
  dual_level(const dual_level&) = delete;
  dual_level& operator=(const dual_level&) = delete;
};

// A view of `primal` that carries `tangent` (same shape).
Tensor make_dual(const Tensor& primal, const Tensor& tangent);
// (primal, tangent); the tangent is undefined when there is none.
std::tuple<Tensor, Tensor> unpack_dual(const Tensor& t);

}  // namespace kiln::autograd::forward_ad
