// AutogradContext::mark_dirty and UndefinedGrad, as libtorch's custom
// Function tests use them.
#include "common/expect_error.h"
#include "kiln/kiln.h"

namespace {
using kiln::Tensor;
using kiln::autograd::AutogradContext;
using kiln::autograd::Function;
using kiln::autograd::Variable;
using kiln::autograd::variable_list;

struct ScaleInPlace : Function<ScaleInPlace> {
  static Variable forward(AutogradContext* ctx, Variable v) {
    v.mul_(2);
    ctx->mark_dirty({v});
    return v;
  }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * 2}; }
};

TEST(MarkDirty, BumpsTheVersionAndRebasesTheInput) {
  Tensor leaf = kiln::tensor({1., 2.}, kiln::requires_grad());
  Tensor x = leaf.clone();
  auto before = x._version();
  Tensor out = ScaleInPlace::apply(x);
  EXPECT_GE(x._version(), before + 1);
  EXPECT_TRUE(out.is_same(x));  // the input itself, not an alias
  EXPECT_EQ(x.grad_fn()->name(), out.grad_fn()->name());
  EXPECT_TRUE(kiln::equal(x, kiln::tensor({2., 4.})));
  out.sum().backward();
  EXPECT_TRUE(kiln::equal(leaf.grad(), kiln::tensor({2., 2.})));
}

TEST(MarkDirty, ALeafThatRequiresGradIsRefused) {
  Tensor leaf = kiln::tensor({1., 2.}, kiln::requires_grad());
  kiln_test::expect_error([&] { ScaleInPlace::apply(leaf); }, {"leaf Variable that requires grad"});
  // A leaf that does not require grad gets the history of the function.
  struct AddInPlace : Function<AddInPlace> {
    static variable_list forward(AutogradContext* ctx, Variable a, Variable b) {
      ctx->mark_dirty({a});
      return {a.add_(b), b + 2};
    }
    static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0] + g[1]}; }
  };
  Tensor a = kiln::zeros({2}), b = kiln::ones({2}, kiln::requires_grad());
  auto out = AddInPlace::apply(a, b);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_TRUE(kiln::equal(a, kiln::ones({2})));
  out[0].sum().backward();
  EXPECT_TRUE(kiln::equal(b.grad(), kiln::ones({2})));
}

TEST(UndefinedGrad, CopiesWhoseGradientIsUndefined) {
  Tensor x = kiln::ones({2}, kiln::requires_grad());
  variable_list y = kiln::autograd::UndefinedGrad().apply({x * 3, Tensor()});
  ASSERT_EQ(y.size(), 2u);
  EXPECT_FALSE(y[1].defined());
  EXPECT_TRUE(kiln::equal(y[0], kiln::full({2}, 3.f)));
  EXPECT_EQ(y[0].grad_fn()->name(), "UndefinedGradBackward");
  // Its node hands on an undefined gradient whatever it receives.
  variable_list grads = y[0].grad_fn()->apply({kiln::ones({2})});
  ASSERT_EQ(grads.size(), 1u);
  EXPECT_FALSE(grads[0].defined());
  // Without grad mode (or an input requiring grad) it is a plain copy.
  Tensor plain = kiln::autograd::UndefinedGrad().apply({kiln::ones({2})})[0];
  EXPECT_FALSE(plain.requires_grad());
}

}  // namespace
