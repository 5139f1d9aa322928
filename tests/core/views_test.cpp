// View ops: shapes and strides as in libtorch, and every view shares storage
// with its base (writes through the view show in the base and back).
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;

Tensor m34() { return kiln::arange(12, kiln::kFloat32).reshape({3, 4}); }
Tensor t234() { return kiln::arange(24, kiln::kFloat32).reshape({2, 3, 4}); }

// v is a view of base: same memory, and a write through v is seen in base.
// (It overwrites the view's elements with a value not yet in base.)
::testing::AssertionResult writes_through(const Tensor& base, Tensor v) {
  if (!shares_storage(base, v)) return ::testing::AssertionFailure() << "not sharing storage";
  if (v.numel() == 0) return ::testing::AssertionSuccess();
  double mark = base.max().item<double>() + 1;
  v.fill_(mark);
  int64_t seen = (base == mark).sum().item<int64_t>();
  if (seen == 0) return ::testing::AssertionFailure() << "write did not reach the base";
  if (seen > v.numel()) return ::testing::AssertionFailure() << "write reached elements outside the view";
  return ::testing::AssertionSuccess();
}

TEST(Views, ReshapeAndView) {
  Tensor x = m34();
  Tensor v = x.view({4, 3});
  EXPECT_EQ(shape_of(v), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(v.strides().vec(), (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(v.data_ptr(), x.data_ptr());
  EXPECT_EQ(shape_of(x.view({-1})), (std::vector<int64_t>{12}));
  EXPECT_EQ(shape_of(x.reshape({2, -1, 3})), (std::vector<int64_t>{2, 2, 3}));
  EXPECT_EQ(shape_of(x.view({2, 6})), (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(x.reshape({6, 2}).data_ptr(), x.data_ptr());
  EXPECT_EQ(shape_of(kiln::reshape(x, {12, 1})), (std::vector<int64_t>{12, 1}));
  EXPECT_EQ(shape_of(x.view_as(kiln::zeros({2, 6}))), (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(shape_of(x.reshape_as(kiln::zeros({6, 2}))), (std::vector<int64_t>{6, 2}));
  EXPECT_TRUE(writes_through(x, x.view({12})));
  // reshape of a transposed tensor copies (libtorch too); the values are in row-major order of the view.
  Tensor t = m34().t();
  Tensor r = t.reshape({-1});
  EXPECT_NE(r.data_ptr(), t.data_ptr());
  EXPECT_TRUE(values_match(r, {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
  // view works on a transposed tensor when the merged dims stay contiguous.
  Tensor z = t234().transpose(0, 1);  // [3, 2, 4] strides [4, 12, 1]
  EXPECT_EQ(shape_of(z.view({3, 2, 2, 2})), (std::vector<int64_t>{3, 2, 2, 2}));
  EXPECT_EQ(z.view({3, 2, 2, 2}).strides().vec(), (std::vector<int64_t>{4, 12, 2, 1}));
  // A 0-d tensor reshapes to and from one element.
  Tensor s = kiln::tensor(5.0);
  EXPECT_EQ(shape_of(s.reshape({1})), (std::vector<int64_t>{1}));
  EXPECT_EQ(shape_of(s.view({1, 1})), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(shape_of(s.reshape({-1})), (std::vector<int64_t>{1}));
  EXPECT_EQ(shape_of(kiln::ones({1, 1}).view({})), (std::vector<int64_t>{}));
  // Empty tensors reshape freely among shapes with zero elements.
  EXPECT_EQ(shape_of(kiln::zeros({0, 4}).reshape({2, 0, 3})), (std::vector<int64_t>{2, 0, 3}));
  EXPECT_EQ(shape_of(kiln::zeros({0, 4}).view({-1, 2})), (std::vector<int64_t>{0, 2}));
}

TEST(Views, Flatten) {
  Tensor z = t234();
  EXPECT_EQ(shape_of(z.flatten()), (std::vector<int64_t>{24}));
  EXPECT_EQ(shape_of(z.flatten(1)), (std::vector<int64_t>{2, 12}));
  EXPECT_EQ(shape_of(z.flatten(0, 1)), (std::vector<int64_t>{6, 4}));
  EXPECT_EQ(shape_of(z.flatten(-2, -1)), (std::vector<int64_t>{2, 12}));
  EXPECT_EQ(shape_of(kiln::flatten(z, 1, 1)), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(z.flatten().data_ptr(), z.data_ptr());
  EXPECT_EQ(shape_of(kiln::tensor(1.0).flatten()), (std::vector<int64_t>{1}));
  EXPECT_TRUE(writes_through(z, z.flatten(1)));
}

TEST(Views, TransposeAndPermute) {
  Tensor x = m34();
  Tensor t = x.t();
  EXPECT_EQ(shape_of(t), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(t.strides().vec(), (std::vector<int64_t>{1, 4}));
  EXPECT_FALSE(t.is_contiguous());
  EXPECT_EQ(t.data_ptr(), x.data_ptr());
  EXPECT_EQ(t[1][2].item<float>(), 9.0f);
  EXPECT_EQ(shape_of(kiln::t(x)), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(shape_of(kiln::arange(3).t()), (std::vector<int64_t>{3}));
  EXPECT_EQ(shape_of(kiln::tensor(2.0).t()), (std::vector<int64_t>{}));
  Tensor z = t234();
  EXPECT_EQ(shape_of(z.transpose(0, 2)), (std::vector<int64_t>{4, 3, 2}));
  EXPECT_EQ(z.transpose(-1, 0).strides().vec(), (std::vector<int64_t>{1, 4, 12}));
  EXPECT_EQ(shape_of(kiln::transpose(z, 1, -1)), (std::vector<int64_t>{2, 4, 3}));
  EXPECT_EQ(shape_of(z.mT()), (std::vector<int64_t>{2, 4, 3}));
  Tensor p = z.permute({2, 0, 1});
  EXPECT_EQ(shape_of(p), (std::vector<int64_t>{4, 2, 3}));
  EXPECT_EQ(p.strides().vec(), (std::vector<int64_t>{1, 12, 4}));
  EXPECT_EQ(shape_of(z.permute({-1, 0, -2})), (std::vector<int64_t>{4, 2, 3}));
  EXPECT_EQ(shape_of(kiln::permute(z, {1, 0, 2})), (std::vector<int64_t>{3, 2, 4}));
  EXPECT_EQ(p[3][1][2].item<float>(), z[1][2][3].item<float>());
  EXPECT_EQ(shape_of(z.movedim(0, -1)), (std::vector<int64_t>{3, 4, 2}));
  // contiguous() of a transposed tensor is a row-major copy.
  Tensor c = t.contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_NE(c.data_ptr(), t.data_ptr());
  EXPECT_TRUE(values_match(c, {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
  EXPECT_EQ(x.contiguous().data_ptr(), x.data_ptr());  // already contiguous: the same tensor
  EXPECT_TRUE(writes_through(x, x.t()));
  EXPECT_TRUE(writes_through(z, z.permute({2, 1, 0})));
}

TEST(Views, UnsqueezeSqueeze) {
  Tensor y = kiln::zeros({2, 1, 3, 1});
  EXPECT_EQ(shape_of(y.squeeze()), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(shape_of(y.squeeze(1)), (std::vector<int64_t>{2, 3, 1}));
  EXPECT_EQ(shape_of(y.squeeze(-1)), (std::vector<int64_t>{2, 1, 3}));
  EXPECT_EQ(shape_of(y.squeeze(0)), (std::vector<int64_t>{2, 1, 3, 1}));  // size 2: unchanged
  EXPECT_EQ(shape_of(kiln::squeeze(y)), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(shape_of(kiln::squeeze(y, 3)), (std::vector<int64_t>{2, 1, 3}));
  EXPECT_EQ(shape_of(y.unsqueeze(-1)), (std::vector<int64_t>{2, 1, 3, 1, 1}));
  EXPECT_EQ(shape_of(y.unsqueeze(0)), (std::vector<int64_t>{1, 2, 1, 3, 1}));
  EXPECT_EQ(shape_of(y.unsqueeze(-5)), (std::vector<int64_t>{1, 2, 1, 3, 1}));
  EXPECT_EQ(shape_of(kiln::unsqueeze(y, 2)), (std::vector<int64_t>{2, 1, 1, 3, 1}));
  EXPECT_EQ(m34().unsqueeze(1).strides().vec(), (std::vector<int64_t>{4, 4, 1}));
  EXPECT_EQ(shape_of(kiln::tensor(1.0).unsqueeze(0)), (std::vector<int64_t>{1}));
  EXPECT_EQ(shape_of(kiln::tensor(1.0).unsqueeze(-1)), (std::vector<int64_t>{1}));
  EXPECT_EQ(shape_of(kiln::tensor(1.0).squeeze()), (std::vector<int64_t>{}));
  EXPECT_EQ(shape_of(kiln::tensor(1.0).squeeze(0)), (std::vector<int64_t>{}));
  EXPECT_EQ(shape_of(kiln::ones({1, 1}).squeeze()), (std::vector<int64_t>{}));
  Tensor x = m34();
  EXPECT_TRUE(writes_through(x, x.unsqueeze(0)));
  EXPECT_TRUE(writes_through(x, x.unsqueeze(2).squeeze()));
}

TEST(Views, Expand) {
  Tensor c = make({3, 1}, {1, 2, 3}, kiln::kFloat32);
  Tensor e = c.expand({3, 4});
  EXPECT_EQ(shape_of(e), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(e.strides().vec(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(e.data_ptr(), c.data_ptr());
  EXPECT_TRUE(values_match(e, {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}));
  EXPECT_EQ(c.expand({-1, 4}).strides().vec(), (std::vector<int64_t>{1, 0}));
  Tensor r = kiln::arange(3, kiln::kFloat32).expand({2, 3});
  EXPECT_EQ(r.strides().vec(), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(shape_of(c.expand({2, 3, 5})), (std::vector<int64_t>{2, 3, 5}));
  EXPECT_EQ(shape_of(c.expand_as(kiln::zeros({3, 7}))), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(shape_of(kiln::tensor(1.0).expand({2, 2})), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(shape_of(c.expand({3, 0})), (std::vector<int64_t>{3, 0}));
  // The expanded tensor reads through to the base.
  c.fill_(7);
  EXPECT_TRUE(values_match(e, std::vector<double>(12, 7)));
  // Reductions and arithmetic on an expanded view.
  EXPECT_EQ(e.sum().item<float>(), 84.0f);
  EXPECT_TRUE(values_match(e.contiguous(), std::vector<double>(12, 7)));
}

TEST(Views, NarrowSliceSelect) {
  Tensor x = m34();
  Tensor n = x.narrow(1, 1, 2);
  EXPECT_TRUE(matches(n, kiln::kFloat32, {3, 2}, {1, 2, 5, 6, 9, 10}));
  EXPECT_EQ(n.strides().vec(), (std::vector<int64_t>{4, 1}));
  EXPECT_EQ(n.storage_offset(), 1);
  EXPECT_TRUE(matches(x.narrow(-1, -2, 2), kiln::kFloat32, {3, 2}, {2, 3, 6, 7, 10, 11}));
  EXPECT_TRUE(matches(kiln::narrow(x, 0, 2, 1), kiln::kFloat32, {1, 4}, {8, 9, 10, 11}));
  EXPECT_TRUE(matches(x.narrow(0, 3, 0), kiln::kFloat32, {0, 4}, {}));
  Tensor s = x.slice(1, 1, std::nullopt, 2);
  EXPECT_TRUE(matches(s, kiln::kFloat32, {3, 2}, {1, 3, 5, 7, 9, 11}));
  EXPECT_EQ(s.strides().vec(), (std::vector<int64_t>{4, 2}));
  EXPECT_TRUE(matches(x.slice(1, -3, -1), kiln::kFloat32, {3, 2}, {1, 2, 5, 6, 9, 10}));
  EXPECT_TRUE(matches(x.slice(0, 0, std::nullopt, 2), kiln::kFloat32, {2, 4}, {0, 1, 2, 3, 8, 9, 10, 11}));
  EXPECT_TRUE(matches(x.slice(0, 5), kiln::kFloat32, {0, 4}, {}));                       // past the end: empty
  EXPECT_TRUE(matches(x.slice(0, -100, 100), kiln::kFloat32, {3, 4}, values_of(x)));  // clamped
  EXPECT_TRUE(matches(x.slice(), kiln::kFloat32, {3, 4}, values_of(x)));
  Tensor z = t234();
  EXPECT_TRUE(matches(z.select(1, -1), kiln::kFloat32, {2, 4}, {8, 9, 10, 11, 20, 21, 22, 23}));
  EXPECT_TRUE(matches(kiln::select(z, 2, 0), kiln::kFloat32, {2, 3}, {0, 4, 8, 12, 16, 20}));
  EXPECT_TRUE(matches(z[1], kiln::kFloat32, {3, 4}, values_of(z.slice(0, 1, 2).squeeze(0))));
  EXPECT_TRUE(matches(z[-1][0], kiln::kFloat32, {4}, {12, 13, 14, 15}));
  EXPECT_TRUE(matches(z[1][2][3], kiln::kFloat32, {}, {23}));
  EXPECT_TRUE(writes_through(x, x.narrow(1, 1, 2)));
  EXPECT_TRUE(writes_through(z, z.slice(2, 0, 4, 3)));
  EXPECT_TRUE(writes_through(z, z.select(0, 1)));
  // Writing through t[i] = value, as in libtorch.
  Tensor w = kiln::zeros({3});
  w[1] = 5;
  EXPECT_TRUE(values_match(w, {0, 5, 0}));
  Tensor rows = kiln::zeros({2, 2});
  rows[0] = make({2}, {1, 2}, kiln::kFloat32);
  EXPECT_TRUE(values_match(rows, {1, 2, 0, 0}));
}

TEST(Views, SplitChunkUnbind) {
  Tensor a = kiln::arange(10);
  auto parts = a.split(3);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_TRUE(matches(parts[0], kiln::kInt64, {3}, {0, 1, 2}));
  EXPECT_TRUE(matches(parts[3], kiln::kInt64, {1}, {9}));
  EXPECT_EQ(parts[1].data_ptr(), static_cast<void*>(a.data_ptr<int64_t>() + 3));
  auto sized = kiln::split(a, {2, 3, 5});
  ASSERT_EQ(sized.size(), 3u);
  EXPECT_TRUE(matches(sized[1], kiln::kInt64, {3}, {2, 3, 4}));
  EXPECT_TRUE(matches(sized[2], kiln::kInt64, {5}, {5, 6, 7, 8, 9}));
  auto chunks = a.chunk(3);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_TRUE(matches(chunks[0], kiln::kInt64, {4}, {0, 1, 2, 3}));
  EXPECT_TRUE(matches(chunks[2], kiln::kInt64, {2}, {8, 9}));
  EXPECT_EQ(kiln::arange(5).chunk(4).size(), 3u);  // chunks of ceil(5/4) = 2: [2, 2, 1]
  EXPECT_EQ(kiln::arange(6).chunk(4).size(), 3u);
  EXPECT_EQ(kiln::chunk(kiln::arange(2), 5).size(), 2u);
  EXPECT_EQ(kiln::zeros({0}).chunk(3).size(), 1u);
  Tensor m = m34();
  auto cols = m.split(2, -1);
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_TRUE(matches(cols[1], kiln::kFloat32, {3, 2}, {2, 3, 6, 7, 10, 11}));
  auto un = m.unbind(1);
  ASSERT_EQ(un.size(), 4u);
  EXPECT_TRUE(matches(un[2], kiln::kFloat32, {3}, {2, 6, 10}));
  auto rows = kiln::unbind(m);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(matches(rows[2], kiln::kFloat32, {4}, {8, 9, 10, 11}));
  EXPECT_TRUE(writes_through(m, m.chunk(2, 1)[1]));
  EXPECT_TRUE(writes_through(m, m.unbind(0)[0]));
}

TEST(Views, CloneAndDetachShareOrNot) {
  Tensor x = m34();
  Tensor c = x.clone();
  EXPECT_NE(c.data_ptr(), x.data_ptr());
  EXPECT_TRUE(kiln::equal(c, x));
  c.fill_(0);
  EXPECT_EQ(x.sum().item<float>(), 66.0f);
  // clone of a non-contiguous tensor keeps its values.
  EXPECT_TRUE(values_match(x.t().clone(), values_of(x.t())));
  Tensor d = x.detach();
  EXPECT_EQ(d.data_ptr(), x.data_ptr());
  EXPECT_TRUE(writes_through(x, d));
  Tensor g = kiln::ones({2}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  EXPECT_FALSE(g.detach().requires_grad());
  EXPECT_EQ(g.detach().data_ptr(), g.data_ptr());
  EXPECT_TRUE((g * 2).requires_grad());
  EXPECT_FALSE((g * 2).detach().requires_grad());
}

TEST(Views, ViewsOfViewsKeepOffsets) {
  Tensor z = t234();
  Tensor v = z.select(0, 1).narrow(1, 1, 2).t();  // [2, 3] from z[1, :, 1:3]
  EXPECT_TRUE(matches(v, kiln::kFloat32, {2, 3}, {13, 17, 21, 14, 18, 22}));
  v.fill_(-1);
  EXPECT_EQ(z[1][2][2].item<float>(), -1.0f);
  EXPECT_EQ(z[1][2][3].item<float>(), 23.0f);
  EXPECT_EQ(z[0][2][2].item<float>(), 10.0f);
}

}  // namespace
