// sort, argsort and topk: values and indices against torch (ties, NaN,
// descending, non-contiguous inputs), their gradients, and bad input.
#include "linalg/oracle.h"

namespace {
using kiln::Tensor;
using linalg_test::torch_eval;

// Same shape and values, NaN equal to NaN.
void expect_same(const Tensor& actual, const Tensor& expected, const char* what) {
  ASSERT_EQ(actual.sizes().vec(), expected.sizes().vec()) << what;
  EXPECT_TRUE(kiln::isclose(actual.to(kiln::kFloat64), expected.to(kiln::kFloat64), 0, 0, true).all().item<bool>())
      << what << "\n" << actual << "\n" << expected;
}

// A [3, 5] input with ties and a NaN, read transposed (non-contiguous) when asked.
Tensor input(bool transposed) {
  Tensor x = kiln::tensor({{3., 1., 2., 1., 5.}, {0., -1., double(NAN), 4., -1.}, {2., 2., 2., 7., 1.}}, kiln::kFloat64);
  return transposed ? x.t().contiguous().t() : x;
}
const char* kInput = "x = torch.tensor([[3., 1., 2., 1., 5.], [0., -1., float('nan'), 4., -1.], [2., 2., 2., 7., 1.]])\n";

TEST(Sort, MatchesTorchAlongEachDimBothOrders) {
  for (bool transposed : {false, true})
    for (int64_t dim : {0, 1, -1})
      for (bool descending : {false, true}) {
        auto [values, indices] = kiln::sort(input(transposed), dim, descending);
        std::string d = std::to_string(dim), desc = descending ? "True" : "False";
        auto ref = torch_eval(std::string(kInput) + "v, i = torch.sort(x, dim=" + d + ", descending=" + desc +
                              ", stable=True)\nout += [v, i]\n");
        EXPECT_EQ(indices.dtype(), kiln::kInt64);
        expect_same(indices, ref[1], "indices");
        expect_same(values, ref[0], "values");
        EXPECT_TRUE(kiln::equal(kiln::argsort(input(transposed), dim, descending), indices));
      }
}

// Lines of a permuted 4-d tensor (strided on every dim): the same order as its contiguous copy, values
// ascending along the dim, indices that gather them; topk's first k agree.
TEST(Sort, PermutedHigherRankInputs) {
  kiln::manual_seed(5);
  Tensor x = kiln::randint(0, 6, {3, 4, 5, 2}, kiln::kFloat64).permute({2, 0, 3, 1});  // ties included
  for (int64_t dim = 0; dim < 4; ++dim) {
    auto [v, i] = kiln::sort(x, dim);
    auto [vc, ic] = kiln::sort(x.contiguous(), dim);
    EXPECT_TRUE(kiln::equal(v, vc) && kiln::equal(i, ic)) << dim;
    int64_t n = x.size(dim);
    EXPECT_TRUE((v.narrow(dim, 1, n - 1) >= v.narrow(dim, 0, n - 1)).all().item<bool>()) << dim;
    EXPECT_TRUE(kiln::equal(x.gather(dim, i), v)) << dim;
    auto [tv, ti] = kiln::topk(x, 2, dim, false);
    EXPECT_TRUE(kiln::equal(tv, v.narrow(dim, 0, 2))) << dim;
  }
}

TEST(Sort, MethodsAndIntegerAndEmptyInputs) {
  Tensor x = kiln::tensor({4, -2, 9, 0});
  auto [v, i] = x.sort();
  EXPECT_TRUE(kiln::equal(v, kiln::tensor({-2, 0, 4, 9})));
  EXPECT_TRUE(kiln::equal(i, kiln::tensor(std::vector<int64_t>{1, 3, 0, 2})));
  EXPECT_TRUE(kiln::equal(x.argsort(0, true), kiln::tensor(std::vector<int64_t>{2, 0, 3, 1})));
  EXPECT_TRUE(kiln::equal(std::get<1>(x.sort(std::optional<bool>(true), 0, false)), i));
  auto [ev, ei] = kiln::sort(kiln::empty({0, 3}), 0);
  EXPECT_EQ(ev.sizes().vec(), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(ei.sizes().vec(), (std::vector<int64_t>{0, 3}));
  auto [sv, si] = kiln::sort(kiln::tensor(2.5));
  EXPECT_EQ(sv.item<double>(), 2.5);
  EXPECT_EQ(si.item<int64_t>(), 0);
}

TEST(TopK, MatchesTorch) {
  for (bool largest : {true, false})
    for (int64_t k : {0, 1, 3}) {
      auto [values, indices] = kiln::topk(input(true), k, 1, largest);
      auto ref = torch_eval(std::string(kInput) + "v, i = torch.topk(x, " + std::to_string(k) + ", dim=1, largest=" +
                            (largest ? "True" : "False") + ")\nout += [v]\n");
      expect_same(values, ref[0], "values");
      expect_same(values, input(false).gather(1, indices), "gathered");
    }
  EXPECT_TRUE(kiln::equal(std::get<0>(kiln::tensor({1, 5, 3}).topk(2)), kiln::tensor({5, 3})));
}

TEST(SortTopK, GradientsMatchGradcheck) {
  Tensor x = kiln::randn({3, 4}, kiln::kFloat64).requires_grad_();
  for (int64_t dim : {0, 1}) {
    EXPECT_TRUE(kiln::autograd::gradcheck(
        [dim](const kiln::variable_list& in) { return std::get<0>(kiln::sort(in[0], dim, true)); }, {x}));
    EXPECT_TRUE(kiln::autograd::gradgradcheck(
        [dim](const kiln::variable_list& in) { return std::get<0>(kiln::sort(in[0], dim)); }, {x}));
    EXPECT_TRUE(kiln::autograd::gradcheck(
        [dim](const kiln::variable_list& in) { return std::get<0>(kiln::topk(in[0], 2, dim)); }, {x}));
  }
  // The gradient goes back to where each value came from.
  Tensor y = kiln::tensor({3., 1., 2.}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  (std::get<0>(y.topk(2)) * kiln::tensor({10., 1.}, kiln::kFloat64)).sum().backward();
  EXPECT_TRUE(kiln::equal(y.grad(), kiln::tensor({10., 0., 1.}, kiln::kFloat64)));
}

TEST(SortTopK, BadInputNamesTheOp) {
  Tensor x = kiln::zeros({2, 3});
  kiln_test::expect_error([&] { kiln::sort(x, 2); }, {"sort", "dimension out of range"});
  kiln_test::expect_error([&] { kiln::argsort(x, -3); }, {"argsort", "dimension out of range"});
  kiln_test::expect_error([&] { kiln::topk(x, 4, 1); }, {"topk", "k out of range"});
  kiln_test::expect_error([&] { kiln::topk(x, -1); }, {"topk", "k out of range"});
  kiln_test::expect_error([&] { kiln::sort(Tensor()); }, {"sort", "undefined"});
}

}  // namespace
