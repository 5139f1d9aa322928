// Bijections for TransformedDistribution (torch.distributions.transforms),
// as value handles: `{ExpTransform(), AffineTransform(1.0, 2.0)}` is a
// std::vector<Transform>.
#pragma once
#include <memory>
#include <string>

#include "kiln/distributions/distribution.h"

namespace kiln::distributions {

struct TransformImpl;

class Transform {
 public:
  // y = t(x), x = t.inv(y), and log |dy/dx| summed over the transform's event dims.
  Tensor operator()(const Tensor& x) const;
  Tensor inv(const Tensor& y) const;
  Tensor log_abs_det_jacobian(const Tensor& x, const Tensor& y) const;
  // The inverse as a transform (torch's t.inv).
  Transform inv() const;
  // +1 or -1: whether y grows with x (a tensor for AffineTransform with a tensor scale).
  Tensor sign() const;
  Constraint domain() const;
  Constraint codomain() const;
  // Dims of x that one application mixes (AffineTransform's event_dim; 0 otherwise).
  int64_t event_dim() const;
  // The shape of t(x) for x of `shape` (a tensor parameter may broadcast it).
  Shape forward_shape(IntArrayRef shape) const;
  Shape inverse_shape(IntArrayRef shape) const;
  std::string repr() const;
  bool operator==(const Transform& other) const;
  bool operator!=(const Transform& other) const { return !(*this == other); }

 protected:
  explicit Transform(std::shared_ptr<const TransformImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const TransformImpl> impl_;
};

// y = exp(x).
class ExpTransform : public Transform {
 public:
  ExpTransform();
};
// y = loc + scale * x.
class AffineTransform : public Transform {
 public:
  AffineTransform(Param loc, Param scale, int64_t event_dim = 0);
};
// y = 1 / (1 + exp(-x)), clipped into (0, 1).
class SigmoidTransform : public Transform {
 public:
  SigmoidTransform();
};
// y = tanh(x).
class TanhTransform : public Transform {
 public:
  TanhTransform();
};
// y = log(1 + exp(x)).
class SoftplusTransform : public Transform {
 public:
  SoftplusTransform();
};
// y = |x| (not bijective: HalfNormal's transform; no inverse density).
class AbsTransform : public Transform {
 public:
  AbsTransform();
};
// y = x^exponent on the positive half line.
class PowerTransform : public Transform {
 public:
  explicit PowerTransform(Param exponent);
};

}  // namespace kiln::distributions
