// RMSprop, plain or centered, with momentum (torch.optim.RMSprop).
#include "kiln/autograd.h"
#include "kiln/fused_optim.h"
#include "kiln/optim.h"
#include "state_io.h"

namespace kiln::optim {
namespace {
void check(const RMSpropOptions& o) {
  KILN_CHECK(o.lr() >= 0, "RMSprop: invalid learning rate: ", o.lr());
  KILN_CHECK(o.eps() >= 0, "RMSprop: invalid epsilon value: ", o.eps());
  KILN_CHECK(o.momentum() >= 0, "RMSprop: invalid momentum value: ", o.momentum());
  KILN_CHECK(o.weight_decay() >= 0, "RMSprop: invalid weight_decay value: ", o.weight_decay());
  KILN_CHECK(o.alpha() >= 0, "RMSprop: invalid alpha value: ", o.alpha());
}
}  // namespace

RMSpropOptions::RMSpropOptions(double lr) : lr_(lr) {}
std::map<std::string, double> RMSpropOptions::values() const {
  return {{"lr", lr()},
          {"alpha", alpha()},
          {"eps", eps()},
          {"weight_decay", weight_decay()},
          {"momentum", momentum()},
          {"centered", centered() ? 1.0 : 0.0}};
}
void RMSpropOptions::set_values(const std::map<std::string, double>& v) {
  lr(detail::value_or(v, "lr", lr()));
  alpha(detail::value_or(v, "alpha", alpha()));
  eps(detail::value_or(v, "eps", eps()));
  weight_decay(detail::value_or(v, "weight_decay", weight_decay()));
  momentum(detail::value_or(v, "momentum", momentum()));
  centered(detail::value_or(v, "centered", centered()) != 0);
}

std::map<std::string, Tensor> RMSpropParamState::tensors() const {
  return {{"step", detail::number(static_cast<double>(step()))},
          {"square_avg", square_avg()},
          {"momentum_buffer", momentum_buffer()},
          {"grad_avg", grad_avg()}};
}
void RMSpropParamState::set_tensors(const std::map<std::string, Tensor>& t) {
  step(static_cast<int64_t>(detail::number_or(t, "step", 0)));
  square_avg(detail::tensor_or(t, "square_avg"));
  momentum_buffer(detail::tensor_or(t, "momentum_buffer"));
  grad_avg(detail::tensor_or(t, "grad_avg"));
}

RMSprop::RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults)
    : Optimizer("RMSprop", std::move(param_groups), (check(defaults), std::make_unique<RMSpropOptions>(defaults))) {}

Tensor RMSprop::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    auto& o = static_cast<RMSpropOptions&>(group.options());
    check(o);
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& s = state_for<RMSpropParamState>(p);
      s.step(s.step() + 1);
      fused::RMSpropHyper h{o.lr(), o.alpha(), o.eps(), o.weight_decay(), o.momentum(), o.centered()};
      fused::rmsprop_(p, p.grad(), s.square_avg(), s.grad_avg(), s.momentum_buffer(), h);
    }
  }
  return loss;
}

}  // namespace kiln::optim
