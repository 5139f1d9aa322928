// Invalid arguments raise kiln::Error naming the op, as torch raises.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <string>

namespace {

using namespace kiln;

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

#define EXPECT_ERROR(expr, text) EXPECT_NE(error_of([&] { (void)(expr); }).find(text), std::string::npos) << #expr \
  << " gave: " << error_of([&] { (void)(expr); })

TEST(RandomErrors, FloatingSamplersRejectIntegerDtypes) {
  EXPECT_ERROR(rand({3}, kInt64), "rand");
  EXPECT_ERROR(randn({3}, kInt32), "randn");
  EXPECT_ERROR(rand({-1}), "negative");
}

TEST(RandomErrors, Randint) {
  EXPECT_ERROR(randint(5, 5, {3}), "randint: expected low < high");
  EXPECT_ERROR(randint(6, 5, {3}), "randint");
  EXPECT_ERROR(randint(0, int64_t{1} << 40, {3}, kInt32), "out of bounds");
  EXPECT_ERROR(randint(0, 5, {3}, kBool), "out of bounds");
  EXPECT_ERROR(randint(0, (int64_t{1} << 24) + 2, {3}, kFloat32), "out of bounds");
  EXPECT_NO_THROW(randint(0, 2, {3}, kBool));
  EXPECT_NO_THROW(randint(-300, -200, {3}, kInt32));
}

TEST(RandomErrors, Randperm) {
  EXPECT_ERROR(randperm(-1), "randperm: n must be non-negative");
  EXPECT_ERROR(randperm(3, kBool), "randperm");
}

TEST(RandomErrors, Bernoulli) {
  EXPECT_ERROR(bernoulli(tensor({1.5})), "bernoulli: expected all probabilities in [0, 1]");
  EXPECT_ERROR(bernoulli(tensor({-0.5})), "bernoulli");
  EXPECT_ERROR(bernoulli(tensor({NAN})), "bernoulli");
  EXPECT_ERROR(bernoulli(tensor({1, 0})), "bernoulli");
}

TEST(RandomErrors, Normal) {
  EXPECT_ERROR(normal(zeros({2}), tensor({-1.0, 1.0})), "normal: expected all elements of std >= 0.0");
  EXPECT_ERROR(normal(zeros({2}), tensor({NAN, 1.0f})), "normal");
  EXPECT_ERROR(normal(zeros({2}), ones({3})), "normal");
  EXPECT_ERROR(normal(zeros({2}, kInt64), ones({2}, kInt64)), "normal");
}

TEST(RandomErrors, Multinomial) {
  EXPECT_ERROR(multinomial(tensor({1.0, -1.0}), 1), "element < 0");
  EXPECT_ERROR(multinomial(tensor({INFINITY, 1.0f}), 1, true), "`inf`, `nan`");
  EXPECT_ERROR(multinomial(tensor({NAN, 1.0f}), 1, true), "`inf`, `nan`");
  EXPECT_ERROR(multinomial(tensor({0.0, 0.0}), 1), "sum of probabilities <= 0");
  EXPECT_ERROR(multinomial(tensor({{0.0, 0.0}, {1.0, 1.0}}), 1), "sum of probabilities <= 0");
  EXPECT_ERROR(multinomial(tensor({1.0, 1.0}), 3), "without replacement");
  EXPECT_ERROR(multinomial(tensor({1.0, 1.0}), 0, true), "n_sample <= 0");
  EXPECT_ERROR(multinomial(tensor({1, 1}), 1, true), "floating-point");
  EXPECT_ERROR(multinomial(ones({2, 2, 2}), 1, true), "1 or 2 dim");
  EXPECT_ERROR(multinomial(tensor(1.0), 1, true), "1 or 2 dim");
  EXPECT_ERROR(multinomial(ones({2, 0}), 1, true), "multinomial");
  EXPECT_NO_THROW(multinomial(tensor({1.0, 1.0}), 3, true));
  EXPECT_EQ(multinomial(ones({0, 2}), 1).sizes(), std::vector<int64_t>({0, 1}));
}

}  // namespace
