// Losses and functional ops: values and input gradients equal PyTorch's
// (float64, at test time through /usr/bin/python3; fails without torch),
// including extreme logits, every reduction, weights, ignore_index and label
// smoothing; gradcheck of each; the bad-input errors.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <functional>

#include "linalg/oracle.h"

namespace {
using kiln::Tensor;
namespace F = kiln::nn::functional;
using linalg_test::expect_close;
using linalg_test::mk;
using kiln_test::expect_error;

struct Case {
  const char* name;
  const char* python;  // `y = ...` from the leaf x (and the prelude's tensors)
  std::function<Tensor(const Tensor&)> kiln;
};

// Inputs built the same way on both sides.
const char* kInputs = R"PY(
logits = mk(4, 5, seed=0.5) * 3
extreme = torch.tensor([[1000., -1000., 0., 5.], [-1e4, 1e4, 3., 3.], [0., 0., 0., 0.]])
target = torch.tensor([1, 0, 4, 2]); target_ig = torch.tensor([1, -100, 4, 2]); target_ex = torch.tensor([1, 0, 3])
weight = torch.tensor([0.5, 1., 2., 1.5, 0.25])
probs = torch.softmax(mk(4, 5, seed=1.5), 1)
target3 = torch.tensor([[1, 0], [4, 2], [3, 3]])
reg = mk(3, 4, seed=2.5); reg_t = mk(3, 4, seed=3.5) * 2
p01 = torch.sigmoid(mk(3, 4, seed=4.5) * 2); y01 = (mk(3, 4, seed=5.5) > 0).double()
)PY";

