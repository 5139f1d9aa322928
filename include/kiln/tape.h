// TensorFlow 2's GradientTape over kiln's engine:
//
//   kiln::Tensor x = kiln::arange(4.0).requires_grad_();   // a tf.Variable
//   kiln::GradientTape tape;
//   kiln::Tensor y = 2 * kiln::dot(x, x);
//   kiln::Tensor g = tape.gradient(y, x);                 // [0, 4, 8, 12]
//
// kiln records every op on tensors that require grad, whether or not a tape
// exists, so the tape is bookkeeping: which tensors are watched, whether it
// may be used again. Tensors that require grad (TF's Variables) are watched
// automatically. watch(t) on a tensor that does not require grad (TF's
// constant) turns requires_grad on for that leaf, in place, so the ops that
// follow record a graph from it; the tape turns it off again when it dies.
// (Watch before computing the target, as in TF.) A tape created while
// another is alive records its gradients for the outer one (create_graph),
// so nested tapes give higher derivatives.
#pragma once
#include <vector>

#include "kiln/tensor.h"

namespace kiln {

class GradientTape {
 public:
  explicit GradientTape(bool persistent = false);
  ~GradientTape();
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  // Ensures gradients w.r.t. t can be taken (t must be floating point).
  void watch(const Tensor& t);
  void watch(const std::vector<Tensor>& ts);
  // The tensors watch() was called on.
  const std::vector<Tensor>& watched_variables() const { return watched_; }

  // d sum(target) / d source for each source; an undefined tensor for a
  // source the target does not depend on (TF's None). output_gradients
  // weights the target's elements instead of summing them.
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Tensor>& sources,
                               const Tensor& output_gradients = Tensor());
  Tensor gradient(const Tensor& target, const Tensor& source, const Tensor& output_gradients = Tensor());
  // d target / d source, shape target.shape + source.shape; undefined when
  // the target does not depend on the source.
  Tensor jacobian(const Tensor& target, const Tensor& source);

  bool persistent() const { return persistent_; }

 private:
  // Counts a use; a non-persistent tape allows one.
  void use(const char* op);
  bool persistent_;
  bool used_ = false;
  bool nested_;  // another tape was alive when this one was created
  std::vector<Tensor> watched_;
  std::vector<Tensor> switched_on_;  // watched leaves whose requires_grad we set
};

// The identity whose gradient is zero (tf.stop_gradient): a detached alias.
Tensor stop_gradient(const Tensor& t);

}  // namespace kiln
