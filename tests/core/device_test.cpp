// The CPU device API (Device, kCPU, TensorOptions::device, to(Device),
// cpu()), layout(), Tensor::to(other), storage() and from_blob's deleter,
// data() and set_data().
#include <sstream>

#include "common/expect_error.h"
#include "kiln/kiln.h"

namespace {
using kiln::Tensor;
using kiln_test::expect_error;

TEST(Device, ParsesAndPrintsAsLibtorch) {
  kiln::Device cpu(kiln::kCPU);
  EXPECT_EQ(cpu.type(), kiln::kCPU);
  EXPECT_EQ(cpu.index(), -1);
  EXPECT_FALSE(cpu.has_index());
  EXPECT_TRUE(cpu.is_cpu());
  EXPECT_EQ(kiln::Device("cpu"), cpu);
  EXPECT_EQ(kiln::Device("cuda:1").index(), 1);
  EXPECT_TRUE(kiln::Device("cuda").is_cuda());
  EXPECT_NE(kiln::Device("cpu:0"), cpu);
  EXPECT_EQ(kiln::Device("cuda:3").str(), "cuda:3");
  std::ostringstream os;
  os << cpu << ' ' << kiln::kStrided;
  EXPECT_EQ(os.str(), "cpu Strided");
  expect_error([] { kiln::Device("tpu"); }, {"Device", "tpu"});
  expect_error([] { kiln::Device("cuda:x"); }, {"Device", "cuda:x"});
  expect_error([] { kiln::Device(kiln::kCPU, 2); }, {"Device", "CPU device index"});
  EXPECT_FALSE(kiln::cuda::is_available());
}

TEST(Device, TensorsLiveOnTheCpu) {
  Tensor t = kiln::empty({3, 4}, kiln::Device(kiln::kCPU));
  EXPECT_EQ(t.device(), kiln::Device(kiln::kCPU));
  EXPECT_EQ(t.layout(), kiln::kStrided);
  EXPECT_TRUE(t.is_cpu());
  EXPECT_FALSE(t.is_cuda());
  EXPECT_EQ(t.options().device(), kiln::Device(kiln::kCPU));
  EXPECT_TRUE(kiln::randn({2}, kiln::kCPU).is_cpu());
  EXPECT_EQ(kiln::zeros({2}, kiln::TensorOptions(kiln::kInt64).device(kiln::kCPU)).dtype(), kiln::kInt64);
  EXPECT_EQ(kiln::ones({1}, kiln::device("cpu").layout(kiln::kStrided)).dtype(), kiln::kFloat);
  // No copy when nothing changes; a copy of another dtype otherwise.
  EXPECT_EQ(t.to(t.device()).data_ptr(), t.data_ptr());
  EXPECT_EQ(t.to(t).data_ptr(), t.data_ptr());
  EXPECT_EQ(t.cpu().data_ptr(), t.data_ptr());
  Tensor other = kiln::zeros({1}, kiln::kInt32);
  EXPECT_EQ(t.to(other).dtype(), kiln::kInt32);
  EXPECT_EQ(t.to(kiln::kCPU, kiln::kFloat64).dtype(), kiln::kFloat64);
  EXPECT_EQ(t.to(t.options()).data_ptr(), t.data_ptr());
}

TEST(Device, CudaIsAnErrorNamingTheOp) {
  expect_error([] { kiln::zeros({2}, kiln::kCUDA); }, {"factory", "cuda"});
  expect_error([] { kiln::randn({2}, kiln::device(kiln::Device("cuda:0"))); }, {"random", "cuda:0"});
  Tensor t = kiln::ones({2});
  expect_error([&] { t.to(kiln::kCUDA); }, {"to", "cuda"});
  expect_error([&] { t.to(kiln::Device("cuda"), kiln::kFloat64); }, {"to", "CPU only"});
}

TEST(Storage, SharedByViewsAndFromBlobDeleterRuns) {
  Tensor t = kiln::arange(6.).view({2, 3});
  EXPECT_TRUE(t.storage().is_alias_of(t.t().storage()));
  EXPECT_FALSE(t.storage().is_alias_of(t.clone().storage()));
  EXPECT_EQ(t.storage().nbytes(), 6 * sizeof(float));
  EXPECT_EQ(t.storage().data(), t.data_ptr());
  EXPECT_EQ(t.storage().data_ptr().get_context(), nullptr);
  std::vector<double> v = {1, 2, 3};
  Tensor blob = kiln::from_blob(v.data(), {3}, kiln::kFloat64);
  EXPECT_EQ(blob.storage().data_ptr().get(), v.data());
  EXPECT_EQ(blob.storage().data_ptr().get_context(), nullptr);
  int calls = 0;
  void* seen = nullptr;
  {
    Tensor owned = kiln::from_blob(
        v.data(), {3}, [&](void* p) { ++calls, seen = p; }, kiln::kFloat64);
    EXPECT_NE(owned.storage().data_ptr().get_context(), nullptr);
    Tensor view = owned.slice(0, 1);
    owned.reset();
    EXPECT_EQ(calls, 0);  // the view still uses the memory
    EXPECT_EQ(view[0].item<double>(), 2);
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen, v.data());
  std::vector<int32_t> w = {1, 2, 3, 4};
  bool strided_called = false;
  {
    Tensor s = kiln::from_blob(w.data(), {2, 2}, {1, 2}, [&](void*) { strided_called = true; }, kiln::kInt32);
    EXPECT_EQ(s[0][1].item<int32_t>(), 3);
  }
  EXPECT_TRUE(strided_called);
  expect_error([] { Tensor().storage(); }, {"storage", "undefined"});
}

TEST(VariableData, DataAndSetData) {
  Tensor x = kiln::randn({3}, kiln::requires_grad());
  Tensor d = (x * 2).data();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
  EXPECT_TRUE(kiln::equal(x.data(), x));
  EXPECT_EQ(x.data().data_ptr(), x.data_ptr());
  Tensor y = kiln::randn({2, 2});
  x.set_data(y);
  EXPECT_EQ(x.data_ptr(), y.data_ptr());
  EXPECT_EQ(x.sizes().vec(), (std::vector<int64_t>{2, 2}));
  EXPECT_TRUE(x.requires_grad());  // the autograd identity stays
  (x * x).sum().backward();
  EXPECT_TRUE(kiln::allclose(x.grad(), 2 * y));
  expect_error([&] { x.set_data(kiln::zeros({2}, kiln::kInt64)); }, {"set_data", "dtype"});
  expect_error([&] { x.set_data(Tensor()); }, {"set_data", "undefined"});
  Tensor v = kiln::autograd::make_variable(y, true);
  EXPECT_TRUE(v.requires_grad() && v.is_leaf());
  EXPECT_EQ(v.data_ptr(), y.data_ptr());
  kiln::autograd::Variable alias = v;
  EXPECT_TRUE(alias.is_same(v));
}

}  // namespace
