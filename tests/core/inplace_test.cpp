// In-place ops: add_ sub_ mul_ div_ zero_ fill_ copy_ clamp_ and the
// compound operators write into the tensor's own memory (views write the
// base), keep its dtype and shape, and refuse what libtorch refuses.
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;

TEST(Inplace, ArithmeticKeepsMemoryAndDtype) {
  Tensor x = make({3}, {1, 2, 3}, kiln::kFloat32);
  void* p = x.data_ptr();
  x.add_(make({3}, {1, 1, 1}, kiln::kFloat32));
  EXPECT_TRUE(matches(x, kiln::kFloat32, {3}, {2, 3, 4}));
  x.sub_(1);
  EXPECT_TRUE(values_match(x, {1, 2, 3}));
  x.mul_(make({3}, {2, 3, 4}, kiln::kFloat64));  // float64 operand: the result is cast back to float32
  EXPECT_TRUE(matches(x, kiln::kFloat32, {3}, {2, 6, 12}));
  x.div_(4);
  EXPECT_TRUE(values_match(x, {0.5, 1.5, 3}));
  x.add_(make({3}, {1, 1, 1}), 2);  // alpha
  EXPECT_TRUE(values_match(x, {2.5, 3.5, 5}));
  x.sub_(2, 0.5);
  EXPECT_TRUE(values_match(x, {1.5, 2.5, 4}));
  EXPECT_EQ(x.data_ptr(), p);
  x += 1;
  x -= make({3}, {0.5, 0.5, 0.5}, kiln::kFloat32);
  x *= 2;
  x /= kiln::tensor(2.0);
  EXPECT_TRUE(matches(x, kiln::kFloat32, {3}, {2, 3, 4.5}));
  x *= kiln::tensor({1, 2, 0});  // int operand into a float tensor
  EXPECT_TRUE(matches(x, kiln::kFloat32, {3}, {2, 6, 0}));
  EXPECT_EQ(x.data_ptr(), p);
  // A float tensor += an int tensor stays float (libtorch: [2., 3., 4.]).
  Tensor y = kiln::ones({3});
  y += kiln::tensor({1, 2, 3});
  EXPECT_TRUE(matches(y, kiln::kFloat32, {3}, {2, 3, 4}));
  // float64 += a float32 0-d tensor.
  Tensor w = kiln::ones({3}, kiln::kFloat64);
  w.add_(kiln::tensor(2.0));
  EXPECT_TRUE(matches(w, kiln::kFloat64, {3}, {3, 3, 3}));
  // bool *= true stays bool.
  Tensor b = kiln::tensor({true, false});
  b.mul_(true);
  EXPECT_TRUE(matches(b, kiln::kBool, {2}, {1, 0}));
  // int tensors with int operands.
  Tensor i = kiln::tensor({5, 7});
  i += 2;
  i *= kiln::tensor({2, 3}, kiln::kInt32);
  EXPECT_TRUE(matches(i, kiln::kInt64, {2}, {14, 27}));
}

TEST(Inplace, BroadcastOperandButNotSelf) {
  Tensor x = kiln::zeros({2, 3});
  x.add_(make({3}, {1, 2, 3}, kiln::kFloat32));
  EXPECT_TRUE(values_match(x, {1, 2, 3, 1, 2, 3}));
  x.mul_(make({2, 1}, {10, 100}, kiln::kFloat32));
  EXPECT_TRUE(values_match(x, {10, 20, 30, 100, 200, 300}));
  Tensor small = kiln::ones({3});
  EXPECT_TRUE(throws_error([&] { small.add_(kiln::ones({2, 3})); }, {"add", "[3]", "[2, 3]"}));
}

