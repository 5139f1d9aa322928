// Shared by the gp sources: hyperparameter creation and input shaping.
#pragma once
#include <string>

#include "kiln/autograd.h"
#include "kiln/error.h"
#include "kiln/functions.h"
#include "kiln/gp.h"

namespace kiln::gp::detail {

// Whether a ParameterOverride is alive on this thread (results then must not be cached).
bool overrides_active();

// A positive hyperparameter from its value(s): raw = softplus^-1(value), float64, requiring grad.
Hyper positive(const std::string& name, const Tensor& value, const char* owner);
Hyper positive(const std::string& name, double value, const char* owner);
// An unconstrained one.
Hyper free(const std::string& name, const Tensor& value);

// The three views of a list of hyperparameters an owner (kernel, mean, GP)
// gives: the raw tensors an optimiser moves, the raw tensors by name
// ("base_kernel.raw_lengthscale", as GPyTorch), and the values by name.
std::vector<Tensor> raw_tensors(const std::vector<Hyper>& hypers);
NamedTensors raw_named(const std::vector<Hyper>& hypers);
NamedTensors values_named(const std::vector<Hyper>& hypers);

// X as [n, d] (a [n] input is one feature), floating, for `op`.
Tensor as_matrix(const Tensor& X, const char* op);
// v cast to X's dtype (hyperparameters are float64; a float32 input computes in float32).
inline Tensor like(const Tensor& v, const Tensor& X) { return v.dtype() == X.dtype() ? v : v.to(X.dtype()); }

// Whether t carries a forward-mode tangent (custom nodes then fall back to recorded ops).
bool has_tangent(const Tensor& t);

// ||(x1_i - x2_j) / lengthscale||^2 over the features: the one pairwise piece
// of the stationary kernels, with its exact (zero) gradient at zero distance.
Tensor scaled_sq_dist(const Tensor& X1, const Tensor& X2, const Tensor& lengthscale, const char* op);

// The stationary kernels computed by one fused node (stationary_node.cpp).
enum class Profile : int64_t { RBF, Matern12, Matern32, Matern52 };
// c * profile(||(x1_i - x2_j) / l||^2) as one node that saves only its inputs
// (no n x n) and recomputes the pairs in backward.
Tensor scaled_stationary(Profile p, const Tensor& X1, const Tensor& X2, const Tensor& l, const Tensor& c,
                         const char* op);

// Checks a per-feature hyperparameter (1 or d values) against X's d.
void check_features(const Tensor& value, const Tensor& X, const char* op, const char* what);

}  // namespace kiln::gp::detail
