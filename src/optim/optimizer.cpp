// Optimizer: parameter groups, their checks, zero_grad and state by name.
#include <cstdio>

#include "kiln/autograd.h"
#include "kiln/functions.h"
#include "kiln/optim.h"

namespace kiln::optim {

OptimizerParamGroup::OptimizerParamGroup(std::vector<Tensor> params) : params_(std::move(params)) {}
OptimizerParamGroup::OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options)
    : params_(std::move(params)), options_(std::move(options)) {}
OptimizerParamGroup::OptimizerParamGroup(const OptimizerParamGroup& other)
    : params_(other.params_), options_(other.options_ ? other.options_->clone() : nullptr) {}
OptimizerParamGroup& OptimizerParamGroup::operator=(const OptimizerParamGroup& other) {
  params_ = other.params_;
  options_ = other.options_ ? other.options_->clone() : nullptr;
  return *this;
}
OptimizerOptions& OptimizerParamGroup::options() {
  KILN_CHECK(options_ != nullptr, "OptimizerParamGroup: the group has no options");
  return *options_;
}
const OptimizerOptions& OptimizerParamGroup::options() const {
  KILN_CHECK(options_ != nullptr, "OptimizerParamGroup: the group has no options");
  return *options_;
}

Optimizer::Optimizer(std::string name, std::vector<OptimizerParamGroup> param_groups,
                     std::unique_ptr<OptimizerOptions> defaults)
    : name_(std::move(name)), defaults_(std::move(defaults)) {
  KILN_CHECK(!param_groups.empty(), name_, ": optimizer got an empty parameter list");
  for (const auto& group : param_groups) add_param_group(group);
}

std::string Optimizer::param_key(const Tensor& param) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", static_cast<void*>(param.unsafe_impl()));
  return buf;
}

void Optimizer::add_param_group(const OptimizerParamGroup& param_group) {
  size_t g = param_groups_.size();
  KILN_CHECK(!param_group.params().empty(), name_, ": optimizer got an empty parameter list (group ", g, ")");
  for (size_t i = 0; i < param_group.params().size(); ++i) {
    const Tensor& p = param_group.params()[i];
    KILN_CHECK(p.defined(), name_, ": parameter ", i, " of group ", g, " is undefined");
    KILN_CHECK(p.is_leaf(), name_, ": can't optimize a non-leaf Tensor (parameter ", i, " of group ", g,
               ", shape ", p.sizes(), ")");
    KILN_CHECK(p.is_floating_point(), name_, ": parameter ", i, " of group ", g,
               " must be floating point, got dtype ", p.dtype());
    for (const auto& other : param_groups_)
      for (const Tensor& q : other.params())
        KILN_CHECK(!q.is_same(p), name_, ": some parameters appear in more than one parameter group");
    for (size_t j = 0; j < i; ++j)
      KILN_CHECK(!param_group.params()[j].is_same(p), name_, ": parameter ", i, " of group ", g,
                 " appears more than once in the group");
  }
  OptimizerParamGroup group(param_group.params(),
                            param_group.has_options() ? param_group.options().clone() : defaults_->clone());
  param_groups_.push_back(std::move(group));
}

void Optimizer::zero_grad(bool set_to_none) {
  for (auto& group : param_groups_)
    for (auto& p : group.params()) {
      Tensor& g = p.mutable_grad();
      if (!g.defined()) continue;
      if (set_to_none) {
        g = Tensor();
      } else {
        g.detach_();
        g.zero_();
      }
    }
}

const std::vector<Tensor>& Optimizer::parameters() const noexcept { return param_groups_.at(0).params(); }
std::vector<Tensor>& Optimizer::parameters() noexcept { return param_groups_.at(0).params(); }
size_t Optimizer::size() const noexcept {
  size_t n = 0;
  for (const auto& group : param_groups_) n += group.params().size();
  return n;
}

std::map<std::string, Tensor> Optimizer::state_tensors() const {
  std::map<std::string, Tensor> out;
  size_t index = 0;
  for (size_t g = 0; g < param_groups_.size(); ++g) {
    for (const auto& [name, value] : param_groups_[g].options().values())
      out.emplace("group." + std::to_string(g) + "." + name, scalar_tensor(value, kFloat64));
    out.emplace("group." + std::to_string(g) + ".size",
                scalar_tensor(static_cast<int64_t>(param_groups_[g].params().size()), kInt64));
    for (const Tensor& p : param_groups_[g].params()) {
      auto it = state_.find(param_key(p));
      if (it != state_.end())
        for (const auto& [name, t] : it->second->tensors())
          if (t.defined()) out.emplace(std::to_string(index) + "." + name, t.detach().contiguous());
      ++index;
    }
  }
  return out;
}

void Optimizer::load_state_tensors(const std::map<std::string, Tensor>& tensors) {
  // Check the layout first, so a failed load changes nothing.
  for (size_t g = 0; g < param_groups_.size(); ++g) {
    std::string key = "group." + std::to_string(g) + ".size";
    auto it = tensors.find(key);
    KILN_CHECK(it != tensors.end(), name_, " load: '", key, "' is missing (the file has fewer parameter groups)");
    auto n = it->second.item<int64_t>();
    KILN_CHECK(n == static_cast<int64_t>(param_groups_[g].params().size()), name_, " load: group ", g, " has ", n,
               " parameters in the file but ", param_groups_[g].params().size(), " here");
  }
  size_t index = 0;
  for (size_t g = 0; g < param_groups_.size(); ++g) {
    std::string prefix = "group." + std::to_string(g) + ".";
    std::map<std::string, double> values;
    for (const auto& [key, t] : tensors)
      if (key.compare(0, prefix.size(), prefix) == 0 && key != prefix + "size")
        values.emplace(key.substr(prefix.size()), t.item<double>());
    param_groups_[g].options().set_values(values);
    for (const Tensor& p : param_groups_[g].params()) {
      std::string own = std::to_string(index++) + ".";
      std::map<std::string, Tensor> mine;
      for (const auto& [key, t] : tensors)
        if (key.compare(0, own.size(), own) == 0) mine.emplace(key.substr(own.size()), t);
      if (mine.empty()) {
        state_.erase(param_key(p));
        continue;
      }
      auto state = make_state();
      state->set_tensors(mine);
      if (state_is_per_element())
        for (const auto& [name, t] : state->tensors())
          KILN_CHECK(!t.defined() || t.dim() == 0 || t.sizes() == p.sizes(), name_, " load: state '", own, name, "' has shape ",
                     t.sizes(), " but the parameter has shape ", p.sizes());
      state_[param_key(p)] = std::move(state);
    }
  }
}

Tensor Optimizer::evaluate(const LossClosure& closure) {
  if (!closure) return {};
  AutoGradMode enable(true);
  return closure();
}

}  // namespace kiln::optim
