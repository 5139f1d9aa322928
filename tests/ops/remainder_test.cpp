// fmod, remainder and operator% with tensor operands: values against torch
// for signs, dtypes and broadcasting, gradients, and integer division by zero.
#include "linalg/oracle.h"

namespace {
using kiln::Tensor;
using linalg_test::expect_close;
using linalg_test::torch_eval;

TEST(Remainder, MatchesTorchForEverySignAndDtype) {
  Tensor a = kiln::tensor({-7.5, -3., 0., 2.5, 7.}, kiln::kFloat64);
  Tensor b = kiln::tensor({2., -2.5, 3., -1.5, 2.}, kiln::kFloat64);
  auto ref = torch_eval(
      "a = torch.tensor([-7.5, -3., 0., 2.5, 7.]); b = torch.tensor([2., -2.5, 3., -1.5, 2.])\n"
      "out += [torch.fmod(a, b), torch.remainder(a, b), a % b, torch.remainder(5., b), a % 2.,\n"
      "        torch.fmod(a.long(), b.long()), torch.remainder(a.long(), b.long()),\n"
      "        torch.remainder(a[:, None], b)]\n");
  expect_close(kiln::fmod(a, b), ref[0]);
  expect_close(kiln::remainder(a, b), ref[1]);
  expect_close(a % b, ref[2]);
  expect_close(kiln::remainder(5., b), ref[3]);
  expect_close(a % 2., ref[4]);
  Tensor fi = kiln::fmod(a.to(kiln::kLong), b.to(kiln::kLong)), ri = a.to(kiln::kLong).remainder(b.to(kiln::kLong));
  EXPECT_EQ(fi.dtype(), kiln::kLong);
  expect_close(fi, ref[5]);
  expect_close(ri, ref[6]);
  expect_close(kiln::remainder(a.unsqueeze(1), b), ref[7]);
  EXPECT_EQ((kiln::tensor({5, 7}) % kiln::tensor({2.5})).dtype(), kiln::get_default_dtype());
}

TEST(Remainder, InPlaceVariants) {
  Tensor a = kiln::tensor({-7, 5, 9});
  a.remainder_(kiln::tensor({3, -3, 4}));
  EXPECT_TRUE(kiln::equal(a, kiln::tensor({2, -1, 1})));
  a.fmod_(2);
  EXPECT_TRUE(kiln::equal(a, kiln::tensor({0, -1, 1})));
  Tensor f = kiln::tensor({5.5, -5.5});
  f.fmod_(kiln::tensor({2., 2.}));
  EXPECT_TRUE(kiln::allclose(f, kiln::tensor({1.5, -1.5})));
  f.remainder_(1.);
  EXPECT_TRUE(kiln::allclose(f, kiln::tensor({0.5, 0.5})));
}

TEST(Remainder, GradientsMatchGradcheck) {
  // Away from the jumps (a / b an integer) the derivative exists.
  Tensor a = kiln::tensor({-7.3, -2.9, 0.4, 2.6, 7.2}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  Tensor b = kiln::tensor({2.1, -2.7, 3.3, -1.7, 2.2}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  using kiln::variable_list;
  EXPECT_TRUE(kiln::autograd::gradcheck([](const variable_list& v) { return kiln::fmod(v[0], v[1]); }, {a, b}));
  EXPECT_TRUE(kiln::autograd::gradcheck([](const variable_list& v) { return kiln::remainder(v[0], v[1]); }, {a, b}));
  EXPECT_TRUE(kiln::autograd::gradcheck([](const variable_list& v) { return v[0] % v[1]; }, {a, b}));
  EXPECT_TRUE(kiln::autograd::gradgradcheck([](const variable_list& v) { return kiln::remainder(v[0], v[1]); }, {a, b}));
  auto ref = torch_eval(
      "a = torch.tensor([-7.3, -2.9, 0.4, 2.6, 7.2], requires_grad=True)\n"
      "b = torch.tensor([2.1, -2.7, 3.3, -1.7, 2.2], requires_grad=True)\n"
      "torch.remainder(a, b).sum().backward()\nout += [a.grad, b.grad]\n");
  kiln::remainder(a, b).sum().backward();
  expect_close(a.grad(), ref[0]);
  expect_close(b.grad(), ref[1]);
}

TEST(Remainder, IntegerDivisionByZeroIsAnError) {
  Tensor a = kiln::tensor({1, 2});
  kiln_test::expect_error([&] { kiln::remainder(a, kiln::tensor({1, 0})); }, {"remainder", "ZeroDivisionError"});
  kiln_test::expect_error([&] { kiln::fmod(a, 0); }, {"fmod", "ZeroDivisionError"});
  kiln_test::expect_error([&] { a % 0; }, {"remainder", "ZeroDivisionError"});
  kiln_test::expect_error([&] { a.fmod_(kiln::tensor({0, 1})); }, {"fmod_", "ZeroDivisionError"});
  EXPECT_TRUE(kiln::isnan(kiln::fmod(kiln::tensor({1.}), 0.)).all().item<bool>());
  kiln_test::expect_error([&] { kiln::fmod(kiln::zeros({2}), kiln::zeros({3})); }, {"fmod"});
}

}  // namespace
