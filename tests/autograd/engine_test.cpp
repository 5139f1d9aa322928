// The backward engine and per-tensor autograd state: retained graphs,
// accumulation, hooks, grad modes, version checks, higher order, anomaly
// detection and the lifetime of graphs.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "kiln/kiln.h"

using namespace kiln;

namespace {
Tensor vec(std::vector<double> v, bool grad = true) { return tensor(v, dtype(kFloat64).requires_grad(grad)); }
bool same(const Tensor& a, const Tensor& b) { return a.sizes() == b.sizes() && allclose(a, b, 1e-12, 1e-12); }
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}
}  // namespace

TEST(Engine, RetainGraphAllowsASecondBackwardThatAccumulates) {
  Tensor x = vec({1, 2, 3});
  Tensor y = (x * x).sum();
  y.backward(Tensor(), /*retain_graph=*/true);
  EXPECT_TRUE(same(x.grad(), vec({2, 4, 6}, false)));
  y.backward();
  EXPECT_TRUE(same(x.grad(), vec({4, 8, 12}, false)));
}

TEST(Engine, SecondBackwardThroughAFreedGraphFails) {
  Tensor x = vec({1, 2, 3});
  Tensor y = (x * x).sum();
  y.backward();
  std::string m = message_of([&] { y.backward(); });
  EXPECT_NE(m.find("backward through the graph a second time"), std::string::npos) << m;
}

TEST(Engine, AccumulationAndZero) {
  Tensor x = vec({1, -1});
  EXPECT_FALSE(x.grad().defined());
  (3 * x).sum().backward();
  (2 * x).sum().backward();
  EXPECT_TRUE(same(x.grad(), vec({5, 5}, false)));
  x.mutable_grad().zero_();
  EXPECT_TRUE(same(x.grad(), vec({0, 0}, false)));
  (x * x).sum().backward();
  EXPECT_TRUE(same(x.grad(), vec({2, -2}, false)));
}

TEST(Engine, RetainGradOnNonLeaves) {
  Tensor x = vec({1, 2});
  Tensor y = x * 3;
  Tensor z = y * y;
  y.retain_grad();
  EXPECT_TRUE(y.retains_grad());
  EXPECT_FALSE(z.retains_grad());
  z.sum().backward();
  EXPECT_TRUE(same(y.grad(), vec({6, 12}, false)));  // 2y
  EXPECT_FALSE(z.grad().defined());
  EXPECT_TRUE(same(x.grad(), vec({18, 36}, false)));
}

TEST(Engine, HooksObserveAndModify) {
  Tensor x = vec({1, 2});
  Tensor y = x * x;
  Tensor seen_y, seen_x;
  y.register_hook([&](const Tensor& g) { seen_y = g.clone(); });
  y.register_hook([](const Tensor& g) { return g * 10; });  // non-leaf: scales what flows on
  x.register_hook([&](const Tensor& g) { seen_x = g.clone(); });
  x.register_hook([](const Tensor& g) { return g + 1; });  // leaf: changes what is accumulated
  y.sum().backward();
  EXPECT_TRUE(same(seen_y, vec({1, 1}, false)));
  EXPECT_TRUE(same(seen_x, vec({20, 40}, false)));
  EXPECT_TRUE(same(x.grad(), vec({21, 41}, false)));
}

// Hooks and retain_grad() run in the order they were registered (libtorch 1.13).
TEST(Engine, HooksAndRetainGradRunInRegistrationOrder) {
  Tensor x = vec({1, 2});
  Tensor y = x * 2;
  y.retain_grad();
  y.register_hook([](const Tensor& g) { return g * 3; });
  Tensor seen;
  y.register_hook([&](const Tensor& g) { seen = g.clone(); });
  y.sum().backward();
  EXPECT_TRUE(same(seen, vec({3, 3}, false)));
  EXPECT_TRUE(same(y.grad(), vec({1, 1}, false)));  // retained before the hook ran
  EXPECT_TRUE(same(x.grad(), vec({6, 6}, false)));
  Tensor z = x * 2;
  z.register_hook([](const Tensor& g) { return g * 3; });
  z.retain_grad();
  z.sum().backward();
  EXPECT_TRUE(same(z.grad(), vec({3, 3}, false)));  // retained after it
}

