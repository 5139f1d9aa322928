// Scalar special functions (the kernels of kiln::special and of digamma,
// polygamma and erfinv), computed in double for both float and double:
//   digamma    a Taylor series about its positive root on [0.86, 2.06] (its
//              coefficients are Hurwitz zeta values, and the result keeps its
//              relative accuracy where it goes through zero), reached by
//              recurrences from below 6; from 6 up, recurrence to 10 and the
//              asymptotic series; reflection for x < 0;
//   polygamma  (-1)^(n+1) n! zeta(n+1, x), Hurwitz zeta by direct sums up to
//              10 and Euler-Maclaurin beyond;
//   ndtri      Acklam's rational first guess refined by Halley steps on the
//              normal tail (erfc), so tiny probabilities keep full accuracy;
//   erfinv     a Taylor first guess and Halley steps on erf in the centre,
//              ndtri of the tail mass beyond;
//   erfcx      exp(x^2) erfc(x) with x^2 split exactly (fma), the asymptotic
//              series where erfc underflows.
#pragma once
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace kiln::kernels::special {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// zeta(s, a) = sum_k (a + k)^-s for integer s >= 2 and any a that is not 0
// or a negative integer (a pole: +inf).
inline double hurwitz_zeta(int s, double a) {
  if (a <= 0 && a == std::floor(a)) return kInf;
  // B_2j / (2j)!: the Euler-Maclaurin correction terms.
  static constexpr double kB[] = {1.0 / 6 / 2,
                                  -1.0 / 30 / 24,
                                  1.0 / 42 / 720,
                                  -1.0 / 30 / 40320,
                                  5.0 / 66 / 3628800,
                                  -691.0 / 2730 / 479001600,
                                  7.0 / 6 / 87178291200.0,
                                  -3617.0 / 510 / 20922789888000.0,
                                  43867.0 / 798 / 6402373705728000.0};
  // Far below zero the direct sum would take |a| steps; such arguments are
  // not worth a reflection formula for every order.
  if (a < -1e6) return kNaN;
  const double ds = s;
  double sum = 0;
  while (a < 10 + ds) {  // far enough out that the tail's series converges fast
    sum += std::pow(a, -ds);
    a += 1;
  }
  double tail = std::pow(a, 1 - ds) / (ds - 1) + 0.5 * std::pow(a, -ds);
  // term j: B_2j/(2j)! * s (s+1) ... (s+2j-2) * a^(-s-2j+1)
  double rising = ds, power = std::pow(a, -ds - 1), inv_a2 = 1 / (a * a);
  for (int j = 0; j < 9; ++j) {
    double term = kB[j] * rising * power;
    tail += term;
    if (std::fabs(term) < 1e-18 * std::fabs(tail)) break;
    rising *= (ds + 1 + 2 * j) * (ds + 2 + 2 * j);
    power *= inv_a2;
  }
  return sum + tail;
}

// The positive root of digamma, as a double plus its rounding error.
constexpr double kDigammaRootHi = 1.4616321449683622, kDigammaRootLo = 9.549995429965697e-17;

// psi(x) = sum_{n>=1} c_n (x - x0)^n about the root x0, c_n = (-1)^(n+1)
// zeta(n+1, x0). The pole at 0 bounds its radius to x0; used on
// [0.86, 2.06] (|x - x0| <= 0.6), where 48 terms reach 1e-17.
constexpr double kRootSeriesLo = 0.86, kRootSeriesHi = 2.06;
inline double digamma_root_series(double x) {
  static const std::array<double, 48> c = [] {
    std::array<double, 48> r{};
    for (int n = 1; n <= 48; ++n) r[n - 1] = (n % 2 ? 1 : -1) * hurwitz_zeta(n + 1, kDigammaRootHi);
    return r;
  }();
  double t = (x - kDigammaRootHi) - kDigammaRootLo, s = 0;
  for (int n = static_cast<int>(c.size()); n >= 1; --n) s = (s + c[n - 1]) * t;
  return s;
}

// pi cot(pi x), reduced to r = x - round(x) in [-1/2, 1/2] (exact) first.
inline double pi_cot_pi(double x) {
  double r = x - std::nearbyint(x), pi = std::numbers::pi;
  if (std::fabs(r) < 0.25) return pi / std::tan(pi * r);
  return std::copysign(pi * std::tan(pi * (0.5 - std::fabs(r))), r);  // 0.5 - |r| is exact here
}

inline double digamma(double x) {
  if (x == 0) return std::copysign(kInf, -x);  // as torch: -inf at +0, +inf at -0
  if (std::isnan(x)) return x;
  if (x < 0) {
    if (x == std::floor(x)) return kNaN;
    if (x == -kInf) return kNaN;
    return digamma(1 - x) - pi_cot_pi(x);  // reflection
  }
  if (x == kInf) return kInf;
  // Below 6, recurrences into the root series' interval, adding terms of
  // one sign (no cancellation); above, up to 10 and the asymptotic series.
  if (x < kRootSeriesLo) return digamma_root_series(x + 1) - 1 / x;
  if (x < 6) {
    double up = 0;
    while (x > kRootSeriesHi) {
      x -= 1;
      up += 1 / x;
    }
    return digamma_root_series(x) + up;
  }
  double shift = 0;
  while (x < 10) {
    shift += 1 / x;
    x += 1;
  }
  // log x - 1/(2x) - sum_k B_2k / (2k x^2k)
  double f = 1 / (x * x);
  double series =
      f * (1.0 / 12 -
           f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f * (1.0 / 12)))))));
  return (std::log(x) - 0.5 / x - series) - shift;
}

