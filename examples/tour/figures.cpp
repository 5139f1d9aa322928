#include "figures.h"

#include <fstream>
#include <iostream>

namespace {
using kiln::Tensor;
namespace plt = kiln::plot;

// Column j of a [n, m] matrix as a 1-D tensor.
Tensor column(const Tensor& m, int64_t j) { return m.select(1, j); }
}  // namespace

Figures::Figures(std::filesystem::path dir) : dir_(std::move(dir)) { std::filesystem::create_directories(dir_); }

void Figures::save(const plt::Figure& fig, const std::string& name, const std::string& caption) {
  fig.save((dir_ / (name + ".svg")).string());
  fig.save((dir_ / (name + ".png")).string());
  written_.emplace_back(name, caption);
  std::cout << "  [figure] " << name << ".svg/.png: " << caption << "\n";
}

void Figures::tangent(const Tensor& x, const Tensor& f, const Tensor& tangent) {
  plt::Figure fig;
  fig.plot(x, f, plt::LineOptions{.label = "f(x) = 3x^2 - 4x"}).plot(x, tangent, plt::LineOptions{.label = "tangent at x = 1", .linestyle = "--"});
  fig.xlabel("x").ylabel("f(x)").legend().grid();
  save(fig, "tangent", "f(x) = 3x^2 - 4x and its tangent y = 2x - 3 at x = 1");
}

void Figures::sine(const Tensor& a, const Tensor& sin_a, const Tensor& grad) {
  plt::Figure fig;
  fig.plot(a, sin_a, plt::LineOptions{.label = "sin(a)"}).plot(a, grad, plt::LineOptions{.label = "gradient of sum(2 sin(a) + 1) = 2cos(a)"});
  fig.xlabel("a").legend().grid();
  save(fig, "sine_gradient", "sin(a) and the gradient autograd computed for 2 sin(a) + 1");
}

void Figures::learned_line(const Tensor& xs, const Tensor& ys, double k, double b) {
  plt::Figure fig;
  Tensor line_x = kiln::linspace(0, 3, 50);
  fig.scatter(xs, ys, plt::ScatterOptions{.label = "data"}).plot(line_x, k * line_x + b, plt::LineOptions{.label = "learned y = kx + b"});
  fig.xlabel("x").ylabel("y").legend().grid();
  save(fig, "learned_line", "The line learned by gradient descent from (1, 5) and (2, 7)");
}

void Figures::dice(const Tensor& estimates) {
  plt::Figure fig(plt::FigSize{6, 4.5});
  Tensor groups = kiln::arange(1, estimates.size(0) + 1);
  for (int64_t face = 0; face < 6; ++face)
    fig.plot(groups, column(estimates, face), "P(die=" + std::to_string(face + 1) + ")");
  fig.axhline(0.167, plt::RefLineOptions{.color = "k", .linestyle = "--"});
  fig.xlabel("Groups of experiments").ylabel("Estimated probability").legend();
  save(fig, "dice", "Running estimates of each face's probability converge to 1/6");
}

void Figures::densities(const std::vector<Density>& panels) {
  plt::Figure fig = plt::Figure::subplots(1, static_cast<int>(panels.size()), plt::FigSize{4.0 * static_cast<double>(panels.size()), 3.8});
  for (size_t i = 0; i < panels.size(); ++i) {
    const Density& p = panels[i];
    plt::Axes& ax = fig.axes(static_cast<int>(i));
    ax.hist(p.samples, plt::HistOptions{.bins = 40, .density = true, .label = "10,000 samples", .alpha = 0.6});
    ax.plot(p.grid, p.pdf, plt::LineOptions{.label = "exp(log_prob)", .color = "k"});
    ax.title(p.name).xlabel("x").legend();
  }
  fig.axes(0).ylabel("density");
  save(fig, "densities", "Histograms of 10,000 samples of each distribution under its density exp(log_prob)");
}

void Figures::gp_linear(const Tensor& x, const Tensor& samples, const Tensor& band) {
  plt::Figure fig;
  for (int64_t s = 0; s < samples.size(1); ++s) fig.plot(x, column(samples, s), plt::LineOptions{.alpha = 0.8});
  fig.fill_between(x, -band, band, 0.25);
  fig.plot(x, kiln::zeros_like(x), plt::LineOptions{.label = "mean", .color = "k", .linewidth = 2});
  fig.xlabel("x").ylabel("f(x)").title("Linear model prior: 10 samples, mean and +-2 std").legend();
  save(fig, "gp_linear", "Samples of f(x) = w0 + w1 x, w ~ N(0, I), with the band +-2 sqrt(1 + x^2)");
}

void Figures::gp_prior(const std::string& name, const std::string& title, const Tensor& x, const Tensor& samples) {
  plt::Figure fig;
  for (int64_t s = 0; s < samples.size(1); ++s) fig.plot(x, column(samples, s));
  fig.xlabel("x").ylabel("f(x)").title(title).grid();
  save(fig, "gp_" + name, title);
}

void Figures::gp_posterior(const Tensor& x, const Tensor& y, const Tensor& xs, const Tensor& mean,
                           const Tensor& two_sigma) {
  plt::Figure fig;
  fig.fill_between(xs, mean - two_sigma, mean + two_sigma, plt::FillOptions{.label = "+-2 std", .alpha = 0.25});
  fig.plot(xs, mean, plt::LineOptions{.label = "posterior mean"}).plot(xs, kiln::sin(xs), plt::LineOptions{.label = "sin(x)", .linestyle = "--"});
  fig.scatter(x, y, plt::ScatterOptions{.label = "noisy observations", .color = "k"});
  fig.xlabel("x").ylabel("f(x)").title("GP posterior (RBF kernel, hyperparameters learned)").legend();
  save(fig, "gp_posterior", "GP posterior mean and band given noisy observations of sin");
}

void Figures::write_index() const {
  std::ofstream html(dir_ / "index.html");
  html << "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>kiln tour</title></head><body>\n"
       << "<h1>kiln: the tour of the notes</h1>\n";
  for (const auto& [name, caption] : written_)
    html << "<figure><img src=\"" << name << ".svg\" alt=\"" << caption << "\"><figcaption>" << caption
         << "</figcaption></figure>\n";
  html << "</body></html>\n";
}
