// SGD with momentum, dampening, Nesterov and weight decay (torch.optim.SGD).
#include "kiln/autograd.h"
#include "kiln/fused_optim.h"
#include "kiln/optim.h"
#include "state_io.h"

namespace kiln::optim {

SGDOptions::SGDOptions(double lr) : lr_(lr) {}

std::map<std::string, double> SGDOptions::values() const {
  return {{"lr", lr()}, {"momentum", momentum()}, {"dampening", dampening()},
          {"weight_decay", weight_decay()}, {"nesterov", nesterov() ? 1.0 : 0.0}};
}
void SGDOptions::set_values(const std::map<std::string, double>& v) {
  lr(detail::value_or(v, "lr", lr()));
  momentum(detail::value_or(v, "momentum", momentum()));
  dampening(detail::value_or(v, "dampening", dampening()));
  weight_decay(detail::value_or(v, "weight_decay", weight_decay()));
  nesterov(detail::value_or(v, "nesterov", nesterov()) != 0);
}

std::map<std::string, Tensor> SGDParamState::tensors() const { return {{"momentum_buffer", momentum_buffer()}}; }
void SGDParamState::set_tensors(const std::map<std::string, Tensor>& t) {
  momentum_buffer(detail::tensor_or(t, "momentum_buffer"));
}

namespace {
void check(const SGDOptions& o) {
  KILN_CHECK(o.lr() >= 0, "SGD: invalid learning rate: ", o.lr());
  KILN_CHECK(o.momentum() >= 0, "SGD: invalid momentum value: ", o.momentum());
  KILN_CHECK(o.weight_decay() >= 0, "SGD: invalid weight_decay value: ", o.weight_decay());
  KILN_CHECK(!o.nesterov() || (o.momentum() > 0 && o.dampening() == 0),
             "SGD: nesterov momentum requires a momentum and zero dampening (momentum=", o.momentum(),
             ", dampening=", o.dampening(), ")");
}
}  // namespace

SGD::SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults)
    : Optimizer("SGD", std::move(param_groups), (check(defaults), std::make_unique<SGDOptions>(defaults))) {}

Tensor SGD::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    auto& o = static_cast<SGDOptions&>(group.options());
    check(o);
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& s = state_for<SGDParamState>(p);
      bool first = !s.momentum_buffer().defined();
      fused::sgd_(p, p.grad(), s.momentum_buffer(), o.lr(), o.momentum(), o.dampening(), o.weight_decay(),
                  o.nesterov(), first);
    }
  }
  return loss;
}

}  // namespace kiln::optim
