// The tour's figures: each is saved as SVG and PNG and listed, with its
// caption, in index.html.
#pragma once
#include <kiln/kiln.h>
#include <kiln/plot.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

class Figures {
 public:
  explicit Figures(std::filesystem::path dir);

  void tangent(const kiln::Tensor& x, const kiln::Tensor& f, const kiln::Tensor& tangent);
  void sine(const kiln::Tensor& a, const kiln::Tensor& sin_a, const kiln::Tensor& grad);
  void learned_line(const kiln::Tensor& xs, const kiln::Tensor& ys, double k, double b);
  void dice(const kiln::Tensor& estimates);
  // One panel per distribution: a density histogram of samples under the density curve.
  struct Density {
    std::string name;
    kiln::Tensor samples, grid, pdf;
  };
  void densities(const std::vector<Density>& panels);
  void gp_linear(const kiln::Tensor& x, const kiln::Tensor& samples, const kiln::Tensor& band);
  void gp_prior(const std::string& name, const std::string& title, const kiln::Tensor& x,
                const kiln::Tensor& samples);
  void gp_posterior(const kiln::Tensor& x, const kiln::Tensor& y, const kiln::Tensor& xs, const kiln::Tensor& mean,
                    const kiln::Tensor& two_sigma);
  void write_index() const;

 private:
  void save(const kiln::plot::Figure& fig, const std::string& name, const std::string& caption);
  std::filesystem::path dir_;
  std::vector<std::pair<std::string, std::string>> written_;  // (name, caption)
};
