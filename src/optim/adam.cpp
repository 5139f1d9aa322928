// Adam and AdamW, with amsgrad (torch.optim.Adam / AdamW).
#include <tuple>

#include "kiln/autograd.h"
#include "kiln/fused_optim.h"
#include "kiln/optim.h"
#include "state_io.h"

namespace kiln::optim {
namespace {
template <class Options>
std::map<std::string, double> adam_values(const Options& o) {
  return {{"lr", o.lr()},
          {"beta1", std::get<0>(o.betas())},
          {"beta2", std::get<1>(o.betas())},
          {"eps", o.eps()},
          {"weight_decay", o.weight_decay()},
          {"amsgrad", o.amsgrad() ? 1.0 : 0.0}};
}
template <class Options>
void set_adam_values(Options& o, const std::map<std::string, double>& v) {
  o.lr(detail::value_or(v, "lr", o.lr()));
  o.betas({detail::value_or(v, "beta1", std::get<0>(o.betas())), detail::value_or(v, "beta2", std::get<1>(o.betas()))});
  o.eps(detail::value_or(v, "eps", o.eps()));
  o.weight_decay(detail::value_or(v, "weight_decay", o.weight_decay()));
  o.amsgrad(detail::value_or(v, "amsgrad", o.amsgrad()) != 0);
}
template <class Options>
void check(const char* name, const Options& o) {
  auto [b1, b2] = o.betas();
  KILN_CHECK(o.lr() >= 0, name, ": invalid learning rate: ", o.lr());
  KILN_CHECK(o.eps() >= 0, name, ": invalid epsilon value: ", o.eps());
  KILN_CHECK(b1 >= 0 && b1 < 1, name, ": invalid beta parameter at index 0: ", b1);
  KILN_CHECK(b2 >= 0 && b2 < 1, name, ": invalid beta parameter at index 1: ", b2);
  KILN_CHECK(o.weight_decay() >= 0, name, ": invalid weight_decay value: ", o.weight_decay());
}

// One step of every parameter with a gradient; `decoupled` for AdamW.
template <class Options>
void adam_step(std::vector<OptimizerParamGroup>& groups, bool decoupled,
               const std::function<AdamParamState&(const Tensor&)>& state_of) {
  NoGradGuard no_grad;
  for (auto& group : groups) {
    auto& o = static_cast<Options&>(group.options());
    check(decoupled ? "AdamW" : "Adam", o);
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      AdamParamState& s = state_of(p);
      s.step(s.step() + 1);
      fused::AdamHyper h{o.lr(), std::get<0>(o.betas()), std::get<1>(o.betas()), o.eps(), o.weight_decay(),
                         o.amsgrad(), decoupled, s.step()};
      fused::adam_(p, p.grad(), s.exp_avg(), s.exp_avg_sq(), s.max_exp_avg_sq(), h);
    }
  }
}
}  // namespace

AdamOptions::AdamOptions(double lr) : lr_(lr) {}
std::map<std::string, double> AdamOptions::values() const { return adam_values(*this); }
void AdamOptions::set_values(const std::map<std::string, double>& v) { set_adam_values(*this, v); }
AdamWOptions::AdamWOptions(double lr) : lr_(lr) {}
std::map<std::string, double> AdamWOptions::values() const { return adam_values(*this); }
void AdamWOptions::set_values(const std::map<std::string, double>& v) { set_adam_values(*this, v); }

std::map<std::string, Tensor> AdamParamState::tensors() const {
  return {{"step", detail::number(static_cast<double>(step()))},
          {"exp_avg", exp_avg()},
          {"exp_avg_sq", exp_avg_sq()},
          {"max_exp_avg_sq", max_exp_avg_sq()}};
}
void AdamParamState::set_tensors(const std::map<std::string, Tensor>& t) {
  step(static_cast<int64_t>(detail::number_or(t, "step", 0)));
  exp_avg(detail::tensor_or(t, "exp_avg"));
  exp_avg_sq(detail::tensor_or(t, "exp_avg_sq"));
  max_exp_avg_sq(detail::tensor_or(t, "max_exp_avg_sq"));
}

Adam::Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults)
    : Optimizer("Adam", std::move(param_groups), (check("Adam", defaults), std::make_unique<AdamOptions>(defaults))) {}

Tensor Adam::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  adam_step<AdamOptions>(param_groups_, false, [this](const Tensor& p) -> AdamParamState& {
    return state_for<AdamParamState>(p);
  });
  return loss;
}

AdamW::AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults)
    : Optimizer("AdamW", std::move(param_groups),
                (check("AdamW", defaults), std::make_unique<AdamWOptions>(defaults))) {}

Tensor AdamW::step(LossClosure closure) {
  Tensor loss = evaluate(closure);
  adam_step<AdamWOptions>(param_groups_, true, [this](const Tensor& p) -> AdamParamState& {
    return state_for<AdamParamState>(p);
  });
  return loss;
}

}  // namespace kiln::optim
