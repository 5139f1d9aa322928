// Element-wise ops: every unary op on every dtype (vector and 0-d) against
// libtorch 1.13 (golden_unary.h), then the binary ops' values, broadcasting
// of scalars, comparisons, logical ops, where, clamp and methods.
#include <cmath>
#include <map>
#include <sstream>

#include "golden_unary.h"
#include "common/expect_error.h"
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;
using kiln_test::expect_error;

Tensor unary_input(kiln::ScalarType t, bool zero_dim) {
  if (zero_dim) {
    if (t == kiln::kBool) return kiln::tensor(true);
    return kiln::scalar_tensor(kiln::is_floating_point(t) ? 0.5 : 2.0, kiln::kFloat64).to(t);
  }
  if (t == kiln::kBool) return kiln::tensor({true, false, true, true});
  if (kiln::is_floating_point(t))
    return make({11}, {-2.5, -0.5, 0.0, 0.25, 0.5, 1.5, 2.5, 3.0, INFINITY, -INFINITY, NAN}, t);
  return make({6}, {-3, -1, 0, 1, 2, 7}, t);
}

using UnaryFn = Tensor (*)(const Tensor&);
const std::map<std::string, UnaryFn>& unary_functions() {
  static const std::map<std::string, UnaryFn> fns = {
      {"exp", kiln::exp},         {"log", kiln::log},         {"log1p", kiln::log1p},
      {"expm1", kiln::expm1},     {"log2", kiln::log2},       {"log10", kiln::log10},
      {"sqrt", kiln::sqrt},       {"rsqrt", kiln::rsqrt},     {"abs", kiln::abs},
      {"sign", kiln::sign},       {"neg", kiln::neg},         {"reciprocal", kiln::reciprocal},
      {"square", kiln::square},   {"sin", kiln::sin},         {"cos", kiln::cos},
      {"tan", kiln::tan},         {"asin", kiln::asin},       {"acos", kiln::acos},
      {"atan", kiln::atan},       {"sinh", kiln::sinh},       {"cosh", kiln::cosh},
      {"tanh", kiln::tanh},       {"sigmoid", kiln::sigmoid}, {"relu", kiln::relu},
      {"erf", kiln::erf},         {"erfc", kiln::erfc},       {"lgamma", kiln::lgamma},
      {"digamma", kiln::digamma}, {"floor", kiln::floor},     {"ceil", kiln::ceil},
      {"round", kiln::round},     {"trunc", kiln::trunc},     {"frac", kiln::frac},
      {"isnan", kiln::isnan},     {"isinf", kiln::isinf},     {"isfinite", kiln::isfinite},
      {"logical_not", kiln::logical_not},
  };
  return fns;
}

TEST(Elementwise, EveryUnaryOpEveryDtypeMatchesLibtorch) {
  for (const golden::UnaryCase& c : golden::kUnaryCases) {
    std::ostringstream label;
    label << c.op << "(" << dtype_label(c.dtype_in) << (c.zero_dim ? ", 0-d" : "") << ")";
    SCOPED_TRACE(label.str());
    auto it = unary_functions().find(c.op);
    ASSERT_NE(it, unary_functions().end());
    Tensor x = unary_input(c.dtype_in, c.zero_dim);
    if (c.error) {
      EXPECT_TRUE(throws_error([&] { it->second(x); }, {c.op}));
      continue;
    }
    Tensor r;
    try {
      r = it->second(x);
    } catch (const kiln::Error& e) {
      ADD_FAILURE() << "unexpected error: " << e.what();
      continue;
    }
    // float32 transcendental functions may differ from libtorch's vectorised ones in the last bits.
    EXPECT_TRUE(matches(r, c.dtype, golden::ints(golden::kUnaryPool, c.shape), golden::doubles(golden::kUnaryPool, c.values),
                        2e-6));
  }
}

