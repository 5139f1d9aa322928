// In-place ops through views of tensors that require grad (PyTorch's
// CopySlices): the base's history is rewritten, so gradients through the base
// and through the view both see the write. Values were computed with
// /usr/bin/python3 + torch 1.13 on the same programs (quoted beside each).
#include <gtest/gtest.h>

#include "common/derivative_checks.h"
#include "common/expect_error.h"
#include "kiln/kiln.h"

using namespace kiln;
using kiln_test::expect_error;

namespace {

Tensor x23() {
  return tensor({0.5, -1.0, 2.0, 1.5, 0.25, -0.75}, dtype(kFloat64)).reshape({2, 3}).detach().requires_grad_();
}
void expect_values(const Tensor& t, std::vector<double> expected) {
  ASSERT_TRUE(t.defined());
  EXPECT_TRUE(allclose(t.reshape({-1}), tensor(expected, dtype(kFloat64)), 1e-12, 1e-12)) << t;
}

TEST(InplaceView, BaseSeesTheWrite) {
  // x = [1, 2, 3]; y = x * 2; y[0:2].mul_(3); y.sum().backward()  -> x.grad = [6, 6, 2]
  Tensor x = tensor({1.0, 2.0, 3.0}, dtype(kFloat64).requires_grad(true));
  Tensor y = x * 2;
  Tensor v = y.narrow(0, 0, 2);
  v.mul_(3);
  EXPECT_EQ(y.grad_fn()->name(), "torch::autograd::CopySlices");
  EXPECT_EQ(v.grad_fn()->name(), "AsStridedBackward0");
  expect_values(y.detach(), {6, 12, 6});
  y.sum().backward();
  expect_values(x.grad(), {6, 6, 2});
}

TEST(InplaceView, OtherOperandGetsItsGradient) {
  // y = x * 3; y.select(0, 1).add_(w * w, alpha=2); (y * y).sum().backward()
  Tensor x = x23(), w = tensor({0.3, -0.2, 0.7}, dtype(kFloat64).requires_grad(true));
  Tensor y = x * 3;
  y.select(0, 1).add_(w * w, 2);
  (y * y).sum().backward();
  expect_values(x.grad(), {9.0, -18.0, 36.0, 28.08, 4.98, -7.62});
  expect_values(w.grad(), {11.232, -1.328, -7.112});
}

TEST(InplaceView, ColumnTimesAnotherTensor) {
  // y = x * 1; y.select(1, 1).mul_(x.select(1, 0) * 1); y.sin().sum().backward()
  Tensor x = x23();
  Tensor y = x * 1;
  y.select(1, 1).mul_(x.select(1, 0) * 1);
  y.sin().sum().backward();
  expect_values(x.grad(), {0.0, 0.4387912809451864, -0.4161468365471424, 0.3033641071457815, 1.3957614328684715,
                           0.7316888688738209});
}

TEST(InplaceView, ViewOfAViewAndTheViewAfterwards) {
  // y = x * 1; v = y.t().narrow(0, 1, 2); v.mul_(v.detach() + 1); (y.cos() * v.sum()).sum().backward()
  Tensor x = x23();
  Tensor y = x * 1;
  Tensor v = y.t().narrow(0, 1, 2);
  v.mul_(v.detach() + 1);
  (y.cos() * v.sum()).sum().backward();
  expect_values(x.grad(), {-2.9364814239507435, 0.0, 19.66185371347887, -6.109656792949833, 3.6993380119412955,
                           1.4960628760066932});
}

TEST(InplaceView, OtherViewsSeeTheWrite) {
  // torch: y = x * 2; a = y[0:2]; b = y[1:3]; a.mul_(3); b.sum().backward()  -> x.grad = [0, 6, 2]
  Tensor x = tensor({1.0, 2.0, 3.0}, dtype(kFloat64).requires_grad(true));
  Tensor y = x * 2;
  Tensor a = y.narrow(0, 0, 2), b = y.narrow(0, 1, 2);
  a.mul_(3);
  EXPECT_EQ(b.grad_fn()->name(), "AsStridedBackward0");  // b's history was made again from y's
  b.sum().backward();
  expect_values(x.grad(), {0, 6, 2});
  // torch: y = x * 2; c = y[1:3]; y.mul_(3); (c * c).sum().backward()  -> x.grad = [0, 144, 216]
  Tensor x2 = tensor({1.0, 2.0, 3.0}, dtype(kFloat64).requires_grad(true));
  Tensor y2 = x2 * 2;
  Tensor c = y2.narrow(0, 1, 2);
  y2.mul_(3);
  (c * c).sum().backward();
  expect_values(x2.grad(), {0, 144, 216});
}

TEST(InplaceView, MatchesFiniteDifferencesToSecondOrder) {
  auto f = [](const variable_list& in) {
    Tensor y = in[0].sin() * 1.5;  // (tanh would save y, and the writes would then be an error)
    y.narrow(1, 1, 2).mul_(in[1]);       // broadcast [2] over the window's rows
    y.select(0, 0).add_(in[1].sum(), 2);  // a second write, through another view
    y.diagonal().fill_(0.5);
    return y * y.sum();
  };
  variable_list in = {kiln::test::uniform({3, 3}, -1, 1, 7), kiln::test::uniform({2}, -1, 1, 8)};
  EXPECT_TRUE(autograd::gradcheck(f, in));
  EXPECT_TRUE(autograd::gradgradcheck(f, in));
}

TEST(InplaceView, ForwardModeWritesThroughTheTangent) {
  // torch: y = make_dual(x, ones(3)); y.narrow(0, 0, 2).mul_(3)  -> tangent [3, 3, 1]
  namespace fa = autograd::forward_ad;
  fa::dual_level level;
  Tensor y = fa::make_dual(tensor({1.0, 2.0, 3.0}, dtype(kFloat64)), ones({3}, kFloat64));
  y.narrow(0, 0, 2).mul_(3);
  expect_values(std::get<1>(fa::unpack_dual(y)), {3, 3, 1});
  expect_values(std::get<0>(fa::unpack_dual(y)), {3, 6, 3});
}

TEST(InplaceView, BaseWithoutGradGetsAHistory) {
  // torch: x = zeros(2, 3); x[1] = w * w; x.select(1, 0).mul_(w[:2] + 1);
  //        (x.sin() * arange(6).reshape(2, 3)).sum().backward()
  Tensor w = tensor({0.3, -0.2, 0.7}, dtype(kFloat64).requires_grad(true));
  Tensor x = zeros({2, 3}, kFloat64);
  x[1] = w * w;
  EXPECT_EQ(x.grad_fn()->name(), "torch::autograd::CopySlices");
  EXPECT_FALSE(x.is_leaf());
  x.select(1, 0).mul_(w.narrow(0, 0, 2) + 1);
  (x.sin() * arange(6, kFloat64).reshape({2, 3})).sum().backward();
  expect_values(w.grad(), {1.4362691321527576, -1.3294197083789225, 6.176330010270851});
  // Building a tensor slice by slice differentiates like any other op.
  auto build = [](const variable_list& in) {
    Tensor out = zeros({3, 2}, kFloat64);
    out.select(1, 0).copy_(in[0].exp());
    out.narrow(0, 1, 2).select(1, 1).mul_(in[0].narrow(0, 0, 2));  // multiplies zeros: no gradient
    out.narrow(0, 0, 2).select(1, 1).add_(in[0].narrow(0, 1, 2) * in[0].narrow(0, 0, 2));
    return out * out;
  };
  variable_list in = {kiln::test::uniform({3}, -1, 1, 9)};
  EXPECT_TRUE(autograd::gradcheck(build, in));
  EXPECT_TRUE(autograd::gradgradcheck(build, in));
}

TEST(InplaceView, ViewsMadeBeforeTheBaseTookPart) {
  // torch: x = zeros(4); u = x[1:3]; x[0:2].copy_(w); ((u * u).sum() + x.sum()).backward()
  //        -> u.requires_grad True, w.grad = [1, 7]
  Tensor w = tensor({2.0, 3.0}, dtype(kFloat64).requires_grad(true));
  Tensor x = zeros({4}, kFloat64);
  Tensor u = x.narrow(0, 1, 2);
  x.narrow(0, 0, 2).copy_(w);
  EXPECT_TRUE(u.requires_grad());
  EXPECT_FALSE(u.is_leaf());
  ((u * u).sum() + x.sum()).backward();
  expect_values(w.grad(), {1, 7});
  // torch: y = zeros(2, 2); a = y.view(4); y[0] = w; a[0:2].mul_(w); y.sum().backward() -> w.grad = [4, 6]
  Tensor w2 = tensor({2.0, 3.0}, dtype(kFloat64).requires_grad(true));
  Tensor y = zeros({2, 2}, kFloat64);
  Tensor a = y.view({4});
  y[0] = w2;
  a.narrow(0, 0, 2).mul_(w2);
  y.sum().backward();
  expect_values(w2.grad(), {4, 6});
  // Forward mode: the old view sees the base's tangent through the same window
  // (torch: v = [9, 0] with tangent [6, 0], so v * (v.detach() - 4.2) has tangent [28.8, 0]).
  namespace fa = autograd::forward_ad;
  fa::dual_level level;
  Tensor wd = fa::make_dual(tensor({2.0, 3.0}, dtype(kFloat64)), tensor({1.0, 2.0}, dtype(kFloat64)));
  Tensor z = zeros({4}, kFloat64);
  Tensor v = z.narrow(0, 1, 2);
  z.narrow(0, 0, 2).copy_(wd * 3);
  expect_values(std::get<1>(fa::unpack_dual(v)), {6, 0});
  expect_values(std::get<1>(fa::unpack_dual(v * (v.detach() - 4.2))), {28.8, 0});
}

TEST(InplaceView, BaseLaidOutColumnMajor) {
  // torch: x = empty_strided((2, 2), (1, 2)).zero_(); x[0] = w -> x.grad_fn CopySlices; x[:, 1].sum() -> w.grad [0, 1]
  Tensor w = tensor({1.0, 2.0}, dtype(kFloat64).requires_grad(true));
  Tensor x = empty_strided({2, 2}, {1, 2}, kFloat64).zero_();
  x[0] = w;
  EXPECT_EQ(x.grad_fn()->name(), "torch::autograd::CopySlices");
  x.select(1, 1).sum().backward();
  expect_values(w.grad(), {0, 1});
  // The same writes into a column-major and a row-major base differentiate alike.
  auto writes = [](Tensor base, const Tensor& v) {
    base.select(1, 1).copy_(v * v);
    base.narrow(0, 0, 2).select(1, 0).mul_(v.narrow(0, 1, 2) + 1);
    return (base * base.sum()).exp();
  };
  auto column_major = [&](const variable_list& in) {
    return writes(empty_strided({3, 2}, {1, 3}, kFloat64).fill_(0.5), in[0]);
  };
  auto row_major = [&](const variable_list& in) { return writes(full({3, 2}, 0.5, kFloat64), in[0]); };
  variable_list in = {kiln::test::uniform({3}, -1, 1, 11)};
  EXPECT_TRUE(autograd::gradcheck(column_major, in));
  EXPECT_TRUE(autograd::gradgradcheck(column_major, in));
  Tensor g1 = autograd::grad({column_major(in).sum()}, {in[0]})[0];
  Tensor g2 = autograd::grad({row_major(in).sum()}, {in[0]})[0];
  EXPECT_TRUE(allclose(g1, g2, 1e-12, 1e-12)) << g1 << g2;
  // Forward mode: the base's new tangent is laid out like the base, so every view reads its window.
  namespace fa = autograd::forward_ad;
  fa::dual_level level;
  Tensor wd = fa::make_dual(tensor({1.0, 2.0}, dtype(kFloat64)), tensor({3.0, 4.0}, dtype(kFloat64)));
  Tensor y = empty_strided({2, 2}, {1, 2}, kFloat64).zero_();
  Tensor column = y.select(1, 1);
  y[0] = wd;
  expect_values(std::get<1>(fa::unpack_dual(y)).contiguous(), {3, 4, 0, 0});
  expect_values(std::get<1>(fa::unpack_dual(column)).contiguous(), {4, 0});
}

TEST(InplaceView, CopyIsCopyBackwards) {
  // torch: z = zeros(2, 2); z.copy_(w) -> CopyBackwards; z.sum().backward() -> w.grad = [2, 2]
  Tensor w = tensor({1.0, 2.0}, dtype(kFloat64).requires_grad(true));
  Tensor z = zeros({2, 2}, kFloat64);
  z.copy_(w);
  EXPECT_EQ(z.grad_fn()->name(), "torch::autograd::CopyBackwards");
  z.sum().backward();
  expect_values(w.grad(), {2, 2});
  Tensor y = w * 2;  // the old history gets no gradient
  y.copy_(w.detach() + 5);
  y.sum().backward();
  expect_values(w.grad(), {2, 2});
}

TEST(InplaceView, ForwardModeBaseWithoutTangent) {
  // torch: x = zeros(2, 3); v = x.narrow(1, 1, 2); v.copy_(w_dual[1:].unsqueeze(0) * 2),
  //        tangent of w [1, 2, 3] -> x's tangent [[0, 4, 6], [0, 4, 6]], v's [[4, 6], [4, 6]]
  namespace fa = autograd::forward_ad;
  fa::dual_level level;
  Tensor w = fa::make_dual(tensor({0.3, -0.2, 0.7}, dtype(kFloat64)), tensor({1.0, 2.0, 3.0}, dtype(kFloat64)));
  Tensor x = zeros({2, 3}, kFloat64);
  Tensor v = x.narrow(1, 1, 2);
  v.copy_(w.narrow(0, 1, 2).unsqueeze(0) * 2);
  expect_values(std::get<1>(fa::unpack_dual(x)), {0, 4, 6, 0, 4, 6});
  expect_values(std::get<1>(fa::unpack_dual(v)), {4, 6, 4, 6});
}

TEST(InplaceView, ForwardModeWriteLeavesTheInputsTangent) {
  // y = x + c (c without a tangent) or x * 1: y's tangent equals x's, but an
  // in-place op on y must not change x's (torch: x's tangent stays [1, 1]).
  namespace fa = autograd::forward_ad;
  fa::dual_level level;
  Tensor x = fa::make_dual(tensor({1.0, 2.0}, dtype(kFloat64)), ones({2}, kFloat64));
  Tensor y = x + ones({2}, kFloat64), z = x * 1, w = x.to(kFloat64, false, true);
  y.mul_(3);
  z.add_(1, 2).mul_(-1.5);
  w.mul_(2);
  expect_values(std::get<1>(fa::unpack_dual(x)), {1, 1});
  expect_values(std::get<1>(fa::unpack_dual(y)), {3, 3});
  expect_values(std::get<1>(fa::unpack_dual(z)), {-1.5, -1.5});
  expect_values(std::get<1>(fa::unpack_dual(w)), {2, 2});
}

TEST(InplaceView, Errors) {
  // torch: "a view of a leaf Variable that requires grad is being used in an in-place operation."
  Tensor leaf = ones({3}, requires_grad());
  expect_error([&] { leaf.narrow(0, 0, 1).mul_(2); },
               {"mul", "a view of a leaf Variable that requires grad is being used in an in-place operation"});
  // A view saved for backward and then overwritten through another view of the
  // same memory: the version check names it, as in torch.
  Tensor x = x23();
  Tensor y = x * 1;
  Tensor a = y.select(1, 1), b = y.select(1, 0);
  a.mul_(b);
  expect_error([&] { y.sin().sum().backward(); }, {"modified by an inplace operation"});
  // The op run by CopySlices is freed with it: a second backward raises, as in torch
  // (y = x * 2; y.narrow(0, 0, 2).mul_(w); y.sum().backward() twice).
  Tensor x3 = tensor({1.0, 2.0, 3.0}, dtype(kFloat64).requires_grad(true));
  Tensor w = tensor({2.0, 3.0}, dtype(kFloat64).requires_grad(true));
  Tensor y3 = x3 * 2;
  y3.narrow(0, 0, 2).mul_(w);
  y3.sum().backward(Tensor(), /*retain_graph=*/true);
  y3.sum().backward();
  expect_values(x3.grad(), {8, 12, 4});
  expect_error([&] { y3.sum().backward(); }, {"Trying to backward through the graph a second time", "MulBackward0"});
  // A base with gaps between its elements has no dense layout for CopySlices: a clear error.
  std::vector<double> memory(12, 0.0);
  Tensor gappy = from_blob(memory.data(), {2, 3}, {6, 2}, dtype(kFloat64));
  Tensor wg = tensor({1.0, 2.0, 3.0}, dtype(kFloat64).requires_grad(true));
  expect_error([&] { gappy[0] = wg; }, {"copy_", "strides [6, 2]", "gaps or overlaps"});
  // As torch: a view cannot be detached in place.
  Tensor base = zeros({3}, kFloat64);
  Tensor part = base.narrow(0, 0, 2);
  expect_error([&] { part.detach_(); }, {"detach_", "Can't detach views in-place"});
  // Without grad mode nothing is recorded and the write just happens.
  Tensor z = x * 1;
  {
    NoGradGuard no_grad;
    z.narrow(0, 0, 1).zero_();
  }
  expect_values(z.detach(), {0, 0, 0, 1.5, 0.25, -0.75});
}

}  // namespace
