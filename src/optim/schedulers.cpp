// Learning-rate schedulers: StepLR (libtorch's) and CosineAnnealingLR (PyTorch's).
#include <cmath>
#include <numbers>

#include "kiln/optim.h"

namespace kiln::optim {

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(optimizer) {}

void LRScheduler::step() {
  std::vector<double> lrs = get_lrs();
  auto& groups = optimizer_.param_groups();
  KILN_CHECK(lrs.size() == groups.size(), "LRScheduler: got ", lrs.size(), " learning rates for ", groups.size(),
             " parameter groups");
  for (size_t i = 0; i < groups.size(); ++i) groups[i].options().set_lr(lrs[i]);
  ++step_count_;
}

std::vector<double> LRScheduler::get_current_lrs() const {
  std::vector<double> lrs;
  for (const auto& group : optimizer_.param_groups()) lrs.push_back(group.options().get_lr());
  return lrs;
}

StepLR::StepLR(Optimizer& optimizer, unsigned step_size, double gamma)
    : LRScheduler(optimizer), step_size_(step_size), gamma_(gamma) {
  KILN_CHECK(step_size > 0, "StepLR: step_size must be positive, got ", step_size);
}

std::vector<double> StepLR::get_lrs() {
  std::vector<double> lrs = get_current_lrs();
  if (step_count_ != 0 && step_count_ % step_size_ == 0)
    for (double& lr : lrs) lr *= gamma_;
  return lrs;
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, unsigned T_max, double eta_min)
    : LRScheduler(optimizer), T_max_(T_max), eta_min_(eta_min), base_lrs_(get_current_lrs()) {
  KILN_CHECK(T_max > 0, "CosineAnnealingLR: T_max must be positive, got ", T_max);
}

std::vector<double> CosineAnnealingLR::get_lrs() {
  // This call takes PyTorch's scheduler to epoch step_count_ + 1.
  double epoch = step_count_ + 1.0, T = T_max_;
  std::vector<double> lrs = get_current_lrs();
  for (size_t i = 0; i < lrs.size(); ++i) {
    if (std::fmod(epoch - 1 - T, 2 * T) == 0)
      lrs[i] += (base_lrs_[i] - eta_min_) * (1 - std::cos(std::numbers::pi / T)) / 2;
    else
      lrs[i] = (1 + std::cos(std::numbers::pi * epoch / T)) / (1 + std::cos(std::numbers::pi * (epoch - 1) / T)) *
                   (lrs[i] - eta_min_) +
               eta_min_;
  }
  return lrs;
}

}  // namespace kiln::optim
