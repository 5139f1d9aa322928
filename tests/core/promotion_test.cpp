// Type promotion: the result dtype (and value) of every binary op for every
// pair of dtypes, with each operand a dimensioned tensor, a 0-d tensor or a
// C++ number, against libtorch 1.13 (golden_promotion.h).
#include <sstream>

#include "golden_promotion.h"
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Scalar;
using kiln::Tensor;

Scalar cpp_number(kiln::ScalarType t) {
  if (t == kiln::kBool) return Scalar(true);
  if (t == kiln::kInt64) return Scalar(int64_t{2});
  return Scalar(1.5);
}

Tensor operand(kiln::ScalarType t, int kind, bool is_a) {
  if (kind == 1) return t == kiln::kBool ? kiln::tensor(true) : kiln::scalar_tensor(is_a ? 3 : 2, kiln::dtype(t));
  if (t == kiln::kBool) return is_a ? kiln::tensor({true, false}) : kiln::tensor({true, true});
  return is_a ? make({2}, {3, 2}, t) : make({2}, {2, 1}, t);
}

const Tensor& condition() {
  static const Tensor c = kiln::tensor({true, false});
  return c;
}

// The kiln call for one golden row; returns an undefined tensor when kiln has no such overload.
Tensor call_tt(const std::string& op, const Tensor& a, const Tensor& b) {
  if (op == "add") return a + b;
  if (op == "sub") return a - b;
  if (op == "mul") return a * b;
  if (op == "div") return a / b;
  if (op == "pow") return kiln::pow(a, b);
  if (op == "eq") return a == b;
  if (op == "lt") return a < b;
  if (op == "ge") return a >= b;
  if (op == "maximum") return kiln::maximum(a, b);
  if (op == "minimum") return kiln::minimum(a, b);
  if (op == "atan2") return kiln::atan2(a, b);
  if (op == "logical_and") return kiln::logical_and(a, b);
  if (op == "logical_xor") return kiln::logical_xor(a, b);
  if (op == "where") return kiln::where(condition(), a, b);
  if (op == "clamp") return kiln::clamp(a, std::optional<Tensor>(b));
  return Tensor();  // fmod/remainder take a C++ number in kiln's API
}

Tensor call_ts(const std::string& op, const Tensor& a, Scalar b) {
  if (op == "add") return a + b;
  if (op == "sub") return a - b;
  if (op == "mul") return a * b;
  if (op == "div") return a / b;
  if (op == "pow") return kiln::pow(a, b);
  if (op == "eq") return a == b;
  if (op == "lt") return a < b;
  if (op == "ge") return a >= b;
  if (op == "where") return kiln::where(condition(), a, b);
  if (op == "fmod") return kiln::fmod(a, b);
  if (op == "remainder") return kiln::remainder(a, b);
  if (op == "clamp") return kiln::clamp(a, std::optional<Scalar>(b));
  return Tensor();
}

Tensor call_st(const std::string& op, Scalar a, const Tensor& b) {
  if (op == "add") return a + b;
  if (op == "sub") return a - b;
  if (op == "mul") return a * b;
  if (op == "div") return a / b;
  if (op == "pow") return kiln::pow(a, b);
  return Tensor();
}

TEST(Promotion, EveryBinaryOpEveryDtypePairEveryOperandKind) {
  int checked = 0;
  for (const golden::BinaryCase& c : golden::kBinaryCases) {
    std::ostringstream label;
    label << c.op << "(" << dtype_label(c.a_dtype) << " kind " << c.a_kind << ", " << dtype_label(c.b_dtype)
          << " kind " << c.b_kind << ")";
    SCOPED_TRACE(label.str());
    auto run = [&]() -> Tensor {
      if (c.a_kind == 2) return call_st(c.op, cpp_number(c.a_dtype), operand(c.b_dtype, c.b_kind, false));
      if (c.b_kind == 2) return call_ts(c.op, operand(c.a_dtype, c.a_kind, true), cpp_number(c.b_dtype));
      return call_tt(c.op, operand(c.a_dtype, c.a_kind, true), operand(c.b_dtype, c.b_kind, false));
    };
    if (c.error) {
      EXPECT_TRUE(throws_error([&] {
        Tensor r = run();
        if (!r.defined()) throw kiln::Error("no such overload");
      }, {}));
      ++checked;
      continue;
    }
    Tensor r;
    try {
      r = run();
    } catch (const kiln::Error& e) {
      ADD_FAILURE() << "unexpected error: " << e.what();
      continue;
    }
    if (!r.defined()) continue;
    EXPECT_TRUE(matches(r, c.dtype, golden::ints(golden::kPromotionPool, c.shape),
                        golden::doubles(golden::kPromotionPool, c.values), 1e-6));
    ++checked;
  }
  EXPECT_GT(checked, 1500);
}

TEST(Promotion, ResultTypeFunction) {
  Tensor i32 = kiln::ones({2}, kiln::kInt32), f64 = kiln::ones({2}, kiln::kFloat64);
  EXPECT_EQ(kiln::result_type(i32, f64), kiln::kFloat64);
  EXPECT_EQ(kiln::result_type(i32, kiln::tensor(1.0, kiln::kFloat64)), kiln::kFloat64);
  EXPECT_EQ(kiln::result_type(i32, 2.5), kiln::kFloat32);
  EXPECT_EQ(kiln::result_type(i32, 7), kiln::kInt32);
  EXPECT_EQ(kiln::result_type(kiln::ones({2}, kiln::kBool), 7), kiln::kInt64);
  EXPECT_EQ(kiln::result_type(kiln::ones({2}, kiln::kBool), true), kiln::kBool);
  EXPECT_EQ(kiln::promote_types(kiln::kInt32, kiln::kFloat32), kiln::kFloat32);
  EXPECT_EQ(kiln::promote_types(kiln::kBool, kiln::kInt64), kiln::kInt64);
}

TEST(Promotion, IntegerTrueDivisionIsFloat32) {
  Tensor a = kiln::tensor({7, 2}), b = kiln::tensor({2, 4});
  EXPECT_TRUE(matches(a / b, kiln::kFloat32, {2}, {3.5, 0.5}));
  EXPECT_TRUE(matches(a.div(2), kiln::kFloat32, {2}, {3.5, 1.0}));
  EXPECT_TRUE(matches(kiln::true_divide(a, b), kiln::kFloat32, {2}, {3.5, 0.5}));
}

TEST(Promotion, DefaultDtypeFollowsSetDefaultDtype) {
  kiln::set_default_dtype(kiln::kFloat64);
  Tensor a = kiln::tensor({1, 2});
  EXPECT_EQ((a / a).dtype(), kiln::kFloat64);
  EXPECT_EQ((a + 0.5).dtype(), kiln::kFloat64);
  EXPECT_EQ(kiln::tensor({1.0, 2.0}).dtype(), kiln::kFloat64);
  EXPECT_EQ(kiln::exp(a).dtype(), kiln::kFloat64);
  // A float32 tensor stays float32 with a C++ double.
  EXPECT_EQ((kiln::ones({2}, kiln::kFloat32) + 0.5).dtype(), kiln::kFloat32);
  kiln::set_default_dtype(kiln::kFloat32);
  EXPECT_EQ((a / a).dtype(), kiln::kFloat32);
}

}  // namespace
