// Runs the tour (the README's main job) and checks that it exits 0, prints
// the numbers of shared/SEEDS.md and writes every figure.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

namespace {

struct TourRun {
  std::string output;
  int status = -1;
  std::filesystem::path dir;
};

const TourRun& tour() {
  static TourRun run = [] {
    TourRun r;
    // ctest runs each test in its own process, possibly in parallel: one folder each.
    r.dir = std::filesystem::path(KILN_BINARY_DIR) / ("tour-test-output-" + std::to_string(getpid()));
    std::filesystem::remove_all(r.dir);
    std::string cmd = std::string(KILN_BINARY_DIR) + "/examples/tour " + r.dir.string() + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
    r.status = pclose(pipe);
    return r;
  }();
  return run;
}

void expect_printed(const std::string& text) {
  EXPECT_NE(tour().output.find(text), std::string::npos) << "tour output lacks: " << text;
}

TEST(Tour, ExitsCleanly) { EXPECT_EQ(tour().status, 0) << tour().output; }

TEST(Tour, Section1NumericLimitAndTangent) {
  expect_printed("h=0.10000, numerical limit=2.30000");
  expect_printed("h=0.00001, numerical limit=2.00003");
  expect_printed("f'(1) = 2, tangent: y = 2x - 3");
}

TEST(Tour, Section2Autograd) {
  expect_printed("dy/dx = tensor(11.)");
  expect_printed("sum(x^2 + 2x + 1) = tensor(54., grad_fn=<SumBackward0>)");
  expect_printed("x.grad = tensor([[ 4.,  6.],\n        [ 8., 10.]])");
  expect_printed("y = 2 * dot(x, x) = tensor(28., grad_fn=<MulBackward0>)");
  expect_printed("x.grad = tensor([ 0.,  4.,  8., 12.])");
  expect_printed("x.grad == 4 * x: tensor([True, True, True, True])");
  expect_printed("after zero_, grad of x.sum() = tensor([1., 1., 1., 1.])");
  expect_printed("y.sum().backward(): x.grad = tensor([0., 2., 4., 6.])");
  expect_printed("detach: x.grad == u: tensor([True, True, True, True])");
  expect_printed("afterwards: x.grad == 2 * x: tensor([True, True, True, True])");
  expect_printed("control flow: a.grad == d / a: 1");
  expect_printed("a.grad == 2 cos(a): 1");
  expect_printed("learned k = 2, b = 3, prediction at x = 3: 9");
}

TEST(Tour, Section3GradientTape) {
  expect_printed("y = 2 * tensordot(x, x) = tensor(28.");
  expect_printed("tape.gradient(y, x) = tensor([ 0.,  4.,  8., 12.])");
  expect_printed("(summed): tape.gradient(y, x) = tensor([0., 2., 4., 6.])");
  expect_printed("gradient(z, x) = tensor([0., 1., 4., 9.]) == u: 1");
  expect_printed("gradient(y, x) = tensor([0., 2., 4., 6.])");
  expect_printed("control flow through the tape: gradient == d / a: 1");
}

TEST(Tour, Section4LinearAlgebra) {
  expect_printed("A.sum() = tensor(190.)");
  expect_printed("A.sum(axis 0) = tensor([40., 45., 50., 55.])");
  expect_printed("A.sum(axis 1) = tensor([ 6., 22., 38., 54., 70.])");
  expect_printed("A.sum(axes 0, 1) = tensor(190.)");
  expect_printed("A.mean() = tensor(9.5000) = A.sum() / A.numel() = tensor(9.5000)");
  expect_printed("[40., 45., 50., 55.]])");  // last row of the cumsum
  expect_printed("Frobenius norm of ones(4, 9) = tensor(6.)");
}

TEST(Tour, Section5And6Print) {
  expect_printed("Bayes P(B|A) P(A) / P(B) == P(A|B): 1");
  expect_printed("Normal(0, 1): E[X] = 0 (samples ");
  expect_printed("linear model: k(x, x') = 1 + x x'");
  expect_printed("learned by maximising the marginal likelihood");
}

TEST(Tour, WritesEveryFigure) {
  for (const char* name : {"tangent", "sine_gradient", "learned_line", "dice", "densities", "gp_linear", "gp_rbf",
                           "gp_arcsine", "gp_ou", "gp_posterior"}) {
    for (const char* ext : {".svg", ".png"}) {
      auto path = tour().dir / (std::string(name) + ext);
      ASSERT_TRUE(std::filesystem::exists(path)) << path;
      EXPECT_GT(std::filesystem::file_size(path), 500u) << path;
    }
  }
  EXPECT_TRUE(std::filesystem::exists(tour().dir / "index.html"));
}

}  // namespace
