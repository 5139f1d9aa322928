// Types and options: dtype constants, TensorOptions chaining, metadata
// accessors (sizes, strides, size(d), numel...), item, data_ptr and to().
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;

TEST(Types, DtypeConstantsAndAliases) {
  EXPECT_EQ(kiln::kFloat, kiln::kFloat32);
  EXPECT_EQ(kiln::kDouble, kiln::kFloat64);
  EXPECT_EQ(kiln::kLong, kiln::kInt64);
  EXPECT_EQ(kiln::kInt, kiln::kInt32);
  EXPECT_NE(kiln::kBool, kiln::kInt32);
  EXPECT_EQ(kiln::element_size(kiln::kBool), 1u);
  EXPECT_EQ(kiln::element_size(kiln::kInt32), 4u);
  EXPECT_EQ(kiln::element_size(kiln::kInt64), 8u);
  EXPECT_EQ(kiln::element_size(kiln::kFloat32), 4u);
  EXPECT_EQ(kiln::element_size(kiln::kFloat64), 8u);
  EXPECT_TRUE(kiln::is_floating_point(kiln::kFloat32));
  EXPECT_FALSE(kiln::is_floating_point(kiln::kInt64));
  std::ostringstream os;
  os << kiln::kFloat64 << " " << kiln::kInt32;
  EXPECT_EQ(os.str(), "Double Int");
}

TEST(Types, OptionsChain) {
  kiln::TensorOptions o = kiln::dtype(kiln::kFloat64).requires_grad(true);
  EXPECT_EQ(o.dtype(), kiln::kFloat64);
  EXPECT_TRUE(o.requires_grad());
  kiln::TensorOptions r = kiln::requires_grad();
  EXPECT_TRUE(r.requires_grad());
  EXPECT_EQ(r.dtype(), kiln::kFloat32);  // the default dtype
  EXPECT_FALSE(r.has_dtype());
  kiln::TensorOptions d = kiln::TensorOptions().dtype(kiln::kInt32);
  EXPECT_EQ(d.dtype(), kiln::kInt32);
  EXPECT_FALSE(d.requires_grad());
  Tensor t = kiln::ones({2}, kiln::requires_grad().dtype(kiln::kFloat64));
  EXPECT_TRUE(t.requires_grad());
  EXPECT_EQ(t.dtype(), kiln::kFloat64);
  EXPECT_EQ(t.options().dtype(), kiln::kFloat64);
  EXPECT_EQ(kiln::zeros({1}, t.options()).dtype(), kiln::kFloat64);
}

TEST(Types, UndefinedTensor) {
  Tensor t;
  EXPECT_FALSE(t.defined());
  EXPECT_TRUE(throws_error([&] { t.sizes(); }, {"undefined"}));
  Tensor u = kiln::ones({1});
  EXPECT_TRUE(u.defined());
  u.reset();
  EXPECT_FALSE(u.defined());
}

TEST(Types, Metadata) {
  Tensor x = kiln::zeros({2, 3, 4});
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(x.sizes().size(), 3u);
  EXPECT_EQ(x.sizes()[1], 3);
  EXPECT_EQ(x.strides(), (std::vector<int64_t>{12, 4, 1}));
  EXPECT_EQ(x.strides()[0], 12);
  EXPECT_EQ(x.size(0), 2);
  EXPECT_EQ(x.size(-1), 4);
  EXPECT_EQ(x.size(-3), 2);
  EXPECT_EQ(x.stride(-2), 4);
  EXPECT_EQ(x.dim(), 3);
  EXPECT_EQ(x.ndimension(), 3);
  EXPECT_EQ(x.numel(), 24);
  EXPECT_EQ(x.dtype(), kiln::kFloat32);
  EXPECT_EQ(x.scalar_type(), kiln::kFloat32);
  EXPECT_EQ(x.element_size(), 4u);
  EXPECT_TRUE(x.is_contiguous());
  EXPECT_TRUE(x.is_floating_point());
  EXPECT_FALSE(kiln::ones({1}, kiln::kInt64).is_floating_point());
  EXPECT_EQ(x.storage_offset(), 0);
  Tensor s = kiln::tensor(1.0);
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_TRUE(s.sizes().empty());
  EXPECT_EQ(kiln::zeros({3, 0}).numel(), 0);
  // A size-1 dim with an odd stride is still contiguous (as libtorch).
  EXPECT_TRUE(kiln::zeros({3, 4}).narrow(0, 1, 1).is_contiguous());
  EXPECT_TRUE(throws_error([&] { x.size(3); }, {"size", "out of range", "[-3, 2]", "3"}));
  EXPECT_TRUE(throws_error([&] { s.size(0); }, {"size", "no dimensions"}));
}

