// Factories refuse what libtorch refuses: braced lists mixing C++ types, and
// TensorOptions asking to() for requires_grad. A literal (libtorch's
// TensorDataContainer) prints as written and refuses the wrong accessor.
#include <gtest/gtest.h>
#include <sstream>
#include <kiln/kiln.h>

#include "common/expect_error.h"

namespace {
using kiln_test::expect_error;

TEST(Factory, BracedListsMixingTypesAreRefused) {
  expect_error([] { kiln::tensor({1, 2.0}); },
               {"Expected all elements of the tensor to have the same scalar type: Int, but got element of scalar "
                "type: Double"});
  expect_error([] { kiln::tensor({true, 2}); }, {"same scalar type: Bool, but got element of scalar type: Int"});
  expect_error([] { kiln::tensor({1.0f, 2.0}); }, {"same scalar type: Float, but got element of scalar type: Double"});
  expect_error([] { kiln::tensor({{1, 2}, {3.0, 4.0}}); }, {"same scalar type: Int, but got element of scalar type: Double"});
}

TEST(Factory, RaggedBracedListsNameTheSubList) {
  // libtorch's wording: the expected sizes with an example, then the offending sub-list.
  expect_error([] { kiln::tensor({{{2, 3, 4}, {{5, 6}, {7}}}}); },
               {"Expected all sub-lists to have sizes: 2 (e.g. {5, 6}), but got sub-list {7} with sizes: 1"});
  expect_error([] { kiln::tensor({{1, 2}, {3}}); }, {"sizes: 2 (e.g. {1, 2}), but got sub-list {3} with sizes: 1"});
}

TEST(Factory, BracedListsOfOneTypeStillWork) {
  EXPECT_EQ(kiln::tensor({1, 2}).dtype(), kiln::kInt64);
  EXPECT_EQ(kiln::tensor({1.0, 2.0}).dtype(), kiln::kFloat32);
  EXPECT_EQ(kiln::tensor({{true, false}, {false, true}}).dtype(), kiln::kBool);
  EXPECT_EQ(kiln::tensor({{1.5, 2.5}, {3.5, 4.5}}, kiln::kFloat64).sum().item<double>(), 12.0);
}

TEST(Factory, ToWithRequiresGradIsRefused) {
  kiln::Tensor t = kiln::ones({2});
  expect_error([&] { t.to(kiln::TensorOptions().requires_grad(true)); },
               {"Operators taking TensorOptions cannot take a TensorOptions with options.requires_grad set as true. "
                "This isn't implemented yet."});
  expect_error([&] { t.to(kiln::TensorOptions().dtype(kiln::kFloat64).requires_grad(true)); },
               {"options.requires_grad set as true"});
  EXPECT_FALSE(t.requires_grad());
  EXPECT_EQ(t.to(kiln::TensorOptions().dtype(kiln::kFloat64)).dtype(), kiln::kFloat64);
}

}  // namespace

namespace {
std::string text(const kiln::detail::TensorDataContainer& data) {
  std::ostringstream os;
  os << data;
  return os.str();
}
}  // namespace

TEST(Factory, TensorDataPrintsAsTheLiteral) {
  using kiln::detail::TensorDataContainer;
  EXPECT_EQ(text(1.1), "1.1");
  EXPECT_EQ(text({1.1, 2.2}), "{1.1, 2.2}");
  EXPECT_EQ(text({{1, 2}, {3, 4}}), "{{1, 2}, {3, 4}}");
  EXPECT_EQ(text({{{{}}}}), "{{{{}}}}");
  EXPECT_EQ(text({true, false}), "{1, 0}");
  EXPECT_EQ(text(std::vector<double>{1.5, 2.25}), "{1.5, 2.25}");
  EXPECT_EQ(kiln::str(TensorDataContainer({{1.5f}, {2.5f}})), "{{1.5}, {2.5}}");
}

TEST(Factory, TensorDataKnowsWhatItHolds) {
  using kiln::detail::TensorDataContainer;
  TensorDataContainer number(2.5);
  EXPECT_TRUE(number.is_scalar());
  EXPECT_EQ(number.scalar().to<double>(), 2.5);
  EXPECT_EQ(number.scalar_type(), kiln::kFloat64);
  TensorDataContainer vec(std::vector<int>{1, 2, 3});
  EXPECT_TRUE(vec.is_tensor());
  EXPECT_EQ(vec.tensor().sizes(), std::vector<int64_t>({3}));
  EXPECT_EQ(TensorDataContainer({{1, 2}, {3, 4}}).sizes(), std::vector<int64_t>({2, 2}));
  EXPECT_EQ(TensorDataContainer({{1, 2}, {3, 4}}).init_list().size(), 2u);
  kiln_test::expect_error([] { TensorDataContainer(1.1).init_list(); },
                          {"Can only call `init_list()` on a TensorDataContainer that has `is_init_list() == true`"});
  kiln_test::expect_error([] { TensorDataContainer(1.1).tensor(); },
                          {"Can only call `tensor()` on a TensorDataContainer that has `is_tensor() == true`"});
  kiln_test::expect_error([] { TensorDataContainer({1.1, 2.2}).scalar(); },
                          {"Can only call `scalar()` on a TensorDataContainer that has `is_scalar() == true`"});
}
