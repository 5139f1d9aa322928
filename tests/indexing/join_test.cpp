// cat, stack, hstack, vstack, flip, roll, repeat, meshgrid, broadcast_*.
#include "indexing/check.h"

using namespace kiln;
using namespace kiln::indexing;
using kiln_test::expect_error;
using kiln_test::expect_values;
using kiln_test::values;

TEST(Cat, MatchesPyTorch) {
  Tensor x = values({3, 4, 5});
  Tensor r = cat({x.index({Slice(), Slice(None, 2), Slice(None, 2)}), values({3, 1, 2}, 0.3)}, 1);
  expect_values(r, {3, 3, 2},
                {1.5, 2.1676144758, 1.0088518499, 0.5527937012, 1.7955202067, 2.3578133793, 2.3856831173,
                 1.8494305455, 0.9565379302, 1.655806704, 2.4817761994, 2.1040654411, 0.6775719673, 0.507911149,
                 2.4957964066, 2.3025272386, 1.4176858929, 0.7733676747});
  EXPECT_EQ(cat({ones({1}, kInt32), tensor({true})}).dtype(), kInt32);
  EXPECT_EQ(cat({ones({1}, kInt32), tensor({2.0}, kFloat64)}).dtype(), kFloat64);
  EXPECT_EQ(cat({arange(12.0).view({3, 4}), zeros({0})}).sizes(), std::vector<int64_t>({3, 4}));  // legacy skip
  EXPECT_EQ(cat({arange(4.0).view({2, 2}), arange(2.0).view({2, 1})}, -1).sizes(), std::vector<int64_t>({2, 3}));
  expect_values(cat({arange(2.0).view({2, 1}), arange(4.0).view({2, 2}).t()}, 1), {2, 3}, {0, 0, 2, 1, 1, 3});
}

TEST(Cat, Errors) {
  Tensor x = zeros({3, 4});
  expect_error([&] { cat({x, zeros({2, 3})}, 0); },
               {"cat", "Sizes of tensors must match except in dimension 0", "Expected size 4 but got size 3",
                "tensor number 1", "[3, 4]", "[2, 3]"});
  expect_error([&] { cat({x, zeros({2})}, 0); }, {"cat", "same number of dimensions", "got 2 and 1"});
  expect_error([&] { cat({}, 0); }, {"cat", "non-empty"});
  expect_error([&] { cat({tensor(1.0)}, 0); }, {"cat", "zero-dimensional tensor (at position 0)"});
  expect_error([&] { cat({x}, 2); }, {"cat", "dimension out of range"});
}

TEST(Stack, ShapesAndErrors) {
  Tensor a = arange(3.0), b = arange(3.0) + 10;
  expect_values(stack({a, b}, 1), {3, 2}, {0, 10, 1, 11, 2, 12});
  EXPECT_EQ(stack({a, b}, -1).sizes(), std::vector<int64_t>({3, 2}));
  EXPECT_EQ(stack({tensor(1.0), tensor(2.0)}).sizes(), std::vector<int64_t>({2}));
  expect_error([&] { stack({zeros({3, 4}), zeros({2, 3})}); },
               {"stack", "equal size", "[3, 4] at entry 0 and [2, 3] at entry 1"});
  expect_error([&] { stack({}); }, {"stack", "non-empty"});
  expect_error([&] { stack({a, b}, 2); }, {"stack", "dimension out of range"});
  expect_values(hstack({tensor(1.0), tensor({2.0, 3.0})}), {3}, {1, 2, 3});
  expect_values(hstack({ones({2, 1}), zeros({2, 2})}), {2, 3}, {1, 0, 0, 1, 0, 0});
  expect_values(vstack({tensor(1.0), tensor(2.0)}), {2, 1}, {1, 2});
  expect_values(vstack({ones({2}), zeros({1, 2})}), {2, 2}, {1, 1, 0, 0});
}

TEST(FlipRollRepeat, MatchPyTorch) {
  Tensor m = values({3, 4});
  expect_values(flip(m, {0, 1}), {3, 4},
                {2.4825629773, 2.3556547866, 1.7915192534, 1.0784215563, 0.5807444068, 0.5527937012, 1.0088518499,
                 1.7158796698, 2.3125960699, 2.4940875151, 2.1676144758, 1.5});
  expect_values(arange(6).view({2, 3}).flip({-1}), {2, 3}, {2, 1, 0, 5, 4, 3});
  expect_values(flip(arange(6).view({2, 3}).t(), {0}), {3, 2}, {2, 5, 1, 4, 0, 3});
  EXPECT_EQ(flip(tensor(3.0), {0}).item<double>(), 3.0);
  expect_error([&] { flip(m, {0, 0}); }, {"flip"});

  expect_values(roll(m, {1, -3}, {0, 1}), {3, 4},
                {2.4825629773, 1.0784215563, 1.7915192534, 2.3556547866, 2.3125960699, 1.5, 2.1676144758,
                 2.4940875151, 0.5807444068, 1.7158796698, 1.0088518499, 0.5527937012});
  expect_values(roll(arange(5), -7), {5}, {2, 3, 4, 0, 1});
  expect_values(arange(6).view({2, 3}).roll(1), {2, 3}, {5, 0, 1, 2, 3, 4});
  Tensor same = roll(m, 4, 1);
  EXPECT_TRUE(equal(same, m));
  EXPECT_NE(same.data_ptr(), m.data_ptr());
  expect_error([&] { roll(m, {1, 2}, {0}); }, {"roll", "shifts and dimensions must align"});

  expect_values(values({2}).repeat({2, 3}), {2, 6},
                {1.5, 2.1676144758, 1.5, 2.1676144758, 1.5, 2.1676144758, 1.5, 2.1676144758, 1.5, 2.1676144758, 1.5,
                 2.1676144758});
  expect_values(arange(4).view({2, 2}).repeat({1, 2}), {2, 4}, {0, 1, 0, 1, 2, 3, 2, 3});
  EXPECT_EQ(tensor(3.0).repeat({2, 2}).sizes(), std::vector<int64_t>({2, 2}));
  EXPECT_EQ(arange(3).repeat({2, 0}).sizes(), std::vector<int64_t>({2, 0}));
  Tensor copy = m.repeat({1, 1});
  EXPECT_NE(copy.data_ptr(), m.data_ptr());
  expect_error([&] { m.repeat({2}); }, {"repeat", "can not be smaller"});
  expect_error([&] { m.repeat({2, -1}); }, {"repeat", "non-negative"});
}

