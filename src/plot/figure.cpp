// Figure: a grid of Axes, its size, and the text summary of what it draws.
#include <cmath>
#include <sstream>

#include "layout.h"
#include "model.h"

namespace kiln::plot {
namespace {

void check_size(double w, double h) {
  KILN_CHECK(std::isfinite(w) && std::isfinite(h) && w >= 0.5 && h >= 0.5 && w <= 200 && h <= 200,
             "Figure: figsize must be between 0.5 and 200 inches, got ", w, " x ", h);
}

// A string as the summary quotes it: "..." with \" \\ and \n escaped.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

const char* kind_name(ArtistKind k) {
  switch (k) {
    case ArtistKind::Line: return "line";
    case ArtistKind::Scatter: return "scatter";
    case ArtistKind::Fill: return "fill_between";
    case ArtistKind::HLine: return "axhline";
    case ArtistKind::VLine: return "axvline";
    case ArtistKind::Bar: return "bar";
  }
  return "?";
}

void describe(std::ostream& os, const Artist& a) {
  os << "  " << kind_name(a.kind);
  if (a.kind == ArtistKind::HLine) os << " y=" << format_number(a.y[0]);
  else if (a.kind == ArtistKind::VLine) os << " x=" << format_number(a.x[0]);
  else os << " points=" << a.x.size();
  os << " label=" << quoted(a.label) << " color=" << hex({a.color.r, a.color.g, a.color.b, 1})
     << " alpha=" << format_number(a.color.a);
  if (a.kind != ArtistKind::Scatter && a.kind != ArtistKind::Fill && a.kind != ArtistKind::Bar)
    os << " linestyle=" << (a.linestyle.empty() ? "none" : a.linestyle) << " linewidth=" << format_number(a.linewidth);
  if (!a.marker.empty()) os << " marker=" << a.marker << " markersize=" << format_number(a.markersize);
  os << "\n";
}

void describe_ticks(std::ostream& os, const char* name, const Ticks& t) {
  os << "  " << name << "=[";
  for (size_t i = 0; i < t.labels.size(); ++i) os << (i ? ", " : "") << t.labels[i];
  os << "]";
  if (!t.multiplier.empty()) os << " multiplier=" << t.multiplier;
  os << "\n";
}

}  // namespace

Figure::Figure() : Figure(FigSize{}) {}

Figure::Figure(FigSize figsize) : size_(figsize) {
  check_size(figsize.width, figsize.height);
  axes_.push_back(std::make_unique<Axes>());
}

Figure Figure::subplots(int rows, int cols, FigSize figsize) {
  KILN_CHECK(rows >= 1 && cols >= 1 && rows <= 50 && cols <= 50, "subplots: rows and cols must be in [1, 50], got ",
             rows, " x ", cols);
  Figure f(figsize);
  f.rows_ = rows;
  f.cols_ = cols;
  for (int i = 1; i < rows * cols; ++i) f.axes_.push_back(std::make_unique<Axes>());
  return f;
}

Figure::~Figure() = default;
Figure::Figure(Figure&&) noexcept = default;
Figure& Figure::operator=(Figure&&) noexcept = default;

Axes& Figure::axes(int index) {
  KILN_CHECK(index >= 0 && index < num_axes(), "Figure::axes: index ", index, " out of range for ", num_axes(),
             " axes");
  return *axes_[index];
}

Axes& Figure::axes(int row, int col) {
  KILN_CHECK(row >= 0 && row < rows_ && col >= 0 && col < cols_, "Figure::axes: (", row, ", ", col,
             ") out of range for a ", rows_, " x ", cols_, " grid");
  return *axes_[row * cols_ + col];
}

Figure& Figure::figsize(double width, double height) {
  check_size(width, height);
  size_ = {width, height};
  return *this;
}

Figure& Figure::dpi(double dpi) {
  KILN_CHECK(std::isfinite(dpi) && dpi >= 10 && dpi <= 1200, "Figure::dpi: must be in [10, 1200], got ", dpi);
  dpi_ = dpi;
  return *this;
}

Figure& Figure::suptitle(const std::string& text) {
  suptitle_ = text;
  return *this;
}

// pyplot style: act on the first axes.
Figure& Figure::plot(const Values& x, const Values& y, const LineOptions& o) { return axes(0).plot(x, y, o), *this; }
Figure& Figure::scatter(const Values& x, const Values& y, const ScatterOptions& o) {
  return axes(0).scatter(x, y, o), *this;
}
Figure& Figure::fill_between(const Values& x, const Values& lo, const Values& hi, const FillOptions& o) {
  return axes(0).fill_between(x, lo, hi, o), *this;
}
Figure& Figure::fill_between(const Values& x, const Values& lo, const Values& hi, double alpha) {
  return axes(0).fill_between(x, lo, hi, alpha), *this;
}
Figure& Figure::axhline(double y, const RefLineOptions& o) { return axes(0).axhline(y, o), *this; }
Figure& Figure::axvline(double x, const RefLineOptions& o) { return axes(0).axvline(x, o), *this; }
Figure& Figure::xlabel(const std::string& text) { return axes(0).xlabel(text), *this; }
Figure& Figure::ylabel(const std::string& text) { return axes(0).ylabel(text), *this; }
Figure& Figure::title(const std::string& text) { return axes(0).title(text), *this; }
Figure& Figure::legend(const std::string& loc) { return axes(0).legend(loc), *this; }
Figure& Figure::xlim(double lo, double hi) { return axes(0).xlim(lo, hi), *this; }
Figure& Figure::ylim(double lo, double hi) { return axes(0).ylim(lo, hi), *this; }
Figure& Figure::grid(bool on) { return axes(0).grid(on), *this; }

std::string Figure::summary() const {
  FigureSpec spec{rows_, cols_, size_, suptitle_, {}};
  for (const auto& a : axes_) spec.axes.push_back(&a->state());
  FigureLayout layout = compute_layout(spec);
  std::ostringstream os;
  os << "figure " << format_number(size_.width) << "x" << format_number(size_.height) << "in grid=" << rows_ << "x"
     << cols_ << " axes=" << axes_.size() << " suptitle=" << quoted(suptitle_) << "\n";
  for (size_t i = 0; i < axes_.size(); ++i) {
    const internal::AxesState& a = axes_[i]->state();
    const AxesLayout& l = layout.axes[i];
    int curves = 0;
    for (const Artist& art : a.artists) curves += art.kind == ArtistKind::Line;
    os << "axes " << i << " title=" << quoted(a.title) << " xlabel=" << quoted(a.xlabel)
       << " ylabel=" << quoted(a.ylabel) << " curves=" << curves << " artists=" << a.artists.size()
       << " grid=" << (a.grid ? "on" : "off") << "\n";
    os << "  xlim=[" << format_number(l.x.lo) << ", " << format_number(l.x.hi) << "] ylim=["
       << format_number(l.y.lo) << ", " << format_number(l.y.hi) << "]\n";
    describe_ticks(os, "xticks", l.xticks);
    describe_ticks(os, "yticks", l.yticks);
    for (const Artist& art : a.artists) describe(os, art);
    if (l.legend.shown) {
      os << "  legend loc=" << quoted(l.legend.loc) << " entries=[";
      for (size_t k = 0; k < l.legend.entries.size(); ++k) os << (k ? ", " : "") << quoted(l.legend.entries[k]->label);
      os << "]\n";
    }
  }
  return os.str();
}

}  // namespace kiln::plot
