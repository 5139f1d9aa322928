// copy_ between tensors of one geometry that is dense but not row-major (a
// transpose, a permutation with unit dims) runs as flat memory; other
// geometries take the strided loop. Both must give the same elements.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include "common/expect_error.h"

namespace {
using kiln::Tensor;

TEST(DenseCopy, TransposedAndPermutedLayoutsCopyElementForElement) {
  kiln::manual_seed(3);
  Tensor src = kiln::randn({4, 3}, kiln::kFloat64).t();  // [3, 4], strides [1, 3]
  Tensor dst = kiln::empty({4, 3}, kiln::kFloat64).t();
  dst.copy_(src);
  EXPECT_EQ(dst.strides().vec(), (std::vector<int64_t>{1, 3}));
  EXPECT_TRUE(kiln::equal(dst, src));

  Tensor src3 = kiln::randn({2, 1, 5, 3}).permute({2, 1, 3, 0});
  Tensor dst3 = kiln::empty({2, 1, 5, 3}).permute({2, 1, 3, 0});
  dst3.copy_(src3);
  EXPECT_TRUE(kiln::equal(dst3, src3));

  // Same sizes and strides, not dense (every other column): only the selected elements move.
  Tensor wide = kiln::zeros({3, 8}, kiln::kFloat64), from = kiln::randn({3, 8}, kiln::kFloat64);
  using kiln::indexing::Slice;
  wide.index({Slice(), Slice(0, kiln::indexing::None, 2)}).copy_(from.index({Slice(), Slice(0, kiln::indexing::None, 2)}));
  EXPECT_TRUE(kiln::equal(wide.index({Slice(), Slice(1, kiln::indexing::None, 2)}), kiln::zeros({3, 4}, kiln::kFloat64)));
  EXPECT_TRUE(kiln::equal(wide.index({Slice(), Slice(0, kiln::indexing::None, 2)}),
                          from.index({Slice(), Slice(0, kiln::indexing::None, 2)})));

  // A transposed source into a row-major destination still transposes.
  Tensor rowmajor = kiln::empty({3, 4}, kiln::kFloat64);
  rowmajor.copy_(src);
  EXPECT_TRUE(kiln::equal(rowmajor, src));
}

// As torch: dense tensors over the same bytes are the same elements or apart; a partial overlap is refused.
TEST(DenseCopy, PartialOverlapIsRefused) {
  Tensor b = kiln::arange(8.0, kiln::kFloat64);
  const char* message = "some elements of the input tensor and the written-to tensor refer to a single memory location";
  kiln_test::expect_error([&] { b.narrow(0, 1, 6).copy_(b.narrow(0, 0, 6)); }, {"copy_", message});
  kiln_test::expect_error([&] { b.as_strided({2, 3}, {1, 2}, 1).copy_(b.as_strided({2, 3}, {1, 2}, 0)); }, {message});
  b.narrow(0, 0, 4).copy_(b.narrow(0, 4, 4));  // apart
  EXPECT_TRUE(kiln::equal(b, kiln::tensor({4., 5., 6., 7., 4., 5., 6., 7.}, kiln::kFloat64)));
  b.copy_(b);  // the same elements
  EXPECT_EQ(b[0].item<double>(), 4.0);
}

}  // namespace