// After an in-place op, .grad() of a retaining tensor is the gradient of its
// new value; hooks registered before stay with the old one (libtorch 1.13).
TEST(Engine, RetainGradFollowsAnInPlaceOp) {
  Tensor a = vec({1, 1}) * 1;
  std::vector<double> before, after;
  a.register_hook([&](const Tensor& g) { before.push_back(g[0].item<double>()); });
  a.retain_grad();
  a.mul_(2);
  a.mul_(2);
  a.register_hook([&](const Tensor& g) {
    after.push_back(g[0].item<double>());
    return g * 10;
  });
  (a + 1).sum().backward();
  EXPECT_EQ(before, std::vector<double>({40}));
  EXPECT_EQ(after, std::vector<double>({1}));
  EXPECT_TRUE(a.retains_grad());
  EXPECT_TRUE(same(a.grad(), vec({1, 1}, false)));
}

// A base written through a view keeps its retained .grad on its old history
// (libtorch 1.13 moves retain_grad only for the tensor written in place).
TEST(Engine, RetainGradOfABaseWrittenThroughAViewStays) {
  Tensor x = vec({1, 1, 1});
  Tensor b = x * 1;
  b.retain_grad();
  b.slice(0, 0, 2).mul_(2);
  (b * vec({1, 10, 100}, false)).sum().backward();
  EXPECT_TRUE(same(b.grad(), vec({2, 20, 100}, false)));
  EXPECT_TRUE(same(x.grad(), vec({2, 20, 100}, false)));
}

TEST(Engine, RemoveHook) {
  Tensor x = vec({1, 2});
  Tensor y = x * 1;
  int calls = 0;
  unsigned hy = y.register_hook([&](const Tensor& g) {
    ++calls;
    return g * 100;
  });
  unsigned hx = x.register_hook([&](const Tensor& g) {
    ++calls;
    return g * 100;
  });
  y.remove_hook(hy);
  x.remove_hook(hx);
  y.sum().backward();
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(same(x.grad(), vec({1, 1}, false)));
}

TEST(Engine, RegisterHookNeedsRequiresGrad) {
  Tensor c = vec({1, 2}, false);
  EXPECT_THROW(c.register_hook([](const Tensor&) {}), Error);
}

TEST(Engine, NoGradGuard) {
  Tensor x = vec({1, 2});
  {
    NoGradGuard guard;
    EXPECT_FALSE(GradMode::is_enabled());
    Tensor y = x * x;
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.grad_fn(), nullptr);
    {
      EnableGradGuard enable;
      EXPECT_TRUE((x * x).requires_grad());
    }
  }
  EXPECT_TRUE(GradMode::is_enabled());
  EXPECT_TRUE((x * x).requires_grad());
}

TEST(Engine, DetachSharesDataButNotHistory) {
  Tensor x = vec({1, 2});
  Tensor y = x * 2;
  Tensor d = y.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
  EXPECT_EQ(d.data_ptr(), y.data_ptr());
  Tensor e = x * 3;
  e.detach_();
  EXPECT_FALSE(e.requires_grad());
  EXPECT_EQ(e.grad_fn(), nullptr);
}

TEST(Engine, RequiresGradErrors) {
  Tensor i = arange(3);
  std::string m = message_of([&] { i.requires_grad_(); });
  EXPECT_NE(m.find("floating point"), std::string::npos) << m;
  Tensor x = vec({1, 2});
  Tensor y = x * 2;
  m = message_of([&] { y.requires_grad_(false); });
  EXPECT_NE(m.find("leaf"), std::string::npos) << m;
  y.requires_grad_(true);  // allowed: it already requires grad
  EXPECT_THROW(tensor({1.0}).sum().backward(), Error);  // no grad_fn
}

TEST(Engine, IsLeaf) {
  Tensor c = vec({1}, false);
  Tensor x = vec({1});
  EXPECT_TRUE(c.is_leaf());
  EXPECT_TRUE(x.is_leaf());
  EXPECT_FALSE((x * 2).is_leaf());
  EXPECT_TRUE((c * 2).is_leaf());
  EXPECT_EQ(x.grad_fn(), nullptr);
}

