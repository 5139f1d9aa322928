// Bad input raises kiln::Error (never a crash, abort or silent NaN) whose
// message names the op and the offending shapes, dims or dtypes.
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;

TEST(Errors, AreKilnErrorsDerivedFromStdException) {
  try {
    kiln::ones({2, 3}) + kiln::ones({4});
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(dynamic_cast<const kiln::Error*>(&e), nullptr);
  }
}

TEST(Errors, IncompatibleBroadcast) {
  EXPECT_TRUE(throws_error([] { kiln::ones({2, 3}) + kiln::ones({4}); },
                           {"add", "[2, 3]", "[4]", "cannot be broadcast"}));
  EXPECT_TRUE(throws_error([] { kiln::ones({2, 3}) * kiln::ones({3, 2}); }, {"mul", "[2, 3]", "[3, 2]"}));
  EXPECT_TRUE(throws_error([] { (void)(kiln::ones({5}) < kiln::ones({2})); }, {"lt", "[5]", "[2]"}));
  EXPECT_TRUE(throws_error([] { kiln::clamp(kiln::ones({3}), std::optional<Tensor>(kiln::ones({2}))); },
                           {"clamp", "[3]", "[2]"}));
}

TEST(Errors, BadReshapeAndView) {
  Tensor x = kiln::ones({12});
  EXPECT_TRUE(throws_error([&] { x.view({5, 3}); }, {"view", "[5, 3]", "invalid for input of size 12"}));
  EXPECT_TRUE(throws_error([&] { x.reshape({5, -1}); }, {"reshape", "[5, -1]", "12"}));
  EXPECT_TRUE(throws_error([&] { x.reshape({-1, -1}); }, {"reshape", "only one dimension can be inferred"}));
  EXPECT_TRUE(throws_error([&] { x.reshape({-2, 6}); }, {"reshape", "invalid shape dimension -2"}));
  EXPECT_TRUE(throws_error([&] { x.reshape({0, -1}); }, {"reshape", "[0, -1]", "12"}));
  EXPECT_TRUE(throws_error([&] { kiln::ones({2, 3}).t().view({6}); }, {"view", "not compatible", "reshape", "[3, 2]"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor(1.0).view({2}); }, {"view", "[2]", "size 1"}));
}

TEST(Errors, DimOutOfRange) {
  Tensor x = kiln::ones({2, 3});
  auto range = [](const char* op) { return std::vector<std::string>{op, "out of range", "[-2, 1]"}; };
  EXPECT_TRUE(throws_error([&] { x.sum({5}); }, range("sum")));
  EXPECT_TRUE(throws_error([&] { x.sum({-3}); }, range("sum")));
  EXPECT_TRUE(throws_error([&] { x.mean({2}); }, range("mean")));
  EXPECT_TRUE(throws_error([&] { x.prod(2); }, range("prod")));
  EXPECT_TRUE(throws_error([&] { x.max(2); }, range("max")));
  EXPECT_TRUE(throws_error([&] { x.argmin(-3); }, range("argmin")));
  EXPECT_TRUE(throws_error([&] { x.amax({2}); }, range("amax")));
  EXPECT_TRUE(throws_error([&] { x.var({2}, true); }, range("var")));
  EXPECT_TRUE(throws_error([&] { x.logsumexp({2}); }, range("logsumexp")));
  EXPECT_TRUE(throws_error([&] { x.all(2); }, range("all")));
  EXPECT_TRUE(throws_error([&] { x.cumsum(2); }, range("cumsum")));
  EXPECT_TRUE(throws_error([&] { x.transpose(0, 2); }, range("transpose")));
  EXPECT_TRUE(throws_error([&] { x.squeeze(2); }, range("squeeze")));
  EXPECT_TRUE(throws_error([&] { x.select(2, 0); }, range("select")));
  EXPECT_TRUE(throws_error([&] { x.narrow(-3, 0, 1); }, range("narrow")));
  EXPECT_TRUE(throws_error([&] { x.slice(2); }, range("slice")));
  EXPECT_TRUE(throws_error([&] { x.split(1, 2); }, range("split")));
  EXPECT_TRUE(throws_error([&] { x.chunk(2, 2); }, range("chunk")));
  EXPECT_TRUE(throws_error([&] { x.unbind(2); }, range("unbind")));
  EXPECT_TRUE(throws_error([&] { x.flatten(0, 2); }, range("flatten")));
  EXPECT_TRUE(throws_error([&] { x.permute({0, 2}); }, range("permute")));
  EXPECT_TRUE(throws_error([&] { x.unsqueeze(3); }, {"unsqueeze", "out of range", "[-3, 2]"}));
  EXPECT_TRUE(throws_error([&] { x.size(2); }, range("size")));
  EXPECT_TRUE(throws_error([&] { kiln::tensor(1.0).sum({1}); }, {"sum", "out of range", "[-1, 0]"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor(1.0).squeeze(5); }, {"squeeze", "out of range", "[-1, 0]"}));
  EXPECT_TRUE(throws_error([&] { x.sum({0, -2}); }, {"sum", "dim 0 appears multiple times"}));
}

