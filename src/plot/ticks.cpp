// Tick placement and the view limits it is computed over.
#include "ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kiln::plot {
namespace {

// matplotlib switches to scaled labels outside 1e-5 <= |v| < 1e6.
constexpr int kSciLow = -5, kSciHigh = 6;

// Near-singular ranges are widened as matplotlib's nonsingular() does.
Range nonsingular(Range r) {
  double span = r.hi - r.lo;
  double scale = std::max(std::fabs(r.lo), std::fabs(r.hi));
  if (span > scale * 1e-12 && span > 1e-300) return r;
  if (scale == 0) return {-0.05, 0.05};
  return {r.lo - 0.05 * std::fabs(r.lo), r.hi + 0.05 * std::fabs(r.hi)};
}

struct Extent {
  double lo = INFINITY, hi = -INFINITY;
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

Range with_margins(const Extent& e) {
  if (e.empty()) return {0, 1};
  double pad = 0.05 * (e.hi - e.lo);
  if (!std::isfinite(pad)) pad = 0;  // a span of nearly the whole double range
  return nonsingular({e.lo - pad, e.hi + pad});
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos) return decimals > 0 ? "0." + std::string(decimals, '0') : "0";
  if (s[0] == '-') s.replace(0, 1, "\u2212");  // matplotlib's typographic minus
  return s;
}

}  // namespace

std::pair<Range, Range> view_limits(const internal::AxesState& a) {
  Extent x, y;
  for (const Artist& art : a.artists) {
    switch (art.kind) {
      case ArtistKind::Line:
      case ArtistKind::Scatter:
        for (size_t i = 0; i < art.x.size(); ++i)
          if (std::isfinite(art.x[i]) && std::isfinite(art.y[i])) {
            x.add(art.x[i]);
            y.add(art.y[i]);
          }
        break;
      case ArtistKind::Fill:
        for (size_t i = 0; i < art.x.size(); ++i)
          if (std::isfinite(art.x[i]) && std::isfinite(art.y[i]) && std::isfinite(art.lo[i])) {
            x.add(art.x[i]);
            y.add(art.y[i]);
            y.add(art.lo[i]);
          }
        break;
      case ArtistKind::Bar:
        for (size_t i = 0; i < art.x.size(); ++i) {
          x.add(art.x[i]);
          x.add(art.right[i]);
          y.add(art.y[i]);
          y.add(art.lo[i]);
        }
        break;
      case ArtistKind::HLine: y.add(art.y[0]); break;
      case ArtistKind::VLine: x.add(art.x[0]); break;
    }
  }
  Range rx = a.xlim ? Range{a.xlim->first, a.xlim->second} : with_margins(x);
  Range ry = a.ylim ? Range{a.ylim->first, a.ylim->second} : with_margins(y);
  return {rx, ry};
}

Ticks nice_ticks(Range r, int max_bins) {
  double lo = std::min(r.lo, r.hi), hi = std::max(r.lo, r.hi);
  max_bins = std::max(max_bins, 1);
  Ticks t;
  double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span)) return t;
  // The smallest 1-2-5 step that puts at most max_bins + 1 ticks inside the range.
  double step = 0, first = 0, last = -1;
  for (int e = static_cast<int>(std::floor(std::log10(span / (max_bins + 1)))) - 1; step == 0; ++e) {
    for (double m : {1.0, 2.0, 5.0}) {
      double s = m * std::pow(10.0, e);
      double f = std::ceil(lo / s - 1e-9), l = std::floor(hi / s + 1e-9);
      if (l - f + 1 <= max_bins + 1) {
        step = s;
        first = f;
        last = l;
        break;
      }
    }
  }
  for (double k = first; k <= last; ++k) t.values.push_back(k * step == 0 ? 0.0 : k * step);
  // Labels: as many decimals as the step needs, scaled by 10^e for huge or tiny values.
  double biggest = std::max(std::fabs(lo), std::fabs(hi));
  int oom = static_cast<int>(std::floor(std::log10(biggest)));
  double scale = 1;
  if (oom >= kSciHigh || oom <= kSciLow) {
    scale = std::pow(10.0, oom);
    t.multiplier = "1e" + std::string(oom < 0 ? "\u2212" : "") + std::to_string(std::abs(oom));
  }
  int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step / scale) + 1e-9)));
  for (double v : t.values) t.labels.push_back(fixed(v / scale, decimals));
  return t;
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace kiln::plot
