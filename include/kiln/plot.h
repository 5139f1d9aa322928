// kiln::plot: matplotlib-shaped figures drawn with cairo, saved as SVG, PNG or PDF.
//
//   kiln::plot::Figure fig;                      // one axes, 6.4 x 4.8 inches
//   fig.plot(x, y, {.label = "f(x)"});
//   fig.plot(x, t, {.label = "tangent", .linestyle = "--"});
//   fig.xlabel("x").ylabel("f(x)").legend();
//   fig.save("tangent.svg");
//
//   auto grid = kiln::plot::Figure::subplots(1, 2, {10, 4});  // axes(0), axes(1)
//   grid.axes(1).scatter(x, y).title("samples");
//
// Colours default to matplotlib's cycle (tab10: C0 #1f77b4, C1 #ff7f0e, ...); lines
// and patches (scatter, fill_between) cycle separately, as in matplotlib.
#pragma once
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "kiln/tensor.h"

namespace kiln::plot {

// Plot data: a 1-D tensor (any dtype) or a list of numbers.
class Values {
 public:
  Values(const Tensor& t);
  Values(std::vector<double> v) : values_(std::move(v)) {}
  Values(std::initializer_list<double> v) : values_(v) {}
  Values(const std::vector<float>& v) : values_(v.begin(), v.end()) {}
  Values(const std::vector<int>& v) : values_(v.begin(), v.end()) {}
  // The numbers; throws kiln::Error naming `op` if the tensor was not 1-D.
  const std::vector<double>& get(const char* op) const;

 private:
  std::vector<double> values_;
  std::string error_;
};

// Colours: "" (next in the cycle), "C0".."C9", "#rrggbb", "#rrggbbaa", "tab:blue", or a
// basic name ("k", "black", "r", "red", "gray", ...). Line styles: "-", "--", ":", "-.",
// "none". Markers: "" (none), "o", "s", "^", "x", "+", ".".
struct LineOptions {
  std::string label{};
  std::string color{};
  std::string linestyle = "-";
  double linewidth = 1.5;  // points
  double alpha = 1.0;
  std::string marker{};
  double markersize = 6.0;  // points
};

struct ScatterOptions {
  std::string label{};
  std::string color{};
  double s = 36.0;  // marker area in points^2, as in matplotlib
  double alpha = 1.0;
  std::string marker = "o";
};

struct FillOptions {
  std::string label{};
  std::string color{};
  double alpha = 1.0;
};

// Reference lines (axhline, axvline) are dashed and black unless told otherwise.
struct RefLineOptions {
  std::string label{};
  std::string color = "k";
  std::string linestyle = "--";
  double linewidth = 1.0;
  double alpha = 1.0;
};

// Bars (matplotlib's bar): centred on x unless align = "edge" (left edge at x).
struct BarOptions {
  std::string label{};
  std::string color{};
  double alpha = 1.0;
  double width = 0.8;  // in data units
  std::string align = "center";
  double bottom = 0.0;
};

// A histogram (matplotlib's hist): `bins` equal bins over `range` (the data's
// min and max when lo == hi); density scales the bars to integrate to 1.
struct HistOptions {
  int bins = 10;
  bool density = false;
  double range_lo = 0, range_hi = 0;
  std::string label{};
  std::string color{};
  double alpha = 1.0;
};

// Counts per bin and the bins' edges (numpy.histogram): values outside the
// range are left out; the last bin includes its right edge.
struct Histogram {
  std::vector<double> counts;  // bins values (densities when asked)
  std::vector<double> edges;   // bins + 1 values
};
Histogram histogram(const Values& x, int bins = 10, double range_lo = 0, double range_hi = 0, bool density = false);

struct FigSize {
  double width = 6.4;  // inches
  double height = 4.8;
};

namespace internal {
struct AxesState;
// A label argument: anything convertible to std::string but not a braced options list.
template <class S>
using IfLabel = std::enable_if_t<std::is_convertible_v<const S&, std::string>, int>;
}

class Axes {
 public:
  Axes();
  ~Axes();
  Axes(const Axes&) = delete;
  Axes& operator=(const Axes&) = delete;

