// OptionalIntArrayRef: the dims of linalg::vector_norm / norm given as braced
// lists ({-1}, {-2, -1}), vectors, shapes or not at all, as in libtorch. With
// std::optional<IntArrayRef>, {-1} pointed at a dead temporary.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <vector>

#include "common/expect_error.h"

namespace {
using kiln::OptionalIntArrayRef;
using kiln::Tensor;
namespace L = kiln::linalg;

Tensor sample() { return kiln::arange(1.0, 25.0, kiln::kFloat64).reshape({2, 3, 4}); }

TEST(OptionalDims, BracedListOfOneDim) {
  Tensor x = sample();
  Tensor r = L::vector_norm(x, 2, {-1}, false, {});
  EXPECT_EQ(r.sizes(), kiln::IntArrayRef({2, 3}));
  EXPECT_TRUE(kiln::allclose(r, kiln::sqrt((x * x).sum({2}))));
  EXPECT_TRUE(kiln::allclose(L::norm(x, 1, {0}, true, {}), kiln::abs(x).sum({0}, true)));
}

TEST(OptionalDims, BracedListOfTwoDims) {
  Tensor x = sample();
  Tensor expected = kiln::sqrt((x * x).sum({1, 2}));
  EXPECT_TRUE(kiln::allclose(L::vector_norm(x, 2, {-2, -1}, false, {}), expected));
  EXPECT_TRUE(kiln::allclose(L::norm(x, "fro", {-2, -1}, false, {}), expected));
  EXPECT_TRUE(kiln::allclose(L::norm(x, std::string("fro"), {-2, -1}, false, {}), expected));
  EXPECT_TRUE(kiln::allclose(L::norm(x, std::nullopt, {-2, -1}, false, {}), expected));
}

TEST(OptionalDims, NoDimsMeansEveryDim) {
  Tensor x = sample();
  Tensor all = kiln::sqrt((x * x).sum());
  EXPECT_TRUE(kiln::allclose(L::vector_norm(x, 2, std::nullopt, false, {}), all));
  EXPECT_TRUE(kiln::allclose(L::vector_norm(x, 2, {}, false, {}), all));
  EXPECT_TRUE(kiln::allclose(L::vector_norm(x), all));
}

TEST(OptionalDims, VectorsShapesNumbersAndOptionals) {
  Tensor x = sample();
  Tensor expected = kiln::sqrt((x * x).sum({0, 2}));
  std::vector<int64_t> v{0, 2};
  kiln::Shape s{0, 2};
  std::optional<kiln::IntArrayRef> o = kiln::IntArrayRef(v);
  EXPECT_TRUE(kiln::allclose(L::vector_norm(x, 2, v), expected));
  EXPECT_TRUE(kiln::allclose(L::vector_norm(x, 2, s), expected));
  EXPECT_TRUE(kiln::allclose(L::vector_norm(x, 2, o), expected));
  int64_t last = -1;
  EXPECT_TRUE(kiln::allclose(L::vector_norm(x, 2, last), kiln::sqrt((x * x).sum({2}))));
}

TEST(OptionalDims, TheTypeItself) {
  OptionalIntArrayRef none, also_none = std::nullopt, empty_list = {};
  EXPECT_FALSE(none.has_value());
  EXPECT_FALSE(also_none);
  EXPECT_FALSE(empty_list.has_value());
  EXPECT_THROW((void)none.value(), std::bad_optional_access);
  std::vector<int64_t> v{3, 4};
  OptionalIntArrayRef some = v;
  ASSERT_TRUE(some.has_value());
  EXPECT_EQ(*some, kiln::IntArrayRef(v));
  EXPECT_EQ(some->size(), 2u);
  EXPECT_EQ(none.value_or(v), kiln::IntArrayRef(v));
}

TEST(OptionalDims, BadDimsStillNameTheOp) {
  Tensor x = sample();
  kiln_test::expect_error([&] { L::vector_norm(x, 2, {3}, false, {}); }, {"linalg.vector_norm", "got 3"});
  kiln_test::expect_error([&] { L::norm(x, 2, {0, 1, 2}, false, {}); }, {"linalg.norm", "length 1 or 2"});
}

}  // namespace
