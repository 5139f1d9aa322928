// Bars and histograms: rectangles from a baseline, one colour per call.
#include <algorithm>
#include <cmath>

#include "kiln/functions.h"
#include "model.h"

namespace kiln::plot {

Histogram histogram(const Values& x, int bins, double range_lo, double range_hi, bool density) {
  const char* op = "hist";
  const std::vector<double>& v = x.get(op);
  KILN_CHECK(bins >= 1 && bins <= 100000, op, ": bins must be in [1, 100000], got ", bins);
  double lo = range_lo, hi = range_hi;
  if (lo == hi) {  // the data's range
    lo = INFINITY, hi = -INFINITY;
    for (double e : v)
      if (std::isfinite(e)) lo = std::min(lo, e), hi = std::max(hi, e);
    KILN_CHECK(lo <= hi, op, ": no finite values to bin (", v.size(), " given)");
    if (lo == hi) lo -= 0.5, hi += 0.5;  // numpy's rule for one distinct value
  }
  KILN_CHECK(std::isfinite(lo) && std::isfinite(hi) && lo < hi, op, ": range must be finite with lo < hi, got [", lo,
             ", ", hi, "]");
  Histogram h;
  h.counts.assign(static_cast<size_t>(bins), 0.0);
  for (int i = 0; i <= bins; ++i) h.edges.push_back(lo + (hi - lo) * i / bins);
  double total = 0;
  for (double e : v) {
    if (!(e >= lo && e <= hi)) continue;
    auto k = static_cast<size_t>((e - lo) / (hi - lo) * bins);
    h.counts[std::min(k, static_cast<size_t>(bins - 1))] += 1;
    total += 1;
  }
  if (density && total > 0)
    for (int i = 0; i < bins; ++i) h.counts[i] /= total * (h.edges[i + 1] - h.edges[i]);
  return h;
}

namespace {

Artist bar_artist(const std::vector<double>& left, const std::vector<double>& right, const std::vector<double>& height,
                  double bottom, const char* op) {
  Artist a;
  a.kind = ArtistKind::Bar;
  a.x = left;
  a.right = right;
  for (double h : height) {
    KILN_CHECK(std::isfinite(h), op, ": heights must be finite, got ", h);
    a.y.push_back(bottom + h);
    a.lo.push_back(bottom);
  }
  return a;
}

}  // namespace

Axes& Axes::bar(const Values& x, const Values& height, const BarOptions& o) {
  const char* op = "bar";
  const std::vector<double>& xs = x.get(op);
  const std::vector<double>& hs = height.get(op);
  KILN_CHECK(xs.size() == hs.size(), op, ": x and height must have the same length, got ", xs.size(), " and ",
             hs.size());
  KILN_CHECK(!xs.empty(), op, ": no bars given");
  KILN_CHECK(std::isfinite(o.width) && o.width > 0, op, ": width must be positive, got ", o.width);
  KILN_CHECK(o.align == "center" || o.align == "edge", op, ": align must be 'center' or 'edge', got '", o.align, "'");
  KILN_CHECK(std::isfinite(o.bottom), op, ": bottom must be finite, got ", o.bottom);
  KILN_CHECK(o.alpha >= 0 && o.alpha <= 1, op, ": alpha must be in [0, 1], got ", o.alpha);
  double shift = o.align == "center" ? o.width / 2 : 0;
  std::vector<double> left, right;
  for (double c : xs) {
    KILN_CHECK(std::isfinite(c), op, ": x must be finite, got ", c);
    left.push_back(c - shift);
    right.push_back(c - shift + o.width);
  }
  Artist a = bar_artist(left, right, hs, o.bottom, op);
  a.label = o.label;
  Rgba c = o.color.empty() ? cycle_color(state_->patch_cycle++) : parse_color(o.color, op);
  c.a *= o.alpha;
  a.color = c;
  state_->artists.push_back(std::move(a));
  return *this;
}

Axes& Axes::hist(const Values& x, const HistOptions& o) {
  const char* op = "hist";
  KILN_CHECK(o.alpha >= 0 && o.alpha <= 1, op, ": alpha must be in [0, 1], got ", o.alpha);
  Histogram h = histogram(x, o.bins, o.range_lo, o.range_hi, o.density);
  std::vector<double> left(h.edges.begin(), h.edges.end() - 1), right(h.edges.begin() + 1, h.edges.end());
  Artist a = bar_artist(left, right, h.counts, 0.0, op);
  a.label = o.label;
  Rgba c = o.color.empty() ? cycle_color(state_->patch_cycle++) : parse_color(o.color, op);
  c.a *= o.alpha;
  a.color = c;
  state_->artists.push_back(std::move(a));
  return *this;
}

Figure& Figure::bar(const Values& x, const Values& height, const BarOptions& o) { return axes(0).bar(x, height, o), *this; }
Figure& Figure::hist(const Values& x, const HistOptions& o) { return axes(0).hist(x, o), *this; }

}  // namespace kiln::plot