TEST(Elementwise, UnaryMethodsMatchFunctions) {
  Tensor x = make({2, 2}, {0.25, -1.5, 2.0, 0.5}, kiln::kFloat32);
  EXPECT_TRUE(kiln::equal(x.exp(), kiln::exp(x)));
  EXPECT_TRUE(kiln::equal(x.abs(), kiln::abs(x)));
  EXPECT_TRUE(kiln::equal(x.sin(), kiln::sin(x)));
  EXPECT_TRUE(kiln::equal(x.relu(), kiln::relu(x)));
  EXPECT_TRUE(kiln::equal(x.sigmoid(), kiln::sigmoid(x)));
  EXPECT_TRUE(kiln::equal(x.floor(), kiln::floor(x)));
  EXPECT_TRUE(kiln::equal(x.neg(), -x));
  EXPECT_TRUE(kiln::equal(x.square(), x * x));
  EXPECT_TRUE(kiln::equal(x.pow(2), x * x));
}

TEST(Elementwise, ArithmeticValues) {
  Tensor a = make({2, 2}, {1, 2, 3, 4}, kiln::kFloat32), b = make({2, 2}, {0.5, -1, 2, 8}, kiln::kFloat32);
  EXPECT_TRUE(matches(a + b, kiln::kFloat32, {2, 2}, {1.5, 1, 5, 12}));
  EXPECT_TRUE(matches(a - b, kiln::kFloat32, {2, 2}, {0.5, 3, 1, -4}));
  EXPECT_TRUE(matches(a * b, kiln::kFloat32, {2, 2}, {0.5, -2, 6, 32}));
  EXPECT_TRUE(matches(a / b, kiln::kFloat32, {2, 2}, {2, -2, 1.5, 0.5}));
  EXPECT_TRUE(matches(kiln::add(a, b), kiln::kFloat32, {2, 2}, {1.5, 1, 5, 12}));
  EXPECT_TRUE(matches(kiln::sub(a, b), kiln::kFloat32, {2, 2}, {0.5, 3, 1, -4}));
  EXPECT_TRUE(matches(kiln::mul(a, b), kiln::kFloat32, {2, 2}, {0.5, -2, 6, 32}));
  EXPECT_TRUE(matches(kiln::div(a, b), kiln::kFloat32, {2, 2}, {2, -2, 1.5, 0.5}));
  EXPECT_TRUE(matches(a.add(b), kiln::kFloat32, {2, 2}, {1.5, 1, 5, 12}));
  EXPECT_TRUE(matches(a.sub(b), kiln::kFloat32, {2, 2}, {0.5, 3, 1, -4}));
  EXPECT_TRUE(matches(a.mul(b), kiln::kFloat32, {2, 2}, {0.5, -2, 6, 32}));
  EXPECT_TRUE(matches(a.div(b), kiln::kFloat32, {2, 2}, {2, -2, 1.5, 0.5}));
  // alpha scales the other operand, as in torch.add(a, b, alpha=...)
  EXPECT_TRUE(matches(kiln::add(a, b, 2), kiln::kFloat32, {2, 2}, {2, 0, 7, 20}));
  EXPECT_TRUE(matches(a.sub(b, 0.5), kiln::kFloat32, {2, 2}, {0.75, 2.5, 2, 0}));
  EXPECT_TRUE(matches(a.add(1, 3), kiln::kFloat32, {2, 2}, {4, 5, 6, 7}));
  EXPECT_TRUE(matches(kiln::rsub(a, 10), kiln::kFloat32, {2, 2}, {9, 8, 7, 6}));
  EXPECT_TRUE(matches(-a, kiln::kFloat32, {2, 2}, {-1, -2, -3, -4}));
  // int tensors with alpha keep their dtype
  Tensor i = kiln::tensor({1, 2, 3});
  EXPECT_TRUE(matches(kiln::add(i, i, 2), kiln::kInt64, {3}, {3, 6, 9}));
}