std::vector<Case> cases() {
  Tensor logits = mk({4, 5}, 0.5) * 3;
  Tensor extreme = kiln::tensor({{1000., -1000., 0., 5.}, {-1e4, 1e4, 3., 3.}, {0., 0., 0., 0.}}, kiln::kFloat64);
  Tensor target = kiln::tensor(std::vector<int64_t>{1, 0, 4, 2});
  Tensor target_ig = kiln::tensor(std::vector<int64_t>{1, -100, 4, 2});
  Tensor target_ex = kiln::tensor(std::vector<int64_t>{1, 0, 3});
  Tensor weight = kiln::tensor({0.5, 1., 2., 1.5, 0.25}, kiln::kFloat64);
  Tensor probs = kiln::softmax(mk({4, 5}, 1.5), 1);
  Tensor target3 = kiln::tensor(std::vector<int64_t>{1, 0, 4, 2, 3, 3}).reshape({3, 2});
  Tensor reg = mk({3, 4}, 2.5), reg_t = mk({3, 4}, 3.5) * 2;
  Tensor p01 = kiln::sigmoid(mk({3, 4}, 4.5) * 2), y01 = (mk({3, 4}, 5.5) > 0).to(kiln::kFloat64);
  using CE = F::CrossEntropyFuncOptions;
  return {
      {"ce", "x = logits.clone(); y = F.cross_entropy(x, target)", [=](auto& x) { return F::cross_entropy(x, target); }},
      {"ce extreme", "x = extreme.clone(); y = F.cross_entropy(x, target_ex)",
       [=](auto& x) { return F::cross_entropy(x, target_ex); }},
      {"ce extreme none", "x = extreme.clone(); y = F.cross_entropy(x, target_ex, reduction='none')",
       [=](auto& x) { return F::cross_entropy(x, target_ex, CE().reduction(kiln::kNone)); }},
      {"ce weight ignore sum",
       "x = logits.clone(); y = F.cross_entropy(x, target_ig, weight=weight, reduction='sum')",
       [=](auto& x) { return F::cross_entropy(x, target_ig, CE().weight(weight).reduction(kiln::kSum)); }},
      {"ce weight ignore mean", "x = logits.clone(); y = F.cross_entropy(x, target_ig, weight=weight)",
       [=](auto& x) { return F::cross_entropy(x, target_ig, CE().weight(weight)); }},
      {"ce ignore_index 2", "x = logits.clone(); y = F.cross_entropy(x, target, ignore_index=2)",
       [=](auto& x) { return F::cross_entropy(x, target, CE().ignore_index(2)); }},
      {"ce smoothing", "x = logits.clone(); y = F.cross_entropy(x, target_ig, label_smoothing=0.2)",
       [=](auto& x) { return F::cross_entropy(x, target_ig, CE().label_smoothing(0.2)); }},
      {"ce smoothing weight", "x = logits.clone(); y = F.cross_entropy(x, target_ig, weight=weight, label_smoothing=0.3)",
       [=](auto& x) { return F::cross_entropy(x, target_ig, CE().weight(weight).label_smoothing(0.3)); }},
      {"ce smoothing none", "x = logits.clone(); y = F.cross_entropy(x, target_ig, label_smoothing=0.1, reduction='none')",
       [=](auto& x) { return F::cross_entropy(x, target_ig, CE().label_smoothing(0.1).reduction(kiln::kNone)); }},
      {"ce probs", "x = logits.clone(); y = F.cross_entropy(x, probs)", [=](auto& x) { return F::cross_entropy(x, probs); }},
      {"ce probs weight smoothing", "x = logits.clone(); y = F.cross_entropy(x, probs, weight=weight, label_smoothing=0.2)",
       [=](auto& x) { return F::cross_entropy(x, probs, CE().weight(weight).label_smoothing(0.2)); }},
      {"ce probs sum", "x = logits.clone(); y = F.cross_entropy(x, probs, reduction='sum')",
       [=](auto& x) { return F::cross_entropy(x, probs, CE().reduction(kiln::kSum)); }},
      {"ce 3d", "x = mk(3, 5, 2, seed=6.5); y = F.cross_entropy(x, target3)",
       [=](auto& x) { return F::cross_entropy(x, target3); }},
      {"ce 1d", "x = logits[0].clone(); y = F.cross_entropy(x, torch.tensor(3))",
       [=](auto& x) { return F::cross_entropy(x, kiln::tensor(int64_t{3})); }},
      {"nll", "x = torch.log_softmax(logits, 1); y = F.nll_loss(x, target_ig, weight=weight)",
       [=](auto& x) { return F::nll_loss(x, target_ig, F::NLLLossFuncOptions().weight(weight)); }},
      {"nll none", "x = logits.clone(); y = F.nll_loss(x, target, reduction='none')",
       [=](auto& x) { return F::nll_loss(x, target, F::NLLLossFuncOptions().reduction(kiln::kNone)); }},
      {"log_softmax extreme", "x = extreme.clone(); y = F.log_softmax(x, 1)",
       [=](auto& x) { return F::log_softmax(x, 1); }},
      {"softmax", "x = logits.clone(); y = F.softmax(x, 0)", [=](auto& x) { return F::softmax(x, 0); }},
      {"mse", "x = reg.clone(); y = F.mse_loss(x, reg_t)", [=](auto& x) { return F::mse_loss(x, reg_t); }},
      {"mse sum", "x = reg.clone(); y = F.mse_loss(x, reg_t, reduction='sum')",
       [=](auto& x) { return F::mse_loss(x, reg_t, F::MSELossFuncOptions(kiln::kSum)); }},
      {"l1 none", "x = reg.clone(); y = F.l1_loss(x, reg_t, reduction='none')",
       [=](auto& x) { return F::l1_loss(x, reg_t, F::L1LossFuncOptions(kiln::kNone)); }},
      {"smooth_l1", "x = reg.clone(); y = F.smooth_l1_loss(x, reg_t, beta=0.7)",
       [=](auto& x) { return F::smooth_l1_loss(x, reg_t, F::SmoothL1LossFuncOptions().beta(0.7)); }},
      {"smooth_l1 default", "x = reg.clone(); y = F.smooth_l1_loss(x, reg_t, reduction='sum')",
       [=](auto& x) { return F::smooth_l1_loss(x, reg_t, F::SmoothL1LossFuncOptions(kiln::kSum)); }},
      {"huber", "x = reg.clone(); y = F.huber_loss(x, reg_t, delta=0.5)",
       [=](auto& x) { return F::huber_loss(x, reg_t, F::HuberLossFuncOptions().delta(0.5)); }},
      {"bce", "x = p01.clone(); y = F.binary_cross_entropy(x, y01)",
       [=](auto& x) { return F::binary_cross_entropy(x, y01); }},
      {"bce weight sum", "x = p01.clone(); y = F.binary_cross_entropy(x, y01, weight=reg_t.abs(), reduction='sum')",
       [=](auto& x) {
         return F::binary_cross_entropy(x, y01, F::BinaryCrossEntropyFuncOptions().weight(reg_t.abs()).reduction(kiln::kSum));
       }},
      {"bce logits", "x = reg * 3; y = F.binary_cross_entropy_with_logits(x, y01)",
       [=](auto& x) { return F::binary_cross_entropy_with_logits(x, y01); }},
      {"bce logits extreme", "x = torch.tensor([[1000., -1000., 0., 40.]]); y = F.binary_cross_entropy_with_logits(x, torch.tensor([[0., 1., 1., 0.]]), reduction='none')",
       [=](auto& x) {
         return F::binary_cross_entropy_with_logits(x, kiln::tensor({{0., 1., 1., 0.}}, kiln::kFloat64),
                                                    F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(kiln::kNone));
       }},
      {"bce logits pos_weight", "x = reg * 3; y = F.binary_cross_entropy_with_logits(x, y01, pos_weight=torch.tensor([1., 2., 3., 0.5]), weight=reg_t.abs())",
       [=](auto& x) {
         return F::binary_cross_entropy_with_logits(
             x, y01, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(kiln::tensor({1., 2., 3., 0.5}, kiln::kFloat64)).weight(reg_t.abs()));
       }},
      {"gelu", "x = reg * 3; y = F.gelu(x)", [=](auto& x) { return F::gelu(x); }},
      {"gelu tanh", "x = reg * 3; y = F.gelu(x, approximate='tanh')",
       [=](auto& x) { return F::gelu(x, F::GELUFuncOptions().approximate("tanh")); }},
      {"leaky_relu", "x = reg.clone(); y = F.leaky_relu(x, 0.2)",
       [=](auto& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)); }},
      {"softplus", "x = reg * 10; y = F.softplus(x, beta=2, threshold=5)",
       [=](auto& x) { return F::softplus(x, F::SoftplusFuncOptions().beta(2).threshold(5)); }},
      {"layer_norm", "x = reg * 2; y = F.layer_norm(x, [4], weight=reg_t[0], bias=reg_t[1], eps=1e-3)",
       [=](auto& x) {
         return F::layer_norm(x, F::LayerNormFuncOptions({4}).weight(reg_t[0]).bias(reg_t[1]).eps(1e-3));
       }},
      {"linear", "x = reg.clone(); y = F.linear(x, reg_t[:2], reg_t[2, :2])",
       [=](auto& x) { return F::linear(x, reg_t.narrow(0, 0, 2), reg_t[2].narrow(0, 0, 2)); }},
      {"linear 3d", "x = mk(2, 3, 4, seed=7.5); y = F.linear(x, reg_t[:2], reg_t[2, :2])",
       [=](auto& x) { return F::linear(x, reg_t.narrow(0, 0, 2), reg_t[2].narrow(0, 0, 2)); }},
  };
}

