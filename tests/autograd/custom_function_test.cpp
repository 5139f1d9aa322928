// kiln::autograd::Function<T>: custom forward/backward pairs.
#include <gtest/gtest.h>

#include <memory>

#include "kiln/kiln.h"

using namespace kiln;
using kiln::autograd::AutogradContext;

namespace {
Tensor vec(std::vector<double> v, bool grad = true) { return tensor(v, dtype(kFloat64).requires_grad(grad)); }
bool same(const Tensor& a, const Tensor& b) { return a.sizes() == b.sizes() && allclose(a, b, 1e-10, 1e-10); }

// y = x * c with a non-tensor argument.
struct MulConstant : autograd::Function<MulConstant> {
  static Tensor forward(AutogradContext* ctx, Tensor x, double c) {
    ctx->saved_data["c"] = c;
    return x * c;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    return {g[0] * ctx->saved_data["c"].toDouble(), Tensor()};
  }
};

// y = x * w + x^2 saving both inputs; backward written in kiln ops so it
// can be differentiated again.
struct LinearSquare : autograd::Function<LinearSquare> {
  static Tensor forward(AutogradContext* ctx, Tensor x, Tensor w) {
    EXPECT_FALSE(GradMode::is_enabled());  // forward runs without recording
    ctx->save_for_backward({x, w});
    return x * w + x * x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    auto s = ctx->get_saved_variables();
    Tensor gx = ctx->needs_input_grad(0) ? g[0] * (s[1] + 2 * s[0]) : Tensor();
    Tensor gw = ctx->needs_input_grad(1) ? g[0] * s[0] : Tensor();
    return {gx, gw};
  }
};

// exp saving its output; two outputs, the second non-differentiable.
struct ExpAndArgmax : autograd::Function<ExpAndArgmax> {
  static variable_list forward(AutogradContext* ctx, Tensor x) {
    Tensor y = x.exp();
    Tensor idx = x.argmax();
    Tensor flag = x.gt(0).to(kFloat64);
    ctx->mark_non_differentiable({flag});
    ctx->save_for_backward({y});
    return {y, idx, flag};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    return {g[0] * ctx->get_saved_variables()[0]};
  }
};

struct WrongCount : autograd::Function<WrongCount> {
  static Tensor forward(AutogradContext*, Tensor x) { return x * 2; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0], g[0]}; }
};

struct Identity : autograd::Function<Identity> {
  static Tensor forward(AutogradContext*, Tensor x) { return x; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * 3}; }
};

struct MaybeUndefinedGrad : autograd::Function<MaybeUndefinedGrad> {
  static variable_list forward(AutogradContext* ctx, Tensor x) {
    ctx->set_materialize_grads(false);
    return {x * 2, x * 3};
  }
  static variable_list backward(AutogradContext*, variable_list g) {
    EXPECT_TRUE(g[0].defined());
    EXPECT_FALSE(g[1].defined());
    return {g[0] * 2};
  }
};
}  // namespace

TEST(CustomFunction, NonTensorArgumentAndName) {
  Tensor x = vec({1, 2});
  Tensor y = MulConstant::apply(x, 5.0);
  EXPECT_TRUE(same(y.detach(), vec({5, 10}, false)));
  ASSERT_NE(y.grad_fn(), nullptr);
  EXPECT_NE(y.grad_fn()->name().find("CppNode<"), std::string::npos) << y.grad_fn()->name();
  EXPECT_NE(y.grad_fn()->name().find("MulConstant"), std::string::npos) << y.grad_fn()->name();
  (y * y).sum().backward();
  EXPECT_TRUE(same(x.grad(), vec({50, 100}, false)));  // 2 * 5x * 5
}

TEST(CustomFunction, SavedVariablesNeedsInputGradAndGradcheck) {
  Tensor x = vec({0.5, -1.5, 2.0});
  Tensor w = vec({1.0, 2.0, -3.0});
  EXPECT_TRUE(autograd::gradcheck([](const variable_list& v) { return LinearSquare::apply(v[0], v[1]); }, {x, w}));
  EXPECT_TRUE(
      autograd::gradgradcheck([](const variable_list& v) { return LinearSquare::apply(v[0], v[1]); }, {x, w}));
  Tensor c = vec({1, 1, 1}, false);
  Tensor y = LinearSquare::apply(x, c);  // needs_input_grad(1) is false
  y.sum().backward();
  EXPECT_TRUE(same(x.grad(), c + 2 * x.detach()));
}

