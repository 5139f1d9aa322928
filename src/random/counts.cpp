// Count samplers: poisson(rates) and binomial(count, prob). Small means by
// inversion (one uniform, a sequential search from 0); large means by
// Hormann's transformed rejection with squeeze (PTRS for Poisson, 1993; BTRS
// for the binomial, 1993), a bounded number of uniforms on average for any
// mean. Not differentiable (a count has no pathwise derivative).
#include <cmath>
#include <limits>

#include "core/broadcast.h"
#include "core/dispatch.h"
#include "core/promotion.h"
#include "core/tensor_impl.h"
#include "kiln/autograd.h"
#include "kiln/functions.h"
#include "random/stream.h"

namespace kiln {
namespace {

double poisson_one(double lambda, random::ElementDraws draws) {
  if (lambda == 0) return 0;
  if (lambda < 10) {
    random::PhiloxCounter b = draws.next();
    double u = random::uniform_double(b[0], b[1]), p = std::exp(-lambda), cdf = p;
    double k = 0;
    while (u > cdf && k < 1000) {  // (the mass beyond 1000 is below 1e-300 here)
      k += 1;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
  const double slam = std::sqrt(lambda), loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    random::PhiloxCounter bits = draws.next();
    double u = random::open_uniform(bits[0]) - 0.5, v = random::uniform_double(bits[1], bits[2]);
    double us = 0.5 - std::fabs(u);
    double k = std::floor((2 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <= -lambda + k * loglam - std::lgamma(k + 1))
      return k;
  }
}

// p <= 0.5 here (the caller reflects).
double binomial_one(double n, double p, random::ElementDraws draws) {
  if (n == 0 || p == 0) return 0;
  const double q = 1 - p;
  if (n * p < 10) {
    random::PhiloxCounter b = draws.next();
    double u = random::uniform_double(b[0], b[1]), s = p / q, a = (n + 1) * s, r = std::pow(q, n), k = 0;
    while (u > r && k < n) {
      u -= r;
      k += 1;
      r *= a / k - s;
    }
    return k;
  }
  const double spq = std::sqrt(n * p * q), b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = n * p + 0.5, vr = 0.92 - 4.2 / b, alpha = (2.83 + 5.1 / b) * spq, lpq = std::log(p / q);
  const double m = std::floor((n + 1) * p), h = std::lgamma(m + 1) + std::lgamma(n - m + 1);
  for (;;) {
    random::PhiloxCounter bits = draws.next();
    double u = random::open_uniform(bits[0]) - 0.5, v = random::uniform_double(bits[1], bits[2]);
    double us = 0.5 - std::fabs(u);
    double k = std::floor((2 * a / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = std::log(v * alpha / (a / (us * us) + b));
    if (v <= h - std::lgamma(k + 1) - std::lgamma(n - k + 1) + (k - m) * lpq) return k;
  }
}

}  // namespace

Tensor poisson(const Tensor& rates, Generator* generator) {
  KILN_CHECK(is_floating_point(rates.dtype()), "poisson: expected a floating-point rate tensor, got ", rates.dtype());
  Tensor out = core::empty(rates.sizes(), rates.dtype());
  core::dispatch_floating(rates.dtype(), "poisson", [&](auto tag) {
    using T = typename decltype(tag)::type;
    Tensor r = rates.detach().contiguous();
    const T* rp = r.data_ptr<T>();
    for (int64_t i = 0; i < r.numel(); ++i)
      KILN_CHECK(rp[i] >= 0 && rp[i] <= 1e18, "poisson: invalid rate ", rp[i], " at flat index ", i,
                 " (expected a finite rate >= 0)");
    random::StreamBlock block = random::claim(out.numel(), random::generator_or_default(generator));
    random::fill_each(out.data_ptr<T>(), out.numel(), [&](int64_t i) {
      return static_cast<T>(poisson_one(rp[i], random::ElementDraws(block, i, random::kPoissonDomain)));
    });
  });
  return out;
}

Tensor binomial(const Tensor& count, const Tensor& prob, Generator* generator) {
  Shape shape = core::broadcast_shape(count.sizes(), prob.sizes(), "binomial");
  ScalarType dtype = core::result_type({&count, &prob});
  KILN_CHECK(is_floating_point(dtype), "binomial: expected floating-point count and prob, got ", count.dtype(), " and ",
             prob.dtype());
  Tensor out = core::empty(shape, dtype);
  core::dispatch_floating(dtype, "binomial", [&](auto tag) {
    using T = typename decltype(tag)::type;
    Tensor n, p;
    {
      NoGradGuard no_grad;
      n = count.detach().to(dtype).expand(shape).contiguous();
      p = prob.detach().to(dtype).expand(shape).contiguous();
    }
    const T* np = n.data_ptr<T>();
    const T* pp = p.data_ptr<T>();
    for (int64_t i = 0; i < n.numel(); ++i) {
      KILN_CHECK(np[i] >= 0 && np[i] <= 1e15 && np[i] == std::floor(np[i]), "binomial: invalid count ", np[i],
                 " at flat index ", i, " (expected a non-negative integer)");
      KILN_CHECK(pp[i] >= 0 && pp[i] <= 1, "binomial: invalid prob ", pp[i], " at flat index ", i,
                 " (expected a probability in [0, 1])");
    }
    random::StreamBlock block = random::claim(out.numel(), random::generator_or_default(generator));
    random::fill_each(out.data_ptr<T>(), out.numel(), [&](int64_t i) {
      double nn = np[i], pr = pp[i];
      random::ElementDraws draws(block, i, random::kBinomialDomain);
      double k = pr <= 0.5 ? binomial_one(nn, pr, draws) : nn - binomial_one(nn, 1 - pr, draws);
      return static_cast<T>(k);
    });
  });
  return out;
}

}  // namespace kiln
