// kiln::distributions: torch.distributions in C++ (libkiln_distributions).
//
//   namespace D = kiln::distributions;
//   D::Normal n(0.0, kiln::tensor({1.0, 2.0}));          // batch_shape [2]
//   kiln::Tensor x = n.rsample({100});                   // [100, 2], differentiable in the parameters
//   kiln::Tensor lp = n.log_prob(x);
//   D::MultivariateNormal mvn(mu, K);                    // from a covariance (or ::from_scale_tril)
//   kiln::Tensor kl = D::kl_divergence(p, q);
//
// Parameters are tensors or C++ numbers and broadcast to the batch shape; a
// sample has shape sample_shape + batch_shape + event_shape. Bad parameters
// and values outside the support raise kiln::Error while validation is on
// (Distribution::set_default_validate_args).
#pragma once
#include "kiln/distributions/distribution.h"
#include "kiln/distributions/continuous.h"
#include "kiln/distributions/discrete.h"
#include "kiln/distributions/gamma.h"
#include "kiln/distributions/multivariate.h"
#include "kiln/distributions/transforms.h"
#include "kiln/distributions/composite.h"
#include "kiln/distributions/kl.h"
