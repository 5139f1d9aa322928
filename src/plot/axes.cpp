// The Axes calls: validate the input, resolve colours from the cycle, and
// record an Artist. Nothing is drawn until Figure::save.
#include <cmath>

#include "kiln/functions.h"
#include "model.h"

namespace kiln::plot {
namespace {

const std::vector<double>& same_length(const Values& v, size_t n, const char* op, const char* what) {
  const std::vector<double>& d = v.get(op);
  KILN_CHECK(d.size() == n, op, ": x and ", what, " must have the same length, got ", n, " and ", d.size());
  return d;
}

void check_style(const std::string& linestyle, double linewidth, double alpha, const char* op) {
  static const char* kStyles[] = {"-", "--", ":", "-.", "none", "", "solid", "dashed", "dotted", "dashdot"};
  bool known = false;
  for (const char* s : kStyles) known = known || linestyle == s;
  KILN_CHECK(known, op, ": unknown linestyle '", linestyle, "' (use '-', '--', ':', '-.' or 'none')");
  KILN_CHECK(std::isfinite(linewidth) && linewidth >= 0 && linewidth <= 100, op, ": bad linewidth ", linewidth);
  KILN_CHECK(alpha >= 0 && alpha <= 1, op, ": alpha must be in [0, 1], got ", alpha);
}

void check_marker(const std::string& marker, double size, const char* op) {
  static const char* kMarkers[] = {"", "none", "o", "s", "^", "x", "+", "."};
  bool known = false;
  for (const char* m : kMarkers) known = known || marker == m;
  KILN_CHECK(known, op, ": unknown marker '", marker, "' (use 'o', 's', '^', 'x', '+', '.')");
  KILN_CHECK(std::isfinite(size) && size >= 0 && size <= 1000, op, ": bad marker size ", size);
}

// At least one point must be drawable: NaN-only (or empty) data is an error.
void check_finite(const Artist& a, const char* op) {
  for (size_t i = 0; i < a.x.size(); ++i)
    if (std::isfinite(a.x[i]) && std::isfinite(a.y[i]) && (a.lo.empty() || std::isfinite(a.lo[i]))) return;
  throw Error(kiln::detail::concat(op, ": no finite data points (", a.x.size(), " given)"));
}

Rgba pick(const std::string& spec, int& cycle, double alpha, const char* op) {
  Rgba c = spec.empty() ? cycle_color(cycle++) : parse_color(spec, op);
  c.a *= alpha;
  return c;
}

}  // namespace

Values::Values(const Tensor& t) {
  if (!t.defined()) {
    error_ = "undefined tensor";
    return;
  }
  if (t.dim() != 1) {
    error_ = kiln::detail::concat("expected a 1-D tensor, got shape ", t.sizes());
    return;
  }
  Tensor d = t.detach().to(kFloat64).contiguous();
  const double* p = d.data_ptr<double>();
  values_.assign(p, p + d.numel());
}

const std::vector<double>& Values::get(const char* op) const {
  KILN_CHECK(error_.empty(), op, ": ", error_);
  return values_;
}

Axes::Axes() : state_(std::make_unique<internal::AxesState>()) {}
Axes::~Axes() = default;

namespace {
// A line or scatter artist over x and y, checked to have one length.
Artist xy_artist(ArtistKind kind, const Values& x, const Values& y, const char* op) {
  Artist a;
  a.kind = kind;
  a.x = x.get(op);
  a.y = same_length(y, a.x.size(), op, "y");
  return a;
}
}  // namespace

Axes& Axes::plot(const Values& x, const Values& y, const LineOptions& o) {
  const char* op = "plot";
  Artist a = xy_artist(ArtistKind::Line, x, y, op);
  check_style(o.linestyle, o.linewidth, o.alpha, op);
  check_marker(o.marker, o.markersize, op);
  check_finite(a, op);
  a.label = o.label;
  a.color = pick(o.color, state_->line_cycle, o.alpha, op);
  a.linestyle = o.linestyle;
  a.linewidth = o.linewidth;
  a.marker = o.marker == "none" ? "" : o.marker;
  a.markersize = o.markersize;
  state_->artists.push_back(std::move(a));
  return *this;
}

Axes& Axes::scatter(const Values& x, const Values& y, const ScatterOptions& o) {
  const char* op = "scatter";
  Artist a = xy_artist(ArtistKind::Scatter, x, y, op);
  check_style("-", 0, o.alpha, op);
  KILN_CHECK(std::isfinite(o.s) && o.s > 0 && o.s <= 1e5, op, ": marker area s must be positive, got ", o.s);
  check_marker(o.marker, std::sqrt(o.s), op);
  KILN_CHECK(!o.marker.empty() && o.marker != "none", op, ": scatter needs a marker");
  check_finite(a, op);
  a.label = o.label;
  a.color = pick(o.color, state_->patch_cycle, o.alpha, op);
  a.linestyle = "none";
  a.marker = o.marker;
  a.markersize = std::sqrt(o.s);
  state_->artists.push_back(std::move(a));
  return *this;
}

Axes& Axes::fill_between(const Values& x, const Values& lo, const Values& hi, const FillOptions& o) {
  const char* op = "fill_between";
  Artist a;
  a.kind = ArtistKind::Fill;
  a.x = x.get(op);
  a.lo = same_length(lo, a.x.size(), op, "lo");
  a.y = same_length(hi, a.x.size(), op, "hi");
  check_style("-", 0, o.alpha, op);
  check_finite(a, op);
  a.label = o.label;
  a.color = pick(o.color, state_->patch_cycle, o.alpha, op);
  state_->artists.push_back(std::move(a));
  return *this;
}

Axes& Axes::fill_between(const Values& x, const Values& lo, const Values& hi, double alpha) {
  FillOptions o;
  o.alpha = alpha;
  return fill_between(x, lo, hi, o);
}

namespace {
Artist reference_line(ArtistKind kind, double value, const RefLineOptions& o, const char* op) {
  KILN_CHECK(std::isfinite(value), op, ": position must be finite, got ", value);
  check_style(o.linestyle, o.linewidth, o.alpha, op);
  Artist a;
  a.kind = kind;
  (kind == ArtistKind::HLine ? a.y : a.x) = {value};
  a.label = o.label;
  a.color = parse_color(o.color, op);
  a.color.a *= o.alpha;
  a.linestyle = o.linestyle;
  a.linewidth = o.linewidth;
  return a;
}

void check_limits(double lo, double hi, const char* op) {
  KILN_CHECK(std::isfinite(lo) && std::isfinite(hi) && lo != hi, op, ": limits must be finite and distinct, got ",
             lo, " and ", hi);
}
}  // namespace

Axes& Axes::axhline(double y, const RefLineOptions& o) {
  state_->artists.push_back(reference_line(ArtistKind::HLine, y, o, "axhline"));
  return *this;
}

Axes& Axes::axvline(double x, const RefLineOptions& o) {
  state_->artists.push_back(reference_line(ArtistKind::VLine, x, o, "axvline"));
  return *this;
}

Axes& Axes::xlabel(const std::string& text) {
  state_->xlabel = text;
  return *this;
}

Axes& Axes::ylabel(const std::string& text) {
  state_->ylabel = text;
  return *this;
}

Axes& Axes::title(const std::string& text) {
  state_->title = text;
  return *this;
}

Axes& Axes::legend(const std::string& loc) {
  static const char* kLocs[] = {"best",        "upper right",  "upper left",   "lower left",
                                "lower right", "right",        "center left",  "center right",
                                "lower center", "upper center", "center"};
  bool known = false;
  for (const char* l : kLocs) known = known || loc == l;
  KILN_CHECK(known, "legend: unknown location '", loc, "'");
  state_->legend_loc = loc;
  return *this;
}

Axes& Axes::xlim(double lo, double hi) {
  check_limits(lo, hi, "xlim");
  state_->xlim = {lo, hi};
  return *this;
}

Axes& Axes::ylim(double lo, double hi) {
  check_limits(lo, hi, "ylim");
  state_->ylim = {lo, hi};
  return *this;
}

Axes& Axes::grid(bool on) {
  state_->grid = on;
  return *this;
}

}  // namespace kiln::plot