TEST(Elementwise, ScalarOperandsOnBothSides) {
  Tensor a = make({3}, {1, 2, 4}, kiln::kFloat32);
  EXPECT_TRUE(matches(a + 1, kiln::kFloat32, {3}, {2, 3, 5}));
  EXPECT_TRUE(matches(1 + a, kiln::kFloat32, {3}, {2, 3, 5}));
  EXPECT_TRUE(matches(a - 1, kiln::kFloat32, {3}, {0, 1, 3}));
  EXPECT_TRUE(matches(1 - a, kiln::kFloat32, {3}, {0, -1, -3}));
  EXPECT_TRUE(matches(a * 2.5, kiln::kFloat32, {3}, {2.5, 5, 10}));
  EXPECT_TRUE(matches(2.5 * a, kiln::kFloat32, {3}, {2.5, 5, 10}));
  EXPECT_TRUE(matches(a / 2, kiln::kFloat32, {3}, {0.5, 1, 2}));
  EXPECT_TRUE(matches(2 / a, kiln::kFloat32, {3}, {2, 1, 0.5}));
  EXPECT_TRUE(matches(kiln::pow(a, 2), kiln::kFloat32, {3}, {1, 4, 16}));
  EXPECT_TRUE(matches(kiln::pow(2, a), kiln::kFloat32, {3}, {2, 4, 16}));
  EXPECT_TRUE(matches(kiln::pow(a, a), kiln::kFloat32, {3}, {1, 4, 256}));
  EXPECT_TRUE(matches(kiln::pow(a, 0.5), kiln::kFloat32, {3}, {1, std::sqrt(2.0), 2}));
  Tensor i = kiln::tensor({1, 2, 3});
  EXPECT_TRUE(matches(kiln::pow(i, 2), kiln::kInt64, {3}, {1, 4, 9}));
  EXPECT_TRUE(matches(kiln::pow(i, 0.5), kiln::kFloat32, {3}, {1, std::sqrt(2.0), std::sqrt(3.0)}, 1e-6));
  EXPECT_TRUE(matches(kiln::pow(2, i), kiln::kInt64, {3}, {2, 4, 8}));
}

TEST(Elementwise, ComparisonsGiveBool) {
  Tensor a = make({4}, {1, 2, 3, NAN}, kiln::kFloat32), b = make({4}, {1, 3, 2, NAN}, kiln::kFloat64);
  EXPECT_TRUE(matches(a == b, kiln::kBool, {4}, {1, 0, 0, 0}));
  EXPECT_TRUE(matches(a != b, kiln::kBool, {4}, {0, 1, 1, 1}));
  EXPECT_TRUE(matches(a < b, kiln::kBool, {4}, {0, 1, 0, 0}));
  EXPECT_TRUE(matches(a <= b, kiln::kBool, {4}, {1, 1, 0, 0}));
  EXPECT_TRUE(matches(a > b, kiln::kBool, {4}, {0, 0, 1, 0}));
  EXPECT_TRUE(matches(a >= b, kiln::kBool, {4}, {1, 0, 1, 0}));
  EXPECT_TRUE(matches(kiln::eq(a, b), kiln::kBool, {4}, {1, 0, 0, 0}));
  EXPECT_TRUE(matches(kiln::ne(a, b), kiln::kBool, {4}, {0, 1, 1, 1}));
  EXPECT_TRUE(matches(kiln::lt(a, b), kiln::kBool, {4}, {0, 1, 0, 0}));
  EXPECT_TRUE(matches(kiln::le(a, b), kiln::kBool, {4}, {1, 1, 0, 0}));
  EXPECT_TRUE(matches(kiln::gt(a, b), kiln::kBool, {4}, {0, 0, 1, 0}));
  EXPECT_TRUE(matches(kiln::ge(a, b), kiln::kBool, {4}, {1, 0, 1, 0}));
  EXPECT_TRUE(matches(a.eq(2), kiln::kBool, {4}, {0, 1, 0, 0}));
  EXPECT_TRUE(matches(a.ne(2), kiln::kBool, {4}, {1, 0, 1, 1}));
  EXPECT_TRUE(matches(a.lt(2), kiln::kBool, {4}, {1, 0, 0, 0}));
  EXPECT_TRUE(matches(a.le(2), kiln::kBool, {4}, {1, 1, 0, 0}));
  EXPECT_TRUE(matches(a.gt(2), kiln::kBool, {4}, {0, 0, 1, 0}));
  EXPECT_TRUE(matches(a.ge(2), kiln::kBool, {4}, {0, 1, 1, 0}));
  EXPECT_TRUE(matches(a > 1.5, kiln::kBool, {4}, {0, 1, 1, 0}));
  // An int tensor compared with a C++ double compares as floats (2 < 2.5).
  EXPECT_TRUE(matches(kiln::tensor({2, 3}) < 2.5, kiln::kBool, {2}, {1, 0}));
  // Comparisons broadcast.
  EXPECT_TRUE(matches(make({2, 1}, {1, 2}) == make({3}, {1, 2, 3}), kiln::kBool, {2, 3}, {1, 0, 0, 0, 1, 0}));
}

