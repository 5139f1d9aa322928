// index_select, gather, masked_select, masked_fill, nonzero.
#include "indexing/check.h"

using namespace kiln;
using namespace kiln::indexing;
using kiln_test::expect_error;
using kiln_test::longs;
using kiln_test::expect_values;
using kiln_test::values;

TEST(IndexSelect, MatchesPyTorch) {
  Tensor x = values({3, 4, 5});
  Tensor r = index_select(x, 1, longs({3, 0, 3}));
  ASSERT_EQ(r.sizes(), std::vector<int64_t>({3, 3, 5}));
  expect_values(r.index({0}), {3, 5},
                {0.5004673571, 0.7354321335, 1.3610801407, 2.0577142066, 2.4693642996, 1.5, 2.1676144758,
                 2.4940875151, 2.3125960699, 1.7158796698, 0.5004673571, 0.7354321335, 1.3610801407, 2.0577142066,
                 2.4693642996});
  EXPECT_TRUE(equal(x.index_select(-1, tensor({4, 0})), index_select(x, 2, longs({4, 0}))));
  EXPECT_TRUE(equal(index_select(x.transpose(0, 2), 0, longs({1})), x.transpose(0, 2).index({Slice(1, 2)})));
  EXPECT_EQ(index_select(arange(5), 0, longs({})).sizes(), std::vector<int64_t>({0}));
  EXPECT_EQ(index_select(arange(5), 0, tensor(int64_t{2})).sizes(), std::vector<int64_t>({1}));
  EXPECT_EQ(index_select(arange(5), 0, longs({4, 1})).dtype(), kInt64);
}

TEST(IndexSelect, Errors) {
  Tensor x = values({3, 4});
  expect_error([&] { index_select(x, 0, longs({3})); }, {"index_select", "index 3 is out of bounds", "size 3"});
  expect_error([&] { index_select(x, 0, longs({-1})); }, {"index_select", "index -1"});
  expect_error([&] { index_select(x, 0, tensor({0.0})); }, {"index_select", "int64 or int32", "Float"});
  expect_error([&] { index_select(x, 0, longs({0}).view({1, 1})); }, {"index_select", "vector"});
  expect_error([&] { index_select(x, 2, longs({0})); }, {"index_select", "dimension out of range"});
}

TEST(Gather, MatchesPyTorch) {
  Tensor x = values({3, 4, 5});
  Tensor idx = longs({0, 4, 1, 1, 2, 3, 4, 0, 0, 4, 1, 1, 2, 3, 4, 0}).view({2, 4, 2});
  expect_values(gather(x, 2, idx), {2, 4, 2},
                {1.5, 1.7158796698, 0.5527937012, 0.5527937012, 2.1073955573, 1.4218577057, 2.4693642996,
                 0.5004673571, 2.3856831173, 0.5349704914, 1.655806704, 1.655806704, 0.514405913, 0.653305814,
                 1.2674817328, 1.9369983268});
  Tensor m = arange(6).view({2, 3});
  expect_values(m.gather(0, longs({1, 0, 1}).view({1, 3})), {1, 3}, {3, 1, 5});
  EXPECT_EQ(gather(tensor(5.0), 0, tensor(int64_t{0})).item<double>(), 5.0);
}

TEST(Gather, Errors) {
  Tensor x = values({3, 4});
  expect_error([&] { gather(x, 1, longs({0, 5}).view({1, 2})); },
               {"gather", "index 5 is out of bounds for dimension 1 with size 4"});
  expect_error([&] { gather(x, 1, longs({-1}).view({1, 1})); }, {"gather", "index -1"});
  expect_error([&] { gather(x, 1, tensor({{0.0}})); }, {"gather", "Float"});
  expect_error([&] { gather(x, 1, longs({0, 1})); }, {"gather", "same number of dimensions"});
  expect_error([&] { gather(x, 1, zeros({4, 2}, kInt64)); },
               {"gather", "Size does not match at dimension 0", "[4, 2]", "[3, 4]"});
}