TEST(Engine, GradFnNamesMatchPyTorch) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, requires_grad());
  Tensor y = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, requires_grad());
  std::vector<std::pair<std::string, Tensor>> cases = {
      {"AddBackward0", x + y},         {"AddBackward0", x + 1},          {"SubBackward0", x - y},
      {"MulBackward0", x * y},         {"MulBackward0", x * 2},          {"DivBackward0", x / y},
      {"NegBackward0", -x},            {"ExpBackward0", x.exp()},        {"LogBackward0", x.log()},
      {"SinBackward0", x.sin()},       {"TanhBackward0", x.tanh()},      {"SigmoidBackward0", x.sigmoid()},
      {"ReluBackward0", x.relu()},     {"SqrtBackward0", x.sqrt()},      {"AbsBackward0", x.abs()},
      {"PowBackward0", x.pow(2)},      {"SumBackward0", x.sum()},        {"SumBackward1", x.sum({0})},
      {"MeanBackward0", x.mean()},     {"ViewBackward0", x.view({6})},   {"TBackward0", x.t()},
      {"TransposeBackward0", x.transpose(0, 1)}, {"PermuteBackward0", x.permute({1, 0})},
      {"UnsqueezeBackward0", x.unsqueeze(0)},    {"SelectBackward0", x[0]},
      {"CloneBackward0", x.clone()},  {"SliceBackward0", x.narrow(1, 0, 2)},
      {"RsubBackward1", rsub(x, 2)},  {"PowBackward2", pow(2.0, x)},   {"MulBackward0", 2 * x},
      {"ClampBackward1", x.clamp(0, 1)}, {"ClampBackward0", x.clamp(y, y + 1)},
      {"ClampMinBackward0", x.clamp_min(0)}, {"ClampMinBackward1", x.clamp_min(y)},
      {"ClampMaxBackward0", x.clamp_max(0)}, {"ClampMaxBackward1", x.clamp_max(y)},
  };
  // In-place ops: the node torch 1.13 gives each.
  auto after = [&](const char* name, auto op) {
    Tensor t = x * 1;
    op(t);
    cases.push_back({name, t});
  };
  after("FillBackward2", [](Tensor& t) { t.fill_(2); });
  after("ZeroBackward0", [](Tensor& t) { t.zero_(); });
  after("torch::autograd::CopyBackwards", [&](Tensor& t) { t.copy_(y); });
  after("MulBackward0", [](Tensor& t) { t.mul_(2); });
  after("DivBackward0", [](Tensor& t) { t.div_(2); });
  after("ClampBackward1", [](Tensor& t) { t.clamp_(0, 1); });
  for (auto& [name, t] : cases) {
    ASSERT_NE(t.grad_fn(), nullptr) << name;
    EXPECT_EQ(t.grad_fn()->name(), name);
  }
}

TEST(Engine, InPlaceChangeOfASavedTensorIsReportedWithVersions) {
  Tensor x = vec({1, 2});
  Tensor a = x * 1;
  Tensor y = a * a;  // saves a
  a.mul_(2);
  std::string m = message_of([&] { y.sum().backward(); });
  EXPECT_NE(m.find("modified by an inplace operation"), std::string::npos) << m;
  EXPECT_NE(m.find("is at version 1; expected version 0"), std::string::npos) << m;
  // A saved output (exp saves its result) names the node.
  Tensor e = x.exp();
  Tensor z = e.exp();
  e.add_(1);
  m = message_of([&] { z.sum().backward(); });
  EXPECT_NE(m.find("version"), std::string::npos) << m;
}

TEST(Engine, InPlaceOnALeafThatRequiresGradFails) {
  Tensor x = vec({1, 2});
  std::string m = message_of([&] { x.add_(1); });
  EXPECT_NE(m.find("leaf Variable that requires grad"), std::string::npos) << m;
  {
    NoGradGuard g;
    x.add_(1);  // allowed without grad mode (an optimiser step)
  }
  EXPECT_TRUE(same(x.detach(), vec({2, 3}, false)));
}

