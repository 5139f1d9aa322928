// kiln::special against scipy and mpmath (run through /usr/bin/python3 at
// test time; a missing oracle fails the test), derivatives by gradcheck.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "common/derivative_checks.h"
#include "common/expect_error.h"
#include "linalg/oracle.h"

namespace {

using namespace kiln;
using linalg_test::expect_close;
using linalg_test::torch_eval;

// The grids, one per function, written once for both sides as Python lists.
const std::string kDigammaGrid =
    "[1e-300, 1e-8, 0.1, 0.5, 0.86, 1.0, 1.2, 1.3, 1.4, 1.46, 1.4616, 1.4616321449683622, 1.47, 1.5, 1.7, 2.0, "
    "2.06, 2.5, 3.7, 5.5, 5.99, 6.0, 9.99, 10.0, 17.3, 123.4, 1e5, 1e15, 1e300]";
const std::string kDigammaNegativeGrid = "[-0.5, -1.5, -2.3, -10.7, -1e-7, -0.9999, -123.25, -0.25, -0.75, -3.4]";
const std::string kPolyGrid = "[1e-3, 0.2, 0.5, 1.0, 1.4616, 2.5, 7.3, 10.0, 31.0, 1e4, -0.5, -2.25, -7.8]";

// A list of plain decimal numbers, parsed as Python parses it (to the nearest double).
Tensor grid(const std::string& python_list) {
  std::vector<double> v;
  std::string s = python_list.substr(1, python_list.size() - 2);
  for (size_t start = 0; start < s.size();) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    v.push_back(std::stod(s.substr(start, comma - start)));
    start = comma + 1;
  }
  return tensor(v, kFloat64);
}

// Float results: the double computation at the float input, rounded once (or
// float's own libm function, within an ulp).
void expect_float_consistent(const Tensor& f32, const Tensor& f64_at_f32_input, const std::string& what) {
  EXPECT_EQ(f32.dtype(), kFloat32) << what;
  Tensor a = f32.to(kFloat64), e = f64_at_f32_input.to(kFloat32).to(kFloat64);
  Tensor finite = isfinite(e);
  EXPECT_TRUE(equal(isnan(a), isnan(e))) << what;
  Tensor err = where(finite, (a - e).abs() / e.abs().clamp_min(1e-30), zeros({}, kFloat64));
  EXPECT_LE(err.max().item<double>(), 1.2e-7) << what;
}

// Max |a - e| / |e| over finite e; equal infinities and NaNs match.
double max_relative_error(const Tensor& actual, const Tensor& expected) {
  Tensor a = actual.detach().to(kFloat64).contiguous(), e = expected.to(kFloat64).contiguous();
  EXPECT_EQ(a.sizes().vec(), e.sizes().vec());
  double worst = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    double av = a.data_ptr<double>()[i], ev = e.data_ptr<double>()[i];
    if (std::isnan(ev) || std::isinf(ev)) {
      EXPECT_TRUE((std::isnan(ev) && std::isnan(av)) || av == ev) << "at " << i << ": " << av << " vs " << ev;
      continue;
    }
    worst = std::max(worst, ev == 0 ? std::abs(av) : std::abs(av - ev) / std::abs(ev));
  }
  return worst;
}

constexpr double kEps = std::numeric_limits<double>::epsilon();

// Positive arguments to a few ulp (1.8 at worst over 2,000 log-uniform points
// in [1e-6, 1e4] when this was written); negative ones go through the
// reflection formula, whose two terms cancel near digamma's negative roots.
TEST(Special, DigammaIsAccurateToAFewUlpAgainstMpmath) {
  Tensor x = grid(kDigammaGrid), negative = grid(kDigammaNegativeGrid);
  std::vector<Tensor> expected = torch_eval(
      "import mpmath\nmpmath.mp.dps = 50\n"
      "for g in (" + kDigammaGrid + ", " + kDigammaNegativeGrid + "):\n"
      "    out.append(torch.tensor([float(mpmath.digamma(mpmath.mpf(v))) for v in g]))");
  EXPECT_LE(max_relative_error(digamma(x), expected[0]), 3 * kEps);
  EXPECT_LE(max_relative_error(special::psi(x), expected[0]), 3 * kEps);
  EXPECT_LE(max_relative_error(digamma(negative), expected[1]), 64 * kEps);
  Tensor xf = x.to(kFloat32);
  expect_float_consistent(digamma(xf), digamma(xf.to(kFloat64)), "digamma");
}