TEST(CustomFunction, NoRecordingWithoutGradOrUnderNoGrad) {
  Tensor c = vec({1, 2}, false);
  EXPECT_FALSE(MulConstant::apply(c, 2.0).requires_grad());
  Tensor x = vec({1, 2});
  NoGradGuard g;
  EXPECT_FALSE(MulConstant::apply(x, 2.0).requires_grad());
}

TEST(CustomFunction, SeveralOutputsSavedOutputAndNonDifferentiable) {
  Tensor x = vec({0.5, -1.0});
  variable_list out = ExpAndArgmax::apply(x);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_FALSE(out[1].requires_grad());  // integer output
  EXPECT_FALSE(out[2].requires_grad());  // marked non-differentiable
  out[0].sum().backward(Tensor(), true);
  EXPECT_TRUE(same(x.grad(), x.detach().exp()));
  // The saved output is version-checked.
  Tensor y = out[0];
  {
    NoGradGuard g;
    y.mul_(2);
  }
  EXPECT_THROW(out[0].sum().backward(), Error);
}

TEST(CustomFunction, SavedOutputDoesNotKeepTheGraphAlive) {
  std::weak_ptr<autograd::Node> node;
  Tensor x = vec({0.5, -1.0});
  {
    variable_list out = ExpAndArgmax::apply(x);
    node = out[0].grad_fn();
  }
  EXPECT_TRUE(node.expired());
}

TEST(CustomFunction, FreedAfterBackward) {
  Tensor x = vec({1, 2});
  Tensor w = vec({3, 4});
  Tensor y = LinearSquare::apply(x, w).sum();
  y.backward();
  EXPECT_THROW(y.backward(), Error);
}

TEST(CustomFunction, WrongNumberOfGradients) {
  Tensor x = vec({1, 2});
  try {
    WrongCount::apply(x).sum().backward();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("incorrect number of gradients"), std::string::npos) << e.what();
  }
}

TEST(CustomFunction, ReturningTheInputGivesANewTensor) {
  Tensor x = vec({1, 2});
  Tensor y = Identity::apply(x);
  EXPECT_FALSE(y.is_same(x));
  EXPECT_TRUE(x.is_leaf());
  y.sum().backward();
  EXPECT_TRUE(same(x.grad(), vec({3, 3}, false)));
}

TEST(CustomFunction, MaterializeGradsOff) {
  Tensor x = vec({1, 2});
  variable_list out = MaybeUndefinedGrad::apply(x);
  out[0].sum().backward();
  EXPECT_TRUE(same(x.grad(), vec({2, 2}, false)));
}

TEST(CustomFunction, SecondOrderThroughCustomBackward) {
  Tensor x = vec({1.5});
  Tensor w = vec({2.0});
  Tensor y = LinearSquare::apply(x, w);  // dy/dx = w + 2x, d2y/dx2 = 2, d2y/dxdw = 1
  Tensor gx = autograd::grad({y.sum()}, {x}, {}, std::nullopt, true)[0];
  auto gg = autograd::grad({gx.sum()}, {x, w});
  EXPECT_NEAR(gg[0].item<double>(), 2.0, 1e-12);
  EXPECT_NEAR(gg[1].item<double>(), 1.0, 1e-12);
}

TEST(CustomFunction, IValueConversions) {
  autograd::IValue i = 3, d = 2.5, s = "name", t = vec({1}, false);
  EXPECT_EQ(i.toInt(), 3);
  EXPECT_DOUBLE_EQ(i.toDouble(), 3.0);
  EXPECT_DOUBLE_EQ(d.toDouble(), 2.5);
  EXPECT_EQ(s.toStringRef(), "name");
  EXPECT_TRUE(t.toTensor().defined());
  EXPECT_THROW(d.toInt(), Error);
  EXPECT_TRUE(autograd::IValue().isNone());
}