TEST(NnLosses, ValuesAndGradientsEqualTorch) {
  auto all = cases();
  // Each case: x (input), y (value), grad of (y * mk(y.shape)).sum() w.r.t. x.
  std::string code = std::string("import torch.nn.functional as F\n") + kInputs;
  for (const Case& c : all) {
    std::string line = c.python;
    size_t split = line.find("; y = ");
    code += line.substr(0, split) + "\nx = x.detach().requires_grad_()\ny = " + line.substr(split + 6) +
            "\nv = mk(*y.shape, seed=9.5) if y.dim() else torch.tensor(1.3)\n(y * v).sum().backward()\n"
            "out += [x.detach(), y.detach(), x.grad]\n";
  }
  std::vector<Tensor> expected = linalg_test::torch_eval(code);
  ASSERT_EQ(expected.size(), 3 * all.size());
  for (size_t k = 0; k < all.size(); ++k) {
    SCOPED_TRACE(all[k].name);
    Tensor x = expected[3 * k].clone().requires_grad_();
    Tensor y = all[k].kiln(x);
    expect_close(y, expected[3 * k + 1], 1e-10, "value");
    Tensor v = y.dim() ? mk(y.sizes(), 9.5) : kiln::tensor(1.3, kiln::kFloat64);
    (y * v).sum().backward();
    expect_close(x.grad(), expected[3 * k + 2], 1e-9, "gradient");
  }
}

