// kiln::plot: the recorded figure (summary), tick placement, colours, errors,
// and the files written for each format.
#include <gtest/gtest.h>
#include <kiln/kiln.h>
#include <kiln/plot.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "plot/ticks.h"

namespace {

namespace fs = std::filesystem;
namespace plt = kiln::plot;

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

class PlotFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kiln_plot_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

std::vector<double> linspace(double a, double b, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = a + (b - a) * i / (n - 1);
  return v;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The tangent figure of the tour: f(x) = 3x^2 - 4x and its tangent at x = 1.
plt::Figure tangent_figure() {
  kiln::Tensor x = kiln::arange(0.0, 3.0, 0.1, kiln::kFloat64);
  kiln::Tensor f = 3 * x * x - 4 * x;
  kiln::Tensor t = 2 * x - 3;
  plt::Figure fig;
  fig.plot(x, f, "f(x)").plot(x, t, {.label = "Tangent line (x=1)", .linestyle = "--"});
  fig.xlabel("x").ylabel("f(x)").legend();
  return fig;
}

TEST(PlotTicks, NiceStepsOfOneTwoFive) {
  auto ticks = plt::nice_ticks({-0.05, 1.05}, 9);
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
  ticks = plt::nice_ticks({-0.15, 3.05}, 9);
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"}));
  ticks = plt::nice_ticks({-3, 17}, 9);
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"\u22122", "0", "2", "4", "6", "8", "10", "12", "14", "16"}));
  ticks = plt::nice_ticks({0, 1000}, 4);
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0", "500", "1000"}));
  ticks = plt::nice_ticks({0, 1000}, 5);
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0", "200", "400", "600", "800", "1000"}));
  for (double lo : {-7.3, 0.001, 123.4, -1e-3}) {
    for (int bins : {3, 5, 9}) {
      auto t = plt::nice_ticks({lo, lo * 2 + 5}, bins);
      ASSERT_GE(t.values.size(), 1u);
      EXPECT_LE(t.values.size(), static_cast<size_t>(bins) + 1);
      double step = t.values.size() > 1 ? t.values[1] - t.values[0] : 1;
      double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
      EXPECT_TRUE(std::fabs(mantissa - 1) < 1e-9 || std::fabs(mantissa - 2) < 1e-9 || std::fabs(mantissa - 5) < 1e-9)
          << step;
    }
  }
}

TEST(PlotTicks, HugeAndTinyValuesUseAMultiplier) {
  auto big = plt::nice_ticks({0, 3e7}, 6);
  EXPECT_EQ(big.multiplier, "1e7");
  EXPECT_EQ(big.labels.front(), "0.0");
  EXPECT_EQ(big.labels.back(), "3.0");
  auto tiny = plt::nice_ticks({0, 4e-6}, 4);
  EXPECT_EQ(tiny.multiplier, "1e\u22126");
  EXPECT_EQ(tiny.labels.back(), "4");
  EXPECT_TRUE(plt::nice_ticks({1, 1}, 5).values.empty());
  EXPECT_TRUE(plt::nice_ticks({0, INFINITY}, 5).values.empty());
}

TEST(PlotSummary, DescribesCurvesLabelsAndLegend) {
  std::string s = tangent_figure().summary();
  EXPECT_TRUE(contains(s, "curves=2")) << s;
  EXPECT_TRUE(contains(s, "xlabel=\"x\" ylabel=\"f(x)\"")) << s;
  EXPECT_TRUE(contains(s, "line points=30 label=\"f(x)\" color=#1f77b4 alpha=1 linestyle=- linewidth=1.5")) << s;
  EXPECT_TRUE(contains(s, "label=\"Tangent line (x=1)\" color=#ff7f0e alpha=1 linestyle=--")) << s;
  EXPECT_TRUE(contains(s, "legend loc=\"upper left\" entries=[\"f(x)\", \"Tangent line (x=1)\"]")) << s;
  // Data x in [0, 2.9] with 5% margins, nice ticks at 0.0, 0.5, ... 2.5.
  EXPECT_TRUE(contains(s, "xlim=[-0.145, 3.045]")) << s;
  EXPECT_TRUE(contains(s, "xticks=[0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]")) << s;
}

