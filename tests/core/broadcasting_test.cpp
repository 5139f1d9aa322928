// Broadcasting: shapes combine right-aligned, size-1 and missing dims
// stretch, 0-size dims stay 0, and the result values follow the stretched
// operands. Incompatible shapes raise kiln::Error naming op and shapes.
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;

TEST(Broadcasting, Shapes) {
  EXPECT_EQ(shape_of(kiln::ones({3, 1}) + kiln::ones({1, 4})), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(shape_of(kiln::ones({2, 1, 3}) * kiln::ones({4, 1})), (std::vector<int64_t>{2, 4, 3}));
  EXPECT_EQ(shape_of(kiln::tensor(2.0) * kiln::ones({2, 2})), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(shape_of(kiln::ones({5}) - kiln::ones({3, 1})), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(shape_of(kiln::ones({0, 3}) + kiln::ones({1, 3})), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(shape_of(kiln::ones({0, 1}) + kiln::ones({5})), (std::vector<int64_t>{0, 5}));
  EXPECT_EQ(shape_of(kiln::tensor(1.0) + kiln::tensor(2.0)), (std::vector<int64_t>{}));
  EXPECT_EQ(shape_of(kiln::ones({1}) + kiln::tensor(2.0)), (std::vector<int64_t>{1}));
  EXPECT_EQ(kiln::broadcast_shapes({3, 1}, {1, 4}).vec(), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(kiln::broadcast_shapes({2, 3, 1}, {4}).vec(), (std::vector<int64_t>{2, 3, 4}));
}

TEST(Broadcasting, Values) {
  Tensor col = make({3, 1}, {1, 2, 3}), row = make({1, 4}, {10, 20, 30, 40});
  EXPECT_TRUE(matches(col + row, kiln::kFloat64, {3, 4}, {11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43}));
  EXPECT_TRUE(matches(row - col, kiln::kFloat64, {3, 4}, {9, 19, 29, 39, 8, 18, 28, 38, 7, 17, 27, 37}));
  EXPECT_TRUE(matches(col * make({4}, {1, 0, -1, 2}), kiln::kFloat64, {3, 4}, {1, 0, -1, 2, 2, 0, -2, 4, 3, 0, -3, 6}));
  // A 0-d tensor against a matrix.
  EXPECT_TRUE(matches(kiln::tensor(2.0, kiln::kFloat64) / make({2, 2}, {1, 2, 4, 8}), kiln::kFloat64, {2, 2},
                      {2, 1, 0.5, 0.25}));
  // Broadcasting into three dims with a stride-0 middle dim.
  Tensor a = kiln::arange(6, kiln::kFloat64).reshape({2, 1, 3}), b = make({4, 1}, {0, 100, 200, 300});
  Tensor r = a + b;
  EXPECT_EQ(shape_of(r), (std::vector<int64_t>{2, 4, 3}));
  EXPECT_EQ(r[1][2][0].item<double>(), 3 + 200.0);
  EXPECT_EQ(r[0][3][2].item<double>(), 2 + 300.0);
}

TEST(Broadcasting, BroadcastTensorsAreStrideZeroViews) {
  Tensor a = kiln::ones({3, 1}), b = kiln::ones({4});
  auto out = kiln::broadcast_tensors({a, b});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(shape_of(out[0]), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(out[0].strides().vec(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(out[1].strides().vec(), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(out[0].data_ptr(), a.data_ptr());
}

TEST(Broadcasting, ComparisonsAndWhereBroadcast) {
  Tensor x = make({2, 1}, {1, 5}), y = make({3}, {0, 3, 6});
  EXPECT_TRUE(matches(x > y, kiln::kBool, {2, 3}, {1, 0, 0, 1, 1, 0}));
  EXPECT_TRUE(matches(kiln::maximum(x, y), kiln::kFloat64, {2, 3}, {1, 3, 6, 5, 5, 6}));
  EXPECT_TRUE(matches(kiln::where(x > y, x, y), kiln::kFloat64, {2, 3}, {1, 3, 6, 5, 5, 6}));
}

TEST(Broadcasting, IncompatibleShapesNameOpAndShapes) {
  Tensor a = kiln::ones({2, 3}), b = kiln::ones({4});
  EXPECT_TRUE(throws_error([&] { a + b; }, {"add", "[2, 3]", "[4]"}));
  EXPECT_TRUE(throws_error([&] { a - b; }, {"sub", "[2, 3]", "[4]"}));
  EXPECT_TRUE(throws_error([&] { a * b; }, {"mul", "[2, 3]", "[4]"}));
  EXPECT_TRUE(throws_error([&] { a / b; }, {"div", "[2, 3]", "[4]"}));
  EXPECT_TRUE(throws_error([&] { (void)(a == b); }, {"eq", "[2, 3]", "[4]"}));
  EXPECT_TRUE(throws_error([&] { kiln::maximum(a, b); }, {"maximum", "[2, 3]", "[4]"}));
  EXPECT_TRUE(throws_error([&] { kiln::where(kiln::ones({5}, kiln::kBool), a, a); }, {"where", "[5]"}));
  EXPECT_TRUE(throws_error([&] { kiln::ones({0}) + kiln::ones({2}); }, {"add", "[0]", "[2]"}));
  EXPECT_TRUE(throws_error([&] { kiln::broadcast_shapes({2, 3}, {4}); }, {"[2, 3]", "[4]"}));
  EXPECT_TRUE(throws_error([&] { kiln::broadcast_tensors({a, b}); }, {"[2, 3]", "[4]"}));
}

}  // namespace