TEST(Special, DigammaPolesAndInfinities) {
  Tensor x = tensor({0.0, -0.0, -1.0, -7.0, std::numeric_limits<double>::infinity()}, kFloat64);
  Tensor r = digamma(x);
  EXPECT_EQ(r[0].item<double>(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(r[1].item<double>(), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(r[2].item<double>()));
  EXPECT_TRUE(std::isnan(r[3].item<double>()));
  EXPECT_EQ(r[4].item<double>(), std::numeric_limits<double>::infinity());
}

TEST(Special, PolygammaMatchesScipy) {
  Tensor x = grid(kPolyGrid);
  const std::vector<int> orders = {0, 1, 2, 3, 6};
  std::vector<Tensor> all = torch_eval("import scipy.special as sp, numpy as np\nfor n in (0, 1, 2, 3, 6): "
                                       "out.append(torch.tensor(sp.polygamma(n, np.array(" + kPolyGrid + "))))");
  for (size_t k = 0; k < orders.size(); ++k) {
    int n = orders[k];
    const Tensor& expected = all.at(k);
    EXPECT_LE(max_relative_error(polygamma(n, x), expected), 1e-13) << "n = " << n;
    EXPECT_LE(max_relative_error(x.polygamma(n), expected), 1e-13) << "n = " << n;
    Tensor xf = x.to(kFloat32);
    expect_float_consistent(special::polygamma(n, xf), polygamma(n, xf.to(kFloat64)), "polygamma");
  }
}

// The elementwise functions of kiln::special against scipy.special on one grid each.
struct Case {
  const char* scipy;
  Tensor (*kiln_fn)(const Tensor&);
  std::string grid;
  double tol;
};

TEST(Special, ElementwiseFunctionsMatchScipy) {
  const std::string ndtri_grid = "[0.0, 1e-300, 1e-100, 1e-20, 1e-8, 0.001, 0.02, 0.0243, 0.1, 0.3, 0.5, 0.6, 0.9, "
                                 "0.97, 0.999, 0.999999999999, 1.0, -0.1, 1.5]";
  const std::string erfinv_grid = "[-1.0, -0.999999, -0.7, -0.5, -0.3, -1e-10, 0.0, 1e-300, 1e-5, 0.1, 0.2, 0.4999, "
                                  "0.5, 0.5001, 0.8, 0.99, 0.9999999999, 0.9999999999999998, 1.0, 1.1]";
  const std::string real_grid = "[-40.0, -30.0, -26.0, -10.0, -5.0, -1.5, -1.0, -0.999, -0.3, 0.0, 1e-5, 0.5, 1.0, "
                                "2.0, 4.9, 5.0, 9.0, 25.9, 26.0, 27.0, 100.0, 1e10, 1e200]";
  const std::vector<Case> cases = {
      {"ndtri", special::ndtri, ndtri_grid, 1e-14},
      {"erfinv", special::erfinv, erfinv_grid, 1e-14},
      {"erfcx", special::erfcx, real_grid, 1e-13},
      {"ndtr", special::ndtr, real_grid, 5e-14},
      {"log_ndtr", special::log_ndtr, real_grid, 1e-13},
      {"entr", special::entr, "[-1.0, 0.0, 1e-300, 1e-5, 0.3, 1.0, 2.5, 1e100]", 1e-15},
      {"gammaln", special::gammaln, "[0.1, 0.5, 1.0, 2.5, 10.0, 171.5, 1e5]", 1e-13},
      {"expit", special::expit, "[-800.0, -30.0, -1.0, 0.0, 0.5, 30.0, 800.0]", 1e-15},
  };
  std::string code = "import scipy.special as sp, numpy as np\nnp.seterr(all='ignore')\n";
  for (const Case& c : cases) code += std::string("out.append(torch.tensor(sp.") + c.scipy + "(np.array(" + c.grid + "))))\n";
  std::vector<Tensor> all = torch_eval(code);
  for (size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    Tensor x = grid(c.grid);
    EXPECT_LE(max_relative_error(c.kiln_fn(x), all.at(k)), c.tol) << c.scipy;
    Tensor xf = x.to(kFloat32);
    expect_float_consistent(c.kiln_fn(xf), c.kiln_fn(xf.to(kFloat64)), std::string(c.scipy) + " (float)");
  }
  // erfinv is also a function and a method of the core API.
  Tensor y = tensor({-0.4, 0.0, 0.9}, kFloat64);
  EXPECT_TRUE(equal(erfinv(y), special::erfinv(y)));
  EXPECT_TRUE(equal(y.erfinv(), special::erfinv(y)));
}

TEST(Special, XlogyAndXlog1pyFollowTorch) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = tensor({0.0, 0.0, 0.0, 0.0, 2.0, 3.0, -1.5, 0.5}, kFloat64);
  Tensor y = tensor({0.0, inf, nan, 2.0, 0.0, 4.0, 0.7, -1.0}, kFloat64);
  std::vector<Tensor> expected = torch_eval(R"PY(
inf, nan = float('inf'), float('nan')
x = torch.tensor([0.0, 0.0, 0.0, 0.0, 2.0, 3.0, -1.5, 0.5])
y = torch.tensor([0.0, inf, nan, 2.0, 0.0, 4.0, 0.7, -1.0])
out.append(torch.xlogy(x, y)); out.append(torch.special.xlog1py(x, y))
out.append(torch.special.xlogy(2.0, y)); out.append(torch.special.xlog1py(x, 3.0))
)PY");
  EXPECT_LE(max_relative_error(xlogy(x, y), expected[0]), 1e-15);
  EXPECT_LE(max_relative_error(x.xlogy(y), expected[0]), 1e-15);
  EXPECT_LE(max_relative_error(special::xlog1py(x, y), expected[1]), 1e-15);
  EXPECT_LE(max_relative_error(special::xlogy(2.0, y), expected[2]), 1e-15);
  EXPECT_LE(max_relative_error(special::xlog1py(x, 3.0), expected[3]), 1e-15);
}

TEST(Special, MvlgammaAndLogitMatchTorch) {
  Tensor x = tensor({2.5, 3.0, 7.25, 40.0}, kFloat64);
  Tensor p = tensor({0.0, 1e-3, 0.25, 0.5, 0.9, 1.0}, kFloat64);
  std::vector<Tensor> expected = torch_eval(R"PY(
x = torch.tensor([2.5, 3.0, 7.25, 40.0])
p = torch.tensor([0.0, 1e-3, 0.25, 0.5, 0.9, 1.0])
for d in (1, 3, 5): out.append(torch.mvlgamma(x, d))
out.append(torch.logit(p)); out.append(torch.logit(p, 0.01))
)PY");
  EXPECT_LE(max_relative_error(mvlgamma(x, 1), expected[0]), 1e-14);
  EXPECT_LE(max_relative_error(special::multigammaln(x, 3), expected[1]), 1e-14);
  EXPECT_LE(max_relative_error(x.mvlgamma(5), expected[2]), 1e-14);
  EXPECT_LE(max_relative_error(special::logit(p), expected[3]), 1e-15);
  EXPECT_LE(max_relative_error(p.logit(0.01), expected[4]), 1e-15);
}

// ---- derivatives: float64 gradcheck and gradgradcheck, forward mode against central differences

void check_derivatives(const char* what, const std::function<Tensor(const Tensor&)>& f, double lo, double hi) {
  Tensor x = test::uniform({7}, lo, hi, 11);
  auto g = [&](const variable_list& v) { return f(v[0]); };
  EXPECT_TRUE(autograd::gradcheck(g, {x})) << what;
  EXPECT_TRUE(autograd::gradgradcheck(g, {x})) << what;
  EXPECT_EQ(test::forward_mode_mismatch([&](const variable_list& v) { return f(v[0]); }, {x}), "") << what;
}

TEST(SpecialDerivatives, UnaryFunctions) {
  check_derivatives("digamma", [](const Tensor& x) { return digamma(x); }, 0.3, 4);
  check_derivatives("digamma_negative", [](const Tensor& x) { return digamma(x); }, -0.9, -0.1);
  check_derivatives("lgamma", [](const Tensor& x) { return lgamma(x); }, 0.3, 4);
  for (int n = 0; n < 4; ++n)
    check_derivatives("polygamma", [n](const Tensor& x) { return polygamma(n, x); }, 0.3, 4);
  check_derivatives("erfinv", [](const Tensor& x) { return erfinv(x); }, -0.95, 0.95);
  check_derivatives("erfcx", [](const Tensor& x) { return special::erfcx(x); }, -3, 30);
  check_derivatives("ndtr", [](const Tensor& x) { return special::ndtr(x); }, -4, 4);
  check_derivatives("log_ndtr", [](const Tensor& x) { return special::log_ndtr(x); }, -30, 5);
  check_derivatives("ndtri", [](const Tensor& x) { return special::ndtri(x); }, 0.01, 0.99);
  check_derivatives("entr", [](const Tensor& x) { return special::entr(x); }, 0.1, 3);
  check_derivatives("logit", [](const Tensor& x) { return special::logit(x); }, 0.05, 0.95);
  check_derivatives("mvlgamma", [](const Tensor& x) { return mvlgamma(x, 3); }, 1.2, 5);
}

TEST(SpecialDerivatives, BinaryFunctions) {
  Tensor x = test::uniform({2, 3}, -2, 2, 3), y = test::uniform({3}, 0.2, 3, 4);
  for (auto f : {+[](const variable_list& v) { return xlogy(v[0], v[1]); },
                 +[](const variable_list& v) { return xlog1py(v[0], v[1]); }}) {
    EXPECT_TRUE(autograd::gradcheck(f, {x, y}));
    EXPECT_TRUE(autograd::gradgradcheck(f, {x, y}));
    EXPECT_EQ(test::forward_mode_mismatch(f, {x, y}), "");
  }
}

// digamma's derivative is trigamma, and the gradient at x == 0 of xlogy is 0 as in torch.
TEST(SpecialDerivatives, ValuesMatchTorch) {
  Tensor x = tensor({0.3, 1.0, 2.5, -0.5}, kFloat64).requires_grad_();
  Tensor y = tensor({0.5, 2.0, 3.0, 4.0}, kFloat64).requires_grad_();
  Tensor z = tensor({0.0, 1.0, 0.0, 2.0}, kFloat64).requires_grad_();
  (digamma(x).sum() + erfinv(y / 5).sum() + xlogy(z, y).sum()).backward();
  std::vector<Tensor> expected = torch_eval(R"PY(
x = torch.tensor([0.3, 1.0, 2.5, -0.5], requires_grad=True)
y = torch.tensor([0.5, 2.0, 3.0, 4.0], requires_grad=True)
z = torch.tensor([0.0, 1.0, 0.0, 2.0], requires_grad=True)
(torch.digamma(x).sum() + torch.erfinv(y / 5).sum() + torch.xlogy(z, y).sum()).backward()
out += [x.grad, y.grad, z.grad]
)PY");
  expect_close(x.grad(), expected[0], 1e-9, "digamma'");
  expect_close(y.grad(), expected[1], 1e-12, "erfinv' + xlogy'");
  expect_close(z.grad(), expected[2], 1e-14, "xlogy' in x");
}

TEST(SpecialErrors, BadArgumentsNameTheOp) {
  Tensor x = tensor({1.0, 2.0}, kFloat64);
  kiln_test::expect_error([&] { polygamma(-1, x); }, {"polygamma"});
  kiln_test::expect_error([&] { mvlgamma(x, 0); }, {"mvlgamma"});
  kiln_test::expect_error([&] { mvlgamma(x, 3); }, {"mvlgamma"});  // 1.0 <= (3 - 1) / 2
  EXPECT_EQ(polygamma(2, empty({0}, kFloat64)).numel(), 0);
  EXPECT_EQ(special::ndtri(empty({0, 3})).sizes().vec(), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(mvlgamma(empty({0}, kFloat64), 4).numel(), 0);
}

}  // namespace