// The n-th derivative of digamma (n >= 0; checked upstream).
inline double polygamma(int n, double x) {
  if (n == 0) return digamma(x);
  if (std::isnan(x)) return x;
  if (x == kInf) return 0;
  if (x == -kInf) return kNaN;
  double factorial = std::tgamma(n + 1.0);
  return (n % 2 ? 1 : -1) * factorial * hurwitz_zeta(n + 1, x);
}

// Phi(x), the standard normal CDF.
inline double ndtr(double x) { return 0.5 * std::erfc(-x * std::numbers::sqrt2 / 2); }

// Phi^-1(p), the standard normal quantile.
inline double ndtri(double p) {
  if (std::isnan(p) || p < 0 || p > 1) return kNaN;
  if (p == 0) return -kInf;
  if (p == 1) return kInf;
  double q = p < 0.5 ? p : 1 - p;  // exact for p >= 0.5
  // Acklam's rational approximation of the lower half (relative error < 1.2e-9).
  double x;
  if (q < 0.02425) {
    double t = std::sqrt(-2 * std::log(q));
    x = (((((-7.784894002430293e-03 * t - 3.223964580411365e-01) * t - 2.400758277161838e+00) * t -
           2.549732539343734e+00) * t + 4.374664141464968e+00) * t + 2.938163982698783e+00) /
        ((((7.784695709041462e-03 * t + 3.224671290700398e-01) * t + 2.445134137142996e+00) * t +
          3.754408661907416e+00) * t + 1);
  } else {
    double u = q - 0.5, r = u * u;
    x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r +
           1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * u /
        (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r +
           6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
  }
  // Halley steps on Phi(x) = q; Phi of a negative x comes from erfc without cancellation.
  for (int step = 0; step < 2; ++step) {
    double e = ndtr(x) - q;
    double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(0.5 * x * x);
    x -= u / (1 + 0.5 * x * u);
  }
  return p < 0.5 ? x : -x;
}

inline double erfinv(double y) {
  if (std::isnan(y) || y < -1 || y > 1) return kNaN;
  if (y == 1) return kInf;
  if (y == -1) return -kInf;
  if (y == 0) return y;
  double a = std::fabs(y), x;
  const double d_scale = 2 * std::numbers::inv_sqrtpi;  // erf'(x) = d_scale exp(-x^2)
  if (a <= 0.5) {
    // erfinv's Taylor series to a^9 (~1e-4 at 0.5), then two cubically convergent Halley steps.
    const double pi = std::numbers::pi, a2 = a * a;
    x = std::sqrt(pi) / 2 *
        a * (1 + a2 * (pi / 12 + a2 * (7 * pi * pi / 480 + a2 * (127 * pi * pi * pi / 40320 +
                                                                  a2 * 4369 * pi * pi * pi * pi / 5806080))));
    for (int step = 0; step < 2; ++step) {
      double f = std::erf(x) - a;
      double r = f / (d_scale * std::exp(-x * x));
      x -= r / (1 + x * r);
    }
  } else {
    // The tail: erf(x) = a means Phi(-x sqrt 2) = (1 - a) / 2 (both exact), then a
    // Newton step on erfc(x) = 1 - a to remove the rounding of the division.
    double m = 1 - a;
    x = -ndtri(0.5 * m) / std::numbers::sqrt2;
    x -= (m - std::erfc(x)) / (d_scale * std::exp(-x * x));
  }
  return std::copysign(x, y);
}

inline double erfcx(double x) {
  if (std::isnan(x)) return x;
  if (x >= 26) {
    // erfc underflows: 1/(x sqrt pi) sum_k (-1)^k (2k-1)!! / (2x^2)^k, converging fast this far out.
    double inv = 1 / (2 * x * x), term = 1, sum = 1;
    for (int k = 1; k < 10; ++k) {
      term *= -(2 * k - 1) * inv;
      sum += term;
    }
    return sum * std::numbers::inv_sqrtpi / x;
  }
  // exp(x^2) with x^2 = hi + lo exactly: exp(hi) (1 + lo).
  double hi = x * x, lo = std::fma(x, x, -hi);
  double e = std::exp(hi) * (1 + lo);
  return e * std::erfc(x);  // (x < -26.6: inf, as exp(x^2) overflows)
}

// log Phi(x), accurate in both tails.
inline double log_ndtr(double x) {
  double t = x * std::numbers::sqrt2 / 2;
  if (x < -1) return std::log(erfcx(-t) / 2) - t * t;
  return std::log1p(-std::erfc(t) / 2);
}

// -x log x, 0 at 0, -inf below.
inline double entr(double x) {
  if (std::isnan(x)) return x;
  if (x > 0) return -x * std::log(x);
  if (x == 0) return 0;
  return -kInf;
}

}  // namespace kiln::kernels::special
