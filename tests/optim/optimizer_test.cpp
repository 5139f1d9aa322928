// Optimisers: the bad-input errors, param groups, state save/load continuing
// exactly, and the schedulers (CosineAnnealingLR against torch).
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <filesystem>

#include "linalg/oracle.h"

namespace {
using kiln::Tensor;
namespace optim = kiln::optim;
using kiln_test::expect_error;

TEST(Optimizer, BadInputErrors) {
  Tensor leaf = kiln::ones({2}, kiln::requires_grad());
  Tensor non_leaf = leaf * 2;
  expect_error([&] { optim::SGD({non_leaf}, optim::SGDOptions(0.1)); }, {"SGD", "non-leaf", "[2]"});
  expect_error([&] { optim::Adam(std::vector<Tensor>{}, optim::AdamOptions(0.1)); }, {"Adam", "empty parameter list"});
  expect_error([&] { optim::SGD({leaf}, optim::SGDOptions(-1)); }, {"SGD", "learning rate", "-1"});
  expect_error([&] { optim::SGD({leaf}, optim::SGDOptions(0.1).nesterov(true)); }, {"SGD", "nesterov"});
  expect_error([&] { optim::Adam({leaf}, optim::AdamOptions(0.1).betas({1.0, 0.9})); }, {"Adam", "beta", "index 0"});
  expect_error([&] { optim::RMSprop({leaf, leaf}); }, {"RMSprop", "more than once"});
  expect_error([&] { optim::LBFGS({leaf}).step(nullptr); }, {"LBFGS", "closure"});
  expect_error([&] { optim::LBFGS({leaf}, optim::LBFGSOptions().line_search_fn("armijo")); }, {"LBFGS", "armijo"});
  expect_error([&] { optim::SGD({kiln::ones({2}, kiln::kInt64)}, optim::SGDOptions(0.1)); }, {"SGD", "floating"});
}

Tensor quadratic(const Tensor& w) { return (w * w * kiln::arange(1, 4, kiln::kFloat64)).sum(); }

TEST(Optimizer, ParamGroupsKeepTheirOwnOptions) {
  Tensor a = kiln::ones({3}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  Tensor b = kiln::ones({3}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  std::vector<optim::OptimizerParamGroup> groups{
      optim::OptimizerParamGroup({a}),
      optim::OptimizerParamGroup({b}, std::make_unique<optim::SGDOptions>(optim::SGDOptions(0.01)))};
  optim::SGD opt(groups, optim::SGDOptions(0.1));
  EXPECT_EQ(opt.param_groups().size(), 2u);
  EXPECT_DOUBLE_EQ(opt.param_groups()[1].options().get_lr(), 0.01);
  (quadratic(a) + quadratic(b)).backward();
  opt.step();
  // w -= lr * 2 i w, for i = 1, 2, 3.
  EXPECT_TRUE(kiln::allclose(a, 1 - 0.1 * 2 * kiln::arange(1, 4, kiln::kFloat64)));
  EXPECT_TRUE(kiln::allclose(b, 1 - 0.01 * 2 * kiln::arange(1, 4, kiln::kFloat64)));
  opt.zero_grad();
  EXPECT_EQ(a.grad().abs().sum().item<double>(), 0.0);
}

template <class Opt, class Options>
void check_resume(Options options, const std::string& name) {
  SCOPED_TRACE(name);
  auto path = std::filesystem::temp_directory_path() / ("kiln_optim_state_" + name + ".safetensors");
  auto run = [&](Tensor& w, optim::Optimizer& opt, int steps) {
    for (int i = 0; i < steps; ++i) {
      opt.zero_grad();
      quadratic(w.sin()).backward();
      opt.step();
    }
  };
  Tensor w1 = kiln::linspace(0.5, 1.5, 3, kiln::kFloat64).requires_grad_();
  Opt straight({w1}, options);
  run(w1, straight, 6);

  Tensor w2 = kiln::linspace(0.5, 1.5, 3, kiln::kFloat64).requires_grad_();
  {
    Opt first({w2}, options);
    run(w2, first, 3);
    kiln::save(first, path.string());
  }
  Opt second({w2}, Options(123.0));  // options come back from the file too
  kiln::load(second, path.string());
  EXPECT_DOUBLE_EQ(second.param_groups()[0].options().get_lr(), options.lr());
  run(w2, second, 3);
  EXPECT_TRUE(kiln::equal(w1, w2)) << w1 << w2;
  std::filesystem::remove(path);
}

TEST(Optimizer, StateSaveLoadResumesExactly) {
  check_resume<optim::SGD>(optim::SGDOptions(0.1).momentum(0.9).nesterov(true), "sgd");
  check_resume<optim::Adam>(optim::AdamOptions(0.1).amsgrad(true), "adam");
  check_resume<optim::AdamW>(optim::AdamWOptions(0.1), "adamw");
  check_resume<optim::RMSprop>(optim::RMSpropOptions(0.01).centered(true).momentum(0.3), "rmsprop");
}

TEST(Optimizer, LoadRejectsAnotherOptimizersState) {
  auto path = (std::filesystem::temp_directory_path() / "kiln_optim_state_mismatch.safetensors").string();
  Tensor w = kiln::ones({2}, kiln::requires_grad());
  optim::SGD sgd({w}, optim::SGDOptions(0.1));
  kiln::save(sgd, path);
  optim::Adam adam({w});
  expect_error([&] { kiln::load(adam, path); }, {"load", "SGD", "Adam"});
  Tensor v = kiln::ones({2}, kiln::requires_grad());
  optim::SGD two({w, v}, optim::SGDOptions(0.1));
  expect_error([&] { kiln::load(two, path); }, {"SGD", "group 0", "1 parameters", "2"});
  std::filesystem::remove(path);
}

TEST(Scheduler, StepLRDecaysAsLibtorch) {
  Tensor w = kiln::ones({1}, kiln::requires_grad());
  optim::SGD opt({w}, optim::SGDOptions(1.0));
  optim::StepLR sched(opt, 2, 0.5);
  std::vector<double> lrs;
  for (int i = 0; i < 6; ++i) {
    sched.step();
    lrs.push_back(opt.param_groups()[0].options().get_lr());
  }
  // libtorch's rule: call k (from 1) sets lr * gamma^floor((k - 1) / step_size).
  for (int k = 1; k <= 6; ++k) EXPECT_DOUBLE_EQ(lrs[static_cast<size_t>(k - 1)], std::pow(0.5, (k - 1) / 2)) << k;
}

TEST(Scheduler, CosineAnnealingLREqualsTorch) {
  auto expected = linalg_test::torch_eval(R"PY(
w = torch.ones(1, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.5)
s = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.01)
lrs = []
for _ in range(10):
    opt.step(); s.step(); lrs.append(opt.param_groups[0]['lr'])
out.append(torch.tensor(lrs))
)PY");
  Tensor w = kiln::ones({1}, kiln::requires_grad());
  optim::SGD opt({w}, optim::SGDOptions(0.5));
  optim::CosineAnnealingLR sched(opt, 4, 0.01);
  std::vector<double> lrs;
  for (int i = 0; i < 10; ++i) {
    sched.step();
    lrs.push_back(opt.param_groups()[0].options().get_lr());
  }
  linalg_test::expect_close(kiln::tensor(lrs, kiln::kFloat64), expected.at(0), 1e-12);
}

}  // namespace
