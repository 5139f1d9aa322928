// Gamma and Dirichlet sampling, and the implicit reparameterisation
// gradient of a standard-gamma sample: at a fixed quantile u = P(alpha, x)
// (P the regularised lower incomplete gamma function),
//   dx/dalpha = -(dP/dalpha) / (dP/dx),
// computed, not fitted:
//   x < alpha:  P's power series differentiated term by term;
//   x >= alpha: the upper tail, dx/dalpha = int_x^inf (t/x)^(alpha-1)
//               e^(x-t) (log t - psi(alpha)) dt, by Gauss-Legendre on
//               geometrically growing panels (no cancellation: the lower
//               integral would be the difference of two near-equal terms).
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "autograd/derivative.h"
#include "core/broadcast.h"
#include "core/dispatch.h"
#include "core/promotion.h"
#include "core/tensor_impl.h"
#include "kernels/special_math.h"
#include "kiln/functions.h"
#include "random/gamma_block.h"
#include "random/stream.h"

namespace kiln {
namespace {

// One Gamma(alpha, 1) sample, alpha > 0: Marsaglia & Tsang (2000) for
// alpha >= 1; below, Gamma(alpha + 1) * U^(1/alpha). Attempt 0 is the boost
// uniform, proposals follow (float's vectorised blocks try the first one,
// random/gamma_block.h, and `draws` then starts after it).
double standard_gamma_one(double alpha, random::ElementDraws draws, bool skip_boost = false) {
  double boost = 1;
  if (!skip_boost) {
    random::PhiloxCounter first = draws.next();
    if (alpha < 1) {
      boost = std::pow(random::open_uniform(first[0]), 1 / alpha);
      alpha += 1;
    }
  }
  const double d = alpha - 1.0 / 3, c = 1 / std::sqrt(9 * d);
  for (;;) {
    random::PhiloxCounter b = draws.next();
    double u1 = 1.0 - random::uniform_double(b[0], b[1]);  // (0, 1]
    double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * random::open_uniform(b[2]));
    double v = 1 + c * z;
    if (v <= 0) continue;
    v = v * v * v;
    double u = random::open_uniform(b[3]), z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2 || std::log(u) < 0.5 * z2 + d * (1 - v + std::log(v))) return boost * d * v;
  }
}

// 16-point Gauss-Legendre nodes and weights on [-1, 1], by Newton's method on P_16.
struct GaussLegendre {
  static constexpr int n = 16;
  std::array<double, n> x, w;
  GaussLegendre() {
    for (int i = 0; i < n; ++i) {
      double t = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5)), dp = 0;
      for (int it = 0; it < 100; ++it) {
        double p0 = 1, p1 = t;
        for (int k = 2; k <= n; ++k) {
          double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = n * (t * p1 - p0) / (t * t - 1);
        double step = p1 / dp;
        t -= step;
        if (std::fabs(step) < 1e-16) break;
      }
      x[i] = t;
      w[i] = 2 / ((1 - t * t) * dp * dp);
    }
  }
};

double upper_tail_grad(double a, double x) {
  static const GaussLegendre gl;
  const double psi_a = kernels::special::digamma(a);
  auto log_weight = [&](double s) { return (a - 1) * std::log1p(s / x) - s; };  // log (t/x)^(a-1) e^(x-t)
  double end = 1;
  while (log_weight(end) > -46) end *= 2;
  double sum = 0, lo = 0, width = 0.5 * std::min(x, 1.0);
  while (lo < end) {
    double hi = std::min(lo + width, end), mid = 0.5 * (lo + hi), half = 0.5 * (hi - lo);
    for (int i = 0; i < GaussLegendre::n; ++i) {
      double s = mid + half * gl.x[i];
      sum += half * gl.w[i] * std::exp(log_weight(s)) * (std::log(x + s) - psi_a);
    }
    lo = hi;
    width = lo;  // panels double in width
  }
  return sum;
}

double lower_series_grad(double a, double x) {
  double t = 1, psi_n = kernels::special::digamma(a + 1), S = 1, T = psi_n;
  for (int n = 1; n < 100000; ++n) {
    t *= x / (a + n);
    psi_n += 1 / (a + n);
    S += t;
    T += t * psi_n;
    if (t < 1e-17 * S) break;
  }
  return -(x / a) * (std::log(x) * S - T);
}

double standard_gamma_grad_one(double a, double x) {
  if (std::isnan(a) || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x <= std::numeric_limits<double>::min()) return 0;  // a clamped sample: x = 0 to first order
  if (std::isinf(x)) return std::numeric_limits<double>::infinity();
  return x < a ? lower_series_grad(a, x) : upper_tail_grad(a, x);
}

