// Each optimiser's first 10 steps on a fixed problem equal torch.optim's
// (computed by /usr/bin/python3 with torch at test time; the test fails
// without it), in float64: every option variant, param groups, LBFGS with and
// without the strong-Wolfe line search.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <functional>
#include <memory>

#include "linalg/oracle.h"

namespace {
using kiln::Tensor;
namespace optim = kiln::optim;
using linalg_test::mk;

struct Variant {
  const char* name;
  const char* python;  // builds `opt` from `params`
  std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)> make;
  bool closure = false;
};

const char* kProblem = R"PY(
X = mk(6, 3, seed=2.0); Y = mk(6, 2, seed=3.0)
w = mk(3, 2, seed=0.0).requires_grad_(); b = mk(2, seed=1.0).requires_grad_()
params = [w, b]
def loss_fn():
    return ((torch.tanh(X @ w + b) - Y) ** 2).sum()
)PY";

const char* kSteps = R"PY(
rows = []
for _ in range(10):
    def closure():
        opt.zero_grad()
        l = loss_fn()
        l.backward()
        return l
    if CLOSURE:
        opt.step(closure)
    else:
        closure()
        opt.step()
    rows.append(torch.cat([w.detach().reshape(-1), b.detach().reshape(-1)]))
out.append(torch.stack(rows))
)PY";

std::vector<Variant> variants() {
  using P = std::vector<Tensor>;
  auto groups = [](const P& p, std::unique_ptr<optim::OptimizerOptions> second) {
    return std::vector<optim::OptimizerParamGroup>{optim::OptimizerParamGroup({p[0]}),
                                                   optim::OptimizerParamGroup({p[1]}, std::move(second))};
  };
  return {
      {"sgd", "opt = torch.optim.SGD(params, lr=0.1)",
       [](P p) { return std::make_unique<optim::SGD>(p, optim::SGDOptions(0.1)); }},
      {"sgd momentum", "opt = torch.optim.SGD(params, lr=0.1, momentum=0.9)",
       [](P p) { return std::make_unique<optim::SGD>(p, optim::SGDOptions(0.1).momentum(0.9)); }},
      {"sgd dampening wd", "opt = torch.optim.SGD(params, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)",
       [](P p) {
         return std::make_unique<optim::SGD>(p, optim::SGDOptions(0.05).momentum(0.9).dampening(0.1).weight_decay(0.01));
       }},
      {"sgd nesterov", "opt = torch.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.05)",
       [](P p) {
         return std::make_unique<optim::SGD>(p, optim::SGDOptions(0.05).momentum(0.9).nesterov(true).weight_decay(0.05));
       }},
      {"sgd groups",
       "opt = torch.optim.SGD([{'params': [w]}, {'params': [b], 'lr': 0.01, 'momentum': 0.5}], lr=0.1)",
       [groups](P p) {
         return std::make_unique<optim::SGD>(groups(p, std::make_unique<optim::SGDOptions>(optim::SGDOptions(0.01).momentum(0.5))),
                                             optim::SGDOptions(0.1));
       }},
      {"adam", "opt = torch.optim.Adam(params, lr=0.05)",
       [](P p) { return std::make_unique<optim::Adam>(p, optim::AdamOptions(0.05)); }},
      {"adam amsgrad wd betas", "opt = torch.optim.Adam(params, lr=0.05, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True)",
       [](P p) {
         return std::make_unique<optim::Adam>(
             p, optim::AdamOptions(0.05).betas({0.8, 0.9}).weight_decay(0.1).amsgrad(true));
       }},
      {"adamw", "opt = torch.optim.AdamW(params, lr=0.05)",
       [](P p) { return std::make_unique<optim::AdamW>(p, optim::AdamWOptions(0.05)); }},
      {"adamw amsgrad", "opt = torch.optim.AdamW(params, lr=0.05, weight_decay=0.1, amsgrad=True, eps=1e-6)",
       [](P p) {
         return std::make_unique<optim::AdamW>(p, optim::AdamWOptions(0.05).weight_decay(0.1).amsgrad(true).eps(1e-6));
       }},
      {"adam groups", "opt = torch.optim.Adam([{'params': [w]}, {'params': [b], 'lr': 0.2, 'amsgrad': True}], lr=0.05)",
       [groups](P p) {
         return std::make_unique<optim::Adam>(
             groups(p, std::make_unique<optim::AdamOptions>(optim::AdamOptions(0.2).amsgrad(true))),
             optim::AdamOptions(0.05));
       }},
      {"rmsprop", "opt = torch.optim.RMSprop(params, lr=0.01)",
       [](P p) { return std::make_unique<optim::RMSprop>(p, optim::RMSpropOptions(0.01)); }},
      {"rmsprop centered momentum wd",
       "opt = torch.optim.RMSprop(params, lr=0.01, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.1)",
       [](P p) {
         return std::make_unique<optim::RMSprop>(
             p, optim::RMSpropOptions(0.01).alpha(0.9).centered(true).momentum(0.5).weight_decay(0.1));
       }},
      {"lbfgs", "opt = torch.optim.LBFGS(params, lr=1, max_iter=4, history_size=3)",
       [](P p) { return std::make_unique<optim::LBFGS>(p, optim::LBFGSOptions(1).max_iter(4).history_size(3)); },
       true},
      {"lbfgs lr", "opt = torch.optim.LBFGS(params, lr=0.5, max_iter=20)",
       [](P p) { return std::make_unique<optim::LBFGS>(p, optim::LBFGSOptions(0.5)); }, true},
      {"lbfgs strong wolfe",
       "opt = torch.optim.LBFGS(params, lr=1, max_iter=4, history_size=3, line_search_fn='strong_wolfe')",
       [](P p) {
         return std::make_unique<optim::LBFGS>(
             p, optim::LBFGSOptions(1).max_iter(4).history_size(3).line_search_fn("strong_wolfe"));
       },
       true},
  };
}

TEST(OptimGolden, FirstTenStepsEqualTorch) {
  std::string script = kProblem;
  auto all = variants();
  for (const Variant& v : all)
    script += std::string("w.data = mk(3, 2, seed=0.0); b.data = mk(2, seed=1.0); w.grad = None; b.grad = None\n") +
              v.python + "\nCLOSURE = " + (v.closure ? "True" : "False") + "\n" + kSteps;
  std::vector<Tensor> expected = linalg_test::torch_eval(script);
  ASSERT_EQ(expected.size(), all.size());

  Tensor X = mk({6, 3}, 2.0), Y = mk({6, 2}, 3.0);
  for (size_t k = 0; k < all.size(); ++k) {
    SCOPED_TRACE(all[k].name);
    Tensor w = mk({3, 2}, 0.0).requires_grad_(), b = mk({2}, 1.0).requires_grad_();
    auto opt = all[k].make({w, b});
    auto loss_fn = [&] { return (kiln::tanh(X.matmul(w) + b) - Y).pow(2).sum(); };
    auto closure = [&] {
      opt->zero_grad();
      Tensor l = loss_fn();
      l.backward();
      return l;
    };
    std::vector<Tensor> rows;
    for (int i = 0; i < 10; ++i) {
      if (all[k].closure) {
        opt->step(closure);
      } else {
        closure();
        opt->step();
      }
      rows.push_back(kiln::cat({w.detach().reshape({-1}), b.detach().reshape({-1})}));
    }
    // LBFGS's curvature pairs amplify last-bit differences of the dot products over its iterations.
    linalg_test::expect_close(kiln::stack(rows), expected[k], all[k].closure ? 1e-7 : 1e-10, all[k].name);
  }
}

}  // namespace
