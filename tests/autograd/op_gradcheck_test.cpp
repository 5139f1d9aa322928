// Every differentiable op of src/ops/pointwise.cpp, reduce.cpp and views.cpp
// checked in float64: reverse mode (gradcheck), second order (gradgradcheck)
// and forward mode (JVP against central differences), on several shapes
// including broadcasting and 0-d tensors.
#include <gtest/gtest.h>

#include "common/derivative_checks.h"
#include "kiln/kiln.h"

using namespace kiln;
using kiln::test::forward_mode_mismatch;
using kiln::test::uniform;

namespace {

using Fn = std::function<Tensor(const variable_list&)>;

struct OpCase {
  std::string name;
  Fn f;
  std::vector<std::vector<int64_t>> shapes;  // one shape per input
  double lo = -2, hi = 2;                     // input range (kept away from singular points)
  bool second_order = true;
  bool forward = true;
};

void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

class OpGradcheck : public ::testing::TestWithParam<OpCase> {};

variable_list inputs_for(const OpCase& c) {
  variable_list in;
  for (size_t i = 0; i < c.shapes.size(); ++i)
    in.push_back(uniform(IntArrayRef(c.shapes[i].data(), c.shapes[i].size()), c.lo, c.hi, 17 * i + 3));
  return in;
}

TEST_P(OpGradcheck, ReverseSecondOrderAndForward) {
  const OpCase& c = GetParam();
  variable_list in = inputs_for(c);
  try {
    autograd::gradcheck(c.f, in);
  } catch (const Error& e) {
    ADD_FAILURE() << c.name << ": " << e.what();
  }
  if (c.second_order) {
    try {
      autograd::gradgradcheck(c.f, in);
    } catch (const Error& e) {
      ADD_FAILURE() << c.name << " (second order): " << e.what();
    }
  }
  if (c.forward) {
    std::string m;
    try {
      m = forward_mode_mismatch(c.f, in);
    } catch (const Error& e) {
      m = e.what();
    }
    EXPECT_EQ(m, "") << c.name << " (forward mode)";
  }
}

using S = std::vector<std::vector<int64_t>>;
const S kUnaryShapes[] = {{{2, 3}}, {{}}, {{4}}};

std::vector<OpCase> unary_cases() {
  struct U {
    const char* name;
    Tensor (*f)(const Tensor&);
    double lo, hi;
    bool second = true;
  };
  const U us[] = {
      {"exp", exp, -2, 2},          {"log", log, 0.5, 3},          {"log1p", log1p, -0.5, 2},
      {"expm1", expm1, -2, 2},      {"log2", log2, 0.5, 3},        {"log10", log10, 0.5, 3},
      {"sqrt", sqrt, 0.5, 3},       {"rsqrt", rsqrt, 0.5, 3},      {"sin", sin, -3, 3},
      {"cos", cos, -3, 3},          {"tan", tan, -1, 1},           {"asin", asin, -0.8, 0.8},
      {"acos", acos, -0.8, 0.8},    {"atan", atan, -3, 3},         {"sinh", sinh, -2, 2},
      {"cosh", cosh, -2, 2},        {"tanh", tanh, -2, 2},         {"sigmoid", sigmoid, -3, 3},
      {"erf", erf, -2, 2},          {"erfc", erfc, -2, 2},         {"lgamma", lgamma, 0.5, 4},
      {"digamma", digamma, 0.5, 4}, {"erfinv", erfinv, -0.9, 0.9},
      {"reciprocal", reciprocal, 0.5, 2}, {"softplus", [](const Tensor& x) { return softplus(x); }, -3, 3}, {"abs", abs, 0.2, 2},
      {"abs_negative", abs, -2, -0.2}, {"neg", neg, -2, 2},        {"square", square, -2, 2},
      {"relu", relu, 0.2, 2},       {"relu_negative", relu, -2, -0.2}, {"frac", frac, 0.1, 0.9},
      {"sign", sign, 0.2, 2},       {"floor", floor, 0.1, 0.9},    {"ceil", ceil, 0.1, 0.9},
      {"round", round, 0.1, 0.4},   {"trunc", trunc, 0.1, 0.9},
  };
  std::vector<OpCase> cases;
  for (const U& u : us)
    for (size_t s = 0; s < std::size(kUnaryShapes); ++s) {
      auto f = u.f;
      cases.push_back({std::string(u.name) + "_shape" + std::to_string(s),
                       [f](const variable_list& v) { return f(v[0]); }, kUnaryShapes[s], u.lo, u.hi, u.second});
    }
  return cases;
}

// Broadcasting pairs: same shape, row vector, column x row, 0-d with matrix.
const S kBinaryShapes[] = {{{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{2, 1}, {1, 3}}, {{}, {2, 3}}, {{}, {}}};

std::vector<OpCase> binary_cases() {
  struct B {
    const char* name;
    Fn f;
    double lo, hi;
  };
  const B bs[] = {
      {"add", [](const variable_list& v) { return v[0] + v[1]; }, -2, 2},
      {"add_alpha", [](const variable_list& v) { return add(v[0], v[1], 2.5); }, -2, 2},
      {"sub", [](const variable_list& v) { return v[0] - v[1]; }, -2, 2},
      {"sub_alpha", [](const variable_list& v) { return sub(v[0], v[1], -1.5); }, -2, 2},
      {"mul", [](const variable_list& v) { return v[0] * v[1]; }, -2, 2},
      {"div", [](const variable_list& v) { return v[0] / v[1]; }, 0.5, 2},
      {"pow", [](const variable_list& v) { return pow(v[0], v[1]); }, 0.5, 2},
      {"maximum", [](const variable_list& v) { return maximum(v[0], v[1] + 0.01); }, -2, 2},
      {"minimum", [](const variable_list& v) { return minimum(v[0], v[1] + 0.01); }, -2, 2},
      {"atan2", [](const variable_list& v) { return atan2(v[0], v[1]); }, 0.3, 2},
      {"xlogy", [](const variable_list& v) { return xlogy(v[0], v[1]); }, 0.5, 2},
      {"where", [](const variable_list& v) { return where(v[0] > 0, v[0], v[1]); }, -2, 2},
      {"threshold_backward", [](const variable_list& v) { return threshold_backward(v[0], v[1], 0.3); }, -2, 2},
      {"clamp_tensor", [](const variable_list& v) { return v[0].clamp(v[1] - 3, v[1] + 0.5); }, -2, 2},
  };
  std::vector<OpCase> cases;
  for (const B& b : bs)
    for (size_t s = 0; s < std::size(kBinaryShapes); ++s)
      cases.push_back({std::string(b.name) + "_shape" + std::to_string(s), b.f, kBinaryShapes[s], b.lo, b.hi});
  return cases;
}

std::vector<OpCase> scalar_cases() {
  S one = {{2, 3}};
  return {
      {"add_scalar", [](const variable_list& v) { return v[0] + 2; }, one},
      {"scalar_add", [](const variable_list& v) { return 2 + v[0]; }, one},
      {"add_scalar_alpha", [](const variable_list& v) { return add(v[0], 2, -1.5); }, one},
      {"sub_scalar_alpha", [](const variable_list& v) { return v[0].sub(2, 0.5); }, one},
      {"scalar_mul", [](const variable_list& v) { return 2.5 * v[0]; }, one},
      {"scalar_ops_in_place",
       [](const variable_list& v) {
         Tensor y = v[0] * 1;
         y.add_(1, 2).mul_(-1.5).sub_(0.5, 3).div_(3);
         return y;
       },
       one},
      {"rsub_scalar", [](const variable_list& v) { return 2 - v[0]; }, one},
      {"rsub_alpha", [](const variable_list& v) { return rsub(v[0], 2, 3); }, one},
      {"mul_scalar", [](const variable_list& v) { return v[0] * -3; }, one},
      {"div_scalar", [](const variable_list& v) { return v[0] / 4; }, one},
      {"scalar_div", [](const variable_list& v) { return 2 / v[0]; }, one, 0.5, 2},
      {"pow_scalar", [](const variable_list& v) { return v[0].pow(2.5); }, one, 0.5, 2},
      {"pow_int", [](const variable_list& v) { return v[0].pow(3); }, one},
      {"pow_zero", [](const variable_list& v) { return v[0].pow(0); }, one},
      {"scalar_pow", [](const variable_list& v) { return pow(2.0, v[0]); }, one},
      {"fmod", [](const variable_list& v) { return fmod(v[0], 1.5); }, one, 0.1, 1.4},
      {"fmod_negative", [](const variable_list& v) { return fmod(v[0], 1.5); }, one, -1.4, -0.1},
      {"remainder", [](const variable_list& v) { return remainder(v[0], 1.5); }, one, 0.1, 1.4},
      {"remainder_negative", [](const variable_list& v) { return remainder(v[0], 1.5); }, one, -1.4, -0.1},
      {"clamp", [](const variable_list& v) { return v[0].clamp(-1.0, 1.0); }, one, -2, 2},
      {"clamp_min", [](const variable_list& v) { return v[0].clamp_min(0.5); }, one, -2, 2},
      {"clamp_max", [](const variable_list& v) { return v[0].clamp_max(0.5); }, one, -2, 2},
      {"lerp", [](const variable_list& v) { return lerp(v[0], v[1], 0.3); }, {{2, 3}, {3}}},
      {"where_scalar", [](const variable_list& v) { return where(v[0] > 0, v[0], 0.5); }, one},
      {"square_pow_mix", [](const variable_list& v) { return (v[0] * v[0]).exp() / (1 + v[0].pow(2)); }, one},
  };
}

std::vector<OpCase> reduce_cases() {
  S m = {{3, 4}};
  S cube = {{2, 3, 4}};
  S scalar = {{}};
  return {
      {"sum", [](const variable_list& v) { return v[0].sum(); }, cube},
      {"sum_0d", [](const variable_list& v) { return v[0].sum(); }, scalar},
      {"sum_dim", [](const variable_list& v) { return v[0].sum({1}); }, cube},
      {"sum_dims_keepdim", [](const variable_list& v) { return v[0].sum({0, 2}, true); }, cube},
      {"sum_negative_dim", [](const variable_list& v) { return v[0].sum({-1}); }, m},
      {"mean", [](const variable_list& v) { return v[0].mean(); }, cube},
      {"mean_dim", [](const variable_list& v) { return v[0].mean({0}); }, m},
      {"mean_dim_keepdim", [](const variable_list& v) { return v[0].mean({1}, true); }, cube},
      {"prod", [](const variable_list& v) { return v[0].prod(); }, m, 0.5, 1.5},
      {"prod_negative", [](const variable_list& v) { return v[0].prod(); }, {{5}}, -1.5, 1.5},
      {"prod_with_zero", [](const variable_list& v) { return (v[0] * (arange(4) != 1)).prod(); }, {{4}}, 0.5, 1.5},
      {"prod_with_two_zeros",
       [](const variable_list& v) { return (v[0] * tensor({0.0, 1.0, 0.0, 1.0}, kFloat64)).prod(); }, {{4}}, 0.5, 1.5},
      {"prod_dim", [](const variable_list& v) { return v[0].prod(1); }, m, 0.5, 1.5},
      {"prod_dim_keepdim", [](const variable_list& v) { return v[0].prod(0, true); }, m, 0.5, 1.5},
      {"prod_dim_with_zero",
       [](const variable_list& v) { return (v[0] * (arange(4) != 2)).prod(1); }, m, 0.5, 1.5},
      {"max", [](const variable_list& v) { return v[0].max(); }, m},
      {"min", [](const variable_list& v) { return v[0].min(); }, m},
      {"max_dim", [](const variable_list& v) { return std::get<0>(v[0].max(1)); }, m},
      {"min_dim_keepdim", [](const variable_list& v) { return std::get<0>(v[0].min(0, true)); }, m},
      {"amax", [](const variable_list& v) { return v[0].amax({1}); }, cube},
      {"amin", [](const variable_list& v) { return v[0].amin({0, 2}, true); }, cube},
      {"var", [](const variable_list& v) { return v[0].var(); }, m},
      {"var_biased_dim", [](const variable_list& v) { return v[0].var({1}, false); }, m},
      {"std", [](const variable_list& v) { return v[0].std(); }, m},
      {"std_dim_keepdim", [](const variable_list& v) { return v[0].std({0}, true, true); }, m},
      {"logsumexp", [](const variable_list& v) { return v[0].logsumexp({1}); }, m},
      {"logsumexp_keepdim", [](const variable_list& v) { return v[0].logsumexp({0, 1}, true); }, m},
      {"softmax", [](const variable_list& v) { return softmax(v[0], 1); }, m},
      {"softmax_dim0", [](const variable_list& v) { return softmax(v[0], 0); }, cube},
      {"log_softmax", [](const variable_list& v) { return log_softmax(v[0], -1); }, m},
      {"cumsum", [](const variable_list& v) { return v[0].cumsum(1); }, m},
      {"cumsum_0d", [](const variable_list& v) { return v[0].cumsum(0); }, scalar},
      {"cumprod", [](const variable_list& v) { return v[0].cumprod(1); }, m, 0.5, 1.5},
      {"cumprod_with_zero",
       [](const variable_list& v) { return (v[0] * (arange(4) != 1)).cumprod(1); }, m, 0.5, 1.5},
      {"cumprod_0d", [](const variable_list& v) { return v[0].cumprod(0); }, scalar},
      {"log_softmax_dim0", [](const variable_list& v) { return log_softmax(v[0], 0); }, cube},
      {"gelu", [](const variable_list& v) { return gelu(v[0]); }, m},
      {"gelu_tanh", [](const variable_list& v) { return gelu(v[0], "tanh"); }, m},
      {"layer_norm", [](const variable_list& v) { return layer_norm(v[0], {4}); }, m},
      {"layer_norm_affine", [](const variable_list& v) { return layer_norm(v[0], {3, 4}, v[1], v[2], 1e-3); },
       {{2, 3, 4}, {3, 4}, {3, 4}}},
      {"layer_norm_weight_only", [](const variable_list& v) { return layer_norm(v[0], {4}, v[1]); }, {{3, 4}, {4}}},
  };
}

std::vector<OpCase> view_cases() {
  S m = {{3, 4}};
  S cube = {{2, 3, 4}};
  // Each view is followed by a pointwise op so that the gradient flowing in is
  // not uniform and a wrong index mapping shows up.
  auto weigh = [](const Tensor& t) {
    return t * arange(t.numel(), kFloat64).add(1).reshape(t.sizes());
  };
  return {
      {"reshape", [weigh](const variable_list& v) { return weigh(v[0].reshape({4, 3})); }, m},
      {"reshape_noncontiguous", [weigh](const variable_list& v) { return weigh(v[0].t().reshape({12})); }, m},
      {"view", [weigh](const variable_list& v) { return weigh(v[0].view({2, 6})); }, m},
      {"view_0d", [weigh](const variable_list& v) { return weigh(v[0].view({1, 1})); }, {{}}},
      {"flatten", [weigh](const variable_list& v) { return weigh(v[0].flatten(1)); }, cube},
      {"unflatten", [weigh](const variable_list& v) { return weigh(v[0].unflatten(1, {2, 2})); }, m},
      {"transpose", [weigh](const variable_list& v) { return weigh(v[0].transpose(0, 2)); }, cube},
      {"t", [weigh](const variable_list& v) { return weigh(v[0].t()); }, m},
      {"mT", [weigh](const variable_list& v) { return weigh(v[0].mT()); }, cube},
      {"alias", [weigh](const variable_list& v) { return weigh(v[0].alias()); }, m},
      {"permute", [weigh](const variable_list& v) { return weigh(v[0].permute({2, 0, 1})); }, cube},
      {"movedim", [weigh](const variable_list& v) { return weigh(v[0].movedim(0, 2)); }, cube},
      {"unsqueeze", [weigh](const variable_list& v) { return weigh(v[0].unsqueeze(1)); }, m},
      {"unsqueeze_0d", [weigh](const variable_list& v) { return weigh(v[0].unsqueeze(0)); }, {{}}},
      {"squeeze", [weigh](const variable_list& v) { return weigh(v[0].squeeze()); }, {{3, 1, 4, 1}}},
      {"squeeze_dim", [weigh](const variable_list& v) { return weigh(v[0].squeeze(1)); }, {{3, 1, 4}}},
      {"expand", [weigh](const variable_list& v) { return weigh(v[0].expand({2, 3, 4})); }, {{3, 1}}},
      {"expand_0d", [weigh](const variable_list& v) { return weigh(v[0].expand({2, 2})); }, {{}}},
      {"expand_as", [weigh](const variable_list& v) { return weigh(v[0].expand_as(v[1])); }, {{4}, {3, 4}}},
      {"slice", [weigh](const variable_list& v) { return weigh(v[0].slice(1, 1, 4, 2)); }, m},
      {"slice_negative", [weigh](const variable_list& v) { return weigh(v[0].slice(0, -2)); }, m},
      {"narrow", [weigh](const variable_list& v) { return weigh(v[0].narrow(2, 1, 2)); }, cube},
      {"select", [weigh](const variable_list& v) { return weigh(v[0].select(1, 2)); }, cube},
      {"select_negative", [weigh](const variable_list& v) { return weigh(v[0][-1]); }, m},
      {"diagonal", [weigh](const variable_list& v) { return weigh(v[0].diagonal()); }, m},
      {"diagonal_offset", [weigh](const variable_list& v) { return weigh(v[0].diagonal(1)); }, m},
      {"diagonal_negative_offset_dims",
       [weigh](const variable_list& v) { return weigh(v[0].diagonal(-1, 1, 2)); }, cube},
      {"split_part", [weigh](const variable_list& v) { return weigh(v[0].split(3, 1)[1]); }, m},
      {"split_sizes", [weigh](const variable_list& v) { return weigh(v[0].split({1, 3}, 1)[1]); }, m},
      {"chunk_part", [weigh](const variable_list& v) { return weigh(v[0].chunk(2, 0)[1]); }, {{5, 2}}},
      {"unbind_part", [weigh](const variable_list& v) { return weigh(v[0].unbind(1)[2]); }, m},
      {"view_of_view", [weigh](const variable_list& v) { return weigh(v[0].t().select(0, 1).unsqueeze(0)); }, m},
      {"views_summed", [](const variable_list& v) { return v[0].select(0, 0) * v[0].select(0, 1) + v[0].t()[1]; },
       {{3, 3}}},
  };
}

std::string case_name(const ::testing::TestParamInfo<OpCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Unary, OpGradcheck, ::testing::ValuesIn(unary_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Binary, OpGradcheck, ::testing::ValuesIn(binary_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Scalar, OpGradcheck, ::testing::ValuesIn(scalar_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Reduce, OpGradcheck, ::testing::ValuesIn(reduce_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(View, OpGradcheck, ::testing::ValuesIn(view_cases()), case_name);

// Ops returning several tensors: every part differentiated together.
TEST(OpGradcheckMulti, SplitChunkUnbindAndMaxIndices) {
  Tensor x = uniform({4, 3}, -2, 2, 5);
  EXPECT_TRUE(autograd::gradcheck([](const variable_list& v) { return v[0].split(1, 0); }, {x}));
  EXPECT_TRUE(autograd::gradcheck([](const variable_list& v) { return v[0].chunk(3, 1); }, {x}));
  EXPECT_TRUE(autograd::gradcheck([](const variable_list& v) { return v[0].unbind(1); }, {x}));
  EXPECT_TRUE(autograd::gradcheck(
      [](const variable_list& v) {
        auto [values, indices] = v[0].max(0);
        return variable_list{values, indices};
      },
      {x}));
}

TEST(OpGradcheckMulti, DigammaBackwardIsTrigamma) {
  Tensor x = uniform({3}, 0.5, 2, 1);
  digamma(x).sum().backward();
  EXPECT_TRUE(allclose(x.grad(), polygamma(1, x.detach()), 0, 0));
}

}  // namespace
