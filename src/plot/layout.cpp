// Layout: ticks depend on the axes' size and the axes' size on the tick
// labels, so two passes settle it. Axes in a column share their left and
// right margins, axes in a row their top and bottom ones, so grids line up.
#include "layout.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <tuple>

#include "text.h"

namespace kiln::plot {
namespace {

// Legend metrics in points (matplotlib's, in units of the 10 pt font).
constexpr double kBorderPad = 4, kLabelSpacing = 5, kHandleLength = 20, kHandleTextPad = 8, kBorderAxesPad = 5;
constexpr double kOuterPad = 8, kCellGap = 14, kMinAxes = 8;
// matplotlib's "best" tries the locations in this order and keeps the first least-covered one.
constexpr const char* kBestOrder[] = {"upper right", "upper left",   "lower left",   "lower right", "right",
                                      "center left", "center right", "lower center", "upper center", "center"};

struct Margins {
  double left = 0, right = 0, top = 0, bottom = 0;
};

using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

Ticks x_ticks(cairo_t* cr, Range r, double length) {
  int bins = std::clamp(static_cast<int>(length / (kFontSize * 3)), 1, 9);
  while (true) {
    Ticks t = nice_ticks(r, bins);
    double total = 0;
    for (const auto& l : t.labels) total += text_width(cr, l, kFontSize) + 6;
    if (total <= length || bins == 1) return t;
    --bins;
  }
}

Ticks y_ticks(Range r, double length) {
  return nice_ticks(r, std::clamp(static_cast<int>(length / (kFontSize * 2)), 1, 9));
}

Margins decorations(cairo_t* cr, const internal::AxesState& a, const AxesLayout& l) {
  double lh = line_height(cr, kFontSize);
  Margins m;
  double ytick_w = 0;
  for (const auto& s : l.yticks.labels) ytick_w = std::max(ytick_w, text_width(cr, s, kFontSize));
  m.left = kTickLength + kTickPad + ytick_w + (a.ylabel.empty() ? 0 : kLabelPad + lh);
  m.bottom = kTickLength + kTickPad + lh;
  if (!a.xlabel.empty() || !l.xticks.multiplier.empty()) m.bottom += kLabelPad + lh;
  if (!a.title.empty()) m.top = kTitlePad + line_height(cr, kTitleSize);
  if (!l.yticks.multiplier.empty()) m.top = std::max(m.top, lh + 2);
  // The end x tick labels are centred on the box edges and overhang them.
  double overhang = 4;
  if (!l.xticks.labels.empty()) {
    overhang = std::max(overhang, text_width(cr, l.xticks.labels.back(), kFontSize) / 2);
    m.left = std::max(m.left, text_width(cr, l.xticks.labels.front(), kFontSize) / 2);
  }
  m.right = overhang;
  return m;
}

Box legend_box(const std::string& loc, const Box& axes, double w, double h) {
  double left = axes.x + kBorderAxesPad, right = axes.x + axes.w - kBorderAxesPad - w;
  double top = axes.y + kBorderAxesPad, bottom = axes.y + axes.h - kBorderAxesPad - h;
  double cx = axes.x + (axes.w - w) / 2, cy = axes.y + (axes.h - h) / 2;
  if (loc == "upper right") return {right, top, w, h};
  if (loc == "upper left") return {left, top, w, h};
  if (loc == "lower left") return {left, bottom, w, h};
  if (loc == "lower right") return {right, bottom, w, h};
  if (loc == "right" || loc == "center right") return {right, cy, w, h};
  if (loc == "center left") return {left, cy, w, h};
  if (loc == "lower center") return {cx, bottom, w, h};
  if (loc == "upper center") return {cx, top, w, h};
  return {cx, cy, w, h};
}

// How much of the data a legend at `box` would hide: vertices inside plus segments crossing.
double badness(const Box& box, const AxesLayout& l, const internal::AxesState& a) {
  double bad = 0;
  auto crosses = [&](double x0, double y0, double x1, double y1) { return clip_segment(box, x0, y0, x1, y1); };
  for (const Artist& art : a.artists) {
    switch (art.kind) {
      case ArtistKind::Line:
      case ArtistKind::Scatter:
      case ArtistKind::Fill:
      case ArtistKind::Bar:
        for (size_t i = 0; i < art.x.size(); ++i) {
          double x = l.px(art.x[i]), y = l.py(art.y[i]);
          if (!std::isfinite(x) || !std::isfinite(y)) continue;
          bad += box.contains(x, y);
          if (art.kind != ArtistKind::Scatter && art.kind != ArtistKind::Line && std::isfinite(art.lo[i])) bad += box.contains(x, l.py(art.lo[i]));
          if (art.kind == ArtistKind::Line && i + 1 < art.x.size()) {
            double x1 = l.px(art.x[i + 1]), y1 = l.py(art.y[i + 1]);
            if (std::isfinite(x1) && std::isfinite(y1)) bad += crosses(x, y, x1, y1);
          }
        }
        break;
      case ArtistKind::HLine: {
        double y = l.py(art.y[0]);
        bad += crosses(l.box.x, y, l.box.x + l.box.w, y);
        break;
      }
      case ArtistKind::VLine: {
        double x = l.px(art.x[0]);
        bad += crosses(x, l.box.y, x, l.box.y + l.box.h);
        break;
      }
    }
  }
  return bad;
}

LegendLayout place_legend(cairo_t* cr, const internal::AxesState& a, const AxesLayout& l) {
  LegendLayout g;
  if (!a.legend_loc) return g;
  for (const Artist& art : a.artists)
    if (art.in_legend()) g.entries.push_back(&art);
  if (g.entries.empty()) return g;  // as matplotlib: nothing labelled, no legend
  g.shown = true;
  double label_w = 0;
  for (const Artist* e : g.entries) label_w = std::max(label_w, text_width(cr, e->label, kFontSize));
  double n = static_cast<double>(g.entries.size());
  double w = 2 * kBorderPad + kHandleLength + kHandleTextPad + label_w;
  double h = 2 * kBorderPad + n * line_height(cr, kFontSize) + (n - 1) * kLabelSpacing;
  g.loc = *a.legend_loc;
  if (g.loc == "best") {
    double least = INFINITY;
    for (const char* loc : kBestOrder) {
      double b = badness(legend_box(loc, l.box, w, h), l, a);
      if (b < least) {
        least = b;
        g.loc = loc;
      }
    }
  }
  g.box = legend_box(g.loc, l.box, w, h);
  return g;
}

}  // namespace

bool clip_segment(const Box& box, double& x0, double& y0, double& x1, double& y1) {
  double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - box.x, box.x + box.w - x0, y0 - box.y, box.y + box.h - y0};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
      continue;
    }
    double t = q[i] / p[i];
    if (p[i] < 0) t0 = std::max(t0, t);
    else t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  double sx = x0, sy = y0;
  x0 = sx + t0 * dx;
  y0 = sy + t0 * dy;
  x1 = sx + t1 * dx;
  y1 = sy + t1 * dy;
  return true;
}

