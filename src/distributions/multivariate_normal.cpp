#include <cmath>
#include <numbers>

#include "common.h"
#include "kiln/linalg.h"
#include "linear.h"

namespace kiln::distributions {
namespace {

const char* given_name(int given) {
  static const char* names[] = {"covariance_matrix", "scale_tril", "precision_matrix"};
  return names[given];
}

// The lower Cholesky factor of P⁻¹, from the factor of P with rows and
// columns reversed (torch's _precision_to_scale_tril): no explicit inverse of P.
Tensor precision_to_scale_tril(const Tensor& P) {
  Tensor Lf = linalg::cholesky(P.flip({-2, -1}));
  Tensor L_inv = Lf.flip({-2, -1}).mT();
  return linalg::solve_triangular(L_inv, eye(P.size(-1), dtype(P.dtype())), /*upper=*/false);
}

}  // namespace

MultivariateNormal::MultivariateNormal(const Tensor& loc, const Tensor& covariance_matrix)
    : MultivariateNormal(loc, covariance_matrix, Given::covariance) {}

MultivariateNormal MultivariateNormal::from_scale_tril(const Tensor& loc, const Tensor& scale_tril) {
  return MultivariateNormal(loc, scale_tril, Given::scale_tril);
}

MultivariateNormal MultivariateNormal::from_precision(const Tensor& loc, const Tensor& precision_matrix) {
  return MultivariateNormal(loc, precision_matrix, Given::precision);
}

MultivariateNormal::MultivariateNormal(const Tensor& loc, const Tensor& matrix, Given given) : Family({}, {}) {
  const char* what = given_name(static_cast<int>(given));
  KILN_CHECK(loc.defined() && matrix.defined(), "MultivariateNormal: loc and ", what, " must be defined tensors");
  KILN_CHECK(loc.dim() >= 1, "MultivariateNormal: loc must be at least one-dimensional, got shape ", loc.sizes());
  KILN_CHECK(matrix.dim() >= 2, "MultivariateNormal: ", what,
             " must be at least two-dimensional, with optional leading batch dimensions, got shape ", matrix.sizes());
  int64_t n = loc.size(-1);
  KILN_CHECK(matrix.size(-1) == n && matrix.size(-2) == n, "MultivariateNormal: ", what, " of shape ", matrix.sizes(),
             " must be a batch of ", n, " x ", n, " matrices to match loc of shape ", loc.sizes());
  Shape batch = broadcast_shapes(IntArrayRef(loc.sizes().begin(), loc.dim() - 1),
                                 IntArrayRef(matrix.sizes().begin(), matrix.dim() - 2));
  loc_ = loc.expand(detail::concat(batch, {n}));
  set_shapes(batch, {n});
  check_param("loc", loc_, constraints::real_vector());
  Tensor full_matrix = matrix.expand(detail::concat(batch, {n, n}));
  if (given == Given::scale_tril) {
    check_param("scale_tril", full_matrix, constraints::lower_cholesky());
    scale_tril_ = matrix;
    return;
  }
  // Symmetry is checked first: a factorisation reads only one triangle.
  if (validate_args() && !isclose(matrix, matrix.mT(), 1e-5, 1e-6).all().item<bool>())
    check_param(what, full_matrix, constraints::positive_definite());
  try {
    scale_tril_ = given == Given::covariance ? linalg::cholesky(matrix) : precision_to_scale_tril(matrix);
  } catch (const Error&) {
    check_param(what, full_matrix, constraints::positive_definite());  // names the matrix when validating
    throw;
  }
}

Constraint MultivariateNormal::support() const { return constraints::real_vector(); }

Tensor MultivariateNormal::scale_tril() const { return scale_tril_.expand(detail::concat(batch_shape_, {event_shape_[0], event_shape_[0]})); }

Tensor MultivariateNormal::covariance_matrix() const {
  return scale_tril_.matmul(scale_tril_.mT()).expand(detail::concat(batch_shape_, {event_shape_[0], event_shape_[0]}));
}

Tensor MultivariateNormal::precision_matrix() const {
  Tensor identity = eye(event_shape_[0], dtype(scale_tril_.dtype())).expand(scale_tril_.sizes());
  return cholesky_solve(identity, scale_tril_).expand(detail::concat(batch_shape_, {event_shape_[0], event_shape_[0]}));
}

Tensor MultivariateNormal::variance() const {
  return scale_tril_.square().sum({-1}).expand(detail::concat(batch_shape_, event_shape_));
}

Tensor MultivariateNormal::rsample_with(IntArrayRef sample_shape, Generator& gen) const {
  Tensor eps = detail::standard_normal(extended_shape(sample_shape), loc_.dtype(), gen);
  return loc_ + detail::batch_mv(scale_tril_, eps);
}

Tensor MultivariateNormal::log_prob(const Tensor& value) const {
  validate_sample(value);
  Tensor diff = value - loc_;
  Tensor m = detail::batch_mahalanobis(scale_tril_, diff);
  Tensor half_log_det = scale_tril_.diagonal(0, -2, -1).log().sum({-1});
  double n = static_cast<double>(event_shape_[0]);
  return -0.5 * (m + n * std::log(2 * std::numbers::pi)) - half_log_det;
}

Tensor MultivariateNormal::entropy() const {
  Tensor half_log_det = scale_tril_.diagonal(0, -2, -1).log().sum({-1});
  double n = static_cast<double>(event_shape_[0]);
  Tensor h = half_log_det + 0.5 * n * (1.0 + std::log(2 * std::numbers::pi));
  return batch_shape_.empty() ? h : h.expand(batch_shape_);
}

}  // namespace kiln::distributions
