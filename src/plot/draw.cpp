// Painting a laid-out figure onto any cairo context (SVG, PNG and PDF all
// come through here), in matplotlib's order: background, grid, artists by
// zorder (patches under lines), spines, ticks, labels, legend.
#include "draw.h"

#include <algorithm>
#include <cmath>

#include "text.h"

namespace kiln::plot {
namespace {

// Coordinates further than this outside the axes are clipped geometrically
// before they reach cairo, whose fixed-point coordinates overflow near 2^23.
constexpr double kFar = 2000;

void set_color(cairo_t* cr, const Rgba& c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

// matplotlib's dash patterns, in units of the line width.
void set_line_style(cairo_t* cr, const std::string& style, double width) {
  cairo_set_line_width(cr, width);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  std::vector<double> dashes;
  if (style == "--" || style == "dashed") dashes = {3.7, 1.6};
  else if (style == ":" || style == "dotted") dashes = {1, 1.65};
  else if (style == "-." || style == "dashdot") dashes = {6.4, 1.6, 1, 1.6};
  for (double& d : dashes) d *= std::max(width, 0.1);
  cairo_set_dash(cr, dashes.data(), static_cast<int>(dashes.size()), 0);
  cairo_set_line_cap(cr, dashes.empty() ? CAIRO_LINE_CAP_SQUARE : CAIRO_LINE_CAP_BUTT);
}

bool draws_line(const std::string& style) { return style != "none" && !style.empty(); }

Box far_box(const Box& b) { return {b.x - kFar, b.y - kFar, b.w + 2 * kFar, b.h + 2 * kFar}; }

// A polyline that breaks at non-finite points and is clipped to the far box.
void polyline_path(cairo_t* cr, const AxesLayout& l, const std::vector<double>& xs, const std::vector<double>& ys) {
  Box far = far_box(l.box);
  bool pen_down = false;
  for (size_t i = 0; i + 1 < xs.size(); ++i) {
    double x0 = l.px(xs[i]), y0 = l.py(ys[i]), x1 = l.px(xs[i + 1]), y1 = l.py(ys[i + 1]);
    if (!(std::isfinite(x0) && std::isfinite(y0) && std::isfinite(x1) && std::isfinite(y1))) {
      pen_down = false;
      continue;
    }
    double cx0 = x0, cy0 = y0, cx1 = x1, cy1 = y1;
    if (!clip_segment(far, cx0, cy0, cx1, cy1)) {
      pen_down = false;
      continue;
    }
    if (!pen_down || cx0 != x0 || cy0 != y0) cairo_move_to(cr, cx0, cy0);
    cairo_line_to(cr, cx1, cy1);
    pen_down = cx1 == x1 && cy1 == y1;
  }
}

void marker_path(cairo_t* cr, const std::string& marker, double x, double y, double size) {
  double r = size / 2;
  if (marker == "o" || marker == ".") {
    if (marker == ".") r *= 0.5;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
  } else if (marker == "s") {
    cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
  } else if (marker == "^") {
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r, y + r);
    cairo_line_to(cr, x - r, y + r);
    cairo_close_path(cr);
  } else if (marker == "x") {
    cairo_move_to(cr, x - r, y - r);
    cairo_line_to(cr, x + r, y + r);
    cairo_move_to(cr, x - r, y + r);
    cairo_line_to(cr, x + r, y - r);
  } else if (marker == "+") {
    cairo_move_to(cr, x - r, y);
    cairo_line_to(cr, x + r, y);
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x, y + r);
  }
}

// Filled markers are filled; "x" and "+" are stroked.
void paint_marker_path(cairo_t* cr, const std::string& marker, const Rgba& color) {
  set_color(cr, color);
  if (marker == "x" || marker == "+") {
    set_line_style(cr, "-", 1.0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_stroke(cr);
  } else {
    cairo_fill(cr);
  }
}

void draw_markers(cairo_t* cr, const AxesLayout& l, const Artist& a) {
  Box far = far_box(l.box);
  for (size_t i = 0; i < a.x.size(); ++i) {
    double x = l.px(a.x[i]), y = l.py(a.y[i]);
    if (std::isfinite(x) && std::isfinite(y) && far.contains(x, y)) marker_path(cr, a.marker, x, y, a.markersize);
  }
  paint_marker_path(cr, a.marker, a.color);
}

// One polygon per run of finite points: along hi, then back along lo.
void draw_fill(cairo_t* cr, const AxesLayout& l, const Artist& a) {
  auto clamp = [](double v, double lo, double hi) { return std::clamp(v, lo, hi); };
  Box far = far_box(l.box);
  size_t i = 0, n = a.x.size();
  auto finite = [&](size_t k) { return std::isfinite(a.x[k]) && std::isfinite(a.y[k]) && std::isfinite(a.lo[k]); };
  while (i < n) {
    while (i < n && !finite(i)) ++i;
    size_t start = i;
    while (i < n && finite(i)) ++i;
    if (i - start < 2) continue;
    cairo_new_sub_path(cr);
    for (size_t k = start; k < i; ++k)
      cairo_line_to(cr, clamp(l.px(a.x[k]), far.x, far.x + far.w), clamp(l.py(a.y[k]), far.y, far.y + far.h));
    for (size_t k = i; k-- > start;)
      cairo_line_to(cr, clamp(l.px(a.x[k]), far.x, far.x + far.w), clamp(l.py(a.lo[k]), far.y, far.y + far.h));
    cairo_close_path(cr);
  }
  set_color(cr, a.color);
  cairo_fill(cr);
}

// One rectangle per bar, clipped to the far box like the other patches.
void draw_bars(cairo_t* cr, const AxesLayout& l, const Artist& a) {
  Box far = far_box(l.box);
  auto cx = [&](double v) { return std::clamp(l.px(v), far.x, far.x + far.w); };
  auto cy = [&](double v) { return std::clamp(l.py(v), far.y, far.y + far.h); };
  for (size_t i = 0; i < a.x.size(); ++i) {
    double x0 = cx(a.x[i]), x1 = cx(a.right[i]), y0 = cy(a.lo[i]), y1 = cy(a.y[i]);
    cairo_rectangle(cr, std::min(x0, x1), std::min(y0, y1), std::abs(x1 - x0), std::abs(y1 - y0));
  }
  set_color(cr, a.color);
  cairo_fill(cr);
}

void draw_artist(cairo_t* cr, const AxesLayout& l, const Artist& a) {
  switch (a.kind) {
    case ArtistKind::Line:
      if (draws_line(a.linestyle)) {
        polyline_path(cr, l, a.x, a.y);
        set_color(cr, a.color);
        set_line_style(cr, a.linestyle, a.linewidth);
        cairo_stroke(cr);
      }
      if (!a.marker.empty()) draw_markers(cr, l, a);
      break;
    case ArtistKind::Scatter: draw_markers(cr, l, a); break;
    case ArtistKind::Fill: draw_fill(cr, l, a); break;
    case ArtistKind::Bar: draw_bars(cr, l, a); break;
    case ArtistKind::HLine:
    case ArtistKind::VLine: {
      if (!draws_line(a.linestyle)) break;
      bool h = a.kind == ArtistKind::HLine;
      double p = h ? l.py(a.y[0]) : l.px(a.x[0]);
      if (h) {
        cairo_move_to(cr, l.box.x, p);
        cairo_line_to(cr, l.box.x + l.box.w, p);
      } else {
        cairo_move_to(cr, p, l.box.y);
        cairo_line_to(cr, p, l.box.y + l.box.h);
      }
      set_color(cr, a.color);
      set_line_style(cr, a.linestyle, a.linewidth);
      cairo_stroke(cr);
      break;
    }
  }
}

void draw_legend_handle(cairo_t* cr, const Artist& a, double x, double y, double lh) {
  double x1 = x + 20;
  switch (a.kind) {
    case ArtistKind::Fill:
    case ArtistKind::Bar:
      cairo_rectangle(cr, x, y - lh * 0.35, 20, lh * 0.7);
      set_color(cr, a.color);
      cairo_fill(cr);
      break;
    case ArtistKind::Scatter:
      marker_path(cr, a.marker, (x + x1) / 2, y, a.markersize);
      paint_marker_path(cr, a.marker, a.color);
      break;
    default:
      if (draws_line(a.linestyle)) {
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x1, y);
        set_color(cr, a.color);
        set_line_style(cr, a.linestyle, a.linewidth);
        cairo_stroke(cr);
      }
      if (!a.marker.empty()) {
        marker_path(cr, a.marker, (x + x1) / 2, y, a.markersize);
        paint_marker_path(cr, a.marker, a.color);
      }
  }
}

void draw_legend(cairo_t* cr, const LegendLayout& g) {
  const Box& b = g.box;
  double r = 2;  // rounded corners, as matplotlib's fancybox
  cairo_new_sub_path(cr);
  cairo_arc(cr, b.x + b.w - r, b.y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, b.x + b.w - r, b.y + b.h - r, r, 0, M_PI / 2);
  cairo_arc(cr, b.x + r, b.y + b.h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, b.x + r, b.y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
  set_line_style(cr, "-", 0.8);
  cairo_stroke(cr);
  double lh = line_height(cr, kFontSize);
  double y = b.y + 4;
  for (const Artist* e : g.entries) {
    double mid = y + lh / 2;
    draw_legend_handle(cr, *e, b.x + 4, mid, lh);
    cairo_set_source_rgb(cr, 0, 0, 0);
    draw_text(cr, e->label, b.x + 4 + 20 + 8, mid, kFontSize, HAlign::Left, VAlign::Center);
    y += lh + 5;
  }
}

void draw_axes(cairo_t* cr, const internal::AxesState& a, const AxesLayout& l) {
  const Box& b = l.box;
  cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill(cr);
  cairo_save(cr);
  cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  cairo_clip(cr);
  if (a.grid) {
    for (double v : l.xticks.values) {
      cairo_move_to(cr, l.px(v), b.y);
      cairo_line_to(cr, l.px(v), b.y + b.h);
    }
    for (double v : l.yticks.values) {
      cairo_move_to(cr, b.x, l.py(v));
      cairo_line_to(cr, b.x + b.w, l.py(v));
    }
    cairo_set_source_rgb(cr, 0xb0 / 255.0, 0xb0 / 255.0, 0xb0 / 255.0);
    set_line_style(cr, "-", 0.8);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_stroke(cr);
  }
  std::vector<const Artist*> order;
  for (const Artist& art : a.artists) order.push_back(&art);
  std::stable_sort(order.begin(), order.end(), [](const Artist* p, const Artist* q) { return p->zorder() < q->zorder(); });
  for (const Artist* art : order) draw_artist(cr, l, *art);
  cairo_restore(cr);

  // Spines, then outward ticks with their labels.
  cairo_set_source_rgb(cr, 0, 0, 0);
  set_line_style(cr, "-", kSpineWidth);
  cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  cairo_stroke(cr);
  for (double v : l.xticks.values) {
    cairo_move_to(cr, l.px(v), b.y + b.h);
    cairo_line_to(cr, l.px(v), b.y + b.h + kTickLength);
  }
  for (double v : l.yticks.values) {
    cairo_move_to(cr, b.x, l.py(v));
    cairo_line_to(cr, b.x - kTickLength, l.py(v));
  }
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  cairo_stroke(cr);
  double label_top = b.y + b.h + kTickLength + kTickPad;
  for (size_t i = 0; i < l.xticks.values.size(); ++i)
    draw_text(cr, l.xticks.labels[i], l.px(l.xticks.values[i]), label_top, kFontSize, HAlign::Center, VAlign::Top);
  double ytick_w = 0;
  for (size_t i = 0; i < l.yticks.values.size(); ++i) {
    ytick_w = std::max(ytick_w, text_width(cr, l.yticks.labels[i], kFontSize));
    draw_text(cr, l.yticks.labels[i], b.x - kTickLength - kTickPad, l.py(l.yticks.values[i]), kFontSize,
              HAlign::Right, VAlign::Center);
  }
  double lh = line_height(cr, kFontSize);
  double xlabel_top = label_top + lh + kLabelPad;
  draw_text(cr, a.xlabel, b.x + b.w / 2, xlabel_top, kFontSize, HAlign::Center, VAlign::Top);
  draw_text(cr, l.xticks.multiplier, b.x + b.w, xlabel_top, kFontSize, HAlign::Right, VAlign::Top);
  draw_text(cr, l.yticks.multiplier, b.x, b.y - 2, kFontSize, HAlign::Left, VAlign::Bottom);
  draw_text(cr, a.ylabel, b.x - kTickLength - kTickPad - ytick_w - kLabelPad, b.y + b.h / 2, kFontSize,
            HAlign::Center, VAlign::Bottom, M_PI / 2);
  draw_text(cr, a.title, b.x + b.w / 2, b.y - kTitlePad, kTitleSize, HAlign::Center, VAlign::Bottom);
  if (l.legend.shown) draw_legend(cr, l.legend);
}

}  // namespace

void draw(cairo_t* cr, const FigureSpec& spec, const FigureLayout& layout) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  for (size_t i = 0; i < spec.axes.size(); ++i) draw_axes(cr, *spec.axes[i], layout.axes[i]);
  cairo_set_source_rgb(cr, 0, 0, 0);
  draw_text(cr, spec.suptitle, layout.width / 2, 8, kTitleSize, HAlign::Center, VAlign::Top);
}

}  // namespace kiln::plot