TEST(Elementwise, LogicalOps) {
  Tensor a = kiln::tensor({true, true, false, false}), b = kiln::tensor({true, false, true, false});
  EXPECT_TRUE(matches(kiln::logical_and(a, b), kiln::kBool, {4}, {1, 0, 0, 0}));
  EXPECT_TRUE(matches(kiln::logical_or(a, b), kiln::kBool, {4}, {1, 1, 1, 0}));
  EXPECT_TRUE(matches(kiln::logical_xor(a, b), kiln::kBool, {4}, {0, 1, 1, 0}));
  EXPECT_TRUE(matches(kiln::logical_not(a), kiln::kBool, {4}, {0, 0, 1, 1}));
  EXPECT_TRUE(matches(a.logical_and(b), kiln::kBool, {4}, {1, 0, 0, 0}));
  EXPECT_TRUE(matches(a.logical_or(b), kiln::kBool, {4}, {1, 1, 1, 0}));
  EXPECT_TRUE(matches(a.logical_not(), kiln::kBool, {4}, {0, 0, 1, 1}));
  EXPECT_TRUE(matches(a && b, kiln::kBool, {4}, {1, 0, 0, 0}));
  EXPECT_TRUE(matches(a || b, kiln::kBool, {4}, {1, 1, 1, 0}));
  EXPECT_TRUE(matches(!a, kiln::kBool, {4}, {0, 0, 1, 1}));
  // Non-bool inputs: nonzero (NaN included) is true.
  Tensor f = make({4}, {0.0, 2.0, NAN, -1.0});
  EXPECT_TRUE(matches(kiln::logical_and(f, kiln::tensor({1, 1, 1, 0})), kiln::kBool, {4}, {0, 1, 1, 0}));
  EXPECT_TRUE(matches(kiln::logical_not(f), kiln::kBool, {4}, {1, 0, 0, 0}));
}

TEST(Elementwise, NanInfChecks) {
  Tensor x = make({4}, {1.0, NAN, INFINITY, -INFINITY}, kiln::kFloat32);
  EXPECT_TRUE(matches(kiln::isnan(x), kiln::kBool, {4}, {0, 1, 0, 0}));
  EXPECT_TRUE(matches(kiln::isinf(x), kiln::kBool, {4}, {0, 0, 1, 1}));
  EXPECT_TRUE(matches(kiln::isfinite(x), kiln::kBool, {4}, {1, 0, 0, 0}));
  EXPECT_TRUE(matches(x.isnan(), kiln::kBool, {4}, {0, 1, 0, 0}));
  EXPECT_TRUE(matches(x.isinf(), kiln::kBool, {4}, {0, 0, 1, 1}));
  EXPECT_TRUE(matches(x.isfinite(), kiln::kBool, {4}, {1, 0, 0, 0}));
}

TEST(Elementwise, MaximumMinimumPropagateNan) {
  Tensor a = make({3}, {1, NAN, 5}), b = make({3}, {2, 0, NAN});
  EXPECT_TRUE(matches(kiln::maximum(a, b), kiln::kFloat64, {3}, {2, NAN, NAN}));
  EXPECT_TRUE(matches(kiln::minimum(a, b), kiln::kFloat64, {3}, {1, NAN, NAN}));
  EXPECT_TRUE(matches(a.maximum(b), kiln::kFloat64, {3}, {2, NAN, NAN}));
  EXPECT_TRUE(matches(a.minimum(b), kiln::kFloat64, {3}, {1, NAN, NAN}));
}

