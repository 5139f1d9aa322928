// kiln::special, as libtorch's torch::special: special functions, each
// differentiable (float64 gradcheck in tests/special/). Computed in double
// for float inputs too.
#pragma once
#include <cstdint>
#include <optional>

#include "kiln/functions.h"

namespace kiln::special {

Tensor digamma(const Tensor& x);
Tensor psi(const Tensor& x);  // = digamma
// The n-th derivative of digamma, n >= 0.
Tensor polygamma(int64_t n, const Tensor& x);
Tensor erfinv(const Tensor& x);
// exp(x^2) erfc(x), finite for large x where erfc underflows.
Tensor erfcx(const Tensor& x);
// The standard normal CDF, its logarithm (accurate in both tails) and its inverse.
Tensor ndtr(const Tensor& x);
Tensor log_ndtr(const Tensor& x);
Tensor ndtri(const Tensor& p);
Tensor gammaln(const Tensor& x);  // = lgamma
// The multivariate log-gamma of dimension p (x > (p - 1) / 2).
Tensor multigammaln(const Tensor& x, int64_t p);
// x log(y) and x log(1 + y), 0 where x == 0 unless y is NaN.
Tensor xlogy(const Tensor& x, const Tensor& y);
Tensor xlogy(const Tensor& x, Scalar y);
Tensor xlogy(Scalar x, const Tensor& y);
Tensor xlog1py(const Tensor& x, const Tensor& y);
Tensor xlog1py(const Tensor& x, Scalar y);
Tensor xlog1py(Scalar x, const Tensor& y);
Tensor expit(const Tensor& x);  // = sigmoid
// log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps is given.
Tensor logit(const Tensor& x, std::optional<double> eps = std::nullopt);
// -x log(x) (0 at 0, -inf for x < 0).
Tensor entr(const Tensor& x);

}  // namespace kiln::special
