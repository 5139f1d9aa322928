// The sink node of a leaf: runs the leaf's hooks and adds into .grad().
#pragma once
#include "autograd/meta.h"

namespace kiln::autograd {

class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(Tensor variable) : variable_(std::move(variable)) {}
  std::string name() const override { return "torch::autograd::AccumulateGrad"; }
  variable_list apply(variable_list&& grads) override;
  GradList run(GradList&& grads) override;

 private:
  void accumulate(Tensor g);
  Tensor variable_;
};

}  // namespace kiln::autograd
