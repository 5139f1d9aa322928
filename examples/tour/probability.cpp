// 5. Probability: sampling dice, the law of large numbers, Bayes on a table.
#include <kiln/kiln.h>

#include <iostream>

#include "sections.h"

void probability(Figures& figs) {
  std::cout << "\n== 5. Probability ==\n";
  kiln::manual_seed(2);
  kiln::Tensor fair_probs = kiln::ones({6}) / 6;
  auto counts_of = [](const kiln::Tensor& rolls) {  // rolls: [..., n] face indices
    return (rolls.unsqueeze(-1) == kiln::arange(6)).sum({-2});
  };
  kiln::Tensor once = counts_of(kiln::multinomial(fair_probs, 10, true));
  std::cout << "counts of 10 rolls: " << once << "\n";
  kiln::Tensor thousand = counts_of(kiln::multinomial(fair_probs, 1000, true));
  std::cout << "relative frequencies of 1000 rolls: " << thousand.to(kiln::kFloat32) / 1000 << "\n";

  // 500 groups of 10 rolls: the running estimates converge to 1/6.
  kiln::Tensor groups = counts_of(kiln::multinomial(fair_probs.expand({500, 6}), 10, true));
  kiln::Tensor cum_counts = groups.cumsum(0).to(kiln::kFloat32);
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
}
