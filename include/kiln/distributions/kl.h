// kl_divergence(p, q) = E_p[log p(X) - log q(X)], batched, for every pair
// torch registers among kiln's families (kiln/distributions.h lists them:
// registered_kl_pairs()). The pair is looked up by class, the most specific
// match first (a Chi2 is a Gamma, a LogNormal a TransformedDistribution).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "kiln/distributions/distribution.h"

namespace kiln::distributions {

Tensor kl_divergence(const Distribution& p, const Distribution& q);

// Adds or replaces the rule for (p_class, q_class), as torch's @register_kl.
using KLRule = Tensor (*)(const Distribution& p, const Distribution& q);
void register_kl(const std::string& p_class, const std::string& q_class, KLRule rule);
// The registered (p, q) class pairs, sorted.
std::vector<std::pair<std::string, std::string>> registered_kl_pairs();

}  // namespace kiln::distributions
