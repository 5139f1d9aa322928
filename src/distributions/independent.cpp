#include "common.h"

namespace kiln::distributions {
namespace {

// Sums the rightmost `n` dims (torch's _sum_rightmost).
Tensor sum_rightmost(const Tensor& t, int64_t n) {
  return n > 0 ? t.flatten(t.dim() - n).sum({-1}) : t;
}

}  // namespace

Independent::Independent(const Distribution& base, int64_t reinterpreted_batch_ndims)
    : Family({}, {}), base_(base.clone()), reinterpreted_(reinterpreted_batch_ndims) {
  int64_t batch_dims = static_cast<int64_t>(base.batch_shape().size());
  KILN_CHECK(reinterpreted_batch_ndims >= 0 && reinterpreted_batch_ndims <= batch_dims,
             "Independent: expected 0 <= reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ",
             reinterpreted_batch_ndims, " vs ", batch_dims, " (", base.name(), " with batch_shape ",
             IntArrayRef(base.batch_shape()), ")");
  int64_t cut = batch_dims - reinterpreted_batch_ndims;
  set_shapes(detail::slice(base.batch_shape(), 0, cut),
             detail::concat(detail::slice(base.batch_shape(), cut, batch_dims), base.event_shape()));
}

std::string Independent::repr() const { return "Independent(" + base_->repr() + ", " + std::to_string(reinterpreted_) + ")"; }

Constraint Independent::support() const {
  Constraint s = base_->support();
  return reinterpreted_ ? constraints::independent(s, reinterpreted_) : s;
}

void Independent::expand_params(IntArrayRef batch_shape) {
  std::vector<int64_t> base_batch = detail::concat(batch_shape, detail::slice(event_shape_, 0, reinterpreted_));
  base_ = base_->expand_shared(base_batch);
  batch_shape_ = batch_shape.vec();
}

Tensor Independent::sample_with(IntArrayRef sample_shape, Generator& gen) const { return base_->sample(sample_shape, gen); }
Tensor Independent::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  return base_->rsample(sample_shape, gen);
}

Tensor Independent::log_prob(const Tensor& value) const { return sum_rightmost(base_->log_prob(value), reinterpreted_); }
Tensor Independent::entropy() const { return sum_rightmost(base_->entropy(), reinterpreted_); }

Tensor Independent::enumerate_support(bool expand) const {
  KILN_CHECK(reinterpreted_ == 0, "Independent: enumeration over the cartesian product is not implemented");
  return base_->enumerate_support(expand);
}

}  // namespace kiln::distributions
