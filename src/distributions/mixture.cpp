#include "common.h"

namespace kiln::distributions {

MixtureSameFamily::MixtureSameFamily(const Categorical& mixture, const Distribution& components)
    : Family({}, {}), mixture_(mixture), components_(components.clone()) {
  const std::vector<int64_t>& mb = mixture.batch_shape();
  const std::vector<int64_t>& cb_all = components.batch_shape();
  KILN_CHECK(!cb_all.empty(), "MixtureSameFamily: component_distribution (", components.name(),
             ") needs a batch dim for the components, got batch_shape []");
  const std::vector<int64_t> cb = detail::slice(cb_all, 0, static_cast<int64_t>(cb_all.size()) - 1);
  for (auto a = mb.rbegin(), b = cb.rbegin(); a != mb.rend() && b != cb.rend(); ++a, ++b)
    KILN_CHECK(*a == 1 || *b == 1 || *a == *b, "MixtureSameFamily: mixture_distribution.batch_shape ", IntArrayRef(mb),
               " is not compatible with component_distribution.batch_shape ", IntArrayRef(cb));
  int64_t km = mixture.num_events(), kc = cb_all.back();
  KILN_CHECK(km == kc, "MixtureSameFamily: mixture_distribution components (", km,
             ") do not equal component_distribution.batch_shape[-1] (", kc, ")");
  set_shapes(cb, components.event_shape());
}

std::string MixtureSameFamily::repr() const { return name() + "(" + mixture_.repr() + ", " + components_->repr() + ")"; }

void MixtureSameFamily::expand_params(IntArrayRef batch_shape) {
  components_ = components_->expand_shared(detail::concat(batch_shape, {mixture_.num_events()}));
  mixture_ = mixture_.expand(batch_shape);
  batch_shape_ = batch_shape.vec();
}

Tensor MixtureSameFamily::pad_mixture(const Tensor& probs) const {
  // torch compares the batch shapes' numels here (not their ranks); kept as is.
  int64_t dist_batch = detail::numel_of(batch_shape_), cat_batch = detail::numel_of(mixture_.batch_shape());
  int64_t pad_dims = cat_batch == 1 ? 0 : dist_batch - cat_batch;
  std::vector<int64_t> shape = detail::slice(probs.sizes(), 0, probs.dim() - 1);
  shape.insert(shape.end(), pad_dims, 1);
  shape.push_back(probs.size(-1));
  shape.insert(shape.end(), event_shape_.size(), 1);
  return probs.reshape(shape);
}

Tensor MixtureSameFamily::mean() const {
  int64_t dim = -1 - static_cast<int64_t>(event_shape_.size());
  return (pad_mixture(mixture_.probs()) * components_->mean()).sum({dim});
}

// Law of total variance: E[Var(X | k)] + Var(E[X | k]).
Tensor MixtureSameFamily::variance() const {
  int64_t dim = -1 - static_cast<int64_t>(event_shape_.size());
  Tensor probs = pad_mixture(mixture_.probs());
  Tensor mean_cond_var = (probs * components_->variance()).sum({dim});
  Tensor var_cond_mean = (probs * (components_->mean() - pad(mean())).square()).sum({dim});
  return mean_cond_var + var_cond_mean;
}

Tensor MixtureSameFamily::cdf(const Tensor& value) const {
  return (components_->cdf(pad(value)) * mixture_.probs()).sum({-1});
}

Tensor MixtureSameFamily::log_prob(const Tensor& value) const {
  validate_sample(value);
  Tensor lp = components_->log_prob(pad(value));
  return (lp + log_softmax(mixture_.logits(), -1)).logsumexp({-1});
}

Tensor MixtureSameFamily::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  int64_t gather_dim = static_cast<int64_t>(sample_shape.size() + batch_shape_.size());
  Tensor mix = mixture_.sample(sample_shape, gen);             // [S, B]
  Tensor comp = components_->sample(sample_shape, gen);       // [S, B, K, E]
  std::vector<int64_t> index_shape = mix.sizes().vec();
  index_shape.push_back(1);
  index_shape.insert(index_shape.end(), event_shape_.begin(), event_shape_.end());
  std::vector<int64_t> view_shape = mix.sizes().vec();
  view_shape.insert(view_shape.end(), event_shape_.size() + 1, 1);
  Tensor index = mix.reshape(view_shape).expand(index_shape).contiguous();
  return comp.gather(gather_dim, index).squeeze(gather_dim);
}

}  // namespace kiln::distributions
