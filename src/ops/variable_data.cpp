// A tensor's data apart from its history: Tensor::data() and make_variable,
// as libtorch's Variable API has them (set_data is in autograd/tensor_state.cpp).
#include "kiln/autograd.h"

namespace kiln {

Tensor Tensor::data() const { return detach(); }
Tensor Tensor::tensor_data() const { return detach(); }

namespace autograd {
Variable make_variable(const Tensor& data, bool requires_grad) {
  Tensor t = data.detach();
  if (requires_grad) t.requires_grad_(true);
  return t;
}
}  // namespace autograd

}  // namespace kiln