TEST(Inplace, DtypeThatCannotBeCastBackIsAnError) {
  Tensor i = kiln::tensor({1, 2, 3});
  EXPECT_TRUE(throws_error([&] { i.add_(1.5); }, {"add", "Float", "Long"}));
  EXPECT_TRUE(throws_error([&] { i.div_(2); }, {"div", "Float", "Long"}));
  EXPECT_TRUE(throws_error([&] { i.mul_(kiln::tensor({1.0})); }, {"mul", "Float", "Long"}));
  EXPECT_TRUE(throws_error([&] { i /= 2; }, {"div", "Float", "Long"}));
  Tensor b = kiln::ones({3}, kiln::kBool);
  EXPECT_TRUE(throws_error([&] { b.add_(1); }, {"add", "Long", "Bool"}));
  EXPECT_TRUE(throws_error([&] { i.clamp_(0.5); }, {"clamp", "Float", "Long"}));
  EXPECT_TRUE(values_match(i, {1, 2, 3}));  // unchanged after the failures
}

TEST(Inplace, FillZeroCopyClamp) {
  Tensor x = kiln::arange(6, kiln::kFloat32).reshape({2, 3});
  x.zero_();
  EXPECT_TRUE(values_match(x, std::vector<double>(6, 0)));
  x.fill_(2.5);
  EXPECT_TRUE(values_match(x, std::vector<double>(6, 2.5)));
  x.fill_(kiln::tensor(3));
  EXPECT_TRUE(matches(x, kiln::kFloat32, {2, 3}, std::vector<double>(6, 3)));
  Tensor i = kiln::tensor({5, 7});
  i.fill_(2.7);
  EXPECT_TRUE(matches(i, kiln::kInt64, {2}, {2, 2}));
  // copy_ broadcasts the source and converts its dtype.
  Tensor z = kiln::zeros({2, 3});
  z.copy_(kiln::tensor({1, 2, 3}));
  EXPECT_TRUE(matches(z, kiln::kFloat32, {2, 3}, {1, 2, 3, 1, 2, 3}));
  z.copy_(z.t().t() * 2);
  EXPECT_TRUE(values_match(z, {2, 4, 6, 2, 4, 6}));
  Tensor sq = kiln::zeros({2, 2});
  sq.copy_(make({2, 2}, {1, 2, 3, 4}).t());
  EXPECT_TRUE(values_match(sq, {1, 3, 2, 4}));
  EXPECT_TRUE(throws_error([&] { kiln::ones({3}).copy_(kiln::ones({2})); }, {"copy_", "[2]", "[3]"}));
  Tensor c = make({4}, {-2, 0.5, 3, NAN}, kiln::kFloat32);
  c.clamp_(-1, 1);
  EXPECT_TRUE(values_match(c, {-1, 0.5, 1, NAN}));
  c.clamp_min_(0);
  EXPECT_TRUE(values_match(c, {0, 0.5, 1, NAN}));
  c.clamp_max_(0.25);
  EXPECT_TRUE(values_match(c, {0, 0.25, 0.25, NAN}));
  Tensor k = kiln::tensor({-5, 5});
  k.clamp_(-2, 2);
  EXPECT_TRUE(matches(k, kiln::kInt64, {2}, {-2, 2}));
}

TEST(Inplace, UnaryInplaceMethods) {
  Tensor x = make({3}, {-1, 0, 4}, kiln::kFloat32);
  x.abs_();
  EXPECT_TRUE(values_match(x, {1, 0, 4}));
  x.sqrt_();
  EXPECT_TRUE(values_match(x, {1, 0, 2}));
  x.neg_();
  EXPECT_TRUE(values_match(x, {-1, 0, -2}));
  x.exp_();
  EXPECT_TRUE(values_match(x, {std::exp(-1.0), 1, std::exp(-2.0)}));
  x.pow_(2);
  EXPECT_TRUE(values_match(x, {std::exp(-2.0), 1, std::exp(-4.0)}));
  Tensor i = kiln::tensor({-3, 2});
  i.neg_();
  EXPECT_TRUE(matches(i, kiln::kInt64, {2}, {3, -2}));
  EXPECT_TRUE(throws_error([&] { i.exp_(); }, {"exp", "Float", "Long"}));
}