TEST(Types, Item) {
  EXPECT_EQ(kiln::tensor(3.5).item<float>(), 3.5f);
  EXPECT_EQ(kiln::tensor(3.5).item<double>(), 3.5);
  EXPECT_EQ(kiln::tensor(3.7).item<int64_t>(), 3);
  EXPECT_EQ(kiln::tensor(5).item<int64_t>(), 5);
  EXPECT_EQ(kiln::tensor(5).item<double>(), 5.0);
  EXPECT_EQ(kiln::tensor(true).item<bool>(), true);
  EXPECT_EQ(kiln::tensor({7.0}).item<double>(), 7.0);              // one element, 1-d
  EXPECT_EQ(kiln::ones({1, 1}, kiln::kInt32).item<int64_t>(), 1);  // one element, 2-d
  kiln::Scalar s = kiln::tensor(2.0, kiln::kFloat64).item();
  EXPECT_TRUE(s.is_floating_point());
  EXPECT_EQ(s.to<double>(), 2.0);
  EXPECT_TRUE(kiln::tensor(2).item().is_integral(false));
  // item of a view reads the view's element.
  Tensor a = kiln::arange(6).reshape({2, 3});
  EXPECT_EQ(a[1][2].item<int64_t>(), 5);
  EXPECT_EQ(a.t()[2][0].item<int64_t>(), 2);
}

TEST(Types, DataPtr) {
  Tensor x = kiln::arange(4, kiln::kFloat32);
  float* p = x.data_ptr<float>();
  EXPECT_EQ(p[3], 3.0f);
  p[0] = 10;
  EXPECT_EQ(x[0].item<float>(), 10.0f);
  EXPECT_EQ(static_cast<void*>(p), x.data_ptr());
  EXPECT_EQ(x[2].data_ptr<float>(), p + 2);
  EXPECT_TRUE(throws_error([&] { x.data_ptr<double>(); }, {"data_ptr", "Double", "Float"}));
  EXPECT_EQ(kiln::ones({2}, kiln::kInt64).data_ptr<int64_t>()[1], 1);
  EXPECT_EQ(kiln::ones({2}, kiln::kInt32).data_ptr<int32_t>()[1], 1);
  EXPECT_EQ(kiln::ones({2}, kiln::kBool).data_ptr<bool>()[1], true);
  EXPECT_EQ(kiln::ones({2}, kiln::kFloat64).data_ptr<double>()[1], 1.0);
}

TEST(Types, ToConvertsDtypes) {
  Tensor x = kiln::arange(6, kiln::kFloat32).reshape({2, 3});
  EXPECT_TRUE(matches(x.to(kiln::kFloat64), kiln::kFloat64, {2, 3}, {0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(matches(x.to(kiln::kInt32), kiln::kInt32, {2, 3}, {0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(matches(make({3}, {1.7, -1.7, 0.0}).to(kiln::kInt64), kiln::kInt64, {3}, {1, -1, 0}));
  EXPECT_TRUE(matches(make({3}, {0.5, 0.0, -0.0}).to(kiln::kBool), kiln::kBool, {3}, {1, 0, 0}));
  EXPECT_TRUE(matches(kiln::tensor({true, false}).to(kiln::kFloat32), kiln::kFloat32, {2}, {1, 0}));
  EXPECT_TRUE(matches(kiln::tensor({3, -4}).to(kiln::kBool), kiln::kBool, {2}, {1, 1}));
  // NaN to an integer: libtorch gives INT64_MIN on x86.
  EXPECT_EQ(make({1}, {NAN}).to(kiln::kInt64).item<int64_t>(), INT64_MIN);
  // Same dtype without copy: the same tensor; with copy: new memory.
  EXPECT_TRUE(x.to(kiln::kFloat32).is_same(x));
  Tensor c = x.to(kiln::kFloat32, false, true);
  EXPECT_NE(c.data_ptr(), x.data_ptr());
  EXPECT_TRUE(kiln::equal(c, x));
  // A transposed source converts in logical order.
  EXPECT_TRUE(values_match(x.t().to(kiln::kInt64), {0, 3, 1, 4, 2, 5}));
  // to(options) with requires_grad is refused, as in libtorch (tests/ops/factory_test.cpp).
  EXPECT_THROW(x.to(kiln::dtype(kiln::kFloat64).requires_grad(true)), kiln::Error);
  EXPECT_EQ(x.to(kiln::dtype(kiln::kFloat64)).dtype(), kiln::kFloat64);
}

TEST(Types, RequiresGradOnlyForFloatingTensors) {
  Tensor f = kiln::ones({2});
  EXPECT_FALSE(f.requires_grad());
  f.requires_grad_();
  EXPECT_TRUE(f.requires_grad());
  f.requires_grad_(false);
  EXPECT_FALSE(f.requires_grad());
  f.set_requires_grad(true);
  EXPECT_TRUE(f.requires_grad());
  Tensor i = kiln::ones({2}, kiln::kInt64);
  EXPECT_TRUE(throws_error([&] { i.requires_grad_(); }, {"requires_grad", "floating point", "Long"}));
  EXPECT_TRUE(throws_error([] { kiln::ones({2}, kiln::dtype(kiln::kInt32).requires_grad(true)); },
                           {"requires_grad", "floating point", "Int"}));
  EXPECT_TRUE(throws_error([] { kiln::tensor({1, 2}, kiln::requires_grad().dtype(kiln::kInt64)); },
                           {"requires_grad", "Long"}));
  i.requires_grad_(false);  // turning it off is always fine
  EXPECT_FALSE(i.requires_grad());
}

}  // namespace
