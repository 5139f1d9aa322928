// t.index({...}) and index_put_: views for basic indices, copies for tensor
// indices, values checked against PyTorch 1.13, derivatives by central differences.
#include "indexing/check.h"

using namespace kiln;
using namespace kiln::indexing;
using kiln_test::expect_error;
using kiln_test::longs;
using kiln_test::expect_values;
using kiln_test::values;

TEST(Index, BasicIndicesAreViews) {
  Tensor x = values({3, 4, 5});
  Tensor v = x.index({1, Slice(1, None, 2), "..."});
  EXPECT_EQ(v.sizes(), std::vector<int64_t>({2, 5}));
  EXPECT_EQ(v.data_ptr(), x.index({1, 1}).data_ptr());  // shares storage
  v.fill_(7.0);
  EXPECT_EQ(x.index({1, 3, 4}).item<double>(), 7.0);
  EXPECT_EQ(x.index({1, 2, 4}).item<double>(), values({3, 4, 5}).index({1, 2, 4}).item<double>());

  EXPECT_EQ(x.index({None, Ellipsis, None}).sizes(), std::vector<int64_t>({1, 3, 4, 5, 1}));
  EXPECT_EQ(x.index({Ellipsis, 1}).sizes(), std::vector<int64_t>({3, 4}));
  EXPECT_EQ(x.index({"...", None, 1}).sizes(), std::vector<int64_t>({3, 4, 1}));
  EXPECT_EQ(x.index({Slice(-2), Slice(None, -1), Slice(-4, -1, 2)}).sizes(), std::vector<int64_t>({2, 3, 2}));
  EXPECT_EQ(x.index({Slice(10, 20)}).sizes(), std::vector<int64_t>({0, 4, 5}));
  EXPECT_EQ(x.index({-1, -1, -1}).item<double>(), x.index({2, 3, 4}).item<double>());
  EXPECT_EQ(x.index({tensor(int64_t{2})}).sizes(), std::vector<int64_t>({4, 5}));  // a 0-d int acts as an int
  Tensor all = x.index({Ellipsis});
  EXPECT_FALSE(all.is_same(x));
  EXPECT_EQ(all.data_ptr(), x.data_ptr());
}

TEST(Index, BooleansAddADim) {
  Tensor x = values({3, 4});
  EXPECT_EQ(x.index({true}).sizes(), std::vector<int64_t>({1, 3, 4}));
  EXPECT_EQ(x.index({false}).sizes(), std::vector<int64_t>({0, 3, 4}));
  EXPECT_EQ(x.index({tensor(true), 1}).sizes(), std::vector<int64_t>({1, 4}));
}

TEST(Index, TensorIndicesMatchPyTorch) {
  Tensor x = values({3, 4, 5});
  expect_values(x.index({longs({2, 0, -1}), Slice(1, 4, 2), longs({1, 4}).view({2, 1})}), {2, 3, 2},
                {2.3025272386, 1.4048486646, 0.5527937012, 0.7354321335, 2.3025272386, 1.4048486646, 0.5474578456,
                 0.7465476189, 1.7915192534, 2.4693642996, 0.5474578456, 0.7465476189});
  expect_values(x.index({Ellipsis, longs({0, 3})}).index({1}), {4, 2},
                {2.3856831173, 0.6065193118, 0.9565379302, 2.4988650606, 1.561110475, 0.653305814, 1.9369983268,
                 1.976205003});
  // Non-adjacent tensor indices put the index shape first.
  expect_values(x.index({longs({0, 2}), Slice(), longs({1, 3})}), {2, 4},
                {2.1676144758, 0.5527937012, 2.4825629773, 0.7354321335, 1.5170726346, 0.9940518705, 2.3643659673,
                 0.5000911347});
  // int32 indices work too (kiln accepts them where libtorch wants int64).
  EXPECT_TRUE(equal(x.index({tensor({0, 2})}), x.index({longs({0, 2})})));
  EXPECT_EQ(x[longs({1, 1, 0})].sizes(), std::vector<int64_t>({3, 4, 5}));
  EXPECT_EQ(x.index({longs({})}).sizes(), std::vector<int64_t>({0, 4, 5}));
}