TEST(Errors, DtypeNotAllowed) {
  Tensor b = kiln::tensor({true, false});
  EXPECT_TRUE(throws_error([&] { kiln::abs(b); }, {"abs", "Bool"}));
  EXPECT_TRUE(throws_error([&] { b.floor(); }, {"floor", "Bool"}));
  EXPECT_TRUE(throws_error([&] { kiln::ceil(b); }, {"ceil", "Bool"}));
  EXPECT_TRUE(throws_error([&] { kiln::round(b); }, {"round", "Bool"}));
  EXPECT_TRUE(throws_error([&] { b.relu(); }, {"relu", "Bool"}));
  EXPECT_TRUE(throws_error([&] { -b; }, {"neg", "bool", "logical_not"}));
  EXPECT_TRUE(throws_error([&] { b.neg(); }, {"neg", "bool"}));
  EXPECT_TRUE(throws_error([&] { b - b; }, {"sub", "bool", "logical_xor"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor({1, 2}) - b; }, {"sub", "bool"}));
  EXPECT_TRUE(throws_error([&] { b - 1; }, {"sub", "bool"}));
  EXPECT_TRUE(throws_error([&] { kiln::frac(kiln::tensor({1, 2})); }, {"frac", "Long"}));
  EXPECT_TRUE(throws_error([&] { kiln::frac(kiln::tensor({1, 2}, kiln::kInt32)); }, {"frac", "Int"}));
  EXPECT_TRUE(throws_error([&] { kiln::frac(b); }, {"frac", "Bool"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor({1, 2}).mean(); }, {"mean", "Long"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor({1, 2}, kiln::kInt32).mean({0}); }, {"mean", "Int"}));
  EXPECT_TRUE(throws_error([&] { b.mean(); }, {"mean", "Bool"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor({1, 2}).var(); }, {"var", "Long"}));
  EXPECT_TRUE(throws_error([&] { kiln::where(kiln::ones({2}), b, b); }, {"where", "condition", "Float"}));
  EXPECT_TRUE(throws_error([&] { kiln::clamp(b, true, std::nullopt); }, {"clamp", "Bool"}));
  EXPECT_TRUE(throws_error([&] { kiln::argmax(b); }, {"argmax", "Bool"}));
  EXPECT_TRUE(throws_error([&] { kiln::pow(b, b); }, {"pow", "Bool"}));
  EXPECT_TRUE(throws_error([&] { kiln::pow(kiln::tensor({2}), -1); }, {"pow", "negative integer powers"}));
  EXPECT_TRUE(throws_error([&] { kiln::fmod(kiln::tensor({2}), 0); }, {"fmod", "ZeroDivisionError"}));
  EXPECT_TRUE(throws_error([&] { kiln::remainder(kiln::tensor({2}), 0); }, {"remainder", "ZeroDivisionError"}));
  // PyTorch allows these on bool, and so does kiln.
  EXPECT_TRUE(matches(kiln::sqrt(b), kiln::kFloat32, {2}, {1, 0}));
  EXPECT_TRUE(matches(kiln::sign(b), kiln::kBool, {2}, {1, 0}));
  EXPECT_TRUE(matches(kiln::square(b), kiln::kInt64, {2}, {1, 0}));
  EXPECT_TRUE(matches(b + b, kiln::kBool, {2}, {1, 0}));
  EXPECT_TRUE(matches(kiln::clamp(b, 0, 1), kiln::kInt64, {2}, {1, 0}));  // int bounds promote to int64
  EXPECT_TRUE(matches(b.clamp(std::optional<Tensor>(kiln::tensor(true))), kiln::kBool, {2}, {1, 1}));
}

TEST(Errors, ItemOfManyElements) {
  EXPECT_TRUE(throws_error([] { kiln::ones({2, 3}).item<float>(); }, {"item", "6 elements", "[2, 3]"}));
  EXPECT_TRUE(throws_error([] { kiln::zeros({0}).item(); }, {"item", "0 elements", "[0]"}));
}

TEST(Errors, RequiresGradOnIntegerTensor) {
  EXPECT_TRUE(throws_error([] { kiln::ones({2}, kiln::kInt64).requires_grad_(); },
                           {"requires_grad", "floating point", "Long"}));
  EXPECT_TRUE(throws_error([] { kiln::ones({2}, kiln::kBool).set_requires_grad(true); }, {"requires_grad", "Bool"}));
  EXPECT_TRUE(throws_error([] { kiln::arange(3, kiln::requires_grad().dtype(kiln::kInt64)); },
                           {"requires_grad", "Long"}));
}

