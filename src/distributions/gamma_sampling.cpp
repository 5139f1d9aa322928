// Samplers of the gamma family: kiln::_standard_gamma draws Gamma(α, 1) with
// the implicit reparameterisation gradient dx/dα = -(∂F/∂α) / p(x), so
// every rsample here has pathwise gradients.
#include "common.h"

namespace kiln::distributions {

Tensor Gamma::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Shape shape = extended_shape(sample_shape);
  Tensor value = _standard_gamma(concentration_.expand(shape), &gen) / rate_.expand(shape);
  // Underflow to 0 is moved to the smallest normal number, outside the graph (as torch).
  value.detach().clamp_min_(detail::tiny(value.dtype()));
  return value;
}

Tensor Dirichlet::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor alpha = concentration_.expand(extended_shape(sample_shape));
  Tensor g = _standard_gamma(alpha, &gen);
  return g / g.sum({-1}, true);
}

Tensor Beta::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  return dirichlet_.rsample(sample_shape, gen).select(-1, 0);
}

Tensor StudentT::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor x = detail::standard_normal(extended_shape(sample_shape), df_.dtype(), gen);
  Tensor z = Chi2(df_).rsample(sample_shape, gen);
  return loc_ + scale_ * (x * (z / df_).rsqrt());
}

}  // namespace kiln::distributions
