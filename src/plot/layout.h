// Where everything goes, in points from the figure's top-left corner: axes
// boxes sized around their measured tick labels and titles, tick positions,
// and legend boxes (with "best" resolved against the data).
#pragma once
#include <string>
#include <vector>

#include "model.h"
#include "ticks.h"

namespace kiln::plot {

struct Box {
  double x = 0, y = 0, w = 0, h = 0;
  bool contains(double px, double py) const { return px >= x && px <= x + w && py >= y && py <= y + h; }
};

// Clips the segment (x0, y0)-(x1, y1) to `box` (Liang-Barsky); false if it misses.
bool clip_segment(const Box& box, double& x0, double& y0, double& x1, double& y1);

struct FigureSpec {
  int rows = 1, cols = 1;
  FigSize size;
  std::string suptitle;
  std::vector<const internal::AxesState*> axes;
};

struct LegendLayout {
  bool shown = false;
  std::string loc;  // the resolved location ("best" becomes a concrete one)
  Box box;
  std::vector<const Artist*> entries;
};

struct AxesLayout {
  Box box;
  Range x, y;  // view limits (lo may exceed hi for an inverted axis)
  Ticks xticks, yticks;
  LegendLayout legend;
  // Data to points.
  double px(double v) const { return box.x + (v - x.lo) / (x.hi - x.lo) * box.w; }
  double py(double v) const { return box.y + box.h - (v - y.lo) / (y.hi - y.lo) * box.h; }
};

struct FigureLayout {
  double width = 0, height = 0;  // points
  std::vector<AxesLayout> axes;
};

// Layout constants in points (matplotlib's rcParams defaults).
constexpr double kTickLength = 3.5, kTickPad = 3.5, kLabelPad = 4, kTitlePad = 6, kSpineWidth = 0.8;
constexpr double kPointsPerInch = 72;

FigureLayout compute_layout(const FigureSpec& spec);

}  // namespace kiln::plot
