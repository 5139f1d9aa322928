// kiln::plot bar and hist: numpy.histogram's bins, the recorded bars, limits,
// legend handles, colours from the patch cycle, errors, and a drawn file.
#include <gtest/gtest.h>
#include <kiln/kiln.h>
#include <kiln/plot.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>

namespace {

namespace plt = kiln::plot;

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

TEST(PlotBars, HistogramBinsAsNumpy) {
  plt::Histogram h = plt::histogram(std::vector<double>{0, 1, 1, 2, 2, 2, 3, 3, 3, 3}, 3);
  EXPECT_EQ(h.edges, (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(h.counts, (std::vector<double>{1, 2, 7}));  // the last bin holds its right edge
  plt::Histogram d = plt::histogram(std::vector<double>{0, 1, 1, 2, 2, 2, 3, 3, 3, 3}, 3, 0, 3, true);
  double area = 0;
  for (size_t i = 0; i < d.counts.size(); ++i) area += d.counts[i] * (d.edges[i + 1] - d.edges[i]);
  EXPECT_NEAR(area, 1.0, 1e-12);
  plt::Histogram r = plt::histogram(std::vector<double>{-5, 0.5, 1.5, 9}, 2, 0, 2);  // outside the range: left out
  EXPECT_EQ(r.counts, (std::vector<double>{1, 1}));
  plt::Histogram one = plt::histogram(std::vector<double>{4, 4}, 2);  // one value: [v - 0.5, v + 0.5]
  EXPECT_EQ(one.edges, (std::vector<double>{3.5, 4, 4.5}));
  plt::Histogram t = plt::histogram(kiln::tensor({0.1, 0.2, double(NAN), 0.9}, kiln::kFloat64), 4);
  double total = 0;
  for (double c : t.counts) total += c;
  EXPECT_EQ(total, 3);  // nan is not counted
}

TEST(PlotBars, BarsAndHistogramsAreRecorded) {
  plt::Figure fig;
  fig.bar(std::vector<double>{1, 2, 3}, std::vector<double>{4, 5, 6}, {.label = "counts"});
  fig.hist(kiln::randn({1000}), {.bins = 20, .density = true, .label = "samples", .alpha = 0.5});
  fig.plot(std::vector<double>{0, 1}, std::vector<double>{0, 1}, "line").legend();
  std::string s = fig.summary();
  EXPECT_TRUE(contains(s, "bar points=3 label=\"counts\" color=#1f77b4 alpha=1")) << s;
  EXPECT_TRUE(contains(s, "bar points=20 label=\"samples\" color=#ff7f0e alpha=0.5")) << s;
  EXPECT_TRUE(contains(s, "entries=[\"counts\", \"samples\", \"line\"]")) << s;
  plt::Figure bars;
  bars.bar(std::vector<double>{0, 1}, std::vector<double>{2, 4}, {.width = 0.5, .align = "edge", .bottom = 1});
  // x from 0 to 1.5 and y from 1 to 5, with 5% margins.
  EXPECT_TRUE(contains(bars.summary(), "xlim=[-0.075, 1.575] ylim=[0.8, 5.2]")) << bars.summary();
}

TEST(PlotBars, BadInputThrows) {
  plt::Figure fig;
  EXPECT_THROW(fig.bar(std::vector<double>{1, 2}, std::vector<double>{1}), kiln::Error);
  EXPECT_THROW(fig.bar(std::vector<double>{1}, std::vector<double>{1}, {.width = -1}), kiln::Error);
  EXPECT_THROW(fig.bar(std::vector<double>{1}, std::vector<double>{1}, {.align = "left"}), kiln::Error);
  EXPECT_THROW(fig.bar(std::vector<double>{1}, std::vector<double>{NAN}), kiln::Error);
  EXPECT_THROW(fig.hist(std::vector<double>{1, 2}, {.bins = 0}), kiln::Error);
  EXPECT_THROW(fig.hist(std::vector<double>{NAN}), kiln::Error);
  EXPECT_THROW(fig.hist(std::vector<double>{1, 2}, {.range_lo = 3, .range_hi = 1}), kiln::Error);
  EXPECT_THROW(fig.hist(kiln::zeros({2, 2})), kiln::Error);
}

TEST(PlotBars, DrawsToSvgAndPng) {
  auto dir = std::filesystem::temp_directory_path() / ("kiln_bars_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  plt::Figure fig;
  fig.hist(kiln::randn({500}), {.bins = 15, .density = true}).bar(std::vector<double>{0}, std::vector<double>{0.2});
  fig.save((dir / "h.svg").string());
  fig.save((dir / "h.png").string());
  EXPECT_GT(std::filesystem::file_size(dir / "h.svg"), 1000u);
  EXPECT_GT(std::filesystem::file_size(dir / "h.png"), 1000u);
  std::filesystem::remove_all(dir);
}

}  // namespace
