// uint8, int8 and int16 (kByte, kChar, kShort): names and sizes, torch's
// promotion table over every pair of dtypes, wrapping arithmetic,
// conversions, printing and range errors, each against torch.
#include <sstream>

#include "linalg/oracle.h"

namespace {
using kiln::ScalarType;
using kiln::Tensor;
using linalg_test::expect_close;
using linalg_test::torch_eval;

const ScalarType kAll[] = {kiln::kBool,  kiln::kUInt8, kiln::kInt8,    kiln::kInt16,
                           kiln::kInt32, kiln::kInt64, kiln::kFloat32, kiln::kFloat64};
const char* kTorchNames = "ts = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, "
                          "torch.float32, torch.float64]\n";

TEST(SmallIntDtypes, NamesAndSizes) {
  EXPECT_EQ(kiln::kByte, kiln::kUInt8);
  EXPECT_EQ(kiln::kChar, kiln::kInt8);
  EXPECT_EQ(kiln::kShort, kiln::kInt16);
  EXPECT_EQ(kiln::element_size(kiln::kUInt8), 1u);
  EXPECT_EQ(kiln::element_size(kiln::kInt16), 2u);
  EXPECT_STREQ(kiln::type_name(kiln::kUInt8), "Byte");
  EXPECT_STREQ(kiln::type_name(kiln::kInt8), "Char");
  EXPECT_STREQ(kiln::python_name(kiln::kInt16), "int16");
  EXPECT_TRUE(kiln::is_integral(kiln::kUInt8, false));
  EXPECT_FALSE(kiln::is_floating_point(kiln::kInt16));
  EXPECT_EQ(kiln::zeros({2}, kiln::kChar).data_ptr<int8_t>()[1], 0);
}

TEST(SmallIntDtypes, PromotionMatchesTorch) {
  auto ref = torch_eval(std::string(kTorchNames) +
                        "out += [torch.tensor([[ts.index(torch.promote_types(a, b)) for b in ts] for a in ts])]\n"
                        "out += [torch.tensor([[ts.index((torch.ones(2, dtype=a) + torch.ones((), dtype=b)).dtype) "
                        "for b in ts] for a in ts])]\n");
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j) {
      EXPECT_EQ(static_cast<int>(kiln::promote_types(kAll[i], kAll[j])), ref[0][i][j].item<double>()) << i << "," << j;
      Tensor sum = kiln::ones({2}, kAll[i]) + kiln::ones({}, kAll[j]);
      if (kAll[i] == kiln::kBool && kAll[j] == kiln::kBool) continue;  // bool + bool is not an add in torch
      EXPECT_EQ(static_cast<int>(sum.dtype()), ref[1][i][j].item<double>()) << i << "," << j;
    }
}

TEST(SmallIntDtypes, ArithmeticWrapsAndConvertsAsTorch) {
  auto ref = torch_eval(
      "u = torch.tensor([250, 3, 0], dtype=torch.uint8); c = torch.tensor([-128, 100, 7], dtype=torch.int8)\n"
      "s = torch.tensor([30000, -2, 5], dtype=torch.int16); f = torch.tensor([1.7, -1.5, 300.25, 255.9])\n"
      "out += [u + 10, u - 5, c * 2, -c, s * 3, u + c, (u * c).to(torch.float64), f.to(torch.uint8), f.to(torch.int8),\n"
      "        f.to(torch.int16), u.sum(), c.max(), torch.abs(c), u.float() / 3, s % 7]\n");
  Tensor u = kiln::tensor({250, 3, 0}, kiln::kUInt8), c = kiln::tensor({-128, 100, 7}, kiln::kInt8);
  Tensor s = kiln::tensor({30000, -2, 5}, kiln::kInt16), f = kiln::tensor({1.7, -1.5, 300.25, 255.9}, kiln::kFloat);
  EXPECT_EQ((u + 10).dtype(), kiln::kUInt8);
  expect_close(u + 10, ref[0]);
  expect_close(u - 5, ref[1]);
  expect_close(c * 2, ref[2]);
  expect_close(-c, ref[3]);
  expect_close(s * 3, ref[4]);
  EXPECT_EQ((u + c).dtype(), kiln::kInt16);
  expect_close(u + c, ref[5]);
  expect_close(u * c, ref[6]);
  expect_close(f.to(kiln::kUInt8), ref[7]);
  expect_close(f.to(kiln::kInt8), ref[8]);
  expect_close(f.to(kiln::kInt16), ref[9]);
  EXPECT_EQ(u.sum().dtype(), kiln::kInt64);
  expect_close(u.sum(), ref[10]);
  expect_close(c.max(), ref[11]);
  expect_close(kiln::abs(c), ref[12]);
  expect_close(u.to(kiln::kFloat) / 3, ref[13], 1e-6);
  expect_close(s % 7, ref[14]);
  EXPECT_EQ(u[0].item<int>(), 250);
  EXPECT_EQ(c.data_ptr<int8_t>()[0], -128);
}

TEST(SmallIntDtypes, PrintingAndRangeErrors) {
  std::ostringstream os;
  os << kiln::tensor({1, 255}, kiln::kByte);
  EXPECT_NE(os.str().find("255"), std::string::npos);
  EXPECT_NE(os.str().find("dtype=kiln.uint8"), std::string::npos);
  kiln_test::expect_error([] { kiln::full({1}, 300, kiln::kUInt8); }, {"uint8_t", "overflow"});
  EXPECT_EQ(kiln::full({1}, -1, kiln::kUInt8).item<int>(), 255);  // torch wraps a negative integer
  EXPECT_EQ(kiln::full({1}, -129, kiln::kUInt8).item<int>(), 127);
  kiln_test::expect_error([] { kiln::full({1}, -256, kiln::kUInt8); }, {"uint8_t", "overflow"});
  kiln_test::expect_error([] { kiln::full({1}, -1.5, kiln::kUInt8); }, {"uint8_t", "overflow"});
  kiln_test::expect_error([] { kiln::full({1}, 255.5, kiln::kUInt8); }, {"uint8_t", "overflow"});
  EXPECT_EQ(kiln::full({1}, -1.5, kiln::kInt8).item<int>(), -1);
  kiln_test::expect_error([] { kiln::full({1}, 128, kiln::kInt8); }, {"int8_t", "overflow"});
  kiln_test::expect_error([] { kiln::full({1}, 40000.0, kiln::kShort); }, {"int16_t", "overflow"});
  kiln_test::expect_error([] { kiln::zeros({2}, kiln::kUInt8).requires_grad_(); }, {"requires_grad_", "Byte"});
}

}  // namespace