TEST(Meshgrid, IjAndXy) {
  Tensor a = tensor({1, 2}), b = tensor({3, 4, 5});
  auto ij = meshgrid({a, b});
  expect_values(ij[0], {2, 3}, {1, 1, 1, 2, 2, 2});
  expect_values(ij[1], {2, 3}, {3, 4, 5, 3, 4, 5});
  auto xy = meshgrid({a, b}, "xy");
  expect_values(xy[0], {3, 2}, {1, 2, 1, 2, 1, 2});
  expect_values(xy[1], {3, 2}, {3, 3, 4, 4, 5, 5});
  EXPECT_EQ(meshgrid({a, tensor(7)})[1].sizes(), std::vector<int64_t>({2, 1}));
  expect_error([&] { meshgrid({a, b}, "foo"); }, {"meshgrid", "\"xy\" or \"ij\"", "foo"});
  expect_error([&] { meshgrid({zeros({2, 2})}); }, {"meshgrid", "0D or 1D"});
  expect_error([&] { meshgrid({a, tensor({1.0})}); }, {"meshgrid", "same dtype"});
  expect_error([&] { meshgrid({}); }, {"meshgrid", "non-empty"});
}

TEST(Broadcast, TensorsAndShapes) {
  auto r = broadcast_tensors({ones({2, 1}), zeros({3})});
  EXPECT_EQ(r[0].sizes(), std::vector<int64_t>({2, 3}));
  EXPECT_EQ(r[1].sizes(), std::vector<int64_t>({2, 3}));
  EXPECT_EQ(IntArrayRef(broadcast_shapes({2, 1, 4}, {3, 1})), std::vector<int64_t>({2, 3, 4}));
  expect_error([&] { broadcast_tensors({ones({2, 1}), ones({3, 2})}); }, {"broadcast_tensors"});
  expect_error([&] { broadcast_shapes({2, 3}, {4, 3}); }, {"broadcast_shapes"});
}

TEST(JoinGradients, Cat) {
  auto f = [](const std::vector<Tensor>& in) { return cat({in[0], in[1].t(), in[0]}, 1); };
  kiln_test::expect_gradients(f, {values({2, 2}), values({1, 2}, 1.0)});
  kiln_test::expect_second_order(f, {values({2, 2}), values({1, 2}, 1.0)});
  Tensor a = ones({2}).requires_grad_(), b = ones({2});
  Tensor c = cat({a, b});
  EXPECT_EQ(c.grad_fn()->name(), "CatBackward0");
  (c * arange(4.0)).sum().backward();
  expect_values(a.grad(), {2}, {0, 1});
}

TEST(JoinGradients, StackHstackVstack) {
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return stack({in[0], in[1]}, 1); },
                              {values({2, 2}), values({2, 2}, 1.0)});
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return hstack({in[0], in[1]}); },
                              {values({3}), values({2}, 1.0)});
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return vstack({in[0], in[1]}); },
                              {values({3}), values({2, 3}, 1.0)});
}

TEST(JoinGradients, FlipRollRepeat) {
  auto fl = [](const std::vector<Tensor>& in) { return flip(in[0], {0, -1}); };
  kiln_test::expect_gradients(fl, {values({2, 3})});
  kiln_test::expect_second_order(fl, {values({2, 3})});
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return roll(in[0], {1, -1}, {0, 1}); },
                              {values({2, 3})});
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return roll(in[0], 2); }, {values({2, 3})});
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return in[0].repeat({2, 1, 3}); },
                              {values({2, 2})});
}

TEST(JoinGradients, MeshgridBroadcast) {
  kiln_test::expect_gradients(
      [](const std::vector<Tensor>& in) {
        auto g = meshgrid({in[0], in[1]}, "xy");
        return g[0] * g[1];
      },
      {values({2}), values({3}, 1.0)});
  kiln_test::expect_gradients(
      [](const std::vector<Tensor>& in) {
        auto b = broadcast_tensors({in[0], in[1]});
        return b[0] * 2 + b[1];
      },
      {values({2, 1}), values({3}, 1.0)});
}