TEST(Elementwise, Where) {
  Tensor c = kiln::tensor({true, false, true});
  Tensor a = make({3}, {1, 2, 3}, kiln::kFloat32), b = make({3}, {-1, -2, -3}, kiln::kFloat32);
  EXPECT_TRUE(matches(kiln::where(c, a, b), kiln::kFloat32, {3}, {1, -2, 3}));
  EXPECT_TRUE(matches(a.where(c, b), kiln::kFloat32, {3}, {1, -2, 3}));
  EXPECT_TRUE(matches(kiln::where(c, a, 0.0), kiln::kFloat32, {3}, {1, 0, 3}));
  EXPECT_TRUE(matches(kiln::where(c, 7, b), kiln::kFloat32, {3}, {7, -2, 7}));
  // The condition broadcasts against the values.
  EXPECT_TRUE(matches(kiln::where(make({2, 1}, {1, 0}, kiln::kBool), a, b), kiln::kFloat32, {2, 3},
                      {1, 2, 3, -1, -2, -3}));
}

TEST(Elementwise, AddSubAlpha) {
  // torch 1.13 values; alpha scales the second operand inside one kernel.
  Tensor a = make({3}, {1, 2, 3}, kiln::kFloat32), b = make({3}, {0.5, -1, 4}, kiln::kFloat32);
  EXPECT_TRUE(matches(kiln::add(a, b, 2.5), kiln::kFloat32, {3}, {2.25, -0.5, 13}));
  EXPECT_TRUE(matches(kiln::sub(a, b, -3), kiln::kFloat32, {3}, {2.5, -1, 15}));
  Tensor i = kiln::tensor({1, 2, 3});
  EXPECT_TRUE(matches(kiln::add(i, kiln::tensor({4, 5, 6}), 3), kiln::kInt64, {3}, {13, 17, 21}));
  i.sub_(kiln::tensor({1, 1, 1}), 2);
  EXPECT_TRUE(matches(i, kiln::kInt64, {3}, {-1, 0, 1}));
  Tensor c = a.clone();
  c.add_(b, 2.5);
  EXPECT_TRUE(matches(c, kiln::kFloat32, {3}, {2.25, -0.5, 13}));
  // As torch: no floating alpha for an integral result (even 1.0), no bool alpha for a non-bool one.
  expect_error([&] { kiln::add(i, i, 2.5); }, {"For integral input tensors, argument alpha must not be a floating"});
  expect_error([&] { i.add_(i, 1.0); }, {"argument alpha must not be a floating point number"});
  expect_error([&] { kiln::sub(a, b, true); }, {"Boolean alpha only supported for Boolean results"});
  // One node, and alpha in the gradient of the second operand.
  Tensor x = make({2}, {1, 2}, kiln::kFloat64).requires_grad_(), y = make({2}, {3, 4}, kiln::kFloat64).requires_grad_();
  Tensor z = kiln::sub(x, y, 2);
  EXPECT_EQ(z.grad_fn()->name(), "SubBackward0");
  z.sum().backward();
  EXPECT_TRUE(matches(y.grad(), kiln::kFloat64, {2}, {-2, -2}));
}

