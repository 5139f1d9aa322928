// unflatten and repeat check their own arguments, so their errors name them
// (not the view / reshape they are made of).
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include "common/expect_error.h"

namespace {
using kiln_test::expect_error;

TEST(ShapeOps, UnflattenErrors) {
  kiln::Tensor x = kiln::ones({6, 2});
  expect_error([&] { x.unflatten(0, {4, 2}); },
               {"unflatten: Provided sizes [4, 2] don't multiply up to the size of dim 0 (6) in the input tensor"});
  expect_error([&] { x.unflatten(0, {4, -1}); }, {"unflatten: Provided sizes [4, -1] don't multiply up"});
  expect_error([&] { x.unflatten(0, {}); }, {"unflatten: sizes must be non-empty"});
  expect_error([&] { x.unflatten(0, {-1, -1}); }, {"unflatten", "only one dimension can be inferred"});
  expect_error([&] { x.unflatten(2, {1, 2}); }, {"unflatten", "but got 2"});
}

TEST(ShapeOps, UnflattenValues) {
  kiln::Tensor x = kiln::arange(12).reshape({6, 2});
  EXPECT_EQ(x.unflatten(0, {2, -1}).sizes(), kiln::IntArrayRef({2, 3, 2}));
  EXPECT_EQ(x.unflatten(-1, {1, 2}).sizes(), kiln::IntArrayRef({6, 1, 2}));
  EXPECT_TRUE(kiln::equal(x.unflatten(0, {3, 2}).reshape({6, 2}), x));
}

TEST(ShapeOps, RepeatOverflowNamesRepeat) {
  expect_error([] { kiln::ones({2}).repeat({int64_t{1} << 62}); }, {"repeat", "[2]"});
  expect_error([] { kiln::ones({2, 2}).repeat({int64_t{1} << 32, int64_t{1} << 32}); }, {"repeat"});
  EXPECT_EQ(kiln::ones({2}).repeat({3, 2}).sizes(), kiln::IntArrayRef({3, 4}));
}

}  // namespace
