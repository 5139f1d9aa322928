// UndefinedGrad: copies whose backward hands on an undefined gradient.
#include "autograd/derivative.h"
#include "kiln/functions.h"

namespace kiln::autograd {

variable_list UndefinedGrad::apply(variable_list&& inputs) const {
  variable_list outputs;
  outputs.reserve(inputs.size());
  for (const Tensor& in : inputs) {
    if (!in.defined()) {
      outputs.emplace_back();
      continue;
    }
    Tensor out;
    {
      NoGradGuard no_grad;
      out = in.clone();
    }
    if (any_needs_grad(in))
      record("UndefinedGradBackward", {in}, out, [](const BackwardArgs&) -> Grads { return {Tensor()}; });
    outputs.push_back(std::move(out));
  }
  return outputs;
}

}  // namespace kiln::autograd