TEST(Engine, InPlaceOnANonLeafIsDifferentiated) {
  Tensor x = vec({1, 2});
  Tensor y = x * 2;
  y.mul_(x);  // y = 2x^2
  y.sum().backward();
  EXPECT_TRUE(same(x.grad(), vec({4, 8}, false)));
}

TEST(Engine, CreateGraphThirdDerivative) {
  Tensor x = vec({2.0});
  Tensor y = x.pow(4) + 3 * x.pow(3);  // y''' = 24x + 18
  Tensor d1 = autograd::grad({y.sum()}, {x}, {}, std::nullopt, /*create_graph=*/true)[0];
  Tensor d2 = autograd::grad({d1.sum()}, {x}, {}, std::nullopt, true)[0];
  Tensor d3 = autograd::grad({d2.sum()}, {x}, {}, std::nullopt, true)[0];
  EXPECT_NEAR(d1.item<double>(), 4 * 8 + 9 * 4, 1e-12);
  EXPECT_NEAR(d2.item<double>(), 12 * 4 + 18 * 2, 1e-12);
  EXPECT_NEAR(d3.item<double>(), 24 * 2 + 18, 1e-12);
  EXPECT_FALSE(x.grad().defined());  // grad() does not accumulate
}

TEST(Engine, CreateGraphHessian) {
  // f(x) = x0^2 x1 + x1^3: H = [[2 x1, 2 x0], [2 x0, 6 x1]]
  Tensor x = vec({1.5, -2.0});
  Tensor f = x[0] * x[0] * x[1] + x[1].pow(3);
  Tensor g = autograd::grad({f}, {x}, {}, std::nullopt, true)[0];
  Tensor h0 = autograd::grad({g[0]}, {x}, {}, true)[0];
  Tensor h1 = autograd::grad({g[1]}, {x}, {}, true)[0];
  EXPECT_TRUE(same(h0, vec({-4.0, 3.0}, false)));
  EXPECT_TRUE(same(h1, vec({3.0, -12.0}, false)));
}

TEST(Engine, BackwardWithCreateGraphMakesDifferentiableGrads) {
  Tensor x = vec({3.0});
  (x * x * x).sum().backward(Tensor(), std::nullopt, /*create_graph=*/true);
  Tensor g = x.grad();  // 3x^2 = 27
  EXPECT_TRUE(g.requires_grad());
  // torch 1.13: the first gradient is a recorded copy, the next ones recorded sums
  EXPECT_EQ(g.grad_fn()->name(), "torch::autograd::CopyBackwards");
  Tensor gg = autograd::grad({g.sum()}, {x}, {}, true)[0];
  EXPECT_NEAR(gg.item<double>(), 18.0, 1e-12);
  (x * x).sum().backward(Tensor(), std::nullopt, /*create_graph=*/true);
  EXPECT_EQ(x.grad().grad_fn()->name(), "AddBackward0");
  EXPECT_NEAR(x.grad().item<double>(), 27.0 + 6.0, 1e-12);
  EXPECT_NEAR(g.item<double>(), 27.0, 1e-12);  // the first gradient was not written in place
  // x.grad's graph saved x itself: the parameter <-> gradient cycle PyTorch
  // documents for create_graph. Resetting .grad breaks it, as its docs advise.
  x.mutable_grad().reset();
}

TEST(Engine, AllowUnused) {
  Tensor x = vec({1}), unused = vec({2});
  Tensor y = (x * 2).sum();
  std::string m = message_of([&] { autograd::grad({y}, {x, unused}, {}, true); });
  EXPECT_NE(m.find("allow_unused"), std::string::npos) << m;
  auto g = autograd::grad({y}, {x, unused}, {}, true, false, /*allow_unused=*/true);
  EXPECT_TRUE(same(g[0], vec({2}, false)));
  EXPECT_FALSE(g[1].defined());
}

TEST(Engine, GradWithGradOutputsAndSeveralOutputs) {
  Tensor x = vec({1, 2});
  Tensor a = x * 2, b = x * x;
  auto g = autograd::grad({a, b}, {x}, {vec({1, 10}, false), vec({100, 1000}, false)});
  EXPECT_TRUE(same(g[0], vec({2 + 200, 20 + 4000}, false)));
  EXPECT_THROW(autograd::grad({a * 1}, {x}, {vec({1, 2, 3}, false)}), Error);  // wrong shape
  EXPECT_THROW(autograd::grad({a * 1}, {x}), Error);                          // non-scalar, no grad_output
}