template <class T>
void check_concentration(const Tensor& alpha, const char* op) {
  const T* p = alpha.data_ptr<T>();
  for (int64_t i = 0; i < alpha.numel(); ++i)
    KILN_CHECK(p[i] >= 0 && std::isfinite(p[i]), op, ": expected all concentration values to be finite and >= 0, got ",
               p[i], " at flat index ", i);
}

}  // namespace

Tensor _standard_gamma(const Tensor& alpha, Generator* generator) {
  KILN_CHECK(is_floating_point(alpha.dtype()), "_standard_gamma: expected a floating-point concentration, got ",
             alpha.dtype());
  Tensor out = core::empty(alpha.sizes(), alpha.dtype());
  core::dispatch_floating(alpha.dtype(), "_standard_gamma", [&](auto tag) {
    using T = typename decltype(tag)::type;
    Tensor a = alpha.detach().contiguous();
    check_concentration<T>(a, "_standard_gamma");
    const T* ap = a.data_ptr<T>();
    random::StreamBlock block = random::claim(out.numel(), random::generator_or_default(generator));
    T* o = out.data_ptr<T>();
    // As torch: never 0 (a tiny alpha underflows), so log(x) stays finite.
    auto scalar = [&](int64_t i, bool after_first_proposal) {
      double x = standard_gamma_one(ap[i],
                                    random::ElementDraws(block, i, random::kGammaDomain,
                                                         after_first_proposal ? random::kGammaFirstProposal + 1 : 0),
                                    after_first_proposal);
      return std::max(static_cast<T>(x), std::numeric_limits<T>::min());
    };
    if constexpr (std::is_same_v<T, float>) {
      // Blocks of 16 elements (aligned to the tensor's start, so that an
      // element's value does not depend on the thread split).
      const int64_t n = out.numel(), lanes = random::kGammaBlockLanes;
      kernels::parallel_for((n + lanes - 1) / lanes, random::kRandomGrainSize / lanes, [&](int64_t begin, int64_t end) {
        float alpha[random::kGammaBlockLanes], value[random::kGammaBlockLanes];
        bool accepted[random::kGammaBlockLanes];
        for (int64_t b = begin; b < end; ++b) {
          const int64_t first = b * lanes, count = std::min(lanes, n - first);
          for (int64_t k = 0; k < lanes; ++k) alpha[k] = k < count ? ap[first + k] : 1.0f;
          random::gamma_block_float(block.seed, block.offset + first, alpha, value, accepted);
          for (int64_t k = 0; k < count; ++k) {
            if (accepted[k]) o[first + k] = std::max(value[k], std::numeric_limits<float>::min());
            else o[first + k] = scalar(first + k, ap[first + k] >= 1);
          }
        }
      });
    } else {
      random::fill_each(o, out.numel(), [&](int64_t i) { return scalar(i, false); });
    }
  });
  // Implicit reparameterisation: d sample / d alpha at the sample's quantile.
  return autograd::differentiable(
      std::move(out), {"StandardGammaBackward0", {alpha}, {alpha}, true},
      [](const autograd::BackwardArgs& a) -> autograd::Grads {
        return {a.grad() * _standard_gamma_grad(a.saved[0], a.results[0])};
      },
      [](const autograd::ForwardArgs& f) { return f.tangent() * _standard_gamma_grad(f.primal(), f.result); });
}

Tensor _standard_gamma_grad(const Tensor& alpha, const Tensor& sample) {
  Shape shape = core::broadcast_shape(alpha.sizes(), sample.sizes(), "_standard_gamma_grad");
  ScalarType dtype = core::result_type({&alpha, &sample});
  KILN_CHECK(is_floating_point(dtype), "_standard_gamma_grad: expected floating-point tensors, got ", alpha.dtype(),
             " and ", sample.dtype());
  Tensor out = core::empty(shape, dtype);
  core::dispatch_floating(dtype, "_standard_gamma_grad", [&](auto tag) {
    using T = typename decltype(tag)::type;
    NoGradGuard no_grad;
    Tensor a = alpha.detach().to(dtype).expand(shape).contiguous(), x = sample.detach().to(dtype).expand(shape).contiguous();
    const T* ap = a.data_ptr<T>();
    const T* xp = x.data_ptr<T>();
    T* o = out.data_ptr<T>();
    kernels::parallel_for(out.numel(), 256, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) o[i] = static_cast<T>(standard_gamma_grad_one(ap[i], xp[i]));
    });
  });
  return out;
}

// Normalised standard gammas; differentiable through _standard_gamma's
// implicit gradient and the normalisation.
Tensor _sample_dirichlet(const Tensor& alpha, Generator* generator) {
  KILN_CHECK(alpha.dim() >= 1, "_sample_dirichlet: expected a concentration with at least one dim, got shape ",
             alpha.sizes());
  Tensor g = _standard_gamma(alpha, generator);
  return g / g.sum({-1}, true);
}

}  // namespace kiln