TEST(PlotSummary, ColourCyclesAsMatplotlib) {
  plt::Figure fig;
  std::vector<double> x = {0, 1, 2};
  for (int i = 0; i < 11; ++i) fig.plot(x, {1.0 * i, 2.0 * i, 0.5 * i});
  fig.scatter(x, {1, 2, 3});                        // patches have their own cycle: C0
  fig.fill_between(x, {0, 0, 0}, {1, 1, 1}, 0.25);  // C1, 25% opaque
  fig.plot(x, x, {.color = "tab:red"}).axhline(0.5);
  std::string s = fig.summary();
  const char* tab10[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  std::istringstream lines(s);
  std::vector<std::string> line_colors, other;
  for (std::string l; std::getline(lines, l);) {
    auto at = l.find("color=");
    if (at == std::string::npos) continue;
    (contains(l, "  line ") ? line_colors : other).push_back(l.substr(at + 6, 7));
  }
  ASSERT_EQ(line_colors.size(), 12u) << s;
  for (int i = 0; i < 11; ++i) EXPECT_EQ(line_colors[i], tab10[i % 10]) << i;
  EXPECT_EQ(line_colors[11], "#d62728");
  EXPECT_EQ(other, (std::vector<std::string>{"#1f77b4", "#ff7f0e", "#000000"}));
  EXPECT_TRUE(contains(s, "fill_between points=3 label=\"\" color=#ff7f0e alpha=0.25")) << s;
  EXPECT_TRUE(contains(s, "axhline y=0.5 label=\"\" color=#000000 alpha=1 linestyle=-- linewidth=1")) << s;
}

TEST(PlotSummary, LimitsAndGrid) {
  plt::Figure fig = plt::Figure::subplots(2, 2, {8, 6});
  EXPECT_EQ(fig.num_axes(), 4);
  fig.axes(1, 1).plot(std::vector<double>{1, 2, 3}, std::vector<double>{10, 20, 30}).xlim(0, 4).ylim(0, 40).grid();
  fig.axes(2).scatter({5}, {5});
  fig.axes(0).axhline(0.167).axvline(2);
  std::string s = fig.summary();
  EXPECT_TRUE(contains(s, "grid=2x2 axes=4")) << s;
  EXPECT_TRUE(contains(s, "xlim=[0, 4] ylim=[0, 40]")) << s;
  EXPECT_TRUE(contains(s, "grid=on")) << s;
  EXPECT_TRUE(contains(s, "xlim=[4.75, 5.25] ylim=[4.75, 5.25]")) << s;  // a single point, widened
  // NaN points are skipped for the limits.
  plt::Figure nan;
  nan.plot(std::vector<double>{0, 1, 2, 3}, std::vector<double>{0, NAN, 10, INFINITY});
  EXPECT_TRUE(contains(nan.summary(), "ylim=[-0.5, 10.5]")) << nan.summary();
}

TEST(PlotSummary, LegendSkipsUnlabelledAndPicksAFreeCorner) {
  plt::Figure fig;
  std::vector<double> x = linspace(0, 1, 50), up(50), none(50);
  for (int i = 0; i < 50; ++i) up[i] = x[i];
  fig.plot(x, up, "rising").plot(x, none).plot(x, up, "_hidden").legend();
  std::string s = fig.summary();
  // A rising line fills the upper-left and lower-right corners' neighbours least: matplotlib picks upper left.
  EXPECT_TRUE(contains(s, "legend loc=\"upper left\" entries=[\"rising\"]")) << s;
  plt::Figure unlabeled;
  unlabeled.plot(x, up).legend();
  EXPECT_FALSE(contains(unlabeled.summary(), "legend")) << unlabeled.summary();
}

TEST(PlotErrors, BadInputThrows) {
  plt::Figure fig;
  std::vector<double> three = {1, 2, 3}, four = {1, 2, 3, 4};
  EXPECT_THROW(fig.plot(three, four), kiln::Error);
  EXPECT_THROW(fig.plot(kiln::zeros({2, 3}), kiln::zeros({2, 3})), kiln::Error);
  EXPECT_THROW(fig.plot(kiln::Tensor(), three), kiln::Error);
  EXPECT_THROW(fig.plot(three, std::vector<double>{NAN, NAN, NAN}), kiln::Error);
  EXPECT_THROW(fig.plot(std::vector<double>{}, std::vector<double>{}), kiln::Error);
  EXPECT_THROW(fig.scatter(three, four), kiln::Error);
  EXPECT_THROW(fig.fill_between(three, three, four), kiln::Error);
  EXPECT_THROW(fig.plot(three, three, {.color = "not-a-colour"}), kiln::Error);
  EXPECT_THROW(fig.plot(three, three, {.linestyle = "~"}), kiln::Error);
  EXPECT_THROW(fig.plot(three, three, {.alpha = 1.5}), kiln::Error);
  EXPECT_THROW(fig.plot(three, three, {.marker = "@"}), kiln::Error);
  EXPECT_THROW(fig.scatter(three, three, {.s = -1}), kiln::Error);
  EXPECT_THROW(fig.axhline(NAN), kiln::Error);
  EXPECT_THROW(fig.xlim(1, 1), kiln::Error);
  EXPECT_THROW(fig.ylim(0, INFINITY), kiln::Error);
  EXPECT_THROW(fig.legend("somewhere"), kiln::Error);
  EXPECT_THROW(fig.axes(1), kiln::Error);
  EXPECT_THROW(fig.axes(0, 1), kiln::Error);
  EXPECT_THROW(plt::Figure::subplots(0, 2), kiln::Error);
  EXPECT_THROW(plt::Figure(plt::FigSize{-1, 3}), kiln::Error);
  EXPECT_THROW(fig.dpi(0), kiln::Error);
  try {
    fig.plot(three, four);
  } catch (const kiln::Error& e) {
    EXPECT_TRUE(contains(e.what(), "plot: x and y must have the same length, got 3 and 4")) << e.what();
  }
  try {
    fig.plot(kiln::zeros({2, 3}), kiln::zeros({2, 3}));
  } catch (const kiln::Error& e) {
    EXPECT_TRUE(contains(e.what(), "1-D")) << e.what();
  }
  // Nothing invalid was recorded.
  EXPECT_TRUE(contains(fig.summary(), "artists=0")) << fig.summary();
}

TEST_F(PlotFiles, UnknownExtensionAndUnwritablePath) {
  plt::Figure fig = tangent_figure();
  EXPECT_THROW(fig.save(path("f.jpg")), kiln::Error);
  EXPECT_THROW(fig.save(path("noextension")), kiln::Error);
  EXPECT_THROW(fig.save(path("missing/dir/f.svg")), kiln::Error);
  EXPECT_FALSE(fs::exists(path("f.jpg")));
}

uint32_t be32(const std::string& s, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8 | static_cast<unsigned char>(s[at + 3]);
}

TEST_F(PlotFiles, PngHasHeaderSizeAndSummary) {
  plt::Figure fig = tangent_figure();
  fig.save(path("f.png"));
  std::string png = read_file(path("f.png"));
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(be32(png, 16), 640u);  // 6.4 in at 100 dpi
  EXPECT_EQ(be32(png, 20), 480u);
  EXPECT_TRUE(contains(png, "iTXtDescription")) << "summary chunk missing";
  EXPECT_TRUE(contains(png, "Tangent line (x=1)"));
  fig.dpi(50).figsize(4, 3).save(path("small.PNG"));
  std::string small = read_file(path("small.PNG"));
  EXPECT_EQ(be32(small, 16), 200u);
  EXPECT_EQ(be32(small, 20), 150u);
  // Python's zlib check: every chunk CRC is valid and the image data inflates.
  if (std::system("/usr/bin/python3 -c 'import zlib' 2>/dev/null") == 0) {
    std::string script = path("check_png.py");
    std::ofstream(script) << R"(
import sys, struct, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat = 8, b''
while pos < len(data):
    (n,) = struct.unpack('>I', data[pos:pos + 4])
    kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
    assert struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])[0] == zlib.crc32(kind + body), kind
    if kind == b'IDAT':
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
channels = 3 if data[25] == 2 else 4  # cairo writes RGB when the image is opaque
assert data[25] in (2, 6) and len(raw) == 480 * (1 + 640 * channels), (data[25], len(raw))
)";
    EXPECT_EQ(std::system(("/usr/bin/python3 " + script + " " + path("f.png")).c_str()), 0);
  }
}