TEST(Inplace, ThroughViewsWritesTheBase) {
  Tensor x = kiln::zeros({3, 4});
  x[1].add_(1);
  x.select(1, 2).fill_(5);
  x.narrow(0, 2, 1).mul_(0).add_(7);
  Tensor col = x.t()[3];
  col += 10;
  EXPECT_TRUE(values_match(x, {0, 0, 5, 10, 1, 1, 5, 11, 7, 7, 7, 17}));
  // Writing into an expanded (stride-0) tensor's base through a view of it.
  Tensor base = kiln::zeros({3});
  base.unsqueeze(0).add_(make({1, 3}, {1, 2, 3}, kiln::kFloat32));
  EXPECT_TRUE(values_match(base, {1, 2, 3}));
}

TEST(Inplace, AutogradRules) {
  Tensor leaf = kiln::ones({2}, kiln::requires_grad());
  EXPECT_TRUE(throws_error([&] { leaf.add_(1); }, {"add", "leaf Variable that requires grad", "in-place"}));
  EXPECT_TRUE(throws_error([&] { leaf.zero_(); }, {"zero_", "leaf Variable"}));
  {
    kiln::NoGradGuard guard;
    leaf.mul_(3);  // allowed without grad mode, as in libtorch
  }
  EXPECT_TRUE(values_match(leaf, {3, 3}));
  // A non-leaf can be updated in place and keeps history.
  Tensor y = leaf * 2;
  y.add_(1);
  EXPECT_TRUE(y.requires_grad());
  EXPECT_TRUE(values_match(y, {7, 7}));
  y.sum().backward();
  EXPECT_TRUE(values_match(leaf.grad(), {2, 2}));
  // requires_grad_ is in place and returns the tensor.
  Tensor f = kiln::zeros({2});
  Tensor& same = f.requires_grad_();
  EXPECT_EQ(&same, &f);
  EXPECT_TRUE(f.requires_grad());
}

TEST(Inplace, VersionCounterBumps) {
  Tensor x = kiln::ones({2});
  uint32_t v = x._version();
  x.add_(1);
  EXPECT_GT(x._version(), v);
  Tensor view = x.view({2});
  uint32_t vv = x._version();
  view.mul_(2);
  EXPECT_GT(x._version(), vv);  // views share the counter
}

}  // namespace

namespace {

using namespace core_test;
using kiln::Tensor;

TEST(Inplace, FillAndCopyCutTheOldHistory) {
  // After fill_/copy_ a non-leaf's old value no longer matters: no gradient flows to the leaf through it.
  Tensor leaf = make({2}, {1, 2}).requires_grad_();
  Tensor y = leaf * 3;
  y.fill_(5);
  Tensor z = leaf * 1;
  (y.sum() + z.sum()).backward();
  EXPECT_TRUE(values_match(leaf.grad(), {1, 1}));  // only z's path
  Tensor leaf2 = make({2}, {1, 2}).requires_grad_();
  Tensor w = leaf2 * 3;
  w.copy_(make({2}, {7, 8}));
  EXPECT_TRUE(values_match(w, {7, 8}));
  (w.sum() + leaf2.sum()).backward();
  EXPECT_TRUE(values_match(leaf2.grad(), {1, 1}));
  // fill_ of a non-leaf holding NaN or inf gives the value, not NaN.
  Tensor nan_leaf = make({2}, {NAN, INFINITY}).requires_grad_();
  Tensor u = nan_leaf * 1;
  u.fill_(2);
  EXPECT_TRUE(values_match(u, {2, 2}));
  u.zero_();
  EXPECT_TRUE(values_match(u, {0, 0}));
  // copy_ from a tensor that requires grad sends the gradient to the source.
  Tensor src = make({2}, {4, 5}).requires_grad_();
  Tensor dst = kiln::zeros({2}, kiln::kFloat64);
  dst.copy_(src * 2);
  dst.sum().backward();
  EXPECT_TRUE(values_match(src.grad(), {2, 2}));
}

}  // namespace
