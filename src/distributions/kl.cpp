// The registry and its lookup (torch's _dispatch_kl): the most specific
// (p class, q class) pair along each argument's lineage.
#include <map>
#include <mutex>

#include "common.h"
#include "kl_rules.h"

namespace kiln::distributions {
namespace {

using Key = std::pair<std::string, std::string>;

struct Registry {
  std::mutex mutex;
  std::map<Key, KLRule> rules;
  Registry() {
    for (const auto& list : {kl::same_family_rules(), kl::cross_family_rules()})
      for (const kl::Rule& r : list) rules[{r.p, r.q}] = r.rule;
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void register_kl(const std::string& p_class, const std::string& q_class, KLRule rule) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.rules[{p_class, q_class}] = rule;
}

std::vector<std::pair<std::string, std::string>> registered_kl_pairs() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, rule] : r.rules) out.push_back(key);
  return out;
}

Tensor kl_divergence(const Distribution& p, const Distribution& q) {
  KLRule rule = nullptr;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    for (const std::string& pc : p.lineage()) {
      for (const std::string& qc : q.lineage()) {
        auto it = r.rules.find({pc, qc});
        if (it != r.rules.end()) {
          rule = it->second;
          break;
        }
      }
      if (rule) break;
    }
  }
  KILN_CHECK(rule != nullptr, "kl_divergence: no KL(p || q) is implemented for p type ", p.name(), " and q type ",
             q.name());
  return rule(p, q);
}

}  // namespace kiln::distributions