TEST(Errors, ExpandToIncompatibleSize) {
  EXPECT_TRUE(throws_error([] { kiln::ones({3}).expand({2, 4}); }, {"expand", "(4)", "(3)", "[2, 4]", "[3]"}));
  EXPECT_TRUE(throws_error([] { kiln::ones({2, 3}).expand({3}); }, {"expand", "number of sizes provided (1)", "(2)"}));
  EXPECT_TRUE(throws_error([] { kiln::ones({3}).expand({-1, 3}); }, {"expand", "-1", "leading"}));
  EXPECT_TRUE(throws_error([] { kiln::ones({3}).expand_as(kiln::ones({4})); }, {"expand", "[4]", "[3]"}));
}

TEST(Errors, ViewOpArguments) {
  Tensor x = kiln::ones({2, 3});
  EXPECT_TRUE(throws_error([&] { x.permute({0}); }, {"permute", "[2, 3]"}));
  EXPECT_TRUE(throws_error([&] { x.permute({0, 0}); }, {"permute", "multiple times"}));
  EXPECT_TRUE(throws_error([&] { x.select(1, 3); }, {"select", "index 3", "[2, 3]"}));
  EXPECT_TRUE(throws_error([&] { x.select(0, -3); }, {"select", "index -3", "[2, 3]"}));
  EXPECT_TRUE(throws_error([&] { x[2]; }, {"select", "index 2"}));
  EXPECT_TRUE(throws_error([&] { x.narrow(1, 2, 2); }, {"narrow", "start (2) + length (2)", "(3)"}));
  EXPECT_TRUE(throws_error([&] { x.narrow(1, 0, -1); }, {"narrow"}));
  EXPECT_TRUE(throws_error([&] { x.slice(1, 0, 3, 0); }, {"slice", "step"}));
  EXPECT_TRUE(throws_error([&] { x.split({1, 1}, 1); }, {"split", "[1, 1]", "3"}));
  EXPECT_TRUE(throws_error([&] { x.split(0, 1); }, {"split", "split_size"}));
  EXPECT_TRUE(throws_error([&] { x.chunk(0); }, {"chunk", "0"}));
  EXPECT_TRUE(throws_error([&] { kiln::ones({2, 3, 4}).flatten(2, 1); }, {"flatten", "start_dim", "end_dim"}));
  EXPECT_TRUE(throws_error([&] { kiln::ones({2, 3, 4}).t(); }, {"t", "3D"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor(1.0).select(0, 0); }, {"select", "0-dim"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor(1.0)[0]; }, {"select", "0-dim"}));
  EXPECT_TRUE(throws_error([&] { kiln::tensor(1.0).narrow(0, 0, 1); }, {"narrow", "0-dim"}));
}

TEST(Errors, EmptyReductions) {
  Tensor e = kiln::zeros({0, 3});
  EXPECT_TRUE(throws_error([&] { e.max(); }, {"max", "numel() == 0"}));
  EXPECT_TRUE(throws_error([&] { e.min(); }, {"min", "numel() == 0"}));
  EXPECT_TRUE(throws_error([&] { e.argmax(); }, {"argmax", "numel() == 0"}));
  EXPECT_TRUE(throws_error([&] { e.max(0); }, {"max", "dim 0", "[0, 3]"}));
  EXPECT_TRUE(throws_error([&] { e.amin({0}); }, {"amin", "dim 0", "[0, 3]"}));
  EXPECT_TRUE(throws_error([&] { e.argmin(0); }, {"argmin", "dim 0"}));
}

TEST(Errors, UndefinedTensors) {
  Tensor u;
  EXPECT_TRUE(throws_error([&] { u.dim(); }, {"undefined"}));
  EXPECT_TRUE(throws_error([&] { u.numel(); }, {"undefined"}));
  EXPECT_TRUE(throws_error([&] { u + kiln::ones({1}); }, {"undefined"}));
  EXPECT_TRUE(throws_error([&] { kiln::exp(u); }, {"undefined"}));
  EXPECT_TRUE(throws_error([&] { u.sum(); }, {"undefined"}));
  EXPECT_TRUE(throws_error([&] { u.view({1}); }, {"undefined"}));
  EXPECT_TRUE(throws_error([&] { u.add_(1); }, {"undefined"}));
}

TEST(Errors, CreationArguments) {
  EXPECT_TRUE(throws_error([] { kiln::zeros({2, -1}); }, {"negative dimension -1", "[2, -1]"}));
  EXPECT_TRUE(throws_error([] { kiln::eye(-1); }, {"eye", "-1"}));
  EXPECT_TRUE(throws_error([] { kiln::tensor({{1, 2}, {3}}); }, {"tensor", "sizes: 2", "sub-list {3} with sizes: 1"}));
  EXPECT_TRUE(throws_error([] { kiln::arange(0, 5, -1); }, {"arange", "step sign"}));
}

}  // namespace