TEST_F(PlotFiles, PdfIsWritten) {
  tangent_figure().save(path("f.pdf"));
  std::string pdf = read_file(path("f.pdf"));
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_TRUE(contains(pdf, "%%EOF"));
}

TEST_F(PlotFiles, SvgIsWellFormedAndCarriesTheFigure) {
  if (std::system("/usr/bin/python3 -c 'import xml.etree.ElementTree' 2>/dev/null") != 0)
    GTEST_SKIP() << "/usr/bin/python3 unavailable";
  // The die-rolling figure of the tour: 6 curves, a dashed reference line, a legend.
  plt::Figure fig({6, 4.5});
  std::vector<double> x = linspace(1, 500, 100);
  for (int face = 0; face < 6; ++face) {
    std::vector<double> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = 1.0 / 6 + (face - 2.5) * 0.05 / std::sqrt(x[i]);
    fig.plot(x, y, "P(die=" + std::to_string(face + 1) + ")");
  }
  fig.axhline(0.167).xlabel("Groups of experiments").ylabel("Estimated probability").legend();
  fig.title("Law <of> large & numbers");
  fig.save(path("die.svg"));
  std::string script = path("check_svg.py");
  std::ofstream(script) << R"PY(
import sys, xml.etree.ElementTree as ET
ns = {'svg': 'http://www.w3.org/2000/svg'}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == '{http://www.w3.org/2000/svg}svg', root.tag
assert root.get('width') == '432pt' and root.get('height') == '324pt', (root.get('width'), root.get('height'))
assert root.find('svg:title', ns).text == 'Law <of> large & numbers'
desc = root.find('svg:desc', ns).text
assert 'curves=6' in desc, desc
assert 'xlabel="Groups of experiments" ylabel="Estimated probability"' in desc
assert 'entries=["P(die=1)", "P(die=2)", "P(die=3)", "P(die=4)", "P(die=5)", "P(die=6)"]' in desc, desc
assert 'axhline y=0.167' in desc
# Each curve is one stroked path in its tab10 colour (cairo writes rgb percentages).
def pct(h):
    return 'rgb(%s)' % ','.join('%g%%' % round(int(h[i:i + 2], 16) / 255 * 100, 4) for i in (1, 3, 5))
styles = [p.get('style', '') for p in root.iter('{http://www.w3.org/2000/svg}path')]
def norm(s):
    import re
    return re.sub(r'([0-9.]+)%', lambda m: '%g%%' % round(float(m.group(1)), 4), s.replace(' ', ''))
styles = [norm(s) for s in styles]
for h in ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b']:
    strokes = [s for s in styles if 'stroke:' + pct(h) in s and 'stroke-width:1.5' in s]
    assert len(strokes) == 2, (h, len(strokes))  # the curve and its legend handle
dashed = [s for s in styles if 'stroke-dasharray' in s and 'stroke:rgb(0%,0%,0%)' in s]
assert len(dashed) == 1, dashed
)PY";
  EXPECT_EQ(std::system(("/usr/bin/python3 " + script + " " + path("die.svg")).c_str()), 0) << read_file(path("die.svg")).substr(0, 3000);
}

}  // namespace
