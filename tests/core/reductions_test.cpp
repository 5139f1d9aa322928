// Reductions: every reduction on every dtype, dim list (negative dims too),
// keepdim, 0-d and empty inputs against libtorch 1.13 (golden_reduce.h),
// plus the API's spellings and gradient-free details (ties, NaN, indices).
#include <sstream>

#include "golden_reduce.h"
#include "test_util.h"

namespace {

using namespace core_test;
using kiln::Tensor;

Tensor reduce_input(const std::string& name, kiln::ScalarType t) {
  for (const golden::ReduceInput& in : golden::kReduceInputs)
    if (name == in.name) {
      std::vector<int64_t> shape = golden::ints(golden::kReducePool, in.shape);
      if (t == kiln::kBool) return make(shape, golden::doubles(golden::kReducePool, in.bool_values)).to(kiln::kBool);
      return make(shape, golden::doubles(golden::kReducePool, in.values)).to(t);
    }
  throw std::runtime_error("no golden input " + name);
}

// Runs one golden row; the second tensor is max/min's indices when present.
std::pair<Tensor, Tensor> run(const golden::ReduceCase& c, const Tensor& x) {
  const std::string op = c.op;
  std::vector<int64_t> dim_list = golden::ints(golden::kReducePool, c.dims);
  kiln::IntArrayRef dims(dim_list);
  bool kd = c.keepdim;
  if (!c.has_dims) {
    if (op == "sum") return {x.sum(), {}};
    if (op == "mean") return {x.mean(), {}};
    if (op == "prod") return {x.prod(), {}};
    if (op == "max") return {x.max(), {}};
    if (op == "min") return {x.min(), {}};
    if (op == "amax") return {x.amax({}, kd), {}};
    if (op == "amin") return {x.amin({}, kd), {}};
    if (op == "argmax") return {x.argmax(std::nullopt, kd), {}};
    if (op == "argmin") return {x.argmin(std::nullopt, kd), {}};
    if (op == "var") return {x.var(), {}};
    if (op == "std") return {x.std(), {}};
    if (op == "var_biased") return {x.var(false), {}};
    if (op == "std_biased") return {x.std(false), {}};
    if (op == "all") return {x.all(), {}};
    if (op == "any") return {x.any(), {}};
    if (op == "count_nonzero") return {x.count_nonzero(), {}};
  } else {
    if (op == "sum") return {x.sum(dims, kd), {}};
    if (op == "mean") return {x.mean(dims, kd), {}};
    if (op == "amax") return {x.amax(dims, kd), {}};
    if (op == "amin") return {x.amin(dims, kd), {}};
    if (op == "var") return {x.var(dims, true, kd), {}};
    if (op == "std") return {x.std(dims, true, kd), {}};
    if (op == "var_biased") return {x.var(dims, false, kd), {}};
    if (op == "std_biased") return {x.std(dims, false, kd), {}};
    if (op == "logsumexp") return {x.logsumexp(dims, kd), {}};
    int64_t d = dim_list.at(0);
    if (op == "max") {
      auto [v, i] = x.max(d, kd);
      return {v, i};
    }
    if (op == "min") {
      auto [v, i] = x.min(d, kd);
      return {v, i};
    }
    if (op == "prod") return {x.prod(d, kd), {}};
    if (op == "argmax") return {x.argmax(d, kd), {}};
    if (op == "argmin") return {x.argmin(d, kd), {}};
    if (op == "all") return {x.all(d, kd), {}};
    if (op == "any") return {x.any(d, kd), {}};
    if (op == "cumsum") return {x.cumsum(d), {}};
    if (op == "cumprod") return {x.cumprod(d), {}};
  }
  throw std::runtime_error("test has no call for " + op);
}

TEST(Reductions, EveryReductionMatchesLibtorch) {
  int checked = 0;
  for (const golden::ReduceCase& c : golden::kReduceCases) {
    std::ostringstream label;
    label << c.op << "(" << c.input << " as " << dtype_label(c.dtype_in);
    if (c.has_dims) label << ", dims " << kiln::IntArrayRef(golden::ints(golden::kReducePool, c.dims));
    label << ", keepdim " << c.keepdim << ")";
    SCOPED_TRACE(label.str());
    Tensor x = reduce_input(c.input, c.dtype_in);
    if (c.error) {
      EXPECT_TRUE(throws_error([&] { run(c, x); }, {}));
      continue;
    }
    std::pair<Tensor, Tensor> r;
    try {
      r = run(c, x);
    } catch (const kiln::Error& e) {
      ADD_FAILURE() << "unexpected error: " << e.what();
      continue;
    }
    // Float32 sums accumulate in a different order than libtorch's.
    std::vector<int64_t> shape = golden::ints(golden::kReducePool, c.shape);
    EXPECT_TRUE(matches(r.first, c.dtype, shape, golden::doubles(golden::kReducePool, c.values), 1e-5));
    if (c.indices.size > 0 || r.second.defined()) {
      ASSERT_TRUE(r.second.defined());
      EXPECT_TRUE(matches(r.second, kiln::kInt64, shape, golden::doubles(golden::kReducePool, c.indices)));
    }
    ++checked;
  }
  EXPECT_GT(checked, 2000);
}

TEST(Reductions, FreeFunctionsMatchMethods) {
  Tensor x = make({2, 3}, {1, 5, 2, 4, 3, 6}, kiln::kFloat32);
  EXPECT_TRUE(kiln::equal(kiln::sum(x), x.sum()));
  EXPECT_TRUE(kiln::equal(kiln::sum(x, {1}, true), x.sum({1}, true)));
  EXPECT_TRUE(kiln::equal(kiln::mean(x, {0}), x.mean({0})));
  EXPECT_TRUE(kiln::equal(kiln::prod(x, 1), x.prod(1)));
  EXPECT_TRUE(kiln::equal(kiln::max(x), x.max()));
  EXPECT_TRUE(kiln::equal(kiln::min(x), x.min()));
  EXPECT_TRUE(kiln::equal(std::get<1>(kiln::max(x, 1)), std::get<1>(x.max(1))));
  EXPECT_TRUE(kiln::equal(kiln::argmax(x), x.argmax()));
  EXPECT_TRUE(kiln::equal(kiln::argmin(x, 0), x.argmin(0)));
  EXPECT_TRUE(kiln::equal(kiln::var(x), x.var()));
  EXPECT_TRUE(kiln::equal(kiln::std(x, {1}, false, true), x.std({1}, false, true)));
  EXPECT_TRUE(kiln::equal(kiln::logsumexp(x, {1}), x.logsumexp({1})));
  EXPECT_TRUE(kiln::equal(kiln::all(x), x.all()));
  EXPECT_TRUE(kiln::equal(kiln::any(x, 0), x.any(0)));
  EXPECT_TRUE(kiln::equal(kiln::amax(x, {0}), x.amax({0})));
  EXPECT_TRUE(kiln::equal(kiln::count_nonzero(x), x.count_nonzero()));
}

TEST(Reductions, SumDtypes) {
  // Integer and bool sums are int64; a dtype argument converts first.
  EXPECT_EQ(kiln::ones({3}, kiln::kInt32).sum().dtype(), kiln::kInt64);
  EXPECT_EQ(kiln::ones({3}, kiln::kBool).sum().dtype(), kiln::kInt64);
  EXPECT_EQ(kiln::ones({3}, kiln::kFloat32).sum().dtype(), kiln::kFloat32);
  EXPECT_TRUE(matches(kiln::ones({3}, kiln::kInt32).sum(kiln::kFloat64), kiln::kFloat64, {}, {3}));
  EXPECT_TRUE(matches(make({2, 2}, {1, 2, 3, 4}).sum({0}, false, kiln::kFloat32), kiln::kFloat32, {2}, {4, 6}));
  EXPECT_TRUE(matches(kiln::tensor({1, 2, 3}).mean(kiln::kFloat64), kiln::kFloat64, {}, {2}));
  EXPECT_TRUE(matches(kiln::tensor({1, 2, 3}).prod(kiln::kFloat32), kiln::kFloat32, {}, {6}));
  // The sum of many float32 values stays accurate (accumulated in higher precision).
  EXPECT_NEAR(kiln::full({1000000}, 0.1, kiln::kFloat32).sum().item<double>(), 100000.0, 0.5);
}

TEST(Reductions, SumOverSeveralDimsBraced) {
  Tensor a = kiln::arange(24, kiln::kFloat32).reshape({2, 3, 4});
  EXPECT_TRUE(matches(a.sum({0, 2}), kiln::kFloat32, {3}, {60, 92, 124}));
  EXPECT_TRUE(matches(a.sum({-1, 0}, true), kiln::kFloat32, {1, 3, 1}, {60, 92, 124}));
  EXPECT_TRUE(matches(a.sum({0, 1, 2}), kiln::kFloat32, {}, {276}));
  // A non-contiguous input (the permuted strides take the generic path).
  Tensor p = a.permute({2, 0, 1});
  EXPECT_TRUE(matches(p.sum({1}), kiln::kFloat32, {4, 3}, values_of(a.sum({0}).t())));
  EXPECT_TRUE(matches(p.sum({2}), kiln::kFloat32, {4, 2}, values_of(a.sum({1}).t())));
}

TEST(Reductions, LargeInputsInParallel) {
  // Big enough to be split across threads in every reduction layout.
  Tensor x = kiln::arange(300000, kiln::kFloat64).reshape({300, 1000});
  double total = 299999.0 * 300000.0 / 2.0;
  EXPECT_DOUBLE_EQ(x.sum().item<double>(), total);
  EXPECT_DOUBLE_EQ(x.sum({0}).sum().item<double>(), total);
  EXPECT_DOUBLE_EQ(x.sum({1}).sum().item<double>(), total);
  EXPECT_DOUBLE_EQ(x.t().sum({0}).sum().item<double>(), total);
  EXPECT_DOUBLE_EQ(x.sum({0})[7].item<double>(), 7 * 300 + 1000.0 * 299 * 300 / 2);
  EXPECT_DOUBLE_EQ(x.max().item<double>(), 299999.0);
  EXPECT_EQ(x.argmax().item<int64_t>(), 299999);
  EXPECT_EQ(std::get<1>(x.min(1))[5].item<int64_t>(), 0);
}

TEST(Reductions, MaxMinIndicesPickFirstOccurrence) {
  Tensor x = make({2, 4}, {3, 9, 9, 1, 2, 2, 0, 0});
  auto [v, i] = x.max(1);
  EXPECT_TRUE(matches(v, kiln::kFloat64, {2}, {9, 2}));
  EXPECT_TRUE(matches(i, kiln::kInt64, {2}, {1, 0}));
  auto [v2, i2] = x.min(-1, true);
  EXPECT_TRUE(matches(v2, kiln::kFloat64, {2, 1}, {1, 0}));
  EXPECT_TRUE(matches(i2, kiln::kInt64, {2, 1}, {3, 2}));
  // A NaN wins max and min, and argmax points at it.
  Tensor n = make({4}, {1, NAN, 7, NAN});
  EXPECT_TRUE(std::isnan(n.max().item<double>()));
  EXPECT_TRUE(std::isnan(n.min().item<double>()));
  EXPECT_EQ(n.argmax().item<int64_t>(), 1);
  EXPECT_EQ(n.argmin().item<int64_t>(), 1);
}

TEST(Reductions, ZeroDimInputs) {
  Tensor s = kiln::tensor(2.5);
  EXPECT_TRUE(matches(s.sum(), kiln::kFloat32, {}, {2.5}));
  EXPECT_TRUE(matches(s.sum({0}), kiln::kFloat32, {}, {2.5}));
  EXPECT_TRUE(matches(s.sum({-1}, true), kiln::kFloat32, {}, {2.5}));
  EXPECT_TRUE(matches(s.mean(), kiln::kFloat32, {}, {2.5}));
  EXPECT_TRUE(matches(std::get<0>(s.max(0)), kiln::kFloat32, {}, {2.5}));
  EXPECT_TRUE(matches(std::get<1>(s.max(0)), kiln::kInt64, {}, {0}));
  EXPECT_TRUE(matches(s.argmax(0), kiln::kInt64, {}, {0}));
  EXPECT_TRUE(matches(s.cumsum(0), kiln::kFloat32, {}, {2.5}));
  EXPECT_TRUE(matches(s.prod(0), kiln::kFloat32, {}, {2.5}));
  EXPECT_TRUE(std::isnan(s.var().item<double>()));  // one sample: unbiased variance undefined
  EXPECT_TRUE(matches(s.var(false), kiln::kFloat32, {}, {0}));
}

TEST(Reductions, EmptyInputs) {
  Tensor e = kiln::zeros({0, 3});
  EXPECT_TRUE(matches(e.sum(), kiln::kFloat32, {}, {0}));
  EXPECT_TRUE(matches(e.sum({0}), kiln::kFloat32, {3}, {0, 0, 0}));
  EXPECT_TRUE(matches(e.sum({1}), kiln::kFloat32, {0}, {}));
  EXPECT_TRUE(matches(e.prod(), kiln::kFloat32, {}, {1}));
  EXPECT_TRUE(std::isnan(e.mean().item<double>()));
  EXPECT_TRUE(matches(e.amax({1}), kiln::kFloat32, {0}, {}));
  EXPECT_TRUE(matches(e.all(), kiln::kBool, {}, {1}));
  EXPECT_TRUE(matches(e.any(), kiln::kBool, {}, {0}));
  EXPECT_TRUE(matches(e.logsumexp({0}), kiln::kFloat32, {3}, {-INFINITY, -INFINITY, -INFINITY}));
  EXPECT_TRUE(matches(e.cumsum(1), kiln::kFloat32, {0, 3}, {}));
  EXPECT_TRUE(throws_error([&] { e.max(); }, {"max", "numel() == 0"}));
  EXPECT_TRUE(throws_error([&] { e.amax({0}); }, {"amax", "non-zero size"}));
  EXPECT_TRUE(throws_error([&] { e.argmax(0); }, {"argmax", "non-zero size"}));
  EXPECT_TRUE(throws_error([&] { e.max(0); }, {"max", "non-zero size"}));
}

TEST(Reductions, VarStdLogsumexpValues) {
  Tensor x = make({2, 3}, {1, 2, 4, 3, 3, 9});
  EXPECT_TRUE(matches(x.var(), kiln::kFloat64, {}, {7.866666666666667}));
  EXPECT_TRUE(matches(x.var(false), kiln::kFloat64, {}, {6.555555555555556}));
  // NOTE: libtorch reads x.var({1}) as dims; kiln's var(bool) overload takes it as unbiased=true.
  EXPECT_TRUE(matches(x.var({1}, true), kiln::kFloat64, {2}, {2.333333333333333, 12.0}));
  EXPECT_TRUE(matches(x.std({0}, true, true), kiln::kFloat64, {1, 3},
                      {1.4142135623730951, 0.7071067811865476, 3.5355339059327378}));
  EXPECT_TRUE(matches(x.logsumexp({1}), kiln::kFloat64, {2}, {4.169846019556286, 9.004945256391496}));
  // logsumexp stays finite for huge inputs and handles -inf rows.
  Tensor big = make({2, 2}, {1000, 1000, -INFINITY, -INFINITY});
  EXPECT_TRUE(matches(big.logsumexp({1}), kiln::kFloat64, {2}, {1000 + std::log(2.0), -INFINITY}));
  // logsumexp of an int tensor is float32.
  EXPECT_EQ(kiln::tensor({1, 2}).logsumexp({0}).dtype(), kiln::kFloat32);
}

TEST(Reductions, AllAnyCountNonzero) {
  Tensor b = kiln::tensor({{true, false}, {true, true}});
  EXPECT_FALSE(b.all().item<bool>());
  EXPECT_TRUE(b.any().item<bool>());
  EXPECT_TRUE(matches(b.all(0), kiln::kBool, {2}, {1, 0}));
  EXPECT_TRUE(matches(b.any(1, true), kiln::kBool, {2, 1}, {1, 1}));
  EXPECT_TRUE(matches(b.all(-1), kiln::kBool, {2}, {0, 1}));
  Tensor f = make({3}, {0, NAN, -2}, kiln::kFloat32);
  EXPECT_FALSE(f.all().item<bool>());
  EXPECT_TRUE(f.any().item<bool>());
  EXPECT_EQ(f.all().dtype(), kiln::kBool);
  EXPECT_TRUE(matches(f.count_nonzero(), kiln::kInt64, {}, {2}));
}

TEST(Reductions, NormIfAvailable) {
  Tensor x = make({2, 2}, {3, -4, 0, 0}, kiln::kFloat32);
  try {
    EXPECT_TRUE(matches(x.norm(), kiln::kFloat32, {}, {5}));
    EXPECT_TRUE(matches(x.norm(1), kiln::kFloat32, {}, {7}));
    EXPECT_TRUE(matches(kiln::ones({4, 9}).norm(), kiln::kFloat32, {}, {6}));
  } catch (const kiln::Error& e) {
    GTEST_SKIP() << "norm is another helper's: " << e.what();
  }
}

}  // namespace
