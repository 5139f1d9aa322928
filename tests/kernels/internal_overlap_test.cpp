// Writing into a tensor whose elements share memory (expand's stride 0) is
// refused with torch's message: the loop would write each result over the
// others. fill_ and zero_, writing one value, may, as in torch.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include "common/expect_error.h"

namespace {
using kiln::Tensor;
const char* kOverlap =
    "unsupported operation: more than one element of the written-to tensor refers to a single memory location. "
    "Please clone() the tensor before performing the operation.";

Tensor expanded() { return kiln::zeros({1}).expand({3}); }

TEST(InternalOverlap, InPlaceOpsOnExpandedTensorsAreRefused) {
  kiln_test::expect_error([] { expanded().add_(1); }, {kOverlap});
  kiln_test::expect_error([] { expanded().mul_(kiln::ones({3})); }, {kOverlap});
  kiln_test::expect_error([] { expanded().neg_(); }, {kOverlap});
  kiln_test::expect_error([] { expanded().exp_(); }, {kOverlap});
  kiln_test::expect_error([] { expanded().clamp_(0, 1); }, {kOverlap});
  kiln_test::expect_error([] { expanded().pow_(2); }, {kOverlap});
  kiln_test::expect_error([] { expanded().copy_(kiln::ones({3})); }, {kOverlap});
  kiln_test::expect_error([] { kiln::ones({1, 3}).expand({2, 3}).t().add_(1); }, {kOverlap});
}

TEST(InternalOverlap, TheMemoryIsLeftUnchanged) {
  Tensor base = kiln::zeros({1});
  Tensor view = base.expand({3});
  EXPECT_THROW(view.add_(1), kiln::Error);
  EXPECT_EQ(base.item<float>(), 0.0f);
}

TEST(InternalOverlap, WritesThatCannotCollideAreAllowed) {
  Tensor a = expanded();
  a.fill_(2);
  EXPECT_EQ(a.sum().item<float>(), 6.0f);
  a.zero_();
  EXPECT_EQ(a.sum().item<float>(), 0.0f);
  Tensor one = kiln::zeros({1}).expand({1, 1});  // stride 0 over a single element
  one.add_(1);
  EXPECT_EQ(one.item<float>(), 1.0f);
  Tensor base = kiln::zeros({4});
  base.slice(0, 0, 4, 2).add_(1);  // strided without overlap
  EXPECT_EQ(base.sum().item<float>(), 2.0f);
  // Out-of-place ops read expanded inputs freely.
  EXPECT_EQ((expanded() + 1).sum().item<float>(), 3.0f);
}

}  // namespace