namespace {
// Records, in backward, which inputs the running pass asked for.
struct RecordsNeeds : autograd::Function<RecordsNeeds> {
  static std::vector<bool> seen;
  static Tensor forward(AutogradContext* ctx, Tensor x, Tensor y) {
    ctx->save_for_backward({x, y});
    return x * y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    using autograd::IndexRange;
    seen = {ctx->needs_input_grad(0), ctx->needs_input_grad(1), ctx->needs_input_grad({IndexRange{0, 2}}),
            ctx->needs_input_grad({IndexRange{1, 2}})};
    auto s = ctx->get_saved_variables();
    return {ctx->needs_input_grad(0) ? g[0] * s[1] : Tensor(), ctx->needs_input_grad(1) ? g[0] * s[0] : Tensor()};
  }
};
std::vector<bool> RecordsNeeds::seen;
}  // namespace

TEST(CustomFunction, NeedsInputGradFollowsTheRunningPass) {
  Tensor x = vec({1, 2}), y = vec({3, 4});
  Tensor gx = autograd::grad({RecordsNeeds::apply(x, y).sum()}, {x})[0];
  EXPECT_EQ(RecordsNeeds::seen, std::vector<bool>({true, false, true, false}));
  EXPECT_TRUE(same(gx, y.detach()));
  autograd::grad({RecordsNeeds::apply(x, y).sum()}, {y});
  EXPECT_EQ(RecordsNeeds::seen, std::vector<bool>({false, true, true, true}));
  RecordsNeeds::apply(x, y).sum().backward();
  EXPECT_EQ(RecordsNeeds::seen, std::vector<bool>({true, true, true, true}));
  // backward(inputs = {x}) accumulates into x only; a braced list binds to inputs.
  x.mutable_grad() = Tensor();
  y.mutable_grad() = Tensor();
  RecordsNeeds::apply(x, y).sum().backward(Tensor(), false, false, {x});
  EXPECT_TRUE(x.grad().defined());
  EXPECT_FALSE(y.grad().defined());
}

TEST(CustomFunction, BuiltinBackwardsSkipGradientsThePassDoesNotNeed) {
  // grad() w.r.t. x alone: MulBackward0 computes no gradient for w, so a hook
  // on w's path never runs.
  Tensor x = vec({1, 2}), w = vec({3, 4});
  Tensor w2 = w * 1;
  int calls = 0;
  w2.register_hook([&](const Tensor&) { ++calls; });
  autograd::grad({(x * w2).sum()}, {x});
  EXPECT_EQ(calls, 0);
  const Tensor frozen = vec({1.0}, false);
  frozen.requires_grad_(true);  // a const tensor's flag can be set, as in libtorch
  EXPECT_TRUE(frozen.requires_grad());
}

TEST(CustomFunction, ADualInputIsRefusedAsInLibtorch) {
  namespace fwd = autograd::forward_ad;
  fwd::dual_level level;
  Tensor x = fwd::make_dual(vec({1, 2}, false), vec({1, 1}, false));
  try {
    MulConstant::apply(x, 2.0);
    ADD_FAILURE() << "a dual input went through a custom Function";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("jvp is not implemented for the c++ API of custom Function"),
              std::string::npos)
        << e.what();
  }
  // Without a tangent the function runs inside the level as usual.
  EXPECT_TRUE(same(MulConstant::apply(vec({1, 2}, false), 2.0), vec({2, 4}, false)));
}

TEST(CustomFunction, AGradientOfTheWrongShapeIsNamed) {
  struct WrongShape : autograd::Function<WrongShape> {
    static Tensor forward(AutogradContext*, Tensor x) { return x * 2; }
    static variable_list backward(AutogradContext*, variable_list) { return {ones({10}, kFloat64)}; }
  };
  Tensor x = ones({5, 5}, dtype(kFloat64).requires_grad(true));
  try {
    WrongShape::apply(x).sum().backward();
    ADD_FAILURE() << "a [10] gradient for a [5, 5] input was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("returned an invalid gradient at index 0 - got [10] but expected shape "
                                         "compatible with [5, 5]"),
              std::string::npos)
        << e.what();
  }
}
