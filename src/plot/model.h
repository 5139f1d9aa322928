// What a figure holds before it is drawn: per axes, the artists in call order
// and the decorations. Axes methods fill this; layout and render read it.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiln/plot.h"

namespace kiln::plot {

struct Rgba {
  double r = 0, g = 0, b = 0, a = 1;
};

// "#1f77b4" (or "#rrggbbaa" when not opaque).
std::string hex(const Rgba& c);
// Parses a colour name or code; throws kiln::Error naming `op`.
Rgba parse_color(const std::string& spec, const char* op);
// matplotlib's default cycle, tab10: C0..C9.
Rgba cycle_color(int index);

enum class ArtistKind { Line, Scatter, Fill, HLine, VLine, Bar };

struct Artist {
  ArtistKind kind = ArtistKind::Line;
  std::string label;
  std::vector<double> x, y, lo;  // Fill: y is hi; HLine/VLine: value in y/x[0]; Bar: x left, y top, lo bottom
  std::vector<double> right;     // Bar: right edges
  Rgba color;
  std::string linestyle = "-";
  double linewidth = 1.5;
  std::string marker;
  double markersize = 0;  // diameter in points
  // matplotlib draws patches and collections (1) under lines (2).
  int zorder() const { return kind == ArtistKind::Line || kind == ArtistKind::HLine || kind == ArtistKind::VLine ? 2 : 1; }
  bool in_legend() const { return !label.empty() && label[0] != '_'; }
};

namespace internal {
struct AxesState {
  std::vector<Artist> artists;
  std::string title, xlabel, ylabel;
  std::optional<std::pair<double, double>> xlim, ylim;
  bool grid = false;
  std::optional<std::string> legend_loc;
  int line_cycle = 0, patch_cycle = 0;  // matplotlib keeps two colour cycles
};
}  // namespace internal

// View limits of one axis: the data range plus 5% margins, or the user's limits.
struct Range {
  double lo = 0, hi = 1;
};
std::pair<Range, Range> view_limits(const internal::AxesState& a);

}  // namespace kiln::plot