FigureLayout compute_layout(const FigureSpec& spec) {
  Context ctx(measuring_context(), &cairo_destroy);
  cairo_t* cr = ctx.get();
  FigureLayout f;
  f.width = spec.size.width * kPointsPerInch;
  f.height = spec.size.height * kPointsPerInch;
  size_t n = spec.axes.size();
  f.axes.resize(n);
  double aw = f.width * 0.75 / spec.cols, ah = f.height * 0.7 / spec.rows;  // first guess
  double top_extra = spec.suptitle.empty() ? 0 : line_height(cr, kTitleSize) + kTitlePad;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<Margins> m(n);
    std::vector<double> col_left(spec.cols), col_right(spec.cols), row_top(spec.rows), row_bottom(spec.rows);
    for (size_t i = 0; i < n; ++i) {
      AxesLayout& l = f.axes[i];
      std::tie(l.x, l.y) = view_limits(*spec.axes[i]);
      l.xticks = x_ticks(cr, l.x, aw);
      l.yticks = y_ticks(l.y, ah);
      m[i] = decorations(cr, *spec.axes[i], l);
      int r = static_cast<int>(i) / spec.cols, c = static_cast<int>(i) % spec.cols;
      col_left[c] = std::max(col_left[c], m[i].left);
      col_right[c] = std::max(col_right[c], m[i].right);
      row_top[r] = std::max(row_top[r], m[i].top);
      row_bottom[r] = std::max(row_bottom[r], m[i].bottom);
    }
    double used_w = 2 * kOuterPad + (spec.cols - 1) * kCellGap, used_h = 2 * kOuterPad + top_extra + (spec.rows - 1) * kCellGap;
    for (int c = 0; c < spec.cols; ++c) used_w += col_left[c] + col_right[c];
    for (int r = 0; r < spec.rows; ++r) used_h += row_top[r] + row_bottom[r];
    aw = std::max(kMinAxes, (f.width - used_w) / spec.cols);
    ah = std::max(kMinAxes, (f.height - used_h) / spec.rows);
    for (size_t i = 0; i < n; ++i) {
      int r = static_cast<int>(i) / spec.cols, c = static_cast<int>(i) % spec.cols;
      double x = kOuterPad, y = kOuterPad + top_extra;
      for (int k = 0; k < c; ++k) x += col_left[k] + aw + col_right[k] + kCellGap;
      for (int k = 0; k < r; ++k) y += row_top[k] + ah + row_bottom[k] + kCellGap;
      f.axes[i].box = {x + col_left[c], y + row_top[r], aw, ah};
    }
  }
  for (size_t i = 0; i < n; ++i) f.axes[i].legend = place_legend(cr, *spec.axes[i], f.axes[i]);
  return f;
}

}  // namespace kiln::plot
