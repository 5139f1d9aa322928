// SEEDS.md section 4, the parts built from core ops: scalars, vectors and
// matrices, reductions with axes and keepdim, broadcast division, cumsum,
// Hadamard products, tensor + scalar, norms from sums (and kiln::norm when
// the linear-algebra helper's version is in).
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;

TEST(SeedsLinearAlgebra, ScalarsAndVectors) {
  Tensor x = kiln::tensor(3.0), y = kiln::tensor(2.0);
  EXPECT_EQ((x + y).item<float>(), 5.0f);
  EXPECT_EQ((x * y).item<float>(), 6.0f);
  EXPECT_EQ((x / y).item<float>(), 1.5f);
  EXPECT_EQ(kiln::pow(x, y).item<float>(), 9.0f);
  Tensor v = kiln::arange(4);
  EXPECT_TRUE(matches(v, kiln::kInt64, {4}, {0, 1, 2, 3}));
  EXPECT_EQ(v[3].item<int64_t>(), 3);  // x[3]
  EXPECT_EQ(v.size(0), 4);              // len(x)
  EXPECT_EQ(v.sizes(), (std::vector<int64_t>{4}));  // x.shape
  EXPECT_EQ(v.numel(), 4);
}

TEST(SeedsLinearAlgebra, MatricesAndTensors) {
  Tensor A = kiln::arange(20).reshape({5, 4});
  EXPECT_EQ(A.sizes(), (std::vector<int64_t>{5, 4}));
  EXPECT_EQ(A.t().sizes(), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(A.t()[3][4].item<int64_t>(), 19);
  Tensor B = kiln::tensor({{1, 2, 3}, {2, 0, 4}, {3, 4, 5}});
  EXPECT_TRUE((B == B.t()).all().item<bool>());  // symmetric
  Tensor X = kiln::arange(24).reshape({2, 3, 4});
  EXPECT_EQ(X.sizes(), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(X[1][2][3].item<int64_t>(), 23);
}

TEST(SeedsLinearAlgebra, HadamardAndScalarArithmetic) {
  Tensor A = kiln::arange(20, kiln::kFloat32).reshape({5, 4});
  Tensor B = A.clone();
  EXPECT_NE(B.data_ptr(), A.data_ptr());
  EXPECT_TRUE(matches((A + B)[4], kiln::kFloat32, {4}, {32, 34, 36, 38}));
  EXPECT_TRUE(matches((A * B)[4], kiln::kFloat32, {4}, {256, 289, 324, 361}));
  EXPECT_TRUE(matches((A + 2)[0], kiln::kFloat32, {4}, {2, 3, 4, 5}));
  Tensor X = kiln::arange(24).reshape({2, 3, 4});
  EXPECT_TRUE(matches((2 + X)[1][2], kiln::kInt64, {4}, {22, 23, 24, 25}));
  EXPECT_EQ((2 * X).sizes(), (std::vector<int64_t>{2, 3, 4}));
}

TEST(SeedsLinearAlgebra, ReductionsAlongAxes) {
  Tensor A = kiln::arange(20, kiln::kFloat32).reshape({5, 4});
  EXPECT_TRUE(matches(A.sum(), kiln::kFloat32, {}, {190}));
  EXPECT_TRUE(matches(A.sum({0}), kiln::kFloat32, {4}, {40, 45, 50, 55}));
  EXPECT_TRUE(matches(A.sum(0), kiln::kFloat32, {4}, {40, 45, 50, 55}));
  EXPECT_TRUE(matches(A.sum({1}), kiln::kFloat32, {5}, {6, 22, 38, 54, 70}));
  EXPECT_TRUE(matches(A.sum({0, 1}), kiln::kFloat32, {}, {190}));
  EXPECT_TRUE(matches(A.mean(), kiln::kFloat32, {}, {9.5}));
  EXPECT_TRUE(kiln::allclose(A.mean(), A.sum() / A.numel()));
  EXPECT_TRUE(matches(A.mean({0}), kiln::kFloat32, {4}, {8, 9, 10, 11}));
  EXPECT_TRUE(kiln::allclose(A.mean({0}), A.sum({0}) / A.size(0)));
  // An integer A sums to int64 (as torch); its mean needs a float dtype.
  Tensor Ai = kiln::arange(20).reshape({5, 4});
  EXPECT_TRUE(matches(Ai.sum(), kiln::kInt64, {}, {190}));
  EXPECT_TRUE(matches(Ai.mean(kiln::kFloat32), kiln::kFloat32, {}, {9.5}));
}

TEST(SeedsLinearAlgebra, KeepdimBroadcastDivisionAndCumsum) {
  Tensor A = kiln::arange(20, kiln::kFloat32).reshape({5, 4});
  Tensor sum_A = A.sum({1}, true);
  EXPECT_TRUE(matches(sum_A, kiln::kFloat32, {5, 1}, {6, 22, 38, 54, 70}));
  Tensor ratio = A / sum_A;
  EXPECT_EQ(ratio.sizes(), (std::vector<int64_t>{5, 4}));
  EXPECT_TRUE(values_match(ratio[1], {4.0 / 22, 5.0 / 22, 6.0 / 22, 7.0 / 22}));
  EXPECT_TRUE(kiln::allclose(ratio.sum({1}), kiln::ones({5})));
  Tensor c = A.cumsum(0);
  EXPECT_EQ(c.sizes(), (std::vector<int64_t>{5, 4}));
  EXPECT_TRUE(matches(c[-1], kiln::kFloat32, {4}, {40, 45, 50, 55}));
  EXPECT_TRUE(matches(c[1], kiln::kFloat32, {4}, {4, 6, 8, 10}));
}

TEST(SeedsLinearAlgebra, NormsFromCoreOps) {
  Tensor u = kiln::tensor({3.0, -4.0});
  EXPECT_EQ(kiln::abs(u).sum().item<float>(), 7.0f);            // L1
  EXPECT_EQ(kiln::sqrt((u * u).sum()).item<float>(), 5.0f);     // L2
  EXPECT_EQ(kiln::sqrt(kiln::ones({4, 9}).square().sum()).item<float>(), 6.0f);  // Frobenius
  try {
    EXPECT_EQ(u.norm().item<float>(), 5.0f);
    EXPECT_EQ(kiln::norm(kiln::ones({4, 9})).item<float>(), 6.0f);
  } catch (const kiln::Error& e) {
    GTEST_SKIP() << "kiln::norm belongs to the linear-algebra helper: " << e.what();
  }
}

TEST(SeedsLinearAlgebra, ProductsIfAvailable) {
  Tensor x = kiln::arange(4, kiln::kFloat32), y = kiln::ones({4});
  Tensor A = kiln::arange(20, kiln::kFloat32).reshape({5, 4});
  // The core spelling of the products: sums of element-wise products.
  EXPECT_EQ((x * y).sum().item<float>(), 6.0f);
  EXPECT_TRUE(matches((A * x).sum({1}), kiln::kFloat32, {5}, {14, 38, 62, 86, 110}));
  try {
    EXPECT_EQ(kiln::dot(x, y).item<float>(), 6.0f);
    EXPECT_TRUE(matches(kiln::mv(A, x), kiln::kFloat32, {5}, {14, 38, 62, 86, 110}));
    EXPECT_TRUE(matches(kiln::mm(A, kiln::ones({4, 3})), kiln::kFloat32, {5, 3},
                        {6, 6, 6, 22, 22, 22, 38, 38, 38, 54, 54, 54, 70, 70, 70}));
  } catch (const kiln::Error& e) {
    GTEST_SKIP() << "dot/mv/mm belong to the linear-algebra helper: " << e.what();
  }
}

}  // namespace
