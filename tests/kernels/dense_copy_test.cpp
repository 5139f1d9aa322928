// copy_ between tensors of one geometry that is dense but not row-major (a
// transpose, a permutation with unit dims) runs as flat memory; other
// geometries take the strided loop. Both must give the same elements.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

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

}  // namespace