// The one-flat-dim loop is taken only where it reads the right elements:
// every layout below must give what the same op gives on contiguous copies.
TEST(Elementwise, FlatLoopOnlyWhereLayoutsAgree) {
  Tensor m = make({2, 3}, {1, -2, 3, -4, 5, -6}, kiln::kFloat64);
  Tensor t = make({3, 2}, {0.5, 1, -1.5, 2, 2.5, -3}, kiln::kFloat64).t();  // [2, 3], transposed layout
  Tensor row = make({1, 3}, {7, 8, 9}, kiln::kFloat64), vec = make({3}, {7, 8, 9}, kiln::kFloat64);
  Tensor one = make({1}, {2}, kiln::kFloat64), zero_d = kiln::scalar_tensor(3.0, kiln::dtype(kiln::kFloat64));
  auto same_as_contiguous = [](const Tensor& got, const Tensor& want) {
    EXPECT_EQ(got.sizes(), want.sizes());
    EXPECT_TRUE(kiln::equal(got, want)) << got << want;
  };
  same_as_contiguous(m + t, m + t.contiguous());
  same_as_contiguous(t * m, t.contiguous() * m);
  same_as_contiguous(vec + row, vec + row.contiguous());  // [3] and [1, 3]: same elements, out [1, 3]
  same_as_contiguous(m - vec, m - vec.contiguous());
  same_as_contiguous(one * m, m * 2);
  same_as_contiguous(zero_d + one, make({1}, {5}, kiln::kFloat64));
  same_as_contiguous(m + kiln::tensor({1, 2, 3}), m + make({3}, {1, 2, 3}, kiln::kFloat64));  // int converted
  same_as_contiguous(kiln::where(m > 0, t, vec), kiln::where(m > 0, t.contiguous(), vec));
  same_as_contiguous(t.clamp(-1.0, 2.0), t.contiguous().clamp(-1.0, 2.0));
  same_as_contiguous(kiln::threshold_backward(m, t, 0), kiln::threshold_backward(m, t.contiguous(), 0));
  same_as_contiguous(kiln::exp(t), kiln::exp(t.contiguous()));
  Tensor out = make({3, 2}, {0, 0, 0, 0, 0, 0}, kiln::kFloat64).t();  // in place into a transposed tensor
  out.copy_(m);
  out.add_(t);
  same_as_contiguous(out.contiguous(), m + t);
}

TEST(Elementwise, ThresholdBackward) {
  // torch 1.13: torch.ops.aten.threshold_backward(g, x, t) for these g, x and t = 0 and 1.
  Tensor g = make({5}, {1.5, -2, 3, 4, NAN}, kiln::kFloat32), x = make({5}, {0.5, -1, 0, NAN, 2}, kiln::kFloat32);
  EXPECT_TRUE(matches(kiln::threshold_backward(g, x, 0), kiln::kFloat32, {5}, {1.5, 0, 0, 4, NAN}));
  EXPECT_TRUE(matches(kiln::threshold_backward(g, x, 1), kiln::kFloat32, {5}, {0, 0, 0, 4, NAN}));
  // Mixed dtypes promote and shapes broadcast, as in torch.
  Tensor r = kiln::threshold_backward(kiln::ones({2, 3}), make({3}, {-1, 0.5, 2}, kiln::kFloat64), 0);
  EXPECT_TRUE(matches(r, kiln::kFloat64, {2, 3}, {0, 1, 1, 0, 1, 1}));
  // relu's backward is this op, and so is relu's double backward's node.
  Tensor leaf = make({3}, {0.5, -1, 2}, kiln::kFloat64).requires_grad_();
  Tensor dx = kiln::autograd::grad({kiln::relu(leaf).sum()}, {leaf}, {}, std::nullopt, true)[0];
  EXPECT_TRUE(matches(dx, kiln::kFloat64, {3}, {1, 0, 1}));
  EXPECT_EQ(dx.grad_fn()->name(), "ThresholdBackwardBackward0");
}

TEST(Elementwise, Clamp) {
  Tensor x = make({5}, {-2, -0.5, 0.5, 3, NAN}, kiln::kFloat32);
  EXPECT_TRUE(matches(kiln::clamp(x, -1, 1), kiln::kFloat32, {5}, {-1, -0.5, 0.5, 1, NAN}));
  EXPECT_TRUE(matches(x.clamp(0), kiln::kFloat32, {5}, {0, 0, 0.5, 3, NAN}));
  EXPECT_TRUE(matches(x.clamp(std::nullopt, 0.0), kiln::kFloat32, {5}, {-2, -0.5, 0, 0, NAN}));
  EXPECT_TRUE(matches(x.clamp_min(0), kiln::kFloat32, {5}, {0, 0, 0.5, 3, NAN}));
  EXPECT_TRUE(matches(x.clamp_max(0), kiln::kFloat32, {5}, {-2, -0.5, 0, 0, NAN}));
  EXPECT_TRUE(matches(kiln::clamp_min(x, 0), kiln::kFloat32, {5}, {0, 0, 0.5, 3, NAN}));
  EXPECT_TRUE(matches(kiln::clamp_max(x, 0), kiln::kFloat32, {5}, {-2, -0.5, 0, 0, NAN}));
  // Tensor bounds broadcast.
  Tensor lo = make({5}, {0, 0, 1, 1, 0}, kiln::kFloat32);
  EXPECT_TRUE(matches(x.clamp(lo, std::optional<Tensor>()), kiln::kFloat32, {5}, {0, 0, 1, 3, NAN}));
  // int tensors with int bounds stay int; with a float bound they become float32.
  Tensor i = kiln::tensor({-3, 0, 9});
  EXPECT_TRUE(matches(i.clamp(-1, 5), kiln::kInt64, {3}, {-1, 0, 5}));
  EXPECT_TRUE(matches(i.clamp(0.5), kiln::kFloat32, {3}, {0.5, 0.5, 9}));
}