  Axes& plot(const Values& x, const Values& y, const LineOptions& options = {});
  template <class S, internal::IfLabel<S> = 0>
  Axes& plot(const Values& x, const Values& y, const S& label) {
    LineOptions o;
    o.label = label;
    return plot(x, y, o);
  }
  Axes& scatter(const Values& x, const Values& y, const ScatterOptions& options = {});
  template <class S, internal::IfLabel<S> = 0>
  Axes& scatter(const Values& x, const Values& y, const S& label) {
    ScatterOptions o;
    o.label = label;
    return scatter(x, y, o);
  }
  Axes& bar(const Values& x, const Values& height, const BarOptions& options = {});
  Axes& hist(const Values& x, const HistOptions& options = {});
  // The band between lo and hi over x.
  Axes& fill_between(const Values& x, const Values& lo, const Values& hi, const FillOptions& options = {});
  Axes& fill_between(const Values& x, const Values& lo, const Values& hi, double alpha);
  Axes& axhline(double y, const RefLineOptions& options = {});
  Axes& axvline(double x, const RefLineOptions& options = {});
  Axes& xlabel(const std::string& text);
  Axes& ylabel(const std::string& text);
  Axes& title(const std::string& text);
  // loc: "best", "upper right", "upper left", "lower left", "lower right", "right",
  // "center left", "center right", "lower center", "upper center", "center".
  Axes& legend(const std::string& loc = "best");
  Axes& xlim(double lo, double hi);
  Axes& ylim(double lo, double hi);
  Axes& grid(bool on = true);

  const internal::AxesState& state() const { return *state_; }

 private:
  std::unique_ptr<internal::AxesState> state_;
};

class Figure {
 public:
  Figure();  // one axes, 6.4 x 4.8 inches
  explicit Figure(FigSize figsize);
  // A rows x cols grid of axes, numbered row by row (matplotlib's plt.subplots).
  static Figure subplots(int rows, int cols, FigSize figsize = {});
  ~Figure();
  Figure(Figure&&) noexcept;
  Figure& operator=(Figure&&) noexcept;

  Axes& axes(int index = 0);
  Axes& axes(int row, int col);
  int num_axes() const { return static_cast<int>(axes_.size()); }
  Figure& figsize(double width, double height);
  Figure& dpi(double dpi);  // pixels per inch for PNG (default 100)
  Figure& suptitle(const std::string& text);

  // pyplot style: these act on axes(0).
  Figure& plot(const Values& x, const Values& y, const LineOptions& options = {});
  template <class S, internal::IfLabel<S> = 0>
  Figure& plot(const Values& x, const Values& y, const S& label) {
    return axes(0).plot(x, y, label), *this;
  }
  Figure& scatter(const Values& x, const Values& y, const ScatterOptions& options = {});
  template <class S, internal::IfLabel<S> = 0>
  Figure& scatter(const Values& x, const Values& y, const S& label) {
    return axes(0).scatter(x, y, label), *this;
  }
  Figure& bar(const Values& x, const Values& height, const BarOptions& options = {});
  Figure& hist(const Values& x, const HistOptions& options = {});
  Figure& fill_between(const Values& x, const Values& lo, const Values& hi, const FillOptions& options = {});
  Figure& fill_between(const Values& x, const Values& lo, const Values& hi, double alpha);
  Figure& axhline(double y, const RefLineOptions& options = {});
  Figure& axvline(double x, const RefLineOptions& options = {});
  Figure& xlabel(const std::string& text);
  Figure& ylabel(const std::string& text);
  Figure& title(const std::string& text);
  Figure& legend(const std::string& loc = "best");
  Figure& xlim(double lo, double hi);
  Figure& ylim(double lo, double hi);
  Figure& grid(bool on = true);

  // Writes the figure; the format follows the extension: .svg, .png or .pdf.
  void save(const std::string& path) const;
  // A structured, line-per-item description of what is drawn (limits, ticks, curves,
  // legend entries, labels). SVG and PNG files carry it as metadata.
  std::string summary() const;

 private:
  int rows_ = 1, cols_ = 1;
  FigSize size_;
  double dpi_ = 100;
  std::string suptitle_;
  std::vector<std::unique_ptr<Axes>> axes_;
};

}  // namespace kiln::plot
