// 5. Probability: sampling dice, the law of large numbers, Bayes on a table,
// and densities against samples.
#include <kiln/kiln.h>

#include <iostream>

#include "sections.h"

namespace D = kiln::distributions;

void probability(Figures& figs) {
  std::cout << "\n== 5. Probability ==\n";
  kiln::manual_seed(2);
  kiln::Tensor fair_probs = kiln::ones({6}) / 6;
  std::cout << "counts of 10 rolls: " << D::Multinomial(1, fair_probs).sample({10}).sum({0}) << "\n";
  std::cout << "counts of 10 rolls, at once: " << D::Multinomial(10, fair_probs).sample() << "\n";
  std::cout << "relative frequencies of 1000 rolls: " << D::Multinomial(1000, fair_probs).sample() / 1000 << "\n";

  // 500 groups of 10 rolls: the running estimates converge to 1/6.
  kiln::Tensor counts = D::Multinomial(10, fair_probs).sample({500});
  kiln::Tensor cum_counts = counts.cumsum(0);
  kiln::Tensor estimates = cum_counts / cum_counts.sum({1}, true);
  std::cout << "estimates after 500 groups: " << estimates[-1] << "\n";
  figs.dice(estimates);

  // Bayes and marginalisation on a joint table P(A, B).
  kiln::Tensor joint = kiln::tensor({{0.30, 0.10}, {0.20, 0.40}}, kiln::kFloat64);
  kiln::Tensor p_a = joint.sum({1}), p_b = joint.sum({0});
  kiln::Tensor a_given_b = joint / p_b, b_given_a = joint / p_a.unsqueeze(1);
  kiln::Tensor bayes = b_given_a * p_a.unsqueeze(1) / p_b;
  std::cout << "P(A) = " << p_a << ", P(B) = " << p_b << "\nP(A|B) = " << a_given_b
            << "\nBayes P(B|A) P(A) / P(B) == P(A|B): " << kiln::allclose(bayes, a_given_b) << "\n";

  // Continuous random variables: 10,000 draws of each against its density
  // exp(log_prob), and the sample moments against mean() and variance().
  std::vector<Figures::Density> panels;
  auto show = [&](const std::string& name, const D::Distribution& d, double lo, double hi) {
    kiln::Tensor x = d.sample({10000});
    kiln::Tensor grid = kiln::linspace(lo, hi, 300);
    panels.push_back({name, x, grid, d.log_prob(grid).exp()});
    std::cout << name << ": E[X] = " << d.mean().item<double>() << " (samples " << x.mean().item<double>()
              << "), Var[X] = " << d.variance().item<double>() << " (samples " << x.var().item<double>() << ")\n";
  };
  show("Normal(0, 1)", D::Normal(0.0, 1.0), -4, 4);
  show("LogNormal(0, 0.5)", D::LogNormal(0.0, 0.5), 0.01, 5);
  show("Gumbel(1, 2)", D::Gumbel(1.0, 2.0), -6, 16);
  show("Gamma(2.5, 1)", D::Gamma(2.5, 1.0), 0.01, 12);
  show("Beta(2, 5)", D::Beta(2.0, 5.0), 0.001, 0.999);
  figs.densities(panels);
}
