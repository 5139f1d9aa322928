// The KL rules, by family; kl.cpp registers them.
#pragma once
#include <string>
#include <vector>

#include "kiln/distributions.h"

namespace kiln::distributions::kl {

struct Rule {
  const char* p;
  const char* q;
  KLRule rule;
};

// Pairs within one family (kl_same.cpp) and across families (kl_cross.cpp).
std::vector<Rule> same_family_rules();
std::vector<Rule> cross_family_rules();

// The statically known class of a registered argument.
template <class D>
const D& as(const Distribution& d) {
  return static_cast<const D&>(d);
}

}  // namespace kiln::distributions::kl