TEST(Engine, SharedSubexpressionIsDifferentiatedOnce) {
  Tensor x = vec({1, 2});
  Tensor y = x * x;
  int calls = 0;
  Tensor seen;
  y.register_hook([&](const Tensor& g) {
    ++calls;
    seen = g.clone();
  });
  Tensor z = y * 3 + y.exp() + y;  // three uses of y
  z.sum().backward();
  EXPECT_EQ(calls, 1);  // the gradients meeting at y are summed first
  EXPECT_TRUE(same(seen, 4 + y.detach().exp()));
  EXPECT_TRUE(same(x.grad(), (4 + y.detach().exp()) * 2 * x.detach()));
}

TEST(Engine, DetectAnomalyNamesTheNodeThatProducedNaN) {
  Tensor x = vec({0.0, 1.0});
  Tensor y = x.sqrt() * 0;  // d sqrt at 0 is inf; inf * 0 is NaN in SqrtBackward0
  {
    autograd::DetectAnomalyGuard anomaly;
    EXPECT_TRUE(autograd::DetectAnomalyGuard::is_enabled());
    std::string m = message_of([&] { y.sum().backward(Tensor(), true); });
    EXPECT_NE(m.find("SqrtBackward0"), std::string::npos) << m;
    EXPECT_NE(m.find("nan"), std::string::npos) << m;
  }
  EXPECT_FALSE(autograd::DetectAnomalyGuard::is_enabled());
  y.sum().backward();  // without the guard: NaN flows silently, as in PyTorch
  EXPECT_TRUE(std::isnan(x.grad()[0].item<double>()));
}

TEST(Engine, BackwardWithInputsAccumulatesOnlyThere) {
  Tensor x = vec({1}), w = vec({2});
  Tensor y = (x * w).sum();
  y.backward(Tensor(), std::nullopt, false, std::vector<Tensor>{x});
  EXPECT_TRUE(same(x.grad(), vec({2}, false)));
  EXPECT_FALSE(w.grad().defined());
}

TEST(Engine, GradientIsReducedToBroadcastInputShapeAndDtype) {
  Tensor a = vec({1, 2, 3});
  Tensor b = tensor({{2.0}}, requires_grad());  // float32, [1, 1]
  (a * b).sum().backward();
  EXPECT_EQ(b.grad().sizes(), IntArrayRef({1, 1}));
  EXPECT_EQ(b.grad().dtype(), kFloat32);
  EXPECT_NEAR(b.grad().item<double>(), 6.0, 1e-6);
  EXPECT_EQ(a.grad().dtype(), kFloat64);
}

TEST(Engine, GraphWithCapturingHooksIsFreedWithItsLastReference) {
  std::weak_ptr<autograd::Node> node, upstream;
  std::weak_ptr<autograd::Node> saved_output_node;
  Tensor x = vec({1, 2});
  {
    Tensor a = x * 3;
    Tensor y = a * a;
    Tensor captured = a * 5;
    y.register_hook([captured, x](const Tensor& g) { return g * captured.detach() + x.detach(); });
    a.register_hook([a_copy = a.detach()](const Tensor& g) { return g + a_copy; });
    node = y.grad_fn();
    upstream = a.grad_fn();
    Tensor e = x.exp();  // saves its own output
    saved_output_node = e.grad_fn();
    ASSERT_FALSE(node.expired());
  }
  EXPECT_TRUE(node.expired());
  EXPECT_TRUE(upstream.expired());
  EXPECT_TRUE(saved_output_node.expired());
}

TEST(Engine, GraphIsFreedAfterBackwardWhenNothingHoldsIt) {
  std::weak_ptr<autograd::Node> node;
  Tensor x = vec({1, 2});
  {
    Tensor y = (x * x).exp();
    node = y.grad_fn();
    y.sum().backward();
  }
  EXPECT_TRUE(node.expired());
}
