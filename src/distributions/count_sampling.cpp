// Samplers of the count families (not reparameterisable).
#include "common.h"

namespace kiln::distributions {

Tensor Poisson::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  return poisson(rate_.expand(extended_shape(sample_shape)), &gen);
}

Tensor Binomial::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  Shape shape = extended_shape(sample_shape);
  return binomial(total_count_.expand(shape), probs_.expand(shape), &gen);
}

}  // namespace kiln::distributions