TEST(MaskedSelect, MatchesPyTorch) {
  Tensor x = values({3, 4, 5});
  Tensor picked = masked_select(x.index({0}), tensor({true, false, false, true, true}));
  expect_values(picked, {12},
                {1.5, 2.3125960699, 1.7158796698, 1.0088518499, 1.0784215563, 1.7915192534, 2.3556547866,
                 1.4218577057, 0.7762494475, 0.5004673571, 2.0577142066, 2.4693642996});
  // Broadcasting goes both ways.
  EXPECT_EQ(masked_select(ones({2}), tensor({{true}, {false}, {true}})).sizes(), std::vector<int64_t>({4}));
  EXPECT_EQ(masked_select(tensor(3.0), tensor(true)).sizes(), std::vector<int64_t>({1}));
  expect_error([&] { masked_select(x, tensor({1, 0, 1, 0, 1})); }, {"masked_select", "Bool"});
  expect_error([&] { masked_select(x, tensor({true, false})); }, {"masked_select", "[2]"});
}

TEST(MaskedFill, Values) {
  Tensor x = arange(12.0).view({3, 4});
  Tensor r = masked_fill(x, tensor({true, false, true, false}), -1.5);
  expect_values(r.index({0}), {4}, {-1.5, 1, -1.5, 3});
  EXPECT_EQ(r.dtype(), kFloat32);
  Tensor ints = masked_fill(arange(4), arange(4) > 1, 2.7);  // the value takes the tensor's dtype
  EXPECT_EQ(ints.dtype(), kInt64);
  expect_values(ints, {4}, {0, 1, 2, 2});
  EXPECT_EQ(masked_fill(zeros({4}), ones({2, 4}, kBool), 1.0).sizes(), std::vector<int64_t>({2, 4}));
  x.masked_fill_(x > 9, 0);
  EXPECT_EQ(x.sum().item<double>(), 45.0);
  expect_error([&] { masked_fill(x, tensor({true, false}), 1.0); }, {"masked_fill", "[2]"});
  expect_error([&] { masked_fill(x, tensor({0.5}), 1.0); }, {"masked_fill", "mask"});
}

TEST(Nonzero, Coordinates) {
  Tensor r = nonzero(tensor({{0, 1}, {2, 0}}));
  EXPECT_EQ(r.dtype(), kInt64);
  expect_values(r, {2, 2}, {0, 1, 1, 0});
  expect_values(nonzero(tensor({0.0, 3.0, -1.0, 0.0})), {2, 1}, {1, 2});
  EXPECT_EQ(nonzero(tensor(3.0)).sizes(), std::vector<int64_t>({1, 0}));
  EXPECT_EQ(nonzero(tensor(0.0)).sizes(), std::vector<int64_t>({0, 0}));
  EXPECT_EQ(nonzero(arange(6).view({2, 3}).t()).sizes(), std::vector<int64_t>({5, 2}));
  expect_values(nonzero(arange(6).view({2, 3}).t()).index({0}), {2}, {0, 1});
}

TEST(GatherGradients, IndexSelect) {
  auto f = [](const std::vector<Tensor>& in) { return index_select(in[0], 1, longs({2, 0, 2})); };
  kiln_test::expect_gradients(f, {values({2, 3, 2})});
  kiln_test::expect_second_order(f, {values({2, 3, 2})});
}

TEST(GatherGradients, Gather) {
  auto f = [](const std::vector<Tensor>& in) { return gather(in[0], 0, longs({1, 1, 0, 2, 2, 2}).view({2, 3})); };
  kiln_test::expect_gradients(f, {values({3, 4})});
  kiln_test::expect_second_order(f, {values({3, 4})});
}

TEST(GatherGradients, MaskedSelectAndFill) {
  Tensor mask = tensor({true, false, true, true});
  kiln_test::expect_gradients([&](const std::vector<Tensor>& in) { return masked_select(in[0], mask); },
                              {values({3, 1})});
  kiln_test::expect_gradients([&](const std::vector<Tensor>& in) { return masked_fill(in[0], mask, 2.0); },
                              {values({3, 4})});
  kiln_test::expect_second_order([&](const std::vector<Tensor>& in) { return masked_fill(in[0], mask, 2.0); },
                                 {values({2, 4})});
}