TEST(NnLosses, Gradcheck) {
  auto all = cases();
  for (const Case& c : all) {
    std::string name = c.name;
    if (name.find("extreme") != std::string::npos || name.find("bce") == 0) continue;  // kinks and clamps
    SCOPED_TRACE(name);
    Tensor x = name.rfind("ce 3d", 0) == 0 ? mk({3, 5, 2}, 6.5)
               : name == "ce 1d"            ? mk({5}, 0.5)
               : name == "linear 3d"        ? mk({2, 3, 4}, 7.5)
               : name.rfind("ce", 0) == 0 || name.rfind("nll", 0) == 0 || name.find("softmax") != std::string::npos
                   ? mk({4, 5}, 0.5)
                   : mk({3, 4}, 2.5) * 1.7 + 0.05;
    x.requires_grad_();
    EXPECT_TRUE(kiln::autograd::gradcheck([&](const std::vector<Tensor>& in) { return c.kiln(in[0]); }, {x}));
  }
}

TEST(NnLosses, BadInputErrors) {
  Tensor logits = kiln::zeros({2, 3});
  expect_error([&] { F::cross_entropy(logits, kiln::tensor(std::vector<int64_t>{0, 3})); },
               {"cross_entropy", "target 3", "out of bounds", "3 classes"});
  expect_error([&] { F::cross_entropy(logits, kiln::tensor(std::vector<int64_t>{-1, 0})); }, {"cross_entropy", "-1"});
  expect_error([&] { F::nll_loss(logits, kiln::tensor(std::vector<int64_t>{0, 1, 2})); },
               {"nll_loss", "[3]", "[2, 3]"});
  expect_error([&] { F::cross_entropy(logits, kiln::zeros({2, 4})); }, {"cross_entropy", "[2, 4]", "[2, 3]"});
  expect_error([&] { F::cross_entropy(logits, kiln::tensor(std::vector<int64_t>{0, 1}), F::CrossEntropyFuncOptions().weight(kiln::ones({2}))); },
               {"cross_entropy", "weight", "[2]"});
  expect_error([&] { F::mse_loss(kiln::zeros({3}), kiln::zeros({4})); }, {"mse_loss", "[3]", "[4]"});
  expect_error([&] { F::l1_loss(kiln::zeros({2, 3}), kiln::zeros({3, 2})); }, {"l1_loss", "[2, 3]", "[3, 2]"});
  expect_error([&] { F::binary_cross_entropy(kiln::full({2}, 1.5), kiln::zeros({2})); },
               {"binary_cross_entropy", "between 0 and 1"});
  expect_error([&] { F::binary_cross_entropy_with_logits(kiln::zeros({2}), kiln::zeros({2, 1})); },
               {"binary_cross_entropy_with_logits", "[2, 1]", "[2]"});
  expect_error([&] { F::cross_entropy(logits, kiln::tensor(std::vector<int64_t>{0, 1}), F::CrossEntropyFuncOptions().label_smoothing(1.5)); },
               {"cross_entropy", "label_smoothing"});
  expect_error([&] { F::dropout(logits, F::DropoutFuncOptions().p(1.2)); }, {"dropout", "1.2"});
  expect_error([&] { F::layer_norm(logits, F::LayerNormFuncOptions({4})); }, {"layer_norm", "[2, 3]", "[4]"});
}

TEST(NnLosses, NoNansAtExtremeLogits) {
  Tensor x = kiln::tensor({{1e30, -1e30, 0.0}, {-1e30, 1e30, 1.0}}).requires_grad_();
  Tensor loss = F::cross_entropy(x, kiln::tensor(std::vector<int64_t>{1, 0}));
  loss.backward();
  EXPECT_TRUE(kiln::isfinite(loss).all().item<bool>()) << loss;
  EXPECT_TRUE(kiln::isfinite(x.grad()).all().item<bool>()) << x.grad();
  Tensor z = kiln::tensor({1e30f, -1e30f}).requires_grad_();
  Tensor bce = F::binary_cross_entropy_with_logits(z, kiln::tensor({0.0f, 1.0f}));
  bce.backward();
  EXPECT_TRUE(kiln::isfinite(bce).all().item<bool>());
  EXPECT_TRUE(kiln::isfinite(z.grad()).all().item<bool>());
}

}  // namespace