TEST(Elementwise, FmodRemainderAtan2) {
  Tensor x = make({4}, {5.5, -5.5, 3, -3}, kiln::kFloat32);
  EXPECT_TRUE(matches(kiln::fmod(x, 2), kiln::kFloat32, {4}, {1.5, -1.5, 1, -1}));
  EXPECT_TRUE(matches(kiln::remainder(x, 2), kiln::kFloat32, {4}, {1.5, 0.5, 1, 1}));
  EXPECT_TRUE(matches(x.fmod(-2), kiln::kFloat32, {4}, {1.5, -1.5, 1, -1}));
  EXPECT_TRUE(matches(x.remainder(-2), kiln::kFloat32, {4}, {-0.5, -1.5, -1, -1}));
  Tensor i = kiln::tensor({7, -7});
  EXPECT_TRUE(matches(kiln::fmod(i, 3), kiln::kInt64, {2}, {1, -1}));
  EXPECT_TRUE(matches(kiln::remainder(i, 3), kiln::kInt64, {2}, {1, 2}));
  EXPECT_TRUE(matches(kiln::atan2(make({2}, {1, -1}), make({2}, {-1, -1})), kiln::kFloat64, {2},
                      {std::atan2(1.0, -1.0), std::atan2(-1.0, -1.0)}));
}

TEST(Elementwise, NonContiguousAndBroadcastOperands) {
  // A transposed operand and a broadcast row: the strided paths of the loop engine.
  Tensor m = kiln::arange(12, kiln::kFloat64).reshape({3, 4});
  Tensor mt = m.t();  // [4, 3], not contiguous
  Tensor row = make({3}, {100, 200, 300});
  Tensor r = mt + row;
  std::vector<double> want;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) want.push_back(j * 4 + i + 100.0 * (j + 1));
  EXPECT_TRUE(matches(r, kiln::kFloat64, {4, 3}, want));
  // A large strided input crosses the parallel grain size.
  Tensor big = kiln::arange(200000, kiln::kFloat64).reshape({400, 500}).t();
  Tensor s = big * 2;
  EXPECT_EQ(s.sum().item<double>(), 2.0 * 199999.0 * 200000.0 / 2.0);
  EXPECT_EQ(s[3][7].item<double>(), 2.0 * (7 * 500 + 3));
  // Integer division of large int tensors is float32.
  EXPECT_EQ((kiln::arange(100000) / 2).dtype(), kiln::kFloat32);
}

TEST(Elementwise, EqualAndAllclose) {
  Tensor a = make({3}, {1, 2, 3}), b = make({3}, {1, 2, 3.0000001});
  EXPECT_TRUE(kiln::allclose(a, b));
  EXPECT_FALSE(kiln::equal(a, b));
  EXPECT_TRUE(kiln::equal(a, a.clone()));
  EXPECT_FALSE(kiln::equal(a, make({1, 3}, {1, 2, 3})));
  EXPECT_FALSE(kiln::allclose(a, make({3}, {1, 2, 3.1})));
  EXPECT_TRUE(kiln::allclose(a, make({3}, {1, 2, 3.1}), 0.1, 0));
  EXPECT_FALSE(kiln::allclose(make({1}, {NAN}), make({1}, {NAN})));
  EXPECT_TRUE(kiln::allclose(make({1}, {NAN}), make({1}, {NAN}), 1e-5, 1e-8, true));
}

}  // namespace
