// kiln's values and gradients against PyTorch's, case by case, from
// tests/data/autograd_golden.txt (written by tools/golden/gen_autograd.py;
// the format is described there).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "kiln/kiln.h"

using namespace kiln;

namespace {

using Fn = std::function<Tensor(const variable_list&)>;

Fn un(Tensor (*f)(const Tensor&)) {
  return [f](const variable_list& v) { return f(v[0]); };
}

// The same names as the tables in gen_autograd.py.
const std::map<std::string, Fn>& ops() {
  static const std::map<std::string, Fn> table = {
      // unary and tensor-scalar
      {"exp", un(exp)}, {"log", un(log)}, {"log1p", un(log1p)}, {"expm1", un(expm1)}, {"log2", un(log2)},
      {"log10", un(log10)}, {"sqrt", un(sqrt)}, {"rsqrt", un(rsqrt)}, {"sin", un(sin)}, {"cos", un(cos)},
      {"tan", un(tan)}, {"asin", un(asin)}, {"acos", un(acos)}, {"atan", un(atan)}, {"sinh", un(sinh)},
      {"cosh", un(cosh)}, {"tanh", un(tanh)}, {"sigmoid", un(sigmoid)}, {"erf", un(erf)}, {"erfc", un(erfc)},
      {"lgamma", un(lgamma)}, {"reciprocal", un(reciprocal)}, {"softplus", un([](const Tensor& x) { return softplus(x); })}, {"abs", un(abs)},
      {"neg", un(neg)}, {"square", un(square)}, {"relu", un(relu)}, {"frac", un(frac)}, {"floor", un(floor)},
      {"sign", un(sign)},
      {"clamp", [](const variable_list& v) { return v[0].clamp(-0.5, 0.5); }},
      {"add_scalar", [](const variable_list& v) { return v[0] + 2; }},
      {"rsub_scalar", [](const variable_list& v) { return 2 - v[0]; }},
      {"mul_scalar", [](const variable_list& v) { return v[0] * -3; }},
      {"div_scalar", [](const variable_list& v) { return v[0] / 4; }},
      {"scalar_div", [](const variable_list& v) { return 2 / v[0]; }},
      {"pow_scalar", [](const variable_list& v) { return v[0].pow(2.5); }},
      {"pow_int", [](const variable_list& v) { return v[0].pow(3); }},
      {"scalar_pow", [](const variable_list& v) { return pow(2.0, v[0]); }},
      {"fmod", [](const variable_list& v) { return fmod(v[0], 1.5); }},
      {"remainder", [](const variable_list& v) { return remainder(v[0], 1.5); }},
      // binary
      {"add", [](const variable_list& v) { return v[0] + v[1]; }},
      {"add_alpha", [](const variable_list& v) { return add(v[0], v[1], 2.5); }},
      {"sub", [](const variable_list& v) { return v[0] - v[1]; }},
      {"mul", [](const variable_list& v) { return v[0] * v[1]; }},
      {"div", [](const variable_list& v) { return v[0] / v[1]; }},
      {"pow", [](const variable_list& v) { return pow(v[0], v[1]); }},
      {"maximum", [](const variable_list& v) { return maximum(v[0], v[1]); }},
      {"minimum", [](const variable_list& v) { return minimum(v[0], v[1]); }},
      {"atan2", [](const variable_list& v) { return atan2(v[0], v[1]); }},
      {"xlogy", [](const variable_list& v) { return xlogy(v[0], v[1]); }},
      {"where", [](const variable_list& v) { return where(v[0] > 0, v[0], v[1]); }},
      {"lerp", [](const variable_list& v) { return lerp(v[0], v[1], 0.3); }},
      // reductions
      {"sum", [](const variable_list& v) { return v[0].sum(); }},
      {"sum_d1", [](const variable_list& v) { return v[0].sum({1}); }},
      {"sum_d0_keep", [](const variable_list& v) { return v[0].sum({0}, true); }},
      {"sum_d02", [](const variable_list& v) { return v[0].sum({0, 2}); }},
      {"mean", [](const variable_list& v) { return v[0].mean(); }},
      {"mean_d1", [](const variable_list& v) { return v[0].mean({1}); }},
      {"prod", [](const variable_list& v) { return v[0].prod(); }},
      {"prod_d1", [](const variable_list& v) { return v[0].prod(1); }},
      {"max", [](const variable_list& v) { return v[0].max(); }},
      {"min", [](const variable_list& v) { return v[0].min(); }},
      {"max_d1", [](const variable_list& v) { return std::get<0>(v[0].max(1)); }},
      {"min_d0_keep", [](const variable_list& v) { return std::get<0>(v[0].min(0, true)); }},
      {"amax_d1", [](const variable_list& v) { return v[0].amax({1}); }},
      {"amin_d02", [](const variable_list& v) { return v[0].amin({0, 2}); }},
      {"var", [](const variable_list& v) { return v[0].var(); }},
      {"var_d1", [](const variable_list& v) { return v[0].var({1}); }},
      {"var_d0_biased_keep", [](const variable_list& v) { return v[0].var({0}, false, true); }},
      {"std", [](const variable_list& v) { return v[0].std(); }},
      {"std_d1", [](const variable_list& v) { return v[0].std({1}); }},
      {"logsumexp_d1", [](const variable_list& v) { return v[0].logsumexp({1}); }},
      {"softmax_d1", [](const variable_list& v) { return softmax(v[0], 1); }},
      {"log_softmax_d0", [](const variable_list& v) { return log_softmax(v[0], 0); }},
      {"cumsum_d1", [](const variable_list& v) { return v[0].cumsum(1); }},
      {"cumprod_d1", [](const variable_list& v) { return v[0].cumprod(1); }},
      // views
      {"reshape_flat", [](const variable_list& v) { return v[0].reshape({-1}); }},
      {"t", [](const variable_list& v) { return v[0].t(); }},
      {"transpose_02", [](const variable_list& v) { return v[0].transpose(0, 2); }},
      {"permute_201", [](const variable_list& v) { return v[0].permute({2, 0, 1}); }},
      {"unsqueeze_1", [](const variable_list& v) { return v[0].unsqueeze(1); }},
      {"squeeze", [](const variable_list& v) { return v[0].squeeze(); }},
      {"expand_2",
       [](const variable_list& v) {
         Shape s{2};
         for (int64_t d : v[0].sizes()) s.push_back(d);
         return v[0].expand(s);
       }},
      {"narrow_1_1_2", [](const variable_list& v) { return v[0].narrow(1, 1, 2); }},
      {"select_1_2", [](const variable_list& v) { return v[0].select(1, 2); }},
      {"slice_step2", [](const variable_list& v) { return v[0].slice(-1, 1, std::nullopt, 2); }},
      {"diagonal", [](const variable_list& v) { return v[0].diagonal(); }},
      {"diagonal_1", [](const variable_list& v) { return v[0].diagonal(1); }},
      {"flatten_1", [](const variable_list& v) { return v[0].flatten(1); }},
      {"movedim_02", [](const variable_list& v) { return v[0].movedim(0, 2); }},
  };
  return table;
}

// "[2,3]:1,2,3,4,5,6" -> a float64 tensor; "none" -> undefined.
Tensor parse_tensor(const std::string& s) {
  if (s == "none") return Tensor();
  size_t colon = s.find(':');
  Shape shape;
  std::stringstream dims(s.substr(1, s.find(']') - 1));
  for (std::string d; std::getline(dims, d, ',');) shape.push_back(std::stoll(d));
  std::vector<double> values;
  std::stringstream vs(s.substr(colon + 1));
  for (std::string v; std::getline(vs, v, ',');) values.push_back(std::stod(v));
  return tensor(values, kFloat64).reshape(shape);
}

struct GoldenCase {
  std::string op;
  variable_list inputs, grads;
  Tensor out;
  std::string line;
};

std::vector<GoldenCase> load() {
  std::ifstream file(std::string(KILN_TEST_DATA) + "/autograd_golden.txt");
  std::vector<GoldenCase> cases;
  for (std::string line; std::getline(file, line);) {
    if (line.empty() || line[0] == '#') continue;
    GoldenCase c;
    c.line = line.substr(0, 80);
    std::stringstream fields(line);
    for (std::string f; fields >> f;) {
      size_t eq = f.find('=');
      std::string key = f.substr(0, eq), value = f.substr(eq + 1);
      if (key == "op") c.op = value;
      if (key == "in") c.inputs.push_back(parse_tensor(value).requires_grad_());
      if (key == "out") c.out = parse_tensor(value);
      if (key == "grad") c.grads.push_back(parse_tensor(value));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

bool close(const Tensor& got, const Tensor& want, double rtol, double atol) {
  return got.sizes() == want.sizes() && allclose(got.detach(), want, rtol, atol);
}

}  // namespace

TEST(AutogradGolden, ValuesAndGradientsMatchPyTorch) {
  std::vector<GoldenCase> cases = load();
  ASSERT_GE(cases.size(), 200u) << "tests/data/autograd_golden.txt missing or short";
  int failures = 0;
  for (GoldenCase& c : cases) {
    auto it = ops().find(c.op);
    if (it == ops().end()) {
      ADD_FAILURE() << "unknown op in golden file: " << c.op;
      continue;
    }
    try {
      Tensor out = it->second(c.inputs);
      bool ok = close(out, c.out, 1e-9, 1e-12);
      EXPECT_TRUE(ok) << c.line << "\n kiln: " << out << "\n torch: " << c.out;
      Tensor w = (1 + arange(out.numel(), kFloat64) / 10).reshape(out.sizes());
      variable_list g = autograd::grad({(out * w).sum()}, c.inputs, {}, std::nullopt, false, true);
      for (size_t i = 0; i < g.size(); ++i) {
        Tensor want = c.grads[i].defined() ? c.grads[i] : zeros_like(c.inputs[i]);
        Tensor got = g[i].defined() ? g[i] : zeros_like(c.inputs[i]);
        bool gok = close(got, want, 1e-8, 1e-10);
        ok = ok && gok;
        EXPECT_TRUE(gok) << c.line << "\n grad " << i << " kiln: " << got << "\n torch: " << want;
      }
      failures += !ok;
    } catch (const Error& e) {
      ++failures;
      ADD_FAILURE() << c.line << ": " << e.what();
    }
  }
  EXPECT_EQ(failures, 0) << "of " << cases.size() << " cases";
}