TEST(Index, MasksMatchPyTorch) {
  Tensor x = values({3, 4, 5});
  Tensor m = x.index({Slice(), Slice(), 0}) > 1.5;
  Tensor picked = x.index({m});
  ASSERT_EQ(picked.sizes(), std::vector<int64_t>({6, 5}));
  expect_values(picked.index({Slice(None, 2)}), {2, 5},
                {2.3556547866, 2.4825629773, 2.1073955573, 1.4218577057, 0.7762494475, 2.3856831173, 1.8494305455,
                 1.1346239689, 0.6065193118, 0.5349704914});
  expect_values(x.index({Slice(), tensor({true, false, true, false}), 2}), {3, 2},
                {2.4940875151, 2.1073955573, 1.1346239689, 0.514405913, 0.8451935264, 1.8078078491});
  EXPECT_EQ(x.index({x > 1.0}).dim(), 1);
  EXPECT_EQ(x.index({x > 1.0}).numel(), (x > 1.0).sum().item<int64_t>());
}

TEST(Index, PutWritesLikePyTorch) {
  Tensor x = values({3, 4, 5});
  x.index_put_({longs({0, 0, 2}), longs({1, 1, 3})}, values({3, 5}, 1.0));
  expect_values(x.index({Slice(), Slice(), Slice(0, 2)}), {3, 4, 2},
                {1.5, 2.1676144758, 0.5016462956, 0.7184258321, 2.3556547866, 2.4825629773, 0.5004673571, 0.7354321335,
                 2.3856831173, 1.8494305455, 0.9565379302, 1.655806704, 1.561110475, 0.8791304762, 1.9369983268,
                 2.4258424476, 0.6775719673, 0.507911149, 2.4957964066, 2.3025272386, 0.5875992206, 1.093964328,
                 2.397813029, 1.8744262726});

  Tensor y = arange(12.0).reshape({3, 4});
  y.index_put_({Slice(), longs({0, 2})}, tensor({{-1.0}, {-2.0}, {-3.0}}));
  expect_values(y, {3, 4}, {-1, 1, -1, 3, -2, 5, -2, 7, -3, 9, -3, 11});
  y.index_put_({y > 5}, 0);
  expect_values(y, {3, 4}, {-1, 1, -1, 3, -2, 5, -2, 0, -3, 0, -3, 0});
  y.index_put_({1}, ones({1, 1, 4}));  // leading 1s of the value are dropped
  expect_values(y.index({1}), {4}, {1, 1, 1, 1});
  y.index_put_({Ellipsis, 0}, 9);
  expect_values(y.index({Slice(), 0}), {3}, {9, 9, 9});
  y.index({0, Slice(1, 3)}) = tensor({4.0, 5.0});  // writes through the view
  expect_values(y.index({0}), {4}, {9, 4, 5, 3});
  y.index({2, 3}) = 8;
  EXPECT_EQ(y.index({2, 3}).item<double>(), 8.0);
  y.index_put_({false}, 100);  // indexes nothing
  EXPECT_EQ(y.max().item<double>(), 9.0);
}

