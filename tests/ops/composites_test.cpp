// softmax / log_softmax of empty tensors (and their backward) as in torch,
// and errors that name the op the user called (lerp, softmax), not its parts.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include "common/expect_error.h"

namespace {
using kiln::Tensor;

TEST(Composites, SoftmaxOfEmptyTensors) {
  for (int64_t dim : {0, 1, -1}) {
    for (auto shape : {std::vector<int64_t>{0, 3}, std::vector<int64_t>{3, 0}}) {
      Tensor x = kiln::empty(shape, kiln::TensorOptions().dtype(kiln::kFloat64).requires_grad(true));
      Tensor s = kiln::softmax(x, dim), l = kiln::log_softmax(x, dim);
      EXPECT_EQ(s.sizes(), x.sizes());
      EXPECT_EQ(l.sizes(), x.sizes());
      EXPECT_EQ(s.dtype(), kiln::kFloat64);
      (s.sum() + l.sum()).backward();
      ASSERT_TRUE(x.grad().defined());
      EXPECT_EQ(x.grad().sizes(), x.sizes());
    }
  }
}

TEST(Composites, SoftmaxDimOutOfRangeNamesSoftmax) {
  kiln_test::expect_error([] { kiln::softmax(kiln::ones({2, 2}), -3); },
                          {"softmax: ", "(expected to be in range of [-2, 1], but got -3)"});
  kiln_test::expect_error([] { kiln::log_softmax(kiln::ones({2, 2}), 2); }, {"log_softmax", "but got 2"});
  kiln_test::expect_error([] { kiln::softmax(kiln::empty({0, 2}), 2); }, {"softmax", "but got 2"});
}

TEST(Composites, LerpShapeErrorNamesLerp) {
  try {
    kiln::lerp(kiln::ones({2}), kiln::ones({3}), 0.5);
    FAIL() << "no error";
  } catch (const kiln::Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("lerp", 0), 0u) << msg;
    EXPECT_NE(msg.find("[2]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[3]"), std::string::npos) << msg;
  }
  EXPECT_TRUE(kiln::allclose(kiln::lerp(kiln::zeros({2, 1}), kiln::ones({3}), 0.25), kiln::full({2, 3}, 0.25)));
}

}  // namespace
