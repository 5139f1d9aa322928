// An empty index list is refused with libtorch's message.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include "common/expect_error.h"

namespace {

TEST(IndexList, EmptyListsAreRefused) {
  kiln::Tensor t = kiln::ones({2});
  kiln_test::expect_error([&] { t.index({}); },
                          {"Passing an empty index list to Tensor::index() is not valid syntax"});
  kiln_test::expect_error([&] { t.index(std::vector<kiln::indexing::TensorIndex>{}); },
                          {"Passing an empty index list to Tensor::index() is not valid syntax"});
  kiln_test::expect_error([&] { t.index_put_({}, 1); },
                          {"Passing an empty index list to Tensor::index_put_() is not valid syntax"});
  kiln_test::expect_error([&] { t.index_put_(std::vector<kiln::indexing::TensorIndex>{}, kiln::zeros({2})); },
                          {"Passing an empty index list to Tensor::index_put_() is not valid syntax"});
  EXPECT_EQ(t.sum().item<float>(), 2.0f);
}

}  // namespace