TEST(Index, Errors) {
  Tensor x = values({3, 4});
  expect_error([&] { x.index({5}); }, {"index", "index 5 is out of bounds for dimension 0 with size 3"});
  expect_error([&] { x.index({1, -5}); }, {"index -5 is out of bounds for dimension 1 with size 4"});
  expect_error([&] { x.index({1, 1, 1}); }, {"too many indices for tensor of dimension 2"});
  expect_error([&] { tensor(1.0).index({0}); }, {"index", "invalid index of a 0-dim tensor", "item<T>()"});
  expect_error([&] { tensor(1.0).index_put_({0}, 2.0); }, {"index_put_", "invalid index of a 0-dim tensor"});
  EXPECT_EQ(tensor(1.0).index({Ellipsis}).item<double>(), 1.0);  // no dim indexed: allowed
  expect_error([&] { x.index({longs({0, 3})}); }, {"index", "index 3 is out of bounds for dimension 0 with size 3"});
  expect_error([&] { x.index({longs({-4})}); }, {"index -4 is out of bounds"});
  expect_error([&] { x.index({tensor({0.5})}); }, {"index", "must be long, int or bool"});
  expect_error([&] { x.index({tensor({true, false})}); },
               {"index", "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4]"});
  expect_error([&] { x.index({Slice(), tensor({true, false, true})}); }, {"mask [3]", "at index 1"});
  expect_error([&] { x.index({longs({0, 1}), longs({0, 1, 2})}); }, {"[2]", "[3]"});
  expect_error([&] { x.index({Slice(0, 3, -1)}); }, {"step must be greater than zero"});
  expect_error([&] { x.index({Ellipsis, Ellipsis}); }, {"single ellipsis"});
  expect_error([&] { TensorIndex bad("..,"); }, {"TensorIndex"});
  expect_error([&] { x.index_put_({longs({0})}, ones({4}, kFloat32)); },  // x is float64
               {"index_put_", "dtypes match", "got Double for the destination and Float for the source"});
  expect_error([&] { x.index_put_({Slice(1), longs({0, 2})}, ones({3}, kFloat64)); },
               {"index_put_", "value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 2]"});
  expect_error([&] { x.index_put_({0}, ones({3}, kFloat64)); }, {"index_put_", "[3]", "[4]"});
  expect_error([&] { x.index_put_({longs({7})}, 1.0); }, {"index_put_", "index 7 is out of bounds"});
}

TEST(Index, TensorIndexCopies) {
  TensorIndex a(longs({1, 2}));
  TensorIndex b = a;
  b = TensorIndex(longs({0}));
  TensorIndex c(a);
  EXPECT_EQ(c.kind(), TensorIndex::Kind::Tensor);
  EXPECT_TRUE(equal(c.tensor(), longs({1, 2})));
  EXPECT_EQ(b.tensor().numel(), 1);
  EXPECT_EQ(TensorIndex("...").kind(), TensorIndex::Kind::Ellipsis);
  expect_error([&] { TensorIndex(3).tensor(); }, {"not a tensor"});
}

TEST(Index, BasicIndexGradients) {
  kiln_test::expect_gradients(
      [](const std::vector<Tensor>& in) { return in[0].index({Slice(1), None, Slice(None, None, 2), -1}); },
      {values({3, 4, 2})});
}

TEST(Index, AdvancedIndexGradients) {
  // Repeated indices: the backward must accumulate.
  auto f = [](const std::vector<Tensor>& in) {
    return in[0].index({longs({2, 0, 2, -1}), Slice(None, 2), longs({1, 0, 1, 1}).view({4, 1})});
  };
  kiln_test::expect_gradients(f, {values({3, 4, 2})});
  kiln_test::expect_second_order(f, {values({3, 4, 2})});
  auto mask = [](const std::vector<Tensor>& in) { return in[0].index({values({3, 4}, 2.0) > 1.5}); };
  kiln_test::expect_gradients(mask, {values({3, 4})});
  Tensor x = values({3, 4}).requires_grad_();
  Tensor y = x.index({longs({0, 0})});
  EXPECT_EQ(y.grad_fn()->name(), "IndexBackward0");
  y.sum().backward();
  expect_values(x.grad().index({Slice(), 0}), {3}, {2, 0, 0});
}

TEST(Index, IndexPutGradients) {
  // x (a non-leaf) with value written at tensor and basic indices.
  auto advanced = [](const std::vector<Tensor>& in) {
    Tensor y = in[0] * 1;
    y.index_put_({longs({2, 0}), Slice(1, 3)}, in[1]);
    return y;
  };
  kiln_test::expect_gradients(advanced, {values({3, 4}), values({2, 2}, 1.0)});
  kiln_test::expect_second_order(advanced, {values({3, 4}), values({2, 2}, 1.0)});
  auto broadcast_value = [](const std::vector<Tensor>& in) {
    Tensor y = in[0] * 1;
    y.index_put_({1}, in[1]);
    return y;
  };
  kiln_test::expect_gradients(broadcast_value, {values({3, 4}), values({1, 1})});
  Tensor leaf = values({2}).requires_grad_();
  expect_error([&] { leaf.index_put_({0}, 1.0); }, {"index_put_", "leaf Variable"});
}
